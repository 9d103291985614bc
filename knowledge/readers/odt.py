"""OpenDocument text (.odt), as cities that work in LibreOffice send it: read as the Word (.docx) reader reads Word.

``content.xml`` holds the paragraphs, lists, tables, text boxes and notes in order; the numbers of a list
(第1条, ２, (1), ア) are not in the text but in its list style (``styles.xml`` or the automatic styles):
they are written out here, counted the way LibreOffice counts them (a list continues the numbering of the
one before it with the same style only when it says so). Deleted text of tracked changes is kept apart
in the file and not read; a table row reads as its cells joined by tabs, a cell's paragraphs by <br>; a
text box's paragraphs follow the paragraph anchoring it, and footnotes follow it as 「（注1）…」.
"""
from __future__ import annotations

import re
import zipfile
from io import BytesIO

from lxml import etree

from knowledge.parser import _ANCHOR_MARK as ANCHOR_MARK
from knowledge.readers import LoadRefused, Reading
from knowledge.readers.docx import count, format_number, join_line_breaks

OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
LOEXT = "{urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0}"

# Never read: the deleted text of tracked changes, a table of contents, comments, a ruby's reading,
# a note's number where it is cited (the note itself follows the paragraph).
_SKIP = {TEXT + "tracked-changes", TEXT + "table-of-content", OFFICE + "annotation", TEXT + "ruby-text",
         TEXT + "note-citation", TEXT + "sequence-decls", OFFICE + "forms", TEXT + "variable-decls",
         TEXT + "user-field-decls", TEXT + "alphabetical-index", TEXT + "illustration-index"}


def _fmt(num_format: str) -> str:
    """A list level's style:num-format as the Word reader's format name."""
    first = (num_format or "").split(",")[0].strip()
    return {"1": "decimal", "１": "decimalFullWidth", "a": "lowerLetter", "A": "upperLetter", "i": "lowerRoman",
            "I": "upperRoman", "ア": "aiueoFullWidth", "ｱ": "aiueo", "イ": "irohaFullWidth", "ｲ": "iroha",
            "①": "decimalEnclosedCircle", "一": "ideographDigital", "": "none"}.get(first, "decimal")


class _Lists:
    """The list styles (level -> format) and the counters of the lists read so far."""

    def __init__(self, roots):
        self.styles: dict[str, dict[int, dict]] = {}
        for root in roots:
            for ls in root.iter(TEXT + "list-style"):
                levels = {}
                for lv in ls:
                    if lv.tag not in (TEXT + "list-level-style-number", TEXT + "list-level-style-bullet"):
                        continue
                    level = int(lv.get(TEXT + "level", "1"))
                    align = lv.find(f"{STYLE}list-level-properties/{STYLE}list-level-label-alignment")
                    levels[level] = {
                        "bullet": lv.tag.endswith("bullet"),
                        "fmt": _fmt(lv.get(STYLE + "num-format", "")),
                        "start": int(lv.get(TEXT + "start-value", "1") or 1),
                        "prefix": lv.get(STYLE + "num-prefix", ""), "suffix": lv.get(STYLE + "num-suffix", ""),
                        "shown": int(lv.get(TEXT + "display-levels", "1") or 1),
                        "template": lv.get(LOEXT + "num-list-format"),
                        "follow": align.get(TEXT + "label-followed-by", "listtab") if align is not None else "listtab",
                    }
                self.styles[ls.get(STYLE + "name")] = levels
        self.counters: dict[str, dict[int, int]] = {}

    def restart(self, style: str) -> None:
        self.counters[style] = {}

    def label(self, style: str | None, level: int, start: int | None = None) -> str:
        levels = self.styles.get(style or "", {})
        lv = levels.get(level)
        if lv is None:
            return ""
        counters = self.counters.setdefault(style, {})
        count(counters, level, lv["start"], start)
        if lv["bullet"]:
            return "・ "
        if lv["fmt"] == "none" and not lv["template"]:
            return ""

        def number(n: int) -> str:
            at = levels.get(n, lv)
            return format_number(counters.get(n, at["start"]), at["fmt"])
        if lv["template"]:
            shown = re.sub(r"%(\d+)%", lambda m: number(int(m.group(1))), lv["template"])
        else:
            first = max(1, level - lv["shown"] + 1)
            shown = lv["prefix"] + ".".join(number(n) for n in range(first, level + 1)) + lv["suffix"]
        if not shown.strip():
            return ""
        if shown.endswith(("\u3000", " ")):        # the space typed into the number's format (「%1%　」)
            return shown.rstrip(" ") if shown.endswith(" ") else shown
        return shown + ("" if lv["follow"] == "nothing" else "\u3000")


class _Reader:
    def __init__(self, lists: _Lists):
        self.lists = lists
        self.lines: list[str] = []
        self.note_no = 0

    # ---- inline text -----------------------------------------------------------------------------

    def _inline(self, el, parts: list[str], boxes: list, notes: list) -> None:
        if el.text:
            parts.append(el.text)
        for ch in el:
            tag = ch.tag
            if not isinstance(tag, str) or tag in _SKIP:
                pass
            elif tag == TEXT + "s":
                parts.append(" " * int(ch.get(TEXT + "c", "1") or 1))
            elif tag == TEXT + "tab":
                parts.append("\u3000")
            elif tag == TEXT + "line-break":
                parts.append("\n")
            elif tag == TEXT + "note":
                notes.append(ch.find(TEXT + "note-body"))
            elif tag.startswith(DRAW):              # a text box, a shape holding text, a group of them
                boxes.append(ch)
            else:
                self._inline(ch, parts, boxes, notes)
            if ch.tail:
                parts.append(ch.tail)

    def _text(self, p) -> tuple[str, list, list]:
        parts: list[str] = []
        boxes: list = []
        notes: list = []
        self._inline(p, parts, boxes, notes)
        text = join_line_breaks("".join(parts)).replace("\xa0", " ").strip(" ")
        return text, boxes, notes

    def _after(self, boxes: list, notes: list) -> list[str]:
        """A paragraph's text boxes (marked as a box's, as the Word reader marks them), then its footnotes."""
        out = []
        for box in boxes:
            out += [ANCHOR_MARK + t for t in self._plain(box) if t.strip()]
        for body in notes:
            text = "".join(self._plain(body)).strip() if body is not None else ""
            if text:
                self.note_no += 1
                out.append(f"（注{self.note_no}）{text}")
        return out

    def _plain(self, el) -> list[str]:
        """The paragraphs inside a text box or a note, as plain lines."""
        out = []
        for p in el.iter(TEXT + "p", TEXT + "h"):
            text, _, _ = self._text(p)
            out.append(text)
        return out

    # ---- blocks ----------------------------------------------------------------------------------

    def block(self, el, list_style: str | None = None, level: int = 0) -> None:
        tag = el.tag
        if not isinstance(tag, str) or tag in _SKIP:
            return
        if tag in (TEXT + "p", TEXT + "h"):
            self.paragraph(el)
        elif tag == TEXT + "list":
            style = el.get(TEXT + "style-name") or list_style
            if level == 0 and el.get(TEXT + "continue-numbering") != "true" and not el.get(TEXT + "continue-list"):
                self.lists.restart(style or "")
            for item in el:
                if item.tag in (TEXT + "list-item", TEXT + "list-header"):
                    self.item(item, style, level + 1)
        elif tag == TABLE + "table":
            self.table(el)
        else:                                       # sections, soft page breaks and the like: what they hold
            for ch in el:
                self.block(ch, list_style, level)

    def item(self, item, style: str | None, level: int) -> None:
        start = item.get(TEXT + "start-value")
        first = True
        for ch in item:
            if first and ch.tag in (TEXT + "p", TEXT + "h") and item.tag == TEXT + "list-item":
                text, boxes, notes = self._text(ch)
                shown = self.lists.label(style, level, int(start) if start else None) if text else ""
                self.lines.append(shown + text.lstrip(" \u3000") if shown else text)
                self.lines += self._after(boxes, notes)
            elif ch.tag == TEXT + "list":
                self.block(ch, style, level)
            else:
                self.block(ch, style, level)
            first = False

    def paragraph(self, p) -> None:
        text, boxes, notes = self._text(p)
        self.lines.append(text)
        self.lines += self._after(boxes, notes)

    def table(self, t) -> None:
        for row in _rows(t):
            cells, after = [], []
            for cell in row:
                if cell.tag != TABLE + "table-cell":
                    continue
                inner = _Reader(self.lists)
                inner.note_no = self.note_no
                for ch in cell:
                    inner.block(ch)
                self.note_no = inner.note_no
                texts = [ln for ln in inner.lines if ln.strip() and not ln.startswith(("（注", ANCHOR_MARK))]
                after += [ln for ln in inner.lines if ln.startswith(("（注", ANCHOR_MARK))]
                cells.append("<br>".join(x.replace("\n", "<br>") for x in texts))
            if any(cells):
                self.lines.append("\t".join(cells))
            self.lines += after


def _rows(el):
    """A table's rows in order, those of its header and row groups included, not those of a table in a cell."""
    for ch in el:
        if ch.tag == TABLE + "table-row":
            yield ch
        elif ch.tag in (TABLE + "table-header-rows", TABLE + "table-rows", TABLE + "table-row-group"):
            yield from _rows(ch)


def read(data: bytes, name: str) -> Reading:
    try:
        z = zipfile.ZipFile(BytesIO(data))
        content = etree.fromstring(z.read("content.xml"))
        styles = etree.fromstring(z.read("styles.xml")) if "styles.xml" in z.namelist() else None
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, RuntimeError, OSError) as e:
        raise LoadRefused(f"{name}: OpenDocument の文書（.odt）として読めませんでした（{type(e).__name__}）。"
                          "LibreOffice Writer などで開いて「Word 文書（.docx）」または PDF で保存し直してから"
                          "お試しください。") from None
    body = content.find(f"{OFFICE}body/{OFFICE}text")
    if body is None:
        raise LoadRefused(f"{name}: OpenDocument のファイルですが、文書の本文がありません。"
                          "特記事項の本文が入ったファイルを指定してください。")
    try:
        r = _Reader(_Lists([x for x in (styles, content) if x is not None]))
        for ch in body:
            r.block(ch)
    except (ValueError, TypeError, RecursionError) as e:    # a malformed number in a style, lists nested past reason
        raise LoadRefused(f"{name}: OpenDocument の文書（.odt）として読めませんでした（{type(e).__name__}）。"
                          "LibreOffice Writer などで開いて「Word 文書（.docx）」または PDF で保存し直してから"
                          "お試しください。") from None
    return Reading("\n".join(r.lines), "auto", "odt")
