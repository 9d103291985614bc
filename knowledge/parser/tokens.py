"""Tokenising: ``_tokenize`` turns plain text, Markdown or HTML (or a mix, such as tables flattened to
``label<TAB><ul><li>…`` lines) into a flat list of tokens. The plain-line, Markdown and HTML readers call one
another (a line may hold HTML, a cell holds lines), so they live together, with the marks the file readers
put into text (``_HEADING_MARK``, ``_ANCHOR_MARK``, ``_PART_MARK``) and the table-row helpers the tree uses."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from knowledge.parser.classify import _classify, _marker
from knowledge.parser.patterns import (_BLANK, _BLOCK_TAGS, _BOX_CLOSE, _CELL_GAP, _CIRCLED, _DIG, _KANA, _NUM,
                                       _RE_MD_BULLET, _RE_MD_HEADING, _RE_SKIP, _RE_TAG, _SP, _TO_FW, _Tok, _clean,
                                       _lead_in, _title_like)
from knowledge.textnorm import to_int as _to_int


# ---------------------------------------------------------------------------
# The entry point, and tables saved as text (a sheet's quoted cells, a 新旧対照表)
# ---------------------------------------------------------------------------

# (private-use characters: no text has them, and unlike the control characters they are no white space to strip())
_BOX_START = "\uf8f0"   # a line the pre-pass made a box's (admonition's, tab's) title: a heading closed by _BOX_END
_BOX_END = "\uf8f1"     # the end of that box: what follows is the enclosing section's again


def _tokenize(text: str, fmt: str) -> list[_Tok]:
    fmt = fmt if fmt in ("auto", "text", "markdown", "html") else "auto"
    if fmt == "html" or (fmt == "auto" and _is_html_document(text)):
        return _split_inline_lists(_html_tokens(text.replace(_ANCHOR_MARK, "")))
    return _split_inline_lists(_line_tokens(_undouble(_in_force(_header_once(_quoted_cells(text)))), markdown=fmt != "text"))


def _quoted_cells(text: str) -> str:
    """A sheet saved by Excel as tab-separated text: a cell with a line break in it is written in double quotes over
    two lines (「"…設定しなければ、<LF>これを持ち出してはならない。"」), a quote inside doubled. The cell is put back
    on its row's line (its line break kept as <br> after a finished sentence) and the quotes taken off."""
    if '\t"' not in text and not text.startswith('"'):
        return text
    out: list[str] = []
    pending: str | None = None
    for line in text.split("\n"):
        if pending is not None:
            line = pending + ("<br>" if pending.rstrip().endswith("。") else "") + line
            pending = None
        start = 0 if line.startswith('"') else line.find('\t"') + 1
        if ("\t" in line or start == 0) and start >= 0 and line[start:].count('"') % 2 == 1:
            pending = line          # a quoted cell not closed on this line: the row goes on
            continue
        if "\t" in line:
            line = "\t".join(c[1:-1].replace('""', '"') if len(c) >= 2 and c[0] == c[-1] == '"' else c
                             for c in line.split("\t"))
        out.append(line)
    if pending is not None:
        out.append(pending)
    return "\n".join(out)


_RE_NEW_COLUMN = re.compile(r"^(?:改正後|改正案|新|変更後|修正後)$")
_RE_OLD_COLUMN = re.compile(r"^(?:改正前|現行|旧|変更前|修正前)$")


# a 新旧対照表's third column, naming where each change goes (「条項 | 改正後 | 改正前」)
_RE_PLACE_COLUMN = re.compile(r"^(?:条項|条|項|項目|箇所|該当箇所|改正箇所|条文|番号|No\.?|区分|見出し|章|節)$")


def _amended_columns(cells: list[str]) -> tuple[int, int | None] | None:
    """A 新旧対照表's row of column names: (the 改正後 column, the column naming the place or None); None when the
    row is not one (「改正後 | 改正前」, 「改正前 | 改正後」, 「条項 | 改正後 | 改正前」 …)."""
    names = [re.sub(rf"{_SP}+|<[^>]+>", "", c) for c in cells]
    if len(names) == 3:
        for place in range(3):
            rest = [k for k in range(3) if k != place]
            if _RE_PLACE_COLUMN.match(names[place]):
                new = _amended_columns([names[k] for k in rest])
                return (rest[new[0]], place) if new else None
        return None
    if len(names) == 2 and _RE_NEW_COLUMN.match(names[0]) and _RE_OLD_COLUMN.match(names[1]):
        return 0, None
    if len(names) == 2 and _RE_OLD_COLUMN.match(names[0]) and _RE_NEW_COLUMN.match(names[1]):
        return 1, None
    return None


def _which_new(cells: list[str]) -> int | None:
    named = _amended_columns(cells)
    return named[0] if named else None


def _place_caption(place: str) -> str:
    """The cell naming where a change goes (「第５条第２項」「■使用者情報の取扱い（５）」) as the caption over its text."""
    place = _clean(re.sub(r"<[^>]+>", " ", place)).lstrip("".join(_TITLE_MARKS) + "・ \u3000")
    return f"（{place}）" if place and not re.fullmatch(r"[（(][^（）()]*[)）]", place) else place


# a 新旧対照表's cell that holds no text of its own: 「（削る）」 (the article goes), 「（略）」 (unchanged, not printed),
# 「（新設）」 (nothing before), 「（同左）」 (as in the other column); a paragraph 「第２条～第４条　（略）」 the same
_RE_PLACEHOLDER = re.compile(rf"^(?:[^。、「」（）()]{{0,24}}?{_SP}*)?[（(]{_SP}*(?:削る|削除|略|省略|以下略|表略|新設|新規|追加|"
                             rf"同左|同右|同上|同じ|変更なし|改正なし|現行どおり|現行のとおり){_SP}*[)）]$")


def _placeholder_cell(cell: str) -> bool:
    """A 新旧対照表's cell (its paragraphs split at <br>) with nothing but placeholders (「（削る）」「（略）」…)."""
    parts = [html.unescape(_clean(x)) for x in re.split(r"<br\s*/?>", cell) if x.strip()]
    return bool(parts) and all(_RE_PLACEHOLDER.match(x) for x in parts)


def _header_once(text: str) -> str:
    """A table's row of column names repeated where it runs onto the next page (「No.<TAB>区分<TAB>遵守事項」 again
    between rows 26 and 27): kept once, at the top. Only within one run of table rows, and only a row of short
    names (no sentence), so a rule that happens to repeat is never dropped."""
    out: list[str] = []
    head: str | None = None
    for line in text.split("\n"):
        if "\t" not in line:
            head = None
        elif head is None:
            cells = [c.strip() for c in line.split("\t")]
            head = line if all(len(c) <= 12 and "。" not in c for c in cells) and sum(1 for c in cells if c) >= 2 else ""
        elif head and line == head:
            continue
        out.append(line)
    return "\n".join(out)


def _in_force(text: str) -> str:
    """A 新旧対照表 (改正後<TAB>改正前, from Word): only the text in force is the attachment's. Each row under the column
    names gives its 改正後 cell, its paragraphs as lines, but for placeholders (「（削る）」「（略）」「（新設）」
    「（同左）」); the 改正前 cell goes. A third column naming where each change goes (「条項」) gives the caption over
    the row's text. Blank lines between the rows do not end the table; a line that is not a row of it does."""
    if "\t" not in text or not re.search(r"改正前|現行|変更前|修正前|旧", text):
        return text
    out: list[str] = []
    named = None
    for line in text.split("\n"):
        cells = line.split("\t")
        head = _amended_columns(cells)
        if head is not None:
            named, ncols = head, len(cells)
            continue
        if named is not None and not line.strip():
            out.append(line)
            continue
        if named is not None and len(cells) == ncols:
            new, place = named
            if place is not None and cells[place].strip() and not _placeholder_cell(cells[place]):
                out.append(_place_caption(cells[place]))
            out.extend(x for x in re.split(r"<br\s*/?>", cells[new])
                       if x.strip() and not _RE_PLACEHOLDER.match(html.unescape(_clean(x))))
            continue
        named = None
        out.append(line)
    return "\n".join(out)


def _undouble(text: str) -> str:
    """Text where (nearly) every line is followed by a blank line, as some PDF copies give: the blank
    lines mark nothing, and left in they would cut every wrapped sentence in two."""
    lines = text.split("\n")
    body = [i for i, ln in enumerate(lines) if ln.strip()]
    if len(body) < 8:
        return text
    doubled = sum(1 for i in body if i + 1 < len(lines) and not lines[i + 1].strip())
    if doubled < 0.8 * len(body):
        return text
    return "\n".join(ln for ln in lines if ln.strip())


# ---------------------------------------------------------------------------
# Lines that hold several clauses: a whole attachment pasted as one line, and
# "ア … 。イ … 。ウ … 。" written on one line
# ---------------------------------------------------------------------------

_RUN_ON = 120          # a line this long with several clause starts inside is a paste without breaks
_JNUM = "[0-9０-９一二三四五六七八九十百]+"
_RE_RUN_ON_SPLITS = [
    # （見出し）第N条 …: the caption starts a line, the article another
    re.compile(rf"(?<=[。」])[ \u3000]*(?=[（(][^（）()。、]{{2,30}}[）)][ \u3000]*第[ \u3000]*{_JNUM}[ \u3000]*条)"),
    re.compile(rf"(?<=[）)])[ \u3000]*(?=第[ \u3000]*{_JNUM}[ \u3000]*条(?:の{_JNUM})?[ \u3000])"),
    re.compile(rf"(?<=[。」])[ \u3000]*(?=第[ \u3000]*{_JNUM}[ \u3000]*条(?:の{_JNUM})?[ \u3000])"),
    re.compile(r"(?<=。)[ \u3000]*(?=[0-9０-９]{1,2}[ \u3000])"),                    # 。２　受託者は
    re.compile(r"(?<=[。 \u3000])(?=[（(][0-9０-９]{1,2}[）)][ \u3000])"),           # 。（１）　…
    re.compile(rf"(?<=。)[ \u3000]*(?=[{_KANA}][ \u3000])"),                         # 。ア　…
]
_RE_EMBEDDED_PAGE_NO = re.compile(r"[ \u3000]+[-－―−‐]\s*[0-9０-９]{1,3}\s*[-－―−‐](?=[ \u3000]|$)")


def _split_run_on(s: str) -> list[str]:
    """A whole attachment pasted as one line: cut it before each article, caption, paragraph
    number and item that follows the end of a sentence; page numbers carried along are dropped."""
    s = _RE_EMBEDDED_PAGE_NO.sub("", s)
    for rx in _RE_RUN_ON_SPLITS:
        s = rx.sub("\n", s)
    lines = [ln.strip(" \u3000") for ln in s.split("\n") if ln.strip(" \u3000")]
    if lines:   # the title runs into the preamble: "…特記事項 水無瀬市（以下…"
        m = re.match(r"^([^。\s]{4,60}?)[ \u3000]+(.+)$", lines[0])
        if m and len(lines[0]) > 24 and _title_like(m.group(1)):
            lines[0:1] = [m.group(1), m.group(2)]
    return lines


_LIST_MARK = re.compile(rf"^(?:([{_KANA}])|[（(]([0-9０-９]{{1,2}})[)）])[ \u3000]")


def _split_slash_list(s: str) -> list[str]:
    """「以下の行為は禁止とする：A／B／C」 on one line: the lead-in, then each act on a line of its own (its items)."""
    m = re.search(r"[：:]", s)
    if not m or not _lead_in(s[:m.end()]):
        return [s]
    acts = [a.strip(" \u3000") for a in s[m.end():].rstrip("。").split("／")]
    if len(acts) < 2 or any(not a or len(a) > 80 or "。" in a for a in acts):
        return [s]
    return [s[:m.end()]] + acts


def _split_list_line(s: str) -> list[str]:
    """"ア　…。　イ　…。　ウ…" on one line: cut before each next marker of the same sequence that
    follows a sentence end (ウ after イ, not ウイルス)."""
    m = _LIST_MARK.match(s)
    if not m or "。" not in s[:-1]:
        return [s]
    out, rest = [], s
    kana = m.group(1)
    n = _KANA.index(kana) if kana else _to_int(m.group(2))
    while True:
        if kana:
            if n + 1 >= len(_KANA):
                break
            nxt = _KANA[n + 1]
            rx = re.compile(rf"。[ \u3000]*(?={nxt}(?:[ \u3000]|[^\u3040-\u30ffー]))")
        else:
            rx = re.compile(rf"。[ \u3000]*(?=[（(](?:{n + 1}|{str(n + 1).translate(_TO_FW)})[)）])")
        hit = rx.search(rest)
        if not hit:
            break
        out.append(rest[:hit.start() + 1])
        rest = rest[hit.end():]
        if kana and not re.match(rf"{_KANA[n + 1]}[ \u3000]", rest):
            rest = rest[0] + "\u3000" + rest[1:]      # "ウ車両…": the marker lost its space at a wrap
        n += 1
    out.append(rest)
    return out


# Names of a checklist's or a table's columns (「No.」「区分」「確認項目」「備考」)
_RE_COLUMN_NAME = re.compile(r"^(?:No\.?|NO\.?|№|番号|項番|区分|分類|項目|確認項目|チェック項目|内容|遵守事項|備考|可否|結果|確認欄|チェック欄|"
                             r"承認の要否|承認要否|例外|取扱い|取扱|対策|作業)$", re.I)


# A table's 可否 cell: 「○」 alone is the answer of its row (行ってよい), not a list item's bullet
_CELL_MARKS = frozenset("○◯×✕△")
_TICK_BOXES = frozenset({"□", "☐", "■", "☑", "✓", "✔", "レ"})


def _cell_groups(tok: _Tok, by_cell: bool = False) -> list[list[_Tok]]:
    """A row's lines by the blank between them (by_cell: by the cells they are in)."""
    groups: list[list[_Tok]] = [[]]
    for t in tok.cells:
        if t.kind == "blank" and (not by_cell or t.text == "cell"):
            if groups[-1]:
                groups.append([])
        else:
            groups[-1].append(t)
    return [g for g in groups if g]


_TITLE_MARKS = "■□◆◇●◎★☆▼▲▶"


_CJK = "\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e、。「」（）・ー"
_RE_SPACED_PAIR = re.compile(rf"(?<=[{_CJK}])[ \u3000](?=[{_CJK}])")


def _despace(s: str) -> str:
    """"受 注 者 は 、 市 の…": text copied from a PDF with a space after every character. A line
    where nearly every Japanese character is followed by one space loses those spaces (the spaces
    that stand alone between words, as in "第１条　目的", are not that pattern and stay)."""
    pairs = len(_RE_SPACED_PAIR.findall(s))
    cjk = len(re.findall(rf"[{_CJK}]", s))
    if not (pairs >= 5 and pairs >= 0.6 * (cjk - 1)) and not (pairs >= 3 and pairs == cjk - 1):
        return s                  # (a short heading counts when every one of its characters is spaced)
    # the space after a leading number or marker ("第１条　", "（１）　", "ア　") separates, keep one
    m = re.match(rf"^(第[ \u3000]?{_NUM}[ \u3000]?[条章節]?|[（(][ \u3000]?\S{{1,3}}[ \u3000]?[)）]|{_DIG}{{1,3}}|[{_KANA}])"
                 rf"[ \u3000]+", s)
    head = re.sub(r"[ \u3000]", "", m.group(1)) + "\u3000" if m else ""
    return head + _RE_SPACED_PAIR.sub("", s[m.end():] if m else s)


_RE_LONE_MARK = re.compile(rf"。[ \u3000]*[{_KANA}]$")
_RE_MARK_ALONE = re.compile(rf"^(?:[（(]{_SP}*{_DIG}{{1,2}}{_SP}*[)）]|[（(]{_SP}*[{_KANA}]{_SP}*[)）]|[{_CIRCLED}])$")


def _split_inline_lists(tokens: list[_Tok]) -> list[_Tok]:
    out: list[_Tok] = []
    tokens = list(tokens)
    for i, tok in enumerate(tokens):
        alone = tok.kind == "line" and _RE_MARK_ALONE.match(re.sub(r"[ \u3000]", "", tok.text))
        j = i + 1
        while alone and j < len(tokens) and tokens[j].kind == "blank":
            j += 1
        if tok.kind == "line" and (alone or _RE_LONE_MARK.search(tok.text)) and j < len(tokens) \
                and tokens[j].kind == "line" and not tokens[j].heading:
            # "（１）" alone on its line with its text below (a PDF copy), or "…こと。　ウ" / "車両を
            #離れる…" (the next item's marker ended the line): one line
            nxt = tokens[j]
            tokens[j] = _Tok("line", tok.text + "\u3000" + nxt.text, li=tok.li, ol=tok.ol)
            for k in range(i + 1, j):
                tokens[k] = _Tok("line", "")      # the blank lines between were no break
            continue
        if tok.kind == "line" and not tok.text:
            continue
        if tok.kind == "line":
            spaced = _despace(tok.text)
            if spaced != tok.text:
                tok = _Tok("line", spaced, heading=tok.heading, li=tok.li, ol=tok.ol, label=tok.label,
                           cells=tok.cells, empty_cell=tok.empty_cell)
        if tok.kind != "line" or tok.heading:
            out.append(tok)
            continue
        parts = _split_run_on(tok.text) if len(tok.text) >= _RUN_ON else [tok.text]
        if len(parts) < 3:
            parts = [tok.text]          # one sentence break is not a paste of a whole attachment
        parts = [y for p in parts for y in _split_slash_list(p)]
        for k, part in enumerate(x for p in parts for x in _split_list_line(p)):
            if k == 0 and part == tok.text:
                out.append(tok)
            else:
                out.append(_Tok("line", part, li=tok.li if k == 0 else None, ol=tok.ol if k == 0 else None))
    return out


def _is_html_document(text: str) -> bool:
    if re.search(r"<!doctype|<html\b|<body\b", text[:4000], re.I):
        return True
    for line in text.split("\n"):
        s = line.strip()
        if s.startswith("<") and _RE_TAG.search(s):
            for tag in _BLOCK_TAGS:
                opens = len(re.findall(rf"<{tag}\b", s, re.I))
                if opens != len(re.findall(rf"</{tag}\s*>", s, re.I)):
                    return True
    return False


def _line_tokens(text: str, markdown: bool) -> list[_Tok]:
    """Tokens for text / Markdown, with HTML allowed inside lines (e.g. in table cells)."""
    lines = text.split("\n")
    boxed = [ln.startswith(_ANCHOR_MARK) for ln in lines]
    lines = [ln.lstrip(_ANCHOR_MARK) if b else ln for ln, b in zip(lines, boxed)]
    out: list[_Tok] = []
    i = 0
    while i < len(lines):
        if boxed[i] and lines[i].strip():
            got = _line_tokens(lines[i], markdown)
            for t in got:
                if t.kind != "blank":
                    t.anchored = True
            out.extend(got)
            i += 1
            continue
        s = lines[i].strip(" \t\u3000\u00a0")
        if not s:
            out.append(_BLANK)
        elif markdown and s == _BOX_END:
            out.append(_BOX_CLOSE)
        elif markdown and s.startswith("|"):
            j = i
            while j < len(lines) and lines[j].strip().startswith("|"):
                j += 1
            out.extend(_md_table(lines[i:j], markdown))
            i = j
            continue
        elif "\t" in s:
            got = _tab_row(s, markdown)
            lead = ("",) * _empty_lead(lines[i])
            for t in got:
                t.slots = lead + t.slots
            out.extend(got)
        else:
            got = _inline_tokens(lines[i], markdown)
            if "\t" in lines[i] and got:
                # 「<TAB><TAB>(1)　…<TAB>」: a table row with one cell of text (a Word table's item row below its lead-in)
                text = _clean(" ".join(t.text for t in got if t.kind == "line"))
                slots = tuple(text if c.strip(" \u3000\u00a0") else "" for c in lines[i].split("\t"))
                for t in got:
                    t.slots = slots
            out.extend(got)
        i += 1
    return out


def _empty_lead(raw: str) -> int:
    """How many empty cells a tab-separated row starts with."""
    cells = raw.split("\t")
    return next((k for k, c in enumerate(cells) if c.strip(" \u3000\u00a0")), len(cells))


def _inline_tokens(raw: str, markdown: bool) -> list[_Tok]:
    """One source line: HTML fragments are expanded, plain lines give one token."""
    if markdown and _RE_TAG.search(raw):
        return _html_tokens(raw)
    tok = _line_tok(raw, markdown)
    return [tok] if tok else []


# A reader's mark before a line it knows to be a heading (knowledge/readers/pdf.py: a slide's title, a caption over
# its boxes): one mark a heading under the document's title, two one level below
_HEADING_MARK = "\x1d"
# A reader's mark before a line of a text box (knowledge/readers/docx.py), read after the paragraph it is anchored in
_ANCHOR_MARK = "\x1c"
# A reader's mark before the name of a part of the document that starts anew (knowledge/readers/xlsx.py: a workbook's
# second sheet of rules): no article, section or list before it goes on into it
_PART_MARK = "\x1e"


def _line_tok(raw: str, markdown: bool) -> _Tok | None:
    """A token for one line of text: Markdown heading and bullet marks are taken off."""
    if raw.lstrip(" \t\u3000").startswith(_PART_MARK):
        name, _, title = raw.lstrip(" \t\u3000")[1:].partition(_PART_MARK)     # 「シート名」 and the title it shows
        return _Tok("line", _clean(name), heading=1, part=True, label=_clean(title)) if _clean(name) else None
    marked = len(raw) - len(raw.lstrip(_HEADING_MARK))
    if marked:
        s = _clean(raw.lstrip(_HEADING_MARK))
        return _Tok("line", s, heading=marked + 1) if s else None
    indent = len(raw.expandtabs(4)) - len(raw.expandtabs(4).lstrip(" \u3000"))
    s = raw.strip(" \t\u3000\u00a0")
    if markdown:
        s = html.unescape(s)
        if s.startswith(">"):
            s = s.lstrip("> ")
    heading, li, box = 0, None, False
    m = _RE_MD_HEADING.match(s) if markdown else None
    if m:
        heading, s = len(m.group(1)), m.group(2)
        box = s.startswith(_BOX_START)
        s = s.lstrip(_BOX_START)
    m = _RE_MD_BULLET.match(s)
    if m and not _RE_SKIP.match(s.replace(" ", "")):
        s = m.group(1)
        # "- (5) …" keeps its own number, which says more than the flat "- " does.
        if _marker(_clean(s)) is None:
            li = indent // 2 + 1
    s = _clean(s)
    if not s:
        return None
    return _Tok("line", s, heading=heading, li=li, indent=_indent(raw), box=box)


def _indent(raw: str) -> int:
    n = 0
    for ch in raw:
        if ch == "\u3000":
            n += 2
        elif ch == " ":
            n += 1
        elif ch == "\t":
            n += 4
        else:
            break
    return n


def _tab_row(s: str, markdown: bool) -> list[_Tok]:
    """A table row flattened to "label<TAB>cell…"."""
    cells = [c.strip() for c in s.split("\t")]
    while cells and not cells[-1]:
        cells.pop()
    label = _plain_text(cells[0]) if cells else ""
    if len(cells) <= 1:
        tok = _line_tok(label, False)
        if tok:
            tok.empty_cell = "\t" in s
        return [tok] if tok else []
    body: list[_Tok] = []
    slots = [label]
    for cell in cells[1:]:
        if body:
            body.append(_CELL_GAP)
        got = _inline_tokens(cell, markdown)
        body.extend(got)
        slots.append(_clean(" ".join(t.text for t in got if t.kind == "line")))
    return [_Tok("row", label=label, cells=body, slots=tuple(slots))]


def _md_table(lines: list[str], markdown: bool) -> list[_Tok]:
    """A Markdown table: the header row (the one above |---|) is dropped, rows kept."""
    rows: list[list[str]] = []
    for line in lines:
        s = line.strip().strip("|")
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", s)]
        if all(re.fullmatch(r":?-+:?", c.replace(" ", "")) for c in cells if c) and any(cells):
            if rows:
                rows.pop()               # the line above the separator was the header
            continue
        rows.append([c.replace("\\|", "|") for c in cells])
    out: list[_Tok] = []
    for cells in rows:
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if len(cells) == 1:
            out.extend(_inline_tokens(cells[0], markdown))
            out.append(_BLANK)
        else:
            out.extend(_tab_row("\t".join(cells), markdown))
    return out


def _plain_text(fragment: str) -> str:
    """A cell label as one line of text."""
    if _RE_TAG.search(fragment):
        return _clean(" ".join(t.text for t in _html_tokens(fragment) if t.kind == "line"))
    return _clean(html.unescape(fragment))


# ---------------------------------------------------------------------------
# HTML → tokens (through a small, forgiving element tree)
# ---------------------------------------------------------------------------

_VOID = {"br", "hr", "img", "input", "meta", "link", "col", "area", "base", "wbr", "source"}
_SKIP_TAGS = {"script", "style", "head", "title", "noscript", "template", "rt", "rp",    # rt: furigana
              "del", "s", "strike"}        # struck through: wording deleted and left visible, no rule
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = {"p", "div", "section", "article", "blockquote", "pre", "center", "form", "body", "html",
           "main", "header", "footer", "nav", "aside", "address", "figure", "figcaption", "caption"}
# Implicit closes that browsers do: a new <li> ends the open one, and so on.
_CLOSES = {"li": ({"li"}, {"ul", "ol"}), "td": ({"td", "th"}, {"tr", "table"}),
           "th": ({"td", "th"}, {"tr", "table"}), "tr": ({"tr", "td", "th"}, {"table"}),
           "dt": ({"dt", "dd"}, {"dl"}), "dd": ({"dt", "dd"}, {"dl"}),
           "p": ({"p"}, {"li", "td", "th", "div", "ul", "ol", "table", "blockquote", "body"})}


class _El:
    __slots__ = ("tag", "children", "style", "cols")

    def __init__(self, tag: str, style: tuple = ("1", 1)):
        self.tag = tag
        self.children: list = []
        self.style = style          # <ol type start>: how its items are numbered on screen
        self.cols = 1               # <td colspan>: the columns a cell covers


class _Dom(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _El("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        el = _El(tag)
        if tag == "ol":
            a = dict(attrs)
            start = (a.get("start") or "1").strip()
            el.style = ((a.get("type") or "1").strip()[:1] or "1", int(start) if start.isdigit() else 1)
        elif tag in ("td", "th"):
            span = (dict(attrs).get("rowspan") or "1").strip()
            el.style = ("rowspan", int(span) if span.isdigit() and 0 < int(span) < 1000 else 1)
            span = (dict(attrs).get("colspan") or "1").strip()
            el.cols = int(span) if span.isdigit() and 0 < int(span) < 1000 else 1
        if tag in _VOID:
            self.stack[-1].children.append(el)
            return
        if tag in _CLOSES:
            self._close(*_CLOSES[tag])
        self.stack[-1].children.append(el)
        self.stack.append(el)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(_El(tag))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)

    def _close(self, tags, stops):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag in tags:
                del self.stack[i:]
                return
            if self.stack[i].tag in stops:
                return


def _html_tokens(fragment: str) -> list[_Tok]:
    dom = _Dom()
    try:
        dom.feed(fragment)
        dom.close()
    except Exception:  # noqa: BLE001 - malformed markup: fall back to stripping tags
        return [t for t in (_line_tok(re.sub(r"<[^>]*>", "", ln), True) for ln in fragment.split("\n")) if t]
    walker = _Walker()
    walker.walk(dom.root, 0)
    walker.flush()
    return walker.out


# A line break in a page's source is no break on screen (only <br> and blocks are): a browser drops it between
# two Japanese characters and shows a space elsewhere (CSS's segment-break rule). Word's 「Webページ（フィルター後）」
# wraps its paragraphs in the source (「この遵守事項\r\nは、…」), which must not become two lines.
_SEGMENT_BREAK = re.compile(r"[ \t]*\r?\n[ \t\r\n]*")
_WIDE = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff01-\uff60]")


def _segment_breaks(text: str) -> str:
    def one(m: re.Match) -> str:
        before, after = text[m.start() - 1: m.start()], text[m.end(): m.end() + 1]
        if not before or not after:
            return ""   # the break after a <br> or a block's tag: the line's own indent (「　」) stays first
        return "" if _WIDE.match(before) and _WIDE.match(after) else " "
    return _SEGMENT_BREAK.sub(one, text)


class _Walker:
    """Walks the element tree, emitting one token per line of text, row and list item."""

    def __init__(self):
        self.out: list[_Tok] = []
        self.buf: list[str] = []
        self.pending: tuple[int, int | None] | None = None   # (list depth, <ol> ordinal)
        self.pre = 0   # inside <pre>, the source's line breaks are the text's

    def flush(self, gap: bool = False):
        text, self.buf = "".join(self.buf), []
        if not self.pre:
            text = _segment_breaks(text)
        for raw in text.split("\n"):
            tok = _line_tok(raw, True) if raw.strip() else None
            if tok is None:
                continue
            if self.pending is not None:
                tok.li, tok.ol, tok.olstyle = self.pending
                self.pending = None
            elif raw.startswith("\u3000") and self.out and self.out[-1].kind == "line" \
                    and self.out[-1].text.endswith("。"):
                # lines apart by <br> in one block, each indented by 「　」 after a finished sentence: paragraphs
                self.out.append(_BLANK)
            self.out.append(tok)
        if gap and self.out and self.out[-1].kind != "blank":
            self.out.append(_BLANK)

    def walk(self, el: _El, depth: int):
        for ch in el.children:
            if isinstance(ch, str):
                self.buf.append(ch)
                continue
            tag = ch.tag
            if tag in _SKIP_TAGS:
                continue
            if tag == "br":
                self.flush()
            elif tag in ("ul", "ol", "menu", "dir"):
                self.flush()
                self.list(ch, depth + 1, tag == "ol", ch.style)
                self.flush(gap=depth == 0)
            elif tag == "li":               # <li> outside any list
                self.flush()
                self.list(_wrap(ch), depth + 1, False)
            elif tag == "table":
                self.flush(gap=True)
                self.table(ch)
            elif tag == "dl":
                self.flush(gap=True)
                self.deflist(ch)
            elif tag in _HEADINGS:
                self.flush(gap=True)
                text = _inner_text(ch)
                if text:
                    self.out.append(_Tok("line", text, heading=int(tag[1])))
                    self.out.append(_BLANK)
            elif tag in _BLOCKS or tag in ("hr", "tr", "td", "th", "dt", "dd"):
                self.flush(gap=True)
                self.pre += tag == "pre"
                self.walk(ch, depth)
                self.flush(gap=True)
                self.pre -= tag == "pre"
            else:                             # inline: <b>, <span>, <a> …
                self.walk(ch, depth)

    def list(self, el: _El, depth: int, ordered: bool, style: tuple = ("1", 1)):
        n = style[1] - 1
        for ch in el.children:
            if isinstance(ch, str):
                self.buf.append(ch)
            elif ch.tag == "li":
                n += 1
                self.flush()
                self.pending = (depth, n if ordered else None, style[0])
                self.walk(ch, depth)
                self.flush()
                self.pending = None
            elif ch.tag in ("ul", "ol"):
                self.flush()
                self.list(ch, depth + 1, ch.tag == "ol", ch.style)
            else:
                self.walk(_wrap(ch), depth)

    def table(self, el: _El):
        rows = _unpadded(_rows_of(el))
        named = _amended_columns([_inner_text(c) for c in rows[0]]) if rows else None
        if named is not None:
            # a 新旧対照表: the text in force (改正後) only, its cell read as the attachment's own text (under the
            # caption of the place it goes, when a column names it)
            new, place = named
            for cells in rows[1:]:
                if len(cells) == len(rows[0]):
                    if place is not None and _inner_text(cells[place]):
                        self.out.append(_Tok("line", _place_caption(_inner_text(cells[place]))))
                    self.out.extend(_cell_tokens(cells[new]))
                    self.out.append(_BLANK)
            return
        ncol = _number_column(rows)
        tick = _tick_column(rows)
        # the first row of the table's own (not a title over it, nor a line beside it: 「（令和７年４月改正）」 in the last
        # cell) naming its columns in <td>s: 「区分 | 番号 | 遵守事項 | 根拠条項」
        first = next((i for i, r in enumerate(rows) if sum(1 for c in r if _inner_text(c)) > 1), None)
        names = first if first is not None and first + 1 < len(rows) and _names_row(rows[first]) else None
        for i, cells in enumerate(rows):
            if len(rows) > 1 and len(cells) > 1 and (i == names or all(c.tag == "th" for c in cells)):
                # a header row names columns, not rules (kept for _column_tables, which reads and drops it)
                self.out.append(_Tok("row", label=_inner_text(cells[0]), header=True,
                                     cells=[_Tok("line", _inner_text(c)) for c in cells[1:]]))
                continue
            toks = [_cell_tokens(c) for c in cells]
            slots = tuple(" ".join(t.text for t in ts if t.kind == "line") for ts in toks)
            if ncol and len(cells) > ncol + 1:
                # 「区分 | 番号 | 内容」: the number is the rule's, the category beside it a heading
                group = " ".join(_inner_text(c) for c in cells[:ncol])
                body = []
                for k in range(ncol + 1, len(cells)):
                    got = _ticked(tick, k, cells)
                    if got is None:
                        continue
                    if body:
                        body.append(_CELL_GAP)
                    body.extend(got or toks[k])
                self.out.append(_Tok("row", label=_inner_text(cells[ncol]), cells=body, group=group, slots=slots))
                continue
            if len(cells) == 1:
                self.out.extend(toks[0])
                self.out.append(_BLANK)
                continue
            body: list[_Tok] = []
            for k in range(1, len(cells)):
                got = _ticked(tick, k, cells)
                if got is None:
                    continue
                if body:
                    body.append(_CELL_GAP)
                body.extend(got or toks[k])
            self.out.append(_Tok("row", label=_clean(slots[0]), cells=body, slots=slots))
        self.out.append(_BLANK)

    def deflist(self, el: _El):
        label = None
        for ch in el.children:
            if isinstance(ch, str):
                continue
            if ch.tag == "dt":
                label = _inner_text(ch)
            elif ch.tag == "dd":
                self.out.append(_Tok("row", label=label or "", cells=_cell_tokens(ch)))
                label = None
        self.out.append(_BLANK)


def _wrap(el: _El) -> _El:
    w = _El("wrap")
    w.children = [el]
    return w


_RE_CELL_NUMBER = re.compile(rf"[（(]?{_DIG}{{1,3}}[)）.．]?|[（(]?[{_KANA}][)）]?|[{_CIRCLED}]")


# a rule's number within its 区分 (「3-4」「3-10」「1－2」「１-２」)
_RE_CELL_SUBNUMBER = re.compile(rf"{_DIG}{{1,3}}(?:[-－‐]{_DIG}{{1,3}}){{1,2}}")


def _number_column(rows: list[list[_El]]) -> int:
    """The column, after the first, that holds each body row's number when the columns before it
    name categories (「区分 | 番号 | 内容」); 0 when there is none."""
    # (not a row of one cell merged across, a title or a section of a sheet saved as a web page, nor the row naming
    # the columns in <td>s: 「区分 | No. | 確認項目 | 確認欄」)
    body = [r for r in rows if not all(c.tag == "th" for c in r) and len(r) > 1 and not _names_row(r)]
    if len(body) < 2 or any(len(r) != len(body[0]) for r in body) or len(body[0]) < 3:
        return 0
    for k in range(1, len(body[0]) - 1):
        if all(_RE_CELL_NUMBER.fullmatch(_inner_text(r[k]).replace(" ", "")) for r in body):
            return k
        # 「1-1」「3-10」「1－2」: a rule numbered within its 区分. Every cell of the column holding something holds such a
        # number; a row with the cell empty is an item or a note of the numbered row above it (「(1)　…」「※…」) or a
        # line beside the table (a 改正 date over it); rows with text and no number are fewer than half the numbered ones
        nums = [_inner_text(r[k]).replace(" ", "") for r in body]
        if sum(1 for n in nums if _RE_CELL_SUBNUMBER.fullmatch(n)) < 2 \
                or not all(not n or _RE_CELL_SUBNUMBER.fullmatch(n) or _RE_CELL_NUMBER.fullmatch(n) for n in nums):
            continue
        loose = 0
        for r, n in zip(body, nums):
            rest = [t for t in (_inner_text(c) for c in r[k + 1:]) if t]
            if not n and len(rest) + sum(1 for c in r[:k] if _inner_text(c)) > 1 and rest \
                    and _classify(rest[0]).kind != "marker":
                loose += 1
        if loose * 2 < sum(1 for n in nums if n):
            return k
    return 0


# A checklist's column to tick (「No. | 確認項目 | 確認欄 | 備考」): its cells hold 「□」, 「○」/「×」 or nothing; a monthly one has a
# column a month (「4月」…「3月」), or a round (「1回目」)
_RE_TICK_COLUMN = re.compile(r"^(?:確認欄?|チェック欄?|点検欄|点検結果|確認結果|結果|実施状況|遵守状況|[○〇][×✕]|チェック)$")
_RE_ROUND_COLUMN = re.compile(r"^(?:[0-9０-９]{1,2}月(?:分)?|第?[0-9０-９]{1,2}回目?|[0-9０-９]{1,2}[/／][0-9０-９]{1,2})$")


# The cell that numbers a table row: 「12」「No.3」「3-4」「1.2」「（５）」
_RE_ROW_NUMBER = re.compile(rf"(?:No|NO|Ｎｏ|№)?[.．]?{_SP}*{_DIG}{{1,3}}(?:[-－‐ー.．]{_DIG}{{1,3}}){{0,3}}[.．]?"
                            rf"|[（(]{_DIG}{{1,3}}[)）]")
# a sentence that points at what comes below it (「次の事項を記載した報告書を提出すること。」「以下を守ること。」)
_RE_POINTS_BELOW = re.compile(r"(?:次|以下|下記|別記)(?:の|に|を)")


def _row_below_column(above: tuple, here: tuple) -> int | None:
    """The column of a table row's text when the row stands below the numbered row above it with no number of its
    own and opens with a mark (「(1)　…」「※…」): where the row above has its number (「3-4」) this row's cell is empty;
    the cells before that are empty or the same as above (a 区分 merged down its rows); its first cell of text stands
    where the row above has text and starts with an item mark or a note (not a sentence carried on, nor a weak letter);
    the cells after it are empty, a box to tick, or the same as above (a 根拠 merged down). Else None."""
    n = len(above)
    while len(here) > n and not here[-1]:
        here = here[:-1]
    if len(here) > n or n < 2:
        return None
    here = tuple(here) + ("",) * (n - len(here))
    k = next((i for i, c in enumerate(above) if c and _RE_ROW_NUMBER.fullmatch(c)), None)
    if k is None or here[k] or any(h and h != a for h, a in zip(here[:k], above[:k])):
        return None
    j = next((i for i in range(k + 1, n) if here[i]), None)
    if j is None or not above[j] or any(h and h != a and h not in _TICK_BOXES for h, a in zip(here[j + 1:], above[j + 1:])):
        return None
    c = _classify(here[j])
    if not c.rest or not (c.kind == "marker" and not c.weak or c.kind == "numbered" and len(c.num) == 1):
        return None
    return j


def _item_row_column(above: tuple, here: tuple) -> int | None:
    """The column of a table row's text when the row is an item of the numbered row above it, else None: where the row
    above has its number (「3-4」) this row's cell is empty; the cells before that are empty or the same as above (a
    区分 merged down its rows); its first cell of text starts with an item mark (「(1)」「①」「ア」「一」「・」, not a note
    「※」 nor a sentence carried on) and stands where the row above has text that introduces a list (「…次に掲げる行為を
    してはならない。」「次の事項を記載した…を提出すること。」「…：」); the cells after it are empty, a box to tick, or the
    same as above (a 根拠 merged down). Only under a lead-in: a finished rule above that introduces nothing is no
    lead-in, and its force must not reach a row that has its own."""
    j = _row_below_column(above, here)
    if j is None:
        return None
    c = _classify(here[j])
    if c.mtype == "note":
        return None
    lead = above[j].rstrip(" \u3000")
    last = re.split(r"(?<=。)", lead.rstrip("。"))[-1]
    if not (_lead_in(lead) or lead.endswith(("：", ":")) or _RE_POINTS_BELOW.search(last)):
        return None
    return j


def _slot_lines(tok: _Tok, j: int) -> list[_Tok] | None:
    """The lines of a table row's cell `j` (a line token stands for itself); None when no cell holds that text."""
    if tok.kind != "row":
        return [tok]
    groups = ([[_Tok("line", tok.label)]] if tok.label else []) \
        + [[t for t in g if t.kind == "line"] for g in _cell_groups(tok, by_cell=True)]
    return next((g for g in groups if g and _clean(" ".join(t.text for t in g)) == _clean(tok.slots[j])), None)


def _tick_column(rows: list[list[_El]]) -> tuple[tuple[int, ...], int] | None:
    """(columns, row width) of a checklist's columns to tick when its header names them (確認欄, チェック欄…; or 4月, 5月…
    in a row of their own) and every row of the header's width below holds nothing there but a box or a mark, some
    of them nothing: an empty cell (an Excel drop-down of ○ / × not yet chosen) is the box to tick, as 「□」 is."""
    for i, cells in enumerate(rows):
        names = [_inner_text(c).replace(" ", "") for c in cells]
        if len(cells) < 3 or any(len(n) > 10 or "。" in n for n in names):
            continue
        ticks = tuple(k for k, n in enumerate(names) if k >= 1 and _RE_TICK_COLUMN.match(n))
        rounds = tuple(k for k, n in enumerate(names) if k >= 1 and _RE_ROUND_COLUMN.match(n))
        if len(ticks) != 1 and len(rounds) < 2:
            continue
        cols = ticks if len(ticks) == 1 else rounds
        below = [r for r in rows[i + 1:] if len(r) == len(cells)]
        if not below:
            continue             # the upper row of a header over two rows (「点検結果」 over 「4月 | 5月 …」)
        marks = [_inner_text(r[k]) for r in below for k in cols]
        first = cols[0]
        if len(below) >= 2 and all(m in _TICK_BOXES or m in _CELL_MARKS or not m for m in marks) and "" in marks \
                and all(_inner_text(r[first - 1]) or _inner_text(r[0]) for r in below):
            return cols, len(cells)
        return None
    return None


def _ticked(tick: tuple[tuple[int, ...], int] | None, k: int, cells: list[_El]) -> list[_Tok] | None:
    """A row's cell k as tokens where it is one of the columns to tick: the box for the first (left empty, or a
    month's column with nothing in it yet), nothing for the others (None: no cell); [] where it is no such column."""
    if tick is None or len(cells) != tick[1] or k not in tick[0]:
        return []
    if k != tick[0][0]:
        return None
    text = _inner_text(cells[k])
    return [_Tok("line", "□")] if not text or len(tick[0]) > 1 else []


def _names_row(cells: list[_El]) -> bool:
    """A row of short words at least two of which name columns (「区分 | No. | 確認項目 | 確認欄」)."""
    names = [_inner_text(c) for c in cells]
    return all(len(n) <= 10 and "。" not in n for n in names) \
        and sum(1 for n in names if _RE_COLUMN_NAME.match(n) or _RE_TICK_COLUMN.match(n.replace(" ", ""))) >= 2


def _rows_of(table: _El) -> list[list[_El]]:
    """The table's rows, a cell spanning rows (rowspan) repeated in each row it covers, at the column it stands in
    (counted with the columns each cell spans: 「No.」 and 「備考」 over two header rows beside 「点検結果」 over 4月…3月)."""
    rows = []
    spans: dict[int, list] = {}            # column -> [cell, rows it still covers]
    for cells in _raw_rows(table):
        row, col, queue = [], 0, list(cells)
        while queue or any(c >= col and v[1] > 0 for c, v in spans.items()):
            if col in spans and spans[col][1] > 0:
                cell = spans[col][0]
                row.append(cell)
                spans[col][1] -= 1
            elif queue:
                cell = queue.pop(0)
                n = cell.style[1] if cell.style and cell.style[0] == "rowspan" else 1
                if n > 1:
                    spans[col] = [cell, n - 1]
                row.append(cell)
            else:
                col += 1                   # a column no cell of this row reaches, before a rowspan further right
                continue
            col += max(1, cell.cols)
        rows.append(row)
    return rows


def _unpadded(rows: list[list[_El]]) -> list[list[_El]]:
    """The rows without the columns empty in every row: a spreadsheet saved as a web page keeps the narrow blank
    columns laid out as its margins (「| | No. | 確認項目 | 確認欄 | 備考 | |」), and its first column, empty, is no
    row's label. A cell spanning an empty column and a column with text stays."""
    if len(rows) < 2:
        return rows
    placed, used = [], set()
    for cells in rows:
        col, row = 0, []
        for c in cells:
            row.append((col, col + c.cols, c))
            if _inner_text(c):
                used.update(range(col, col + c.cols))
            col += c.cols
        placed.append(row)
    if not used or all(not any(a <= k < b for k in range(a, b) if k not in used) for r in placed for a, b, _ in r):
        return rows
    out = [[c for a, b, c in r if any(k in used for k in range(a, b))] for r in placed]
    return [r for r in out if any(_inner_text(c) for c in r)] or rows     # (a blank row is spacing)


def _raw_rows(table: _El) -> list[list[_El]]:
    rows = []
    for ch in table.children:
        if isinstance(ch, str):
            continue
        if ch.tag in ("thead", "tbody", "tfoot"):
            rows.extend(_raw_rows(ch))
        elif ch.tag == "tr":
            cells = [c for c in ch.children if not isinstance(c, str) and c.tag in ("td", "th")]
            if cells:
                rows.append(cells)
    return rows


def _cell_tokens(cell: _El) -> list[_Tok]:
    w = _Walker()
    w.walk(cell, 0)
    w.flush()
    while w.out and w.out[-1].kind == "blank":
        w.out.pop()
    return w.out


def _inner_text(el: _El) -> str:
    return _clean(" ".join(t.text for t in _cell_tokens(el) if t.kind == "line"))
