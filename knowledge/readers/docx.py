"""Word (.docx): paragraphs and tables in order, with Word's automatic numbering written out.

Cities' Word files often hold 「第1条」「(1)」「ア」 not in the text but in ``word/numbering.xml``
(``w:numPr`` on the paragraph or its style, level formats such as ``第%1条`` or ``（%2）`` in
aiueoFullWidth). A reader sees the numbers, so the numbers are generated here the way Word counts
them. Manual line breaks (``w:br``) inside a sentence are joined. A paragraph without a number
starts with its indentation (``w:ind``) as full-width spaces, as a text copy shows it: the parser
tells the items a lead-in introduces from the text after them by it. Read with lxml (already there
through python-docx) straight from the zip, so no Word or LibreOffice is needed.
"""
from __future__ import annotations

import html
import re
import zipfile
from io import BytesIO

from lxml import etree

from knowledge.parser import _ANCHOR_MARK as ANCHOR_MARK
from knowledge.parser import _HEADING_MARK as HEADING_MARK
from knowledge.parser import _amended_columns, _placeholder_cell
from knowledge.readers import LoadRefused, Reading

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_KANA = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
_IROHA = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセスン"
_FW = str.maketrans("0123456789", "０１２３４５６７８９")
_KANJI = "〇一二三四五六七八九"
_TERMINATED = ("。", "．", "」", "）", ")", "：", ":")


def _kanji(n: int) -> str:
    if n <= 0:
        return str(n)
    out = ""
    for unit, ch in ((1000, "千"), (100, "百"), (10, "十")):
        q, n = divmod(n, unit)
        if q:
            out += ("" if q == 1 else _KANJI[q]) + ch
    return out + (_KANJI[n] if n else "")


def _roman(n: int) -> str:
    vals = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
            (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
    out = ""
    for v, s in vals:
        while n >= v:
            out, n = out + s, n - v
    return out


def format_number(n: int, fmt: str) -> str:
    """One counter in a Word number format (the ones Japanese documents use, and the common rest)."""
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(_FW)
    if fmt in ("aiueoFullWidth", "aiueo"):
        return _KANA[(n - 1) % len(_KANA)]
    if fmt in ("irohaFullWidth", "iroha"):
        return _IROHA[(n - 1) % len(_IROHA)]
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else f"({n})"
    if fmt == "decimalEnclosedParen":
        return f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return f"{n}."
    if fmt in ("ideographDigital", "japaneseCounting", "chineseCounting", "chineseCountingThousand",
               "japaneseDigitalTenThousand", "ideographLegalTraditional", "japaneseLegal"):
        return _kanji(n)
    if fmt == "ideographTraditional":
        return "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10]
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


def count(counters: dict[int, int], level: int, start: int, at: int | None = None,
          restarts: dict[int, int | None] | None = None) -> None:
    """The next number of a list level (``at``: set to this number instead), as Word and LibreOffice count:
    a new number restarts the levels below it, unless a level says otherwise (``restarts``: Word's
    w:lvlRestart, 0 = never, N = only after a number of level N or above, 1-based; 第%2条 that runs on
    through the chapters 第%1章). Shared by the Word, .doc and .odt readers."""
    counters[level] = at if at is not None else counters.get(level, start - 1) + 1
    for deeper in [k for k in counters if k > level]:
        after = (restarts or {}).get(deeper)
        if after is None or (after > 0 and level + 1 <= after):
            del counters[deeper]


class _Numbering:
    """Word's list counters: per abstract list, level by level, with restarts and overrides."""

    def __init__(self, numbering_xml: bytes | None, styles_xml: bytes | None):
        self.levels: dict[str, dict[int, dict]] = {}
        self.restarts: dict[str, dict[int, int | None]] = {}     # abstract list -> level -> w:lvlRestart
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.style_num: dict[str, tuple[str | None, int]] = {}
        self.style_ind: dict[str, float] = {}     # paragraph style -> where its first line starts, in characters
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        if numbering_xml:
            root = etree.fromstring(numbering_xml)
            for an in root.iter(W + "abstractNum"):
                aid = an.get(W + "abstractNumId")
                lv = {}
                for lvl in an.iter(W + "lvl"):
                    lv[int(lvl.get(W + "ilvl", "0"))] = {
                        "start": int(_val(lvl.find(W + "start"), "1") or 1),
                        "fmt": _val(lvl.find(W + "numFmt"), "decimal"),
                        "text": _val(lvl.find(W + "lvlText"), ""),
                        "suff": _val(lvl.find(W + "suff"), "tab"),
                        "restart": _int(_val(lvl.find(W + "lvlRestart"), None), None),
                    }
                self.levels[aid] = lv
                self.restarts[aid] = {k: v["restart"] for k, v in lv.items()}
            for num in root.iter(W + "num"):
                nid = num.get(W + "numId")
                aid = _val(num.find(W + "abstractNumId"), None)
                overrides = {}
                for ov in num.iter(W + "lvlOverride"):
                    so = ov.find(W + "startOverride")
                    if so is not None:
                        overrides[int(ov.get(W + "ilvl", "0"))] = int(_val(so, "1"))
                self.nums[nid] = (aid, overrides)
        if styles_xml:
            root = etree.fromstring(styles_xml)
            based: dict[str, str] = {}
            own: dict[str, tuple[str | None, int]] = {}
            for st in root.iter(W + "style"):
                sid = st.get(W + "styleId")
                b = st.find(W + "basedOn")
                if b is not None:
                    based[sid] = _val(b, "")
                np_ = st.find(f"{W}pPr/{W}numPr")
                if np_ is not None:
                    own[sid] = (_val(np_.find(W + "numId"), None), int(_val(np_.find(W + "ilvl"), "0") or 0))
            inds: dict[str, float] = {}
            for st in root.iter(W + "style"):
                left = _line_start(st.find(f"{W}pPr/{W}ind"))
                if left is not None:
                    inds[st.get(W + "styleId")] = left
            for sid in list(based) + list(own) + list(inds):
                for table, out in ((own, self.style_num), (inds, self.style_ind)):
                    cur = _nearest_style(sid, table, based)
                    if cur is not None:
                        out[sid] = table[cur]

    def label(self, num_id: str | None, ilvl: int) -> tuple[str, str]:
        """(the number as shown, separator) for the next paragraph of that list level."""
        if not num_id or num_id == "0" or num_id not in self.nums:
            return "", ""
        aid, overrides = self.nums[num_id]
        levels = self.levels.get(aid or "", {})
        if ilvl not in levels:
            return "", ""
        counters = self.counters.setdefault(aid, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for lvl, start in overrides.items():
                counters[lvl] = start - 1
        lv = levels[ilvl]
        count(counters, ilvl, lv["start"], restarts=self.restarts.get(aid or ""))
        if lv["fmt"] == "bullet":
            return "・", " "
        shown = re.sub(r"%(\d)", lambda m: format_number(
            counters.get(int(m.group(1)) - 1, levels.get(int(m.group(1)) - 1, {"start": 1})["start"]),
            levels.get(int(m.group(1)) - 1, lv)["fmt"]), lv["text"])
        return shown, "" if lv["suff"] == "nothing" else "　"


def _nearest_style(sid: str, table: dict, based: dict[str, str]) -> str | None:
    """The style itself or the nearest one it is based on (``w:basedOn``) that has an entry in table."""
    cur, seen = sid, set()
    while cur and cur not in table and cur not in seen:
        seen.add(cur)
        cur = based.get(cur)
    return cur if cur in table else None


def _val(el, default):
    return el.get(W + "val", default) if el is not None else default


def _line_start(ind) -> float | None:
    """Where a ``w:ind`` starts a paragraph's first line, in characters: the left edge plus the first
    line's indent or minus its hanging indent (``…Chars`` in hundredths of a character, else twips
    at 10.5 pt). That is where a text copy of the page shows the line starting."""
    if ind is None:
        return None

    def get(chars: str, twips: str) -> float | None:
        for attr, unit in ((chars, 100), (twips, 210)):
            v = ind.get(W + attr)
            if v is not None:
                try:
                    return int(v) / unit
                except ValueError:
                    return None
        return None

    left = get("leftChars", "left")
    if left is None:
        left = get("startChars", "start")
    first, hanging = get("firstLineChars", "firstLine"), get("hangingChars", "hanging")
    if left is None and first is None and hanging is None:
        return None
    return (left or 0) + (first or 0) - (hanging or 0)


def _indentation(p, numbering: "_Numbering") -> str:
    """Where a paragraph's lines start, written as leading full-width spaces the way a text shows it:
    the items a lead-in introduces (「次に掲げる行為をしてはならない。」) are often paragraphs indented under
    it with no number, and the paragraph back at the left edge after them is not one of them."""
    ppr = p.find(W + "pPr")
    left = _line_start(ppr.find(W + "ind")) if ppr is not None else None
    if left is None and ppr is not None:
        left = numbering.style_ind.get(_val(ppr.find(W + "pStyle"), None) or "")
    return "\u3000" * max(0, min(20, round(left or 0)))


MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Never shown in the final text: tracked deletions and the old place of moved text, a floating text
# box's VML copy for old readers (mc:Fallback repeats mc:Choice), a ruby's reading above its word,
# field codes, and the paragraph's and run's properties.
_SKIP = {W + "del", W + "delText", W + "moveFrom", W + "rt", W + "instrText", W + "pPr", W + "rPr", MC + "Fallback"}


class _Ctx:
    """What a paragraph needs besides itself: the list counters and the document's footnotes."""

    def __init__(self, numbering: "_Numbering", notes: dict[str, str] | None = None):
        self.numbering = numbering
        self.notes = notes or {}
        self.note_no = 0
        self.amended_dropped = 0        # the 改正前 cells of a 新旧対照表, left out


def _collect(el, parts: list[str], boxes: list, refs: list[str]):
    for ch in el:
        tag = ch.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == W + "txbxContent":           # a text box: its paragraphs follow the one it is anchored in
            boxes.append(ch)
        elif tag == W + "t":
            if not _hidden(ch):
                parts.append(ch.text or "")
        elif tag == W + "tab":
            parts.append("　")
        elif tag in (W + "br", W + "cr"):
            if ch.get(W + "type") in (None, "textWrapping"):
                parts.append("\n")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
        elif tag == W + "footnoteReference":
            refs.append(ch.get(W + "id", ""))
        elif tag == W + "endnoteReference":
            refs.append("e" + ch.get(W + "id", ""))
        else:
            _collect(ch, parts, boxes, refs)


def _para_parts(p) -> tuple[str, list, list[str]]:
    """A paragraph's visible text (a manual line break mid-sentence joined, one after a sentence
    kept), the text boxes anchored in it, and the ids of the notes it refers to."""
    parts: list[str] = []
    boxes: list = []
    refs: list[str] = []
    _collect(p, parts, boxes, refs)
    return join_line_breaks("".join(parts)), boxes, refs


def join_line_breaks(text: str) -> str:
    """A paragraph's text with its manual line breaks (\\n) joined where they fall mid-sentence and kept where a
    sentence, an item or a numbered paragraph ends or starts (the .doc reader uses it too)."""
    lines = text.split("\n")
    out = lines[0]
    for ln in lines[1:]:
        # (a line after the break that starts with a bullet is an item of its own: 「・開封及び点検」「・送付」)
        # (and one that starts with a paragraph's number, 「２　受注者は、…」, or an item's, 「(2)　…」, even after an
        # item that is no sentence: 「(4)　離席時の画面ロックの励行」 ends, the article's next paragraph starts)
        if out.rstrip().endswith(_TERMINATED) or not out.strip() or ln.lstrip(" \u3000")[:1] in "・●○■◆◇□※" \
                or _NUMBER_STARTS.match(ln):
            out += "\n" + ln
        else:
            out += ln                      # a line break in the middle of a sentence
    return out


_NUMBER_STARTS = re.compile(r"[ \u3000\t]*(?:[0-9０-９]{1,2}\u3000|[（(][0-9０-９]{1,2}[)）][ \u3000]|第[0-9０-９一二三四五六七八九十]{1,3}条[ \u3000])"
                            r"(?=\S)")


def _para_text(p) -> str:
    return _para_parts(p)[0]


def _hidden(el) -> bool:
    r = el.getparent()
    if r is None or r.tag != W + "r":
        return False
    v = r.find(f"{W}rPr/{W}vanish")
    return v is not None and v.get(W + "val", "true") not in ("false", "0")


def _para_numpr(p, numbering: _Numbering) -> tuple[str | None, int] | None:
    ppr = p.find(W + "pPr")
    if ppr is None:
        return None
    np_ = ppr.find(W + "numPr")
    if np_ is not None:
        nid = _val(np_.find(W + "numId"), None)
        ilvl_el = np_.find(W + "ilvl")
        if ilvl_el is None:
            style = _val(ppr.find(W + "pStyle"), None)
            ilvl = numbering.style_num.get(style, (None, 0))[1] if style else 0
        else:
            ilvl = int(_val(ilvl_el, "0") or 0)
        return nid, ilvl
    style = _val(ppr.find(W + "pStyle"), None)
    return numbering.style_num.get(style) if style else None


def _paragraph(p, ctx: _Ctx, indent: bool = False, apart: bool = False) -> str:
    """The paragraph as lines: its number and text, then the paragraphs of its text boxes, then its
    footnotes (「（注1）…」, read as a note on the clause that refers to them). ``apart``: several boxes
    anchored in a body paragraph are read as units of their own (``_boxes_apart``)."""
    text, boxes, refs = _para_parts(p)
    np_ = _para_numpr(p, ctx.numbering)
    shown = ""
    if np_ and text.strip():
        shown, sep = ctx.numbering.label(*np_)
        if shown:
            text = shown + sep + text.lstrip(" \u3000")
    if indent and not shown and text.strip() and "\n" not in text:
        text = _indentation(p, ctx.numbering) + text
    lines = [text]
    if apart and len(boxes) > 1:
        lines.extend(_boxes_apart(boxes, ctx))
    else:
        for box in boxes:       # (marked as a text box's: a note in it is cited as the paragraph it is anchored in)
            lines.extend("\n".join(ANCHOR_MARK + ln if ln.strip() else ln for ln in _paragraph(bp, ctx).split("\n"))
                         for bp in box.iter(W + "p") if _own_paragraph(bp, box))
    for ref in refs:
        note = ctx.notes.get(ref)
        if note:
            ctx.note_no += 1
            lines.append(f"（注{ctx.note_no}）{note}")
    return "\n".join(ln for ln in lines if ln.strip() or ln is text or (apart and ln == ""))


# A box's paragraph that says no rule: short, no sentence, no list mark (a flow chart's 「作業責任者」, an arrow's
# 「直ちに」, 「（内線１２）」)
_RE_LIST_MARK = re.compile(r"^[・●○◯◆◇■□▪•※＊*\-－]|^[（(]?[0-9０-９]{1,2}[)）.．]|^[（(][ア-ン][)）]|^[ア-ン][ 　.．、]|^[\u2460-\u2473]")
_BOX_TITLE_MAX = 30


def _box_paragraphs(box, ctx: _Ctx) -> list[str]:
    return [t for t in (_paragraph(bp, ctx) for bp in box.iter(W + "p") if _own_paragraph(bp, box)) if t.strip()]


def _label_only(texts: list[str]) -> bool:
    return all(len(t.strip(" \u3000")) <= _BOX_TITLE_MAX and not re.search(r"[。：:]", t) and "\n" not in t
               and not _RE_LIST_MARK.match(t.strip(" \u3000")) for t in texts)


def _boxes_apart(boxes: list, ctx: _Ctx) -> list[str]:
    """Several text boxes anchored in one paragraph (rules in boxes beside a flow chart): each box is a unit of its
    own, set off by a blank line, so a box's title or lead-in governs only the lines in that box, never the next
    box's. A box holding only labels (a chart's 「作業責任者」, 「総務課 / 庁舎管理係 / （内線１２）」, an
    arrow's 「直ちに / 電話」) is one line, its labels side by side: a label is no heading over the rules
    after it. A box's first line, when it is a short title over more lines (「責任者がすること」, 「市の対応」),
    is read as the heading of the lines under it."""
    out: list[str] = []
    labels: list[str] = []
    for box in boxes:
        texts = _box_paragraphs(box, ctx)
        if not texts:
            continue
        if _label_only(texts):
            labels.append("\u3000".join(t.strip(" \u3000") for t in texts))
            continue
        if labels:
            out.extend(["", *labels])
            labels = []
        head = texts[0].strip(" \u3000")
        if len(texts) > 1 and _label_only([head]) and "、" not in head:
            texts = [HEADING_MARK * 2 + head, *texts[1:]]
        out.extend(["", *texts])
    if labels:
        out.extend(["", *labels])
    return [*out, ""]


def _own_paragraph(p, container) -> bool:
    """A paragraph of ``container`` itself, not one inside a text box nested in it."""
    anc = p.getparent()
    while anc is not None and anc is not container:
        if anc.tag == W + "txbxContent":
            return False
        anc = anc.getparent()
    return True


def _cell_text(tc, ctx: _Ctx) -> str:
    paras = [_paragraph(p, ctx).replace(ANCHOR_MARK, "") for p in tc.iter(W + "p") if _own_paragraph(p, tc)]
    return "<br>".join(html.escape(t).replace("\n", "<br>") for t in paras if t.strip())


def _int(s, default):
    return int(s) if str(s).isdigit() else default


def _grid_cells(tr) -> list[tuple[int, int, object]]:
    """A row's cells as (first grid column, columns spanned, cell)."""
    before = tr.find(f"{W}trPr/{W}gridBefore")
    col, out = _int(_val(before, "0"), 0), []
    for tc in tr:
        if tc.tag == W + "tc":
            span = tc.find(f"{W}tcPr/{W}gridSpan")
            n = max(1, _int(_val(span, "1"), 1))
            out.append((col, n, tc))
            col += n
    return out


def _amended_table(tbl, ctx: _Ctx, out: list[str]) -> bool:
    """A 新旧対照表 (a first row naming 改正後 | 改正前, 改正案 | 現行, 新 | 旧 …): every row as its cells, empty ones
    included, so that the parser keeps the 改正後 cell of each and drops the rest (a row whose 改正前 cell is empty,
    a paragraph newly added, is not a framed box). A cell spanning the 改正後 column (a heading across the table)
    is read as that column's. The 改正前 cells left out are counted for the reading's report. False when the table
    is not one."""
    rows = [_grid_cells(tr) for tr in tbl.iter(W + "tr")]
    if not rows:
        return False
    head = [_cell_text(tc, ctx) for _, _, tc in rows[0]]
    named = _amended_columns(head)
    if named is None:
        return False
    new, place = named
    starts = [c for c, _, _ in rows[0]]
    out.append("\t".join(head))
    for cells in rows[1:]:
        row = [""] * len(starts)
        for col, span, tc in cells:
            covers = [k for k, s in enumerate(starts) if col <= s < col + span]
            if covers:
                row[new if new in covers else covers[0]] = _cell_text(tc, ctx)
        if not any(row):
            continue
        if any(t and not _placeholder_cell(t) for k, t in enumerate(row) if k not in (new, place)):
            ctx.amended_dropped += 1
        out.append("\t".join(row))
    return True


def _blocks(container, ctx: _Ctx, out: list[str]):
    for el in container:
        tag = el.tag
        if tag == W + "p":
            out.extend(_paragraph(el, ctx, indent=True, apart=True).split("\n"))
        elif tag == W + "tbl":
            if _amended_table(el, ctx, out):
                out.append("")
                continue
            for tr in el.iter(W + "tr"):
                cells = [tc for tc in tr if tc.tag == W + "tc"]
                texts = [_cell_text(tc, ctx) for tc in cells]
                filled = [t for t in texts if t]
                if len(filled) <= 1 and (not texts or texts[0] or len(texts) == 1):
                    for tc in cells:        # a one-cell row (a framed box): its paragraphs are lines
                        for p in tc.iter(W + "p"):
                            if _own_paragraph(p, tc):
                                out.extend(_paragraph(p, ctx).split("\n"))
                else:
                    out.append("\t".join(texts))
            out.append("")
        elif tag in (W + "sdt", W + "sdtContent", W + "customXml", W + "smartTag", W + "ins", W + "moveTo"):
            _blocks(el if tag != W + "sdt" else (el.find(W + "sdtContent") if el.find(W + "sdtContent") is not None
                                                  else []), ctx, out)


def _notes(xml: bytes | None, tag: str) -> dict[str, str]:
    """Footnote or endnote id → its text (the separators Word keeps there have no text)."""
    if not xml:
        return {}
    out = {}
    for note in etree.fromstring(xml).iter(W + tag):
        text = " ".join(_para_text(p).strip() for p in note.iter(W + "p")).strip(" \u3000")
        if text:
            out[note.get(W + "id", "")] = text
    return out


def read(data: bytes, name: str) -> Reading:
    try:
        z = zipfile.ZipFile(BytesIO(data))
        doc = etree.fromstring(z.read("word/document.xml"))
        names = set(z.namelist())
        numbering = _Numbering(z.read("word/numbering.xml") if "word/numbering.xml" in names else None,
                               z.read("word/styles.xml") if "word/styles.xml" in names else None)
        notes = {**{f"e{k}": v for k, v in _notes(z.read("word/endnotes.xml") if "word/endnotes.xml" in names
                                                   else None, "endnote").items()},
                 **_notes(z.read("word/footnotes.xml") if "word/footnotes.xml" in names else None, "footnote")}
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        raise LoadRefused(f"{name}: Word の文書として読めませんでした（ファイルが壊れている可能性があります）。"
                          "Word で開いて保存し直すか、PDF で保存してからお試しください。") from None
    body = doc.find(W + "body")
    lines: list[str] = []
    ctx = _Ctx(numbering, notes)
    _blocks(body if body is not None else [], ctx, lines)
    r = Reading("\n".join(lines), "auto", "docx")
    if ctx.amended_dropped:
        r.dropped.append(f"新旧対照表の改正前の欄（{ctx.amended_dropped} 行。改正後の欄だけを条項にしています）")
    generated = sum(1 for p in doc.iter(W + "numPr"))
    if generated:
        r.dropped.append(f"Word の自動番号を本文に書き出しました（{generated} 段落）")
    return r
