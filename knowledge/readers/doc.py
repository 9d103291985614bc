"""Word 97-2003 (.doc): the main text of the binary Word file, paragraphs and table rows in order.

Many cities still send their 特記事項 as .doc. The file is an OLE compound file (read with olefile);
the text lies in the WordDocument stream in pieces the table stream's piece table (CLX) lists, each in
UTF-16 or in a one-byte code page. Paragraph properties (the PAPX pages) say which paragraph marks end a
table row, so a row reads as its cells joined by tabs, as the Word (.docx) reader gives it, and which
paragraphs carry Word's automatic numbering. That numbering (第1条, (1) drawn by Word) is not in the
text: it is counted from the list tables (LSTF/LVL and LFO) the way the Word reader counts numbering.xml.
Where they cannot be read, the reader warns how many paragraphs lost their number (save as .docx).
As the Word reader does: text deleted with track changes and hidden text are left out (CHPX pages), a
field reads as its result, a text box's paragraphs follow the paragraph anchoring it (marked as a box's),
and footnotes follow their paragraph as 「（注1）…」.

Measured on 36 Word files we hold, saved as .doc by LibreOffice: 2,102 of their 2,143 clauses load
exactly as from the .docx; the rest are in three files (a flow chart drawn in several text boxes, which
the Word reader reads box by box, and two files LibreOffice itself changed when saving: numbering that
restarts, form fields written twice).
"""
from __future__ import annotations

import bisect
import struct
from io import BytesIO

from knowledge.parser import _ANCHOR_MARK as ANCHOR_MARK
from knowledge.readers import LoadRefused, Reading
from knowledge.readers.docx import count, format_number, join_line_breaks

_FC_CLX = 33          # index of (fcClx, lcbClx) in FibRgFcLcb97
_FC_BTE_CHPX = 12     # (fcPlcfBteChpx, lcbPlcfBteChpx): character properties
_FC_BTE_PAPX = 13     # (fcPlcfBtePapx, lcbPlcfBtePapx)
_SPRM_DELETED = 0x0800   # sprmCFRMarkDel: text deleted with track changes on, still in the file
_SPRM_HIDDEN = 0x0803    # sprmCFVanish: hidden text (not printed, not shown)
_SPRM_IN_TABLE = 0x2416
_SPRM_TTP = 0x2417    # the paragraph mark ending a table row
_SPRM_ILFO = 0x460B   # the paragraph is in a numbered list (1-based index of its LFO)
_SPRM_ILVL = 0x260A   # ...at this level
_FC_PLF_LST, _FC_PLF_LFO = 73, 74
# Word's number formats (nfc) by code, named as the Word (.docx) reader formats them
_NFC = {0: "decimal", 1: "upperRoman", 2: "lowerRoman", 3: "upperLetter", 4: "lowerLetter", 10: "ideographDigital",
        11: "japaneseCounting", 12: "aiueo", 13: "iroha", 14: "decimalFullWidth", 15: "decimal", 16: "japaneseLegal",
        17: "japaneseDigitalTenThousand", 18: "decimalEnclosedCircle", 19: "decimalFullWidth2", 20: "aiueoFullWidth",
        21: "irohaFullWidth", 22: "decimalZero", 23: "bullet", 26: "decimalEnclosedFullstop",
        27: "decimalEnclosedParen", 28: "decimalEnclosedCircleChinese", 30: "ideographTraditional", 255: "none"}
_SPRM_DXA_LEFT = (0x845E, 0x840F)     # left indent in twips (Word 2000 and later, Word 97)
_SPRM_DXA_LEFT1 = (0x8460, 0x8411)    # first-line indent in twips (negative: hanging)
_SPRM_DXC_LEFT, _SPRM_DXC_LEFT1 = 0x4456, 0x4457   # the same in hundredths of a character
_SPRM_OPERAND = {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}
_DROP = dict.fromkeys(map(ord, "\x01\x02\x03\x04\x05\x08\x1f"), None)   # objects, footnote marks, soft hyphen
_CP1252_HI = bytes(range(0x80, 0xA0)).decode("cp1252", errors="replace")


class _Unreadable(Exception):
    pass


def _u16(b: bytes, at: int) -> int:
    return struct.unpack_from("<H", b, at)[0]


def _u32(b: bytes, at: int) -> int:
    return struct.unpack_from("<I", b, at)[0]


def _fib(word: bytes) -> tuple[int, bool, int, list[tuple[int, int]], list[int]]:
    """(ccpText, 1Table?, encrypted flags, [(fc, lcb)...], the lengths of the footnote, header, macro,
    comment and endnote stories) from the File Information Block."""
    if len(word) < 64 or _u16(word, 0) != 0xA5EC:
        raise _Unreadable("no Word FIB")
    flags = _u16(word, 0x0A)
    at = 32
    csw = _u16(word, at)
    at += 2 + csw * 2
    cslw = _u16(word, at)
    lw = struct.unpack_from(f"<{cslw}I", word, at + 2)
    at += 2 + cslw * 4
    cb = _u16(word, at)
    pairs = [struct.unpack_from("<II", word, at + 2 + i * 8) for i in range(cb)]
    return lw[3], bool(flags & 0x0200), flags & 0x0100, pairs, [lw[i] if i < len(lw) else 0 for i in (4, 5, 6, 7, 8)]


def _pieces(table: bytes, fc: int, lcb: int) -> list[tuple[int, int, int, bool]]:
    """(cp start, cp end, file offset, one-byte?) of each piece of text, from the CLX."""
    clx, at = table[fc:fc + lcb], 0
    while at < len(clx) and clx[at] == 0x01:                 # Prc: formatting, skipped
        at += 3 + struct.unpack_from("<h", clx, at + 1)[0]
    if at >= len(clx) or clx[at] != 0x02:
        raise _Unreadable("no piece table")
    size = _u32(clx, at + 1)
    plc = clx[at + 5:at + 5 + size]
    n = (len(plc) - 4) // 12
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    out = []
    for i in range(n):
        raw = _u32(plc, 4 * (n + 1) + 8 * i + 2)
        one_byte = bool(raw & 0x40000000)
        off = (raw & 0x3FFFFFFF) // 2 if one_byte else raw & 0x3FFFFFFF
        out.append((cps[i], cps[i + 1], off, one_byte))
    return out


def _sprms(grpprl: bytes) -> dict[int, bytes]:
    out, at = {}, 0
    while at + 2 <= len(grpprl):
        sprm = _u16(grpprl, at)
        spra = sprm >> 13
        at += 2
        if spra == 6:
            if sprm in (0xD608, 0xC615):        # table definition, tab changes: a two-byte size
                size = _u16(grpprl, at) if at + 2 <= len(grpprl) else 0
                at += 2
            else:
                size = grpprl[at] if at < len(grpprl) else 0
                at += 1
        else:
            size = _SPRM_OPERAND[spra]
        out[sprm] = grpprl[at:at + size]
        at += size
    return out


def _fkp_pages(word: bytes, table: bytes, fc: int, lcb: int):
    """(page, run count, the runs' file offsets) of each 512-byte property page (FKP) a bin table lists."""
    if lcb < 8:
        return
    n = (lcb - 4) // 8
    for pn in struct.unpack_from(f"<{n}I", table, fc + 4 * (n + 1)):
        page = word[(pn & 0x3FFFFF) * 512:(pn & 0x3FFFFF) * 512 + 512]
        if len(page) == 512:
            crun = page[511]
            yield page, crun, struct.unpack_from(f"<{crun + 1}I", page, 0)


def _paragraph_marks(word: bytes, table: bytes, fc: int, lcb: int) -> list[tuple[int, int, dict[int, bytes]]]:
    """(first fc, end fc, properties) of every paragraph run the PAPX pages describe."""
    runs = []
    for page, crun, fcs in _fkp_pages(word, table, fc, lcb):
        for i in range(crun):
            b = page[4 * (crun + 1) + 13 * i] * 2
            props: dict[int, bytes] = {}
            if b:
                cb = page[b]
                if cb == 0:
                    size, start = 2 * page[b + 1], b + 2
                else:
                    size, start = 2 * cb - 1, b + 1
                props = _sprms(page[start + 2:start + size])      # after the style index
            runs.append((fcs[i], fcs[i + 1], props))
    return sorted(runs)


class _Lists:
    """Word's automatic numbering in a .doc: the lists (LSTF and their LVLs) and the list instances (LFO)
    paragraphs point at, counted the way the Word (.docx) reader counts numbering.xml."""

    def __init__(self, table: bytes, pairs: list[tuple[int, int]]):
        self.levels: dict[int, dict[int, dict]] = {}      # lsid -> level -> start, fmt, template, follow
        self.lfos: list[tuple[int, dict[int, int]]] = []   # (lsid, start overrides) by ilfo - 1
        self.counters: dict[int, dict[int, int]] = {}
        self.started: set[int] = set()
        if len(pairs) <= _FC_PLF_LFO or not pairs[_FC_PLF_LST][1]:
            return
        fc = pairs[_FC_PLF_LST][0]
        n = struct.unpack_from("<h", table, fc)[0]
        lists = [(struct.unpack_from("<i", table, fc + 2 + 28 * i)[0], table[fc + 2 + 28 * i + 26] & 1) for i in range(n)]
        at = fc + 2 + 28 * n
        for lsid, simple in lists:
            levels = {}
            for lvl in range(1 if simple else 9):
                levels[lvl], at = self._lvl(table, at)
            self.levels[lsid] = levels
        fc, lcb = pairs[_FC_PLF_LFO]
        if not lcb:
            return
        count = struct.unpack_from("<I", table, fc)[0]
        heads = [(struct.unpack_from("<i", table, fc + 4 + 16 * i)[0], table[fc + 4 + 16 * i + 12]) for i in range(count)]
        at = fc + 4 + 16 * count
        for lsid, clfolvl in heads:
            overrides: dict[int, int] = {}
            at += 4                                       # the LFOData's cp
            for _ in range(clfolvl):
                start, flags = struct.unpack_from("<iI", table, at)
                at += 8
                if flags & 0x10:
                    overrides[flags & 0x0F] = start
                if flags & 0x20:                          # a whole level redefined: skipped over
                    _, at = self._lvl(table, at)
            self.lfos.append((lsid, overrides))

    @staticmethod
    def _lvl(table: bytes, at: int) -> tuple[dict, int]:
        start, nfc = struct.unpack_from("<iB", table, at)
        follow = table[at + 15]
        cb_chpx, cb_papx = table[at + 24], table[at + 25]
        at += 28 + cb_papx + cb_chpx
        cch = _u16(table, at)
        template = table[at + 2:at + 2 + 2 * cch].decode("utf-16-le", errors="replace")
        return {"start": start, "fmt": _NFC.get(nfc, "decimal"), "text": template, "follow": follow}, at + 2 + 2 * cch

    def label(self, ilfo: int, ilvl: int) -> str | None:
        """The number Word shows before the next paragraph of that list level, with what follows it ("" for a
        level that shows none), or None when the list tables do not say (the number is lost)."""
        if not 0 < ilfo <= len(self.lfos):
            return None
        lsid, overrides = self.lfos[ilfo - 1]
        levels = self.levels.get(lsid, {})
        if ilvl not in levels:
            return None
        counters = self.counters.setdefault(lsid, {})
        if ilfo not in self.started:
            self.started.add(ilfo)
            for lvl, start in overrides.items():
                counters[lvl] = start - 1
        lv = levels[ilvl]
        count(counters, ilvl, lv["start"])
        if lv["fmt"] == "bullet":
            return "・ "
        shown = "".join(format_number(counters.get(ord(c), levels.get(ord(c), lv)["start"]),
                                      levels.get(ord(c), lv)["fmt"]) if ord(c) < 9 else c for c in lv["text"])
        return shown + ("" if lv["follow"] == 2 or not shown else "\u3000")


def _clean(text: str) -> str:
    """A paragraph's characters as text: objects and marks dropped, a tab as a full-width space and a manual
    line break as the Word (.docx) reader reads them."""
    text = text.translate(_DROP).replace("\x0c", "").replace("\t", "\u3000")
    return join_line_breaks(text.replace("\x0b", "\n")).replace("\x1e", "-").replace("\xa0", " ").strip()


def _signed(b: bytes) -> int:
    return struct.unpack("<h", b[:2])[0] if len(b) >= 2 else 0


def _indentation(props: dict[int, bytes]) -> str:
    """Where the paragraph's first line starts, as leading full-width spaces, as the Word (.docx) reader
    writes it (the parser tells a lead-in's unnumbered items by it): in hundredths of a character when the
    file gives them, else in twips at 10.5 pt. Only the paragraph's own setting (not its style's)."""
    if _SPRM_DXC_LEFT in props or _SPRM_DXC_LEFT1 in props:
        left = (_signed(props.get(_SPRM_DXC_LEFT, b"")) + _signed(props.get(_SPRM_DXC_LEFT1, b""))) / 100
    else:
        twips = next((_signed(props[k]) for k in _SPRM_DXA_LEFT if k in props), 0)
        first = next((_signed(props[k]) for k in _SPRM_DXA_LEFT1 if k in props), 0)
        left = (twips + first) / 210
    return "\u3000" * max(0, min(20, round(left)))


def _deleted_runs(word: bytes, table: bytes, fc: int, lcb: int) -> list[tuple[int, int]]:
    """(first fc, end fc) of the runs of text marked deleted by track changes or hidden (CHPX pages): a rule's
    struck-out words (「原則として」 taken out) are not its text, as the Word (.docx) reader leaves out w:del and
    w:vanish."""
    out = []
    for page, crun, fcs in _fkp_pages(word, table, fc, lcb):
        for i in range(crun):
            b = page[4 * (crun + 1) + i] * 2
            if b and page[b]:
                props = _sprms(page[b + 1:b + 1 + page[b]])
                if any(props.get(k, b"\x00")[:1] in (b"\x01", b"\x81") for k in (_SPRM_DELETED, _SPRM_HIDDEN)):
                    out.append((fcs[i], fcs[i + 1]))
    return sorted(out)


def _text(word: bytes, pieces, start: int, end: int) -> list[tuple[str, int, int]]:
    """Each character of the text between two character positions (cp) with its file offset and cp."""
    out = []
    for cp0, cp1, off, one_byte in pieces:
        lo, hi = max(cp0, start), min(cp1, end)
        if lo >= hi:
            continue
        if one_byte:
            at = off + (lo - cp0)
            chars = word[at:at + hi - lo].decode("cp1252", errors="replace")
            out += [(c, at + i, lo + i) for i, c in enumerate(chars)]
        else:
            at = off + 2 * (lo - cp0)
            chars = word[at:at + 2 * (hi - lo)].decode("utf-16-le", errors="replace")
            out += [(c, at + 2 * i, lo + i) for i, c in enumerate(chars)]
    return out


def _plc(table: bytes, fc: int, lcb: int, size: int) -> tuple[list[int], list[bytes]]:
    """A PLC: its character positions and its data items of `size` bytes."""
    if lcb < 4:
        return [], []
    n = (lcb - 4) // (4 + size)
    cps = list(struct.unpack_from(f"<{n + 1}I", table, fc))
    base = fc + 4 * (n + 1)
    return cps, [table[base + size * i:base + size * (i + 1)] for i in range(n)]


def _stories(table: bytes, pairs, lw_counts: list[int], ccp: int) -> tuple[dict[int, list[tuple[int, int]]], dict[int, list[tuple[int, int]]]]:
    """The footnotes (by the cp of their mark in the main text) and the text boxes (by the cp of the shape
    anchoring them), each as the cp range of its text in its story."""
    notes: dict[int, list[tuple[int, int]]] = {}
    refs, _ = _plc(table, *pairs[2], 2)
    spans, _ = _plc(table, *pairs[3], 0) if pairs[3][1] else ([], [])
    for i, ref in enumerate(refs[:-1]):
        if i + 1 < len(spans):
            notes.setdefault(ref, []).append((ccp + spans[i], ccp + spans[i + 1]))
    boxes: dict[int, list[tuple[int, int]]] = {}
    ftn, hdd, mcr, atn, edn = lw_counts
    start = ccp + ftn + hdd + mcr + atn + edn
    box_cps, box_items = _plc(table, *pairs[56], 22) if len(pairs) > 56 else ([], [])
    anchor_cps, shapes = _plc(table, *pairs[40], 26) if len(pairs) > 40 else ([], [])
    anchor_of = {_u32(sh, 0): cp for cp, sh in zip(anchor_cps, shapes)}
    for i, item in enumerate(box_items):
        lid = _u32(item, 14)
        if lid in anchor_of and i + 1 < len(box_cps):
            boxes.setdefault(anchor_of[lid], []).append((start + box_cps[i], start + box_cps[i + 1]))
    return notes, boxes


def _without_field_codes(chars: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """A field (\\x13 code \\x14 result \\x15) reads as its result: a page number, not 「PAGE」."""
    out, depth_code = [], []
    for c, fc, cp in chars:
        if c == "\x13":
            depth_code.append(True)
        elif c == "\x14":
            if depth_code:
                depth_code[-1] = False
        elif c == "\x15":
            if depth_code:
                depth_code.pop()
        elif not any(depth_code):
            out.append((c, fc, cp))
    return out


def read(data: bytes, name: str) -> Reading:
    import olefile

    try:
        ole = olefile.OleFileIO(BytesIO(data))
        word = ole.openstream("WordDocument").read()
        ccp, one_table, encrypted, pairs, story_lengths = _fib(word)
        if encrypted:
            raise LoadRefused(f"{name}: パスワードで保護された Word のファイルのため読み込めません。Word で開き、"
                              "パスワードを消して保存し直してからお試しください。")
        stream = "1Table" if one_table else "0Table"
        if not ole.exists(stream):
            raise _Unreadable("no table stream")
        table = ole.openstream(stream).read()
        pieces = _pieces(table, *pairs[_FC_CLX])
        marks = _paragraph_marks(word, table, *pairs[_FC_BTE_PAPX]) if len(pairs) > _FC_BTE_PAPX else []
        deleted = _deleted_runs(word, table, *pairs[_FC_BTE_CHPX]) if len(pairs) > _FC_BTE_CHPX else []
        try:
            notes, boxes = _stories(table, pairs, story_lengths, ccp)
        except (struct.error, IndexError):       # footnotes and text boxes unreadable: the main text alone
            notes, boxes = {}, {}
        try:
            lists = _Lists(table, pairs)
        except (struct.error, IndexError):       # numbering unreadable: the text alone, and the warning below
            lists = _Lists(b"", [])
    except LoadRefused:
        raise
    except (OSError, _Unreadable, struct.error, IndexError, ValueError, KeyError) as e:
        raise LoadRefused(f"{name}: 古い形式の Word（.doc）のファイルとして読めませんでした（{type(e).__name__}）。"
                          "Word で開いて「.docx」または PDF で保存し直してからお試しください。") from None

    firsts = [d[0] for d in deleted]

    def gone(fc: int) -> bool:
        i = bisect.bisect_right(firsts, fc) - 1
        return i >= 0 and fc < deleted[i][1]

    def chars_of(start: int, end: int) -> list[tuple[str, int, int]]:
        return [x for x in _without_field_codes(_text(word, pieces, start, end)) if not gone(x[1])]

    def paragraphs(start: int, end: int) -> list[str]:
        """A footnote's or a text box's paragraphs, as plain lines."""
        text = "".join(c for c, _, _ in chars_of(start, end)).replace("\x07", "\r")
        return [t for t in (_clean(x) for x in text.split("\r")) if t]

    chars = chars_of(0, ccp)
    starts = [m[0] for m in marks]

    def props(fc: int) -> dict[int, bytes]:
        i = bisect.bisect_right(starts, fc) - 1
        return marks[i][2] if i >= 0 and fc < marks[i][1] else {}

    note_no = 0

    def after(cps: list[int]) -> list[str]:
        """What follows a paragraph: the text boxes anchored in it (marked, as the Word reader marks them), then
        its footnotes as 「（注1）…」."""
        nonlocal note_no
        out = [ANCHOR_MARK + t for cp in cps for a, b in boxes.get(cp, []) for t in paragraphs(a, b)]
        for cp in cps:
            for a, b in notes.get(cp, []):
                text = "".join(paragraphs(a, b)).strip()
                if text:
                    note_no += 1
                    out.append(f"（注{note_no}）{text}")
        return out

    lines: list[str] = []
    row: list[str] = []       # the cells of the table row being read
    cell: list[str] = []      # the paragraphs of the cell being read
    numbered = 0
    para: list[str] = []
    anchors: list[int] = []   # where the paragraph holds a shape or a footnote mark
    pending: list[str] = []   # the boxes and notes of a table's cells, after the row
    for c, fc, cp in chars:
        if c not in "\r\x07":
            para.append(c)
            if c in "\x01\x02\x08":
                anchors.append(cp)
            continue
        text = _clean("".join(para))
        extra = after(anchors)
        para, anchors = [], []
        p = props(fc)
        if p.get(_SPRM_TTP, b"\x00")[:1] == b"\x01":         # the mark ending a table row
            if any(row):
                lines.append("\t".join(row))
            lines += pending
            row, cell, pending = [], [], []
        elif c == "\x07":                                      # a cell's end (its lines as the Word reader joins them)
            row.append("<br>".join(x.replace("\n", "<br>") for x in cell + [text] if x))
            cell = []
            pending += extra
        elif p.get(_SPRM_IN_TABLE, b"\x00")[:1] == b"\x01":   # a paragraph inside a cell
            cell.append(text)
            pending += extra
        else:
            if row:                                            # a table without its row mark read
                lines.append("\t".join(row))
                lines += pending
                row, pending = [], []
            ilfo = int.from_bytes(p.get(_SPRM_ILFO, b"\x00\x00")[:2], "little", signed=True)
            shown = lists.label(ilfo, (p.get(_SPRM_ILVL) or b"\x00")[0]) if ilfo > 0 and text else ""
            if shown:
                lines.append(shown + text.lstrip(" \u3000"))
            else:
                numbered += shown is None           # numbered in Word, its number not readable here
                lines.append(_indentation(p) + text if text else text)
            lines += extra
    if row:
        lines.append("\t".join(row))
    lines += pending
    r = Reading("\n".join(lines), "auto", "doc")
    if numbered:
        r.warnings.append(f"Word の自動の段落番号が {numbered} 段落に付いていますが、古い形式（.doc）のこのファイルからは"
                          "番号を読み取れませんでした。条や項の番号が引用に出ない場合は、Word で開いて「.docx」で保存し直して"
                          "読み込んでください")
    return r
