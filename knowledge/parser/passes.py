"""Passes over the token list, between tokenising and building the tree: a contents list, running heads,
page records, a contract's closing and a signature block dropped; notes, tables whose columns say what their
cells are, header rows and numbered rows rewritten; FAQ pairs joined; bare headings and title marks marked;
the width a text was wrapped at."""
from __future__ import annotations

import re
from dataclasses import replace

from knowledge.parser.classify import _classify
from knowledge.parser.forms import _form_title_at, _is_blank_field, _tok_text
from knowledge.parser.patterns import (_BLANK, _CELL_GAP, _DIG, _NUM, _RE_APPENDIX, _RE_DATE_ONLY, _RE_GENERIC_HEAD,
                                       _RE_PAGE_NO, _RE_SKIP, _SP, _Tok, _lead_in, _terminated, _width)
from knowledge.parser.title import _RE_MAIL_HEAD
from knowledge.parser.tokens import _RE_CELL_NUMBER, _RE_CELL_SUBNUMBER, _RE_COLUMN_NAME, _TITLE_MARKS, _cell_groups
from knowledge.verdict import ACTOR_COLUMNS, COLUMN_NAMES


_RE_TOC_HEAD = re.compile(rf"^目{_SP}*次$|^目録$|^Contents$", re.I)
_RE_TOC_LEADER = re.compile(r"(?:[.．・…‥·]{3,}|[.．][ ]?[.．][ ]?[.．])\s*[0-9０-９]{1,3}$")
_RE_TOC_ENTRY = re.compile(rf"^\S.{{0,60}}?(?:{_SP}|\t)+[0-9０-９]{{1,3}}$")


def _drop_contents(tokens: list[_Tok]) -> tuple[list[_Tok], int]:
    """A table of contents: the "目次" line and the entries after it that end in a page number
    (with dot leaders or not); any line with dot leaders and a page number, wherever it is."""
    out: list[_Tok] = []
    dropped = toc_start = 0
    in_toc = False
    # where each token's text starts in the whole text (spaces removed): a contents entry without a
    # page number is known by its heading appearing again further on
    full, starts = [], []
    pos = 0
    for tok in tokens:
        starts.append(pos)
        t = re.sub(r"\s+", "", tok.text) if tok.kind == "line" else ""
        full.append(t + "\n")
        pos += len(t) + 1
    full_text = "".join(full)
    for i, tok in enumerate(tokens):
        if tok.kind != "line":
            if tok.kind != "blank":
                in_toc = False
            out.append(tok)
            continue
        t = tok.text
        if _RE_TOC_HEAD.match(t):
            in_toc, dropped, toc_start = True, dropped + 1, len(out)
            continue
        if _RE_TOC_LEADER.search(t) or (in_toc and _RE_TOC_ENTRY.match(t) and "。" not in t):
            dropped += 1
            # "第１" / "趣旨……2": an entry's number can sit on the line above its leader
            k = len(out) - 1
            while k >= 0 and out[k].kind == "blank":
                k -= 1
            if k >= toc_start and out[k].kind == "line" and len(out[k].text) <= 12 and "。" not in out[k].text \
                    and _classify(out[k].text).kind in ("article", "numbered", "chapter"):
                del out[k:]
                dropped += 1
            in_toc = True
            continue
        if in_toc and len(t) <= 40 and "。" not in t:
            head = re.sub(rf"^(?:第{_SP}*{_NUM}{_SP}*[条章節]?|{_DIG}+[.．]?|[（(][^）)]{{1,3}}[)）]){_SP}+", "", t)
            head = re.sub(r"\s+", "", head)
            if len(head) >= 2 and full_text.find(head, starts[i] + len(t) + 1) != -1:
                dropped += 1
                continue
        in_toc = False
        out.append(tok)
    return out, dropped


def _page_no_line(tok: _Tok) -> bool:
    return tok.kind == "line" and not tok.heading and bool(_RE_PAGE_NO.match(tok.text))


def _drop_running_lines(tokens: list[_Tok]) -> tuple[list[_Tok], list[tuple[str, int]]]:
    """Text copied out of a PDF keeps each page's header and footer ("南風町　…遵守事項　令和７年４月１日"
    above, "- 2 -" below): a line that is no sentence, recurs, and sits next to a page number at least
    once is the page's furniture, wherever it recurs."""
    pages = [i for i, t in enumerate(tokens) if _page_no_line(t)]
    if not pages:
        return tokens, []
    lines = [i for i, t in enumerate(tokens) if t.kind == "line" and not t.heading]
    pos = {i: k for k, i in enumerate(lines)}
    key = {i: re.sub(r"\s+", "", tokens[i].text) for i in lines}
    seen: dict[str, int] = {}
    for i in lines:
        seen[key[i]] = seen.get(key[i], 0) + 1
    running: set[str] = set()
    for i in pages:
        k = pos[i]
        for j in lines[max(0, k - 2):k] + lines[k + 1:k + 3]:
            t = tokens[j].text
            if seen[key[j]] >= 2 and "。" not in t and len(t) <= 60 and not _page_no_line(tokens[j]) \
                    and _classify(t).kind == "text":
                running.add(key[j])
    if not running:
        return tokens, []
    out = [t for i, t in enumerate(tokens) if not (i in key and key[i] in running)]
    shown = {key[i]: tokens[i].text for i in lines if key[i] in running}
    return out, [(shown[k], seen[k]) for k in sorted(running)]


# Columns that say what their cells are (「してはいけないこと」「NG例」 / 「OK例」「してよいこと」): each cell line is a
# rule read with its column's name, which the verdict reads as its lead-in (knowledge/verdict.py, COLUMN_NAMES)
# (the names as written, or ending a longer name: 「作業場所でしてはいけないこと」)
_RE_SAYING_COLUMN = re.compile(rf"^(?:{COLUMN_NAMES})$|(?:しては|やっては|行っては)(?:いけない|ならない)(?:こと)?$"
                               r"|(?:しても|して|やって)(?:よい|良い|いい)(?:こと)?$", re.I)


# Columns that say who acts in their cells (「場面 | やること」: the worker; 「違反の内容 | 市がとる措置」: the city). A PDF
# keeps such a row of names over its table (knowledge/readers/pdf.py), which it otherwise drops
_RE_ACTOR_COLUMN = re.compile(rf"^(?:{ACTOR_COLUMNS})$")


# A wiki's or an intranet page's own record (「最終更新: 2025-06-02 / 編集: 業務管理チーム」): no rule, and no part of
# the sentence after it
_RE_PAGE_META = re.compile(r"^(?:最終更新日?|更新日|作成日|最終編集|編集者?|作成者)\s*[:：]\s*\S[^。]*$")


def _drop_page_meta(tokens: list[_Tok]) -> list[_Tok]:
    return [t for t in tokens if not (t.kind == "line" and not t.heading and _RE_PAGE_META.match(t.text))]


_RE_NOTES_HEAD = re.compile(r"^[（(【]?(?:注|注記|注意事項|備考)[）)】]?[:：]?$")
_RE_NOTE_NUMBER = re.compile(r"^([0-9０-９]{1,2})[\s\u3000.．、)）]+(.+)$")


def _numbered_notes(tokens: list[_Tok]) -> list[_Tok]:
    """「（注）」 over 「１　確認欄には…」「２　…」: the notes of a checklist or a table, written 「（注１）…」 so they are
    cited as notes (※1, ※2), not as sections 1, 2 beside the checklist's own rows 1, 2."""
    out: list[_Tok] = []
    notes = False
    for tok in tokens:
        if tok.kind == "line" and not tok.heading and _RE_NOTES_HEAD.match(tok.text.replace(" ", "").replace("\u3000", "")):
            notes = True
            continue
        if notes and tok.kind == "blank":
            out.append(tok)
            continue
        m = _RE_NOTE_NUMBER.match(tok.text) if notes and tok.kind == "line" and tok.li is None else None
        if m:
            out.append(replace(tok, text=f"（注{m.group(1)}）{m.group(2)}"))
            continue
        notes = False
        out.append(tok)
    return out


def _column_tables(tokens: list[_Tok]) -> list[_Tok]:
    """A table whose columns name what their cells are (区分 | してよいこと | してはいけないこと, OK例 | NG例): each line
    of such a cell becomes an item of its row, its column's name before it (「してはいけないこと：作業場所外への持出し」),
    so a 「…机に置いておく。」 under NG例 is read as the prohibition it is. A <th> row naming other columns goes."""
    out: list[_Tok] = []
    names: list[str] | None = None
    n = 0
    column: str | None = None        # a one-column table's name (「禁止行為」 over its cells), its cells to come
    for i, tok in enumerate(tokens):
        if column is not None:
            if _one_column_cell(tok):
                out.append(_Tok("line", f"・{column}：{tok.text}"))
                continue
            column = None
        if _one_column_name(tokens, i):
            column = tok.text.strip()
            continue
        if tok.kind == "row" and tok.header:
            cols = [tok.label] + [t.text for t in tok.cells]
            names = cols if any(_RE_SAYING_COLUMN.search(c.strip()) for c in cols) else None
            n = 0
            continue
        if tok.kind == "row" and names is None and not tok.header and (not out or out[-1].kind != "row"):
            cols = [tok.label] + [t.text for t in tok.cells if t.kind == "line"]
            if len(cols) >= 2 and all(len(c) <= 12 and "。" not in c for c in cols) \
                    and any(_RE_SAYING_COLUMN.search(c.strip()) for c in cols):
                names, n = cols, 0          # 「区分<TAB>してよいこと<TAB>してはいけないこと」 from Word or text
                continue
        if tok.kind != "row" or names is None:
            if tok.kind != "blank":
                names = None
            out.append(tok)
            continue
        n += 1
        cells = [[_Tok("line", tok.label)] if tok.label else []] + _cell_groups(tok)
        if len(cells) != len(names):
            out.append(tok)
            continue
        first = names[0].strip()
        label = str(n) if _RE_SAYING_COLUMN.search(first) else tok.label
        items: list[_Tok] = []
        for name, cell in zip(names, cells):
            name = name.strip()
            if cell is cells[0] and not _RE_SAYING_COLUMN.search(name):
                continue
            for t in cell:
                text = re.sub(r"^[・●○■◆◇]\s*", "", t.text.strip())
                if text:
                    items.append(_Tok("line", f"・{name}：{text}"))
        out.append(_Tok("row", label=label, cells=items, group=tok.group))
    return out


def _one_column_cell(tok: _Tok) -> bool:
    """A cell of a one-column table as a line of its own: a short phrase, no sentence, no number or mark."""
    s = tok.text.strip()
    return tok.kind == "line" and not tok.heading and tok.li is None and 2 <= len(s) <= 40 \
        and not re.search(r"[。：:]", s) and _classify(s).kind == "text" and not _RE_SKIP.match(s)


def _one_column_name(tokens: list[_Tok], i: int) -> bool:
    """「禁止行為」 alone on its line over two or more phrases (a one-column table printed to PDF, its rules drawn
    away, or one written as lines): the column's name says what its cells are, as in a table of several columns
    (「・禁止行為：私用メールの送信」). Not a heading, and not over sentences (「禁止事項」 over rules of its own)."""
    tok = tokens[i]
    if tok.kind != "line" or tok.heading or tok.li is not None or not _RE_SAYING_COLUMN.search(tok.text.strip()) \
            or len(tok.text.strip()) > 20:
        return False
    cells = 0
    for nxt in tokens[i + 1:]:
        if not _one_column_cell(nxt):
            break
        cells += 1
    return cells >= 2


def _drop_header_rows(tokens: list[_Tok]) -> list[_Tok]:
    """A table's first row naming its columns (「番号 | 内容」, 「区分 | 遵守事項」): short words over
    rows of sentences. The rows are the rules; the column names are not."""
    out = []
    for i, tok in enumerate(tokens):
        if tok.kind == "row" and (i == 0 or tokens[i - 1].kind != "row") and i + 1 < len(tokens) \
                and tokens[i + 1].kind == "row":
            words = [tok.label] + [t.text for t in tok.cells if t.kind == "line"]
            below = [t.text for r in tokens[i + 1:i + 4] if r.kind == "row" for t in r.cells if t.kind == "line"]
            if len(words) >= 2 and all(len(w) <= 10 and "。" not in w for w in words) \
                    and (any("。" in b for b in below) or sum(bool(_RE_COLUMN_NAME.match(w)) for w in words) >= 2):
                continue
        out.append(tok)
    return out


def _numbered_rows(tokens: list[_Tok]) -> list[_Tok]:
    """Rows of a table typed as lines of cells (Word, tab-separated text) whose column after a 区分 numbers each rule
    within it (「総則<TAB>1-1<TAB>…」, 「<TAB>3-4<TAB>…」 where Word leaves a merged 区分 empty): as _number_column finds for a
    web page or a sheet, every cell of the column holding something holds such a number (at least two 「3-4」), and
    the rows with text but no number there are fewer than half the numbered ones. A numbered row's label is then its
    number, the 区分 its group and the cells after the number its text; a row with the number cell empty (an item
    「(1)…」 or a note 「※…」 of the row above) stays as it is."""
    out = list(tokens)
    i = 0
    while i < len(out):
        if out[i].kind != "row" or not out[i].slots or out[i].group:
            i += 1
            continue
        j = i
        while j < len(out) and out[j].kind in ("row", "line") and out[j].slots and not out[j].group:
            j += 1              # (a line cut from a Word row, 「<TAB><TAB>(1)…」, is a row of the run too)
        run = [t for t in out[i:j] if not _RE_COLUMN_NAME.match(t.slots[min(1, len(t.slots) - 1)] or "")]
        width = max(len(t.slots) for t in run) if run else 0
        for k in range(1, max(1, width - 1)):
            nums = [(t.slots[k] if len(t.slots) > k else "").replace(" ", "") for t in run]
            if sum(1 for n in nums if _RE_CELL_SUBNUMBER.fullmatch(n)) < 2 \
                    or not all(not n or _RE_CELL_SUBNUMBER.fullmatch(n) or _RE_CELL_NUMBER.fullmatch(n) for n in nums):
                continue
            loose = sum(1 for t, n in zip(run, nums) if not n and sum(1 for c in t.slots if c) > 1
                        and (next((c for c in t.slots[k + 1:] if c), None) is not None)
                        and _classify(next(c for c in t.slots[k + 1:] if c)).kind != "marker")
            if loose * 2 >= sum(1 for n in nums if n):
                continue
            group = ""
            for n in range(i, j):
                t = out[n]
                num = (t.slots[k] if len(t.slots) > k else "").strip()
                if t.kind != "row" or not num or _RE_COLUMN_NAME.match(t.slots[min(1, len(t.slots) - 1)] or ""):
                    continue
                group = " ".join(c for c in t.slots[:k] if c) or group
                # the cells up to the number, the first of them the label (Word's row drops the empty cells before it)
                before = sum(1 for c in t.slots[:k + 1] if c) - (1 if t.label else 0)
                body: list[_Tok] = []
                for g in _cell_groups(t, by_cell=True)[before:]:
                    if body:
                        body.append(_CELL_GAP)
                    body.extend(g)
                out[n] = _Tok("row", label=num, cells=body, group=group, slots=t.slots)
            break
        i = j
    return out


# a contract's closing formula: 「本書２通を作成し、当事者記名押印の上、各自１通を保有する。」
_RE_CLOSING = re.compile(rf"本書{_SP}*{_NUM}{_SP}*通を?作成し|(?:記名|署名)(?:押印|捺印)の?上")


def _drop_contract_closing(tokens: list[_Tok]) -> tuple[list[_Tok], int]:
    """The contract's closing sentence and the signature block under it (date to fill in, 住所,
    氏名 … 印 of each party): no rule, and not to be read into the last article. It ends at the next
    article, heading or part (「別記」 and the 特記事項 that follow it)."""
    out: list[_Tok] = []
    dropped = i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.kind == "line" and len(tok.text) <= 120 and _RE_CLOSING.search(tok.text):
            j = i + 1
            while j < len(tokens):
                t = tokens[j]
                if t.kind != "blank":
                    s = _tok_text(t)
                    if (t.kind == "line" and (t.heading or _RE_APPENDIX.match(s) or _classify(s).kind not in ("text", "skip"))) \
                            or "。" in s or len(s) > 40:
                        break
                j += 1
            dropped += sum(1 for t in tokens[i:j] if t.kind != "blank")
            out.append(_BLANK)
            i = j
            continue
        out.append(tok)
        i += 1
    return out, dropped


def _drop_signature(tokens: list[_Tok]) -> tuple[list[_Tok], int]:
    """The date and the issuing office printed after the last rule ("令和７年３月２５日" /
    "青葉市総務局情報システム課"): no rule, and not to be joined to the last one."""
    j = len(tokens)
    while j > 0 and (tokens[j - 1].kind == "blank" or (
            tokens[j - 1].kind == "line" and "。" not in tokens[j - 1].text and len(tokens[j - 1].text) <= 40
            and not tokens[j - 1].heading and _classify(tokens[j - 1].text).kind in ("text", "skip"))):
        j -= 1
    dates = [i for i in range(j, len(tokens)) if tokens[i].kind == "line" and _RE_DATE_ONLY.match(tokens[i].text)]
    if not dates:
        contact = _contact_block(tokens)
        if contact is not None:
            return tokens[:contact], sum(1 for t in tokens[contact:] if t.kind == "line" and not _page_no_line(t))
        return _drop_signature_table(tokens)
    cut = dates[0]
    return tokens[:cut], sum(1 for t in tokens[cut:] if t.kind == "line" and not _page_no_line(t))


# a line giving a way to reach someone (「TEL: 0XXX-12-3456（内線 2418）」「E-mail: …@…」「問い合わせ先: …」)
_RE_REACH = re.compile(r"(?:TEL|Tel|tel|電話|FAX|Fax|ファクス|ファックス)\s*[:：]?\s*[0-9０-９(（]|(?:E-?mail|e-?mail|メール)\s*[:：]|"
                         r"[A-Za-z0-9._-]+@[A-Za-z0-9.-]+\.[a-z]{2,}|内線\s*[0-9０-９]|^(?:お?問い?合わ?せ先?|連絡先)\s*[:：]")
# 「ご不明な点がありましたら、下記までご連絡ください。」: the invitation to write, over the sender's block
_RE_CONTACT_LEAD = re.compile(r"(?:不明な点|ご質問|お問い?合わ?せ)[^。]{0,30}(?:連絡|問い?合わ?せ)[^。]{0,10}ください。$")
_RE_RULE_WORDS = re.compile(r"こと$|ならない|しない|すること|禁止|承認|許可")
_RE_SEPARATOR = re.compile(r"^[-=―━─＿_＝~～]{3,}$")     # a rule of 「―――」 drawn across
_RE_CONTACT_LABEL = re.compile(r"^[【［\[]?(?:お?問い?合わ?せ先?|連絡先|担当)[】］\]]?(?:[ \u3000]|[:：]|$)"
                                # a city page printed to PDF: its contact box and the site's footer under it
                                r"|^このページ(?:に関する|について)の?お?問い?合わ?せ(?:先)?$")


def _contact_block(tokens: list[_Tok]) -> int | None:
    """Where the sender's contact block at the end of a notice or an e-mail starts, with the invitation to write over
    it; None when the attachment does not end with one. The block is announced as a signature is: by a rule of
    「━━━」「―――」「---」 or 「以上」 right over it, or a first line 「【問合せ先】」「問い合わせ先: …」. Its lines are short, none
    of them a rule or a list item, and one of them reaches someone (TEL, E-mail, 内線). A 「連絡先：…内線1234」 item of a
    handbook's 「わからないときは」 list, or a reporting route in a chart, is the attachment's own and stays."""
    ends = [i for i, t in enumerate(tokens) if t.kind != "blank"]

    def part(t: _Tok) -> bool:
        return t.kind == "line" and not t.heading and "。" not in t.text and len(t.text) <= 80 \
            and not _RE_RULE_WORDS.search(t.text) and (_RE_SEPARATOR.match(t.text) or _classify(t.text).kind in ("text", "skip"))
    k = len(ends)
    while k > 0 and part(tokens[ends[k - 1]]) and len(ends) - k < 12:
        k -= 1
    block = ends[k:]
    reach = [n for n, i in enumerate(block) if _RE_REACH.search(tokens[i].text)]
    if not reach:
        return None
    # from the rule or the label nearest over the first line that reaches someone
    marks = [n for n in range(reach[0] + 1) if _RE_SEPARATOR.match(tokens[block[n]].text)
             or _RE_CONTACT_LABEL.match(tokens[block[n]].text)]
    if marks:
        # (the office named on the line right over a 「担当：…」 label is the sender's too)
        start = marks[-1]
        if start > 0 and _RE_CONTACT_LABEL.match(tokens[block[start]].text) and len(tokens[block[start - 1]].text) <= 40 \
                and not _RE_SEPARATOR.match(tokens[block[start - 1]].text):
            start -= 1
        cut = block[start]
    else:
        before = [i for i in ends if i < block[0]]
        if not before or not re.fullmatch(rf"以{_SP}*上", tokens[before[-1]].text.strip()) or reach[0] > 3:
            return None
        cut = block[0]
    before = [i for i in ends if i < cut]
    if before and tokens[before[-1]].kind == "line" and _RE_CONTACT_LEAD.search(tokens[before[-1]].text):
        cut = before[-1]
    return cut


# the sentence that introduces the parties' signatures: 「以上の要件について、発注者及び受注者は次のとおり確認した。」
_RE_SIGN_LEAD = re.compile(r"(?:次|下記|以下|上記|以上)の?(?:とおり|通り|内容|事項|要件)?[^。]{0,20}"
                           r"(?:確認|合意|同意|承諾)(?:した|しました|します)。$")


def _drop_signature_table(tokens: list[_Tok]) -> tuple[list[_Tok], int]:
    """Signature fields at the end with no date written in (a table of 発注者／受注者, 所在地, 代表者, 氏名　印,
    「年　月　日」 to fill in): from the first of them to the end, no rule, and the sentence right before them that
    introduces them (「…次のとおり確認した。」) goes with them."""
    j = len(tokens)
    while j > 0 and (tokens[j - 1].kind == "blank" or not tokens[j - 1].heading and (
            tokens[j - 1].kind == "row" and all("。" not in x and len(x) <= 40 for x in
                                                [tokens[j - 1].label] + [c.text for c in tokens[j - 1].cells])
            or tokens[j - 1].kind == "line" and "。" not in tokens[j - 1].text and len(tokens[j - 1].text) <= 40
            and _classify(tokens[j - 1].text).kind in ("text", "skip"))):
        j -= 1
    fields = [i for i in range(j, len(tokens)) if tokens[i].kind != "blank" and _is_blank_field(tokens[i])]
    # a name to sign (氏名, 印) and a date to fill in, or two names: a signature block, not a last short rule
    if len(fields) < 2 or not any(re.search(rf"氏{_SP}*名|印$|㊞|署{_SP}*名", _tok_text(tokens[i])) for i in fields):
        return tokens, 0
    rows = [i for i in range(j, len(tokens)) if tokens[i].kind == "row"]
    cut = min(fields + rows)
    k = cut - 1
    while k >= 0 and tokens[k].kind == "blank":
        k -= 1
    if k >= 0 and tokens[k].kind == "line" and not tokens[k].heading and _RE_SIGN_LEAD.search(tokens[k].text) \
            and _classify(tokens[k].text).kind == "text":
        cut = k
    return tokens[:cut], sum(1 for t in tokens[cut:] if t.kind != "blank" and not _page_no_line(t))


def _wrap_width(tokens: list[_Tok]) -> int | None:
    """The width a text was broken at, when its lines were broken at a fixed width (a text copied
    out of a PDF, a file saved with line breaks): most long lines end within a few columns of it.
    None when every line is a paragraph of its own (Word, a web page, a PDF read by its layout)."""
    widths = sorted((_width(t.text) for t in tokens if t.kind == "line" and not t.heading), reverse=True)
    widths = [w for w in widths if w >= 40]
    if len(widths) < 5:
        return None
    best, size = None, 0
    for x in set(widths):
        k = sum(1 for w in widths if x - 4 <= w <= x)
        if k > size:
            best, size = x, k
    return best if size >= 5 and size >= 0.4 * len(widths) else None


def _sentence_before(tokens: list[_Tok], i: int) -> str:
    """The text of the lines before ``tokens[i]`` back to the start of their sentence (a lead-in broken
    over lines: 「…次に掲げる行為を」 / 「してはならない。」)."""
    parts: list[str] = []
    j = i - 1
    while j >= 0 and tokens[j].kind == "blank":
        j -= 1
    while j >= 0 and tokens[j].kind == "line" and len(parts) < 6:
        parts.insert(0, tokens[j].text)
        j -= 1
        if j < 0 or tokens[j].kind != "line" or _terminated(tokens[j].text) or tokens[j].heading:
            break
    return "".join(parts)


def _mark_bare_headings(tokens: list[_Tok]):
    """A short line with no number between a finished sentence and the sentences under it ("補則",
    "情報の取扱い") is a heading: its own section, not a paragraph of the section before."""
    def near(i, step):
        i += step
        while 0 <= i < len(tokens) and tokens[i].kind == "blank":
            i += step
        return tokens[i] if 0 <= i < len(tokens) else None
    for i, tok in enumerate(tokens):
        if tok.kind != "line" or tok.heading or tok.li is not None:
            continue
        s = tok.text
        if not (2 <= len(s) <= 20) or re.search(r"[。、，,：:]", s) or re.fullmatch(rf"[0-9０-９{_SP}]+", s) \
                or _classify(s).kind != "text" or _RE_DATE_ONLY.match(s) or _RE_APPENDIX.match(s) \
                or _RE_GENERIC_HEAD.match(s) or _RE_SKIP.match(s) or _is_blank_field(tok) or _form_title_at(tok):
            continue
        prev, nxt = near(i, -1), near(i, 1)
        if prev is None or nxt is None or prev.kind != "line" or not prev.text.rstrip().endswith("。") \
                or _lead_in(_sentence_before(tokens, i)):
            continue
        if nxt.kind != "line" or nxt.heading or _classify(nxt.text).kind not in ("text", "marker", "numbered") \
                or ("。" not in nxt.text and len(nxt.text) < 20):
            continue
        tok.heading = 7


def _mark_title_marks(tokens: list[_Tok]):
    """「■基本事項」「■使用者情報の取扱い」 (a Word file's sections, no numbers): a mark the document puts only before
    short titles, each with text under it, heads a section; it is no item holding the lines after it (the 「・…」 and
    「（１）…」 under it are the section's). Not a mark that also stands before sentences, nor one after a lead-in
    (「次の行為は禁止します。」 over 「■私物の使用」: items), nor lines of it running three or more in a row (a list)."""
    def near(i, step):
        i += step
        while 0 <= i < len(tokens) and tokens[i].kind == "blank":
            i += step
        return tokens[i] if 0 <= i < len(tokens) else None
    marked: dict[str, list[int]] = {}
    for i, tok in enumerate(tokens):
        if tok.kind == "line" and not tok.heading and tok.li is None and tok.text[:1] in _TITLE_MARKS:
            marked.setdefault(tok.text[0], []).append(i)
    for mark, at in marked.items():
        titles = [tokens[i].text[1:].strip(" \u3000\t") for i in at]
        # 「◆１　総則」「■２．受付体制」: the mark only dresses a numbered section's title; without it the number is read
        # as the section's, as in 「１　総則」
        if len(at) >= 2 and all(re.fullmatch(rf"{_DIG}{{1,2}}(?:[ \u3000]+|[.．][ \u3000]*)[^。、，,：:.．]{{2,30}}", t)
                                for t in titles):
            for i, t in zip(at, titles):
                tokens[i].text = t
            continue
        if len(at) < 2 or not all(2 <= len(t) <= 30 and not re.search(r"[。、，,：:]", t) and _classify(t).kind == "text"
                                  for t in titles):
            continue
        before = [near(i, -1) for i in at]
        if any(b is not None and b.kind == "line" and _lead_in(b.text) for b in before):
            continue
        run = longest = 0
        for k in range(len(at)):
            run = run + 1 if k and near(at[k], -1) is tokens[at[k - 1]] else 1
            longest = max(longest, run)
        if longest >= 3 or near(at[-1], 1) is None:
            continue
        for i, t in zip(at, titles):
            tokens[i].text, tokens[i].heading = t, 7


# An FAQ written as a question line and its answer line (「Q1　…よいですか。」「A　いいえ。…」, 「問３」「答」):
# one unit, so the answer (the rule) is found by the words people ask with and shown with its question.
_FAQ_Q = re.compile(r"^(?:[QＱ]|問|質問)\s*[0-9０-９]{0,3}\s*(?:[:：.．、]|[ \u3000])\s*(?=[^\x00-\x7f])")
_FAQ_A = re.compile(r"^(?:[AＡ]|答|回答)\s*[0-9０-９]{0,3}\s*(?:[:：.．、]|[ \u3000])\s*(?=[^\x00-\x7f])")


def _join_faq(tokens: list[_Tok]) -> list[_Tok]:
    out: list[_Tok] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        j = i + 1
        while j < len(tokens) and tokens[j].kind == "blank" and tokens[j].text != "cell":
            j += 1
        if (tok.kind == "line" and not tok.heading and _FAQ_Q.match(tok.text) and not _FAQ_A.search(tok.text[1:])
                and j < len(tokens) and tokens[j].kind == "line" and not tokens[j].heading
                and _FAQ_A.match(tokens[j].text)):
            out.append(_Tok("line", f"{tok.text}　{tokens[j].text}", li=tok.li, ol=tok.ol, indent=tok.indent))
            i = j + 1
            continue
        out.append(tok)
        i += 1
    return out


# An e-mail's earlier message below the reply: 「-----Original Message-----」「---------- Forwarded message ---------」,
# 「On Tue, Jun 2, 2026 at 5:18 PM 三枝 <…> wrote:」「2026年6月2日(火) 17:18 三枝 <…>:」 over quoted lines
_RE_EARLIER_MESSAGE = re.compile(r"^\s*-{2,}\s*(?:Original Message|Forwarded message|元のメッセージ|転送(?:された)?メッセージ)\s*-{2,}\s*$"
                                 r"|^\s*On .{4,120} wrote:\s*$|^.{4,120}(?:は|が)書きました[:：]\s*$", re.I)
_RE_QUOTED = re.compile(r"^[ \t]*[>＞]")
_RE_FRAME_RULE = re.compile(r"^[ \t\u3000]*[━─―=＝\-－_＿~～*＊]{8,}[ \t\u3000]*$")
_RE_AFTER_END = re.compile(r"^[ \t\u3000]*(?:別表|別紙|別記|様式|付録|附則)")
_RE_QUOTED_RULE = re.compile(r"こと[。.]|ならない|禁止|厳禁|できる|とする[。.]|しない[。.]|承認|許可|第[0-9０-９]+条")


def _rule_lines(lines: list[str]) -> int:
    return sum(1 for x in lines if _RE_QUOTED_RULE.search(x))


def _mail_thread(text: str) -> str:
    """The rules as a city pasted them into an e-mail, without the rest of the thread. Only in a text that opens with an
    e-mail's header (件名: / 差出人: …): the earlier message below 「-----Original Message-----」 when the reply above
    it holds the rules (a forwarded notice, the rules below, stays), blocks of 「> 」 lines with no rule in them (the
    correspondent's question), and, when the rules were framed by rules of 「━━━」, what follows 「以上」 and the closing
    frame (the reply and the sender's signature)."""
    lines = text.split("\n")
    head = [x for x in lines[:8] if x.strip()]
    if sum(1 for x in head if _RE_MAIL_HEAD.match(x.strip())) < 2:     # (as the title reads a mail's subject)
        return text
    kept = lines
    for i, ln in enumerate(lines):
        if _RE_EARLIER_MESSAGE.match(ln):
            above = _rule_lines(lines[:i])
            if above >= 3 and above >= _rule_lines(lines[i + 1:]):
                kept = lines[:i]
            break
    out, k = [], 0
    while k < len(kept):
        if _RE_QUOTED.match(kept[k]):
            j = k
            while j < len(kept) and _RE_QUOTED.match(kept[j]):
                j += 1
            if _rule_lines(kept[k:j]):
                out.extend(kept[k:j])
            k = j
            continue
        out.append(kept[k])
        k += 1
    kept = out
    frames = [i for i, ln in enumerate(kept) if _RE_FRAME_RULE.match(ln)]
    for f in frames:
        before = [ln.strip(" \t\u3000") for ln in kept[:f] if ln.strip()]
        if frames[0] < f and before and re.fullmatch(r"以[ \u3000]*上", before[-1]) \
                and not any(_RE_AFTER_END.match(ln) for ln in kept[f + 1:]):
            kept = kept[:f]
            break
    return "\n".join(kept)
