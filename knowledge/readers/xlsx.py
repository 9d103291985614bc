"""Excel (.xlsx, .xlsm): a city's workbook as the parser input that keeps the most of its structure.

A sheet laid out as a table (a checklist: 「No. | 確認項目 | 確認欄 | 備考」, section rows merged across, a title and
dates in merged cells, Alt+Enter inside a cell) becomes an HTML ``<table>``, the way Excel itself writes a sheet
saved as a web page: a merged range is one cell with ``colspan``/``rowspan``, a line break in a cell is ``<br>``,
and the parser's web-page path reads it (see ``_unpadded`` in ``knowledge/parser/tokens.py``, ``_boxed_row`` in ``knowledge/parser/tree.py``). Columns and
rows empty in the whole sheet are left out here rather than sent as padding.

A sheet of **Excel 方眼紙** (a grid of narrow columns, one visual line a row, the hierarchy shown only by the
column the text starts in, text running over the empty cells to its right, a sentence continued on the next row
where the author pressed Enter at the right edge) is read as lines: each row's text indented by its starting
column (full-width spaces, as the Word reader writes indentation), a row that stops at the right edge in the middle
of a sentence joined with the row below. When every sheet read is one, the workbook is given as text; when a
table sheet is read beside it, the lines go into the same HTML as paragraphs.

What a person means by the other sheets: a cover (表紙) gives the title, not rules; a contents page and a revision
history are not rules; a filled-in example (記入例) or a copy repeating the same items is not loaded twice; a
blank form (様式: labels and empty cells to fill) is kept apart as a form, as a form in a PDF is; a second sheet
of rules starts a part of its own (the parser's _PART_MARK) under the sheet's name; hidden sheets, hidden rows and
hidden columns are not read (a hidden row often holds a deleted rule), nor are struck-through rows, cell comments
and text boxes; each is named in the load report. Values are shown as the cell shows them (``xlsx_format``); a formula written by
a tool other than Excel has no saved result: a plain one (``=ROW()-4``, ``=B5+1``, a reference) is worked out, the
rest reported.

openpyxl reads the file in read-only mode, each sheet streamed through openpyxl's own sheet parser
(``WorkSheetParser``: rows, cells, merged ranges, column widths and hidden flags in one pass, bounded memory),
with a cap on the rows and cells read.
"""
from __future__ import annotations

import html
import re
import statistics
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from io import BytesIO

from knowledge.parser import _PART_MARK, _RE_DATE_ONLY, _RE_TITLE_NAME, _classify
from knowledge.readers import LoadRefused, Reading
from knowledge.readers.xlsx_format import format_code, shown

MAX_ROWS = 20_000          # rows read from one sheet: a checklist has hundreds
MAX_CELLS = 200_000        # cells with a value read from the whole workbook
_DEFAULT_WIDTH = 8.43      # Excel's column width when the sheet sets none (characters of the default font)

_RE_COVER = re.compile(r"表紙|カバー|^cover$", re.I)
_RE_CONTENTS = re.compile(r"^(?:目次|もくじ|contents|index)$", re.I)
_RE_HISTORY = re.compile(r"(?:改訂|改定|変更|更新|修正|改版)(?:履歴|記録)|^履歴$|^history$", re.I)
_RE_EXAMPLE = re.compile(r"記入例|記載例|入力例|回答例|見本|サンプル|^例$|[（(【]例[)）】]|^sample$|^example$", re.I)
_RE_FORM_NAME = re.compile(r"様式|申請書|届出?書?$|報告書|誓約書|名簿|台帳|記録簿|記入用")
_RE_FIELD = re.compile(r"^(?:氏\s*名|住\s*所|所在地|会社名?|事業者名|所属|代表者|商号|名称|電話(?:番号)?|署名|職名|役職|部署|担当者"
                       r"|届出者|申請者|報告者|提出日|記入日|作成日|連絡先|メール|E-?mail)[（(]?", re.I)
_RE_BLANK_DATE = re.compile(r"年[ \u3000]+月[ \u3000]+日|年[ \u3000]*月[ \u3000]+日")
_RE_RULE = re.compile(r"(?:こと|ない|ならない|する|いる|ます|ません|とする|できる|努める|もの)[。．]?$|。")
_TERMINATORS = tuple("。．.！？!?」』）)】：:")
_RE_GENERIC_NAME = re.compile(r"^(?:sheet|シート|ｓｈｅｅｔ)\s*[0-9０-９]*$", re.I)
_RE_VERSION = re.compile(r"^(?:第?\s*[0-9０-９.．]+\s*版|ver\.?\s*[0-9.]+|version\s*[0-9.]+)$", re.I)


@dataclass
class _Sheet:
    name: str
    state: str = "visible"
    cells: dict = field(default_factory=dict)        # (row, col) -> text as shown, every cell with a value
    raw: dict = field(default_factory=dict)          # (row, col) -> the Python value (numbers, for formulas)
    codes: dict = field(default_factory=dict)        # (row, col) -> number format code, cells with a style
    struck: set = field(default_factory=set)          # whole cell struck through
    wrapped: set = field(default_factory=set)         # 「折り返して全体を表示する」
    sizes: dict = field(default_factory=dict)         # (row, col) -> font size, for a cover's title
    merges: list = field(default_factory=list)        # (r1, c1, r2, c2)
    hidden_rows: set = field(default_factory=set)
    hidden_cols: set = field(default_factory=set)
    widths: dict = field(default_factory=dict)
    default_width: float = _DEFAULT_WIDTH
    comments: int = 0
    shapes: int = 0                                   # text boxes and other shapes holding text
    worked: int = 0                                   # formulas with no saved result, worked out here
    lost: list = field(default_factory=list)          # cells whose formula could not be worked out ("B12")
    errors: list = field(default_factory=list)        # cells showing an error value (#N/A, #REF!)
    truncated: bool = False
    print_edge: int | None = None                    # the last column of the print area, when one is set
    unread: bool = False                             # not read: the cap on cells was reached before it

    def width(self, col: int) -> float:
        return self.widths.get(col, self.default_width)


# ---------------------------------------------------------------------------
# Reading the workbook
# ---------------------------------------------------------------------------

def read(data: bytes, name: str) -> Reading:
    with warnings.catch_warnings():      # openpyxl's notes on parts it does not keep (extensions, drawings)
        warnings.simplefilter("ignore")
        return _read(data, name)


def _read(data: bytes, name: str) -> Reading:
    import openpyxl

    try:
        wb = openpyxl.load_workbook(BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except zipfile.BadZipFile:
        raise LoadRefused(f"{name}: Excel のファイルが壊れているため読み込めません。Excel で開けるか確かめ、"
                          "「名前を付けて保存」で .xlsx として保存し直してからお試しください。") from None
    except Exception as e:  # noqa: BLE001 - openpyxl raises many kinds for a damaged file
        raise LoadRefused(f"{name}: Excel のファイルとして読めませんでした（{type(e).__name__}）。Excel で開けるか確かめ、"
                          "「名前を付けて保存」で .xlsx として保存し直してからお試しください。") from None
    try:
        book = _Book(wb)
        sheets = []
        budget = [MAX_CELLS]
        for ws in wb.worksheets:
            sheets.append(book.sheet(ws, budget))
    except LoadRefused:
        raise
    except Exception as e:  # noqa: BLE001
        raise LoadRefused(f"{name}: Excel のファイルの中身を読めませんでした（{type(e).__name__}）。Excel で開けるか確かめ、"
                          "「名前を付けて保存」で .xlsx として保存し直してからお試しください。") from None
    finally:
        wb.close()
    macros = any(n.lower().endswith("vbaproject.bin") for n in zipfile.ZipFile(BytesIO(data)).namelist())
    return _reading(sheets, name, macros)


class _Book:
    """What a workbook's sheets need from it: styles (number formats, struck fonts, wrapping) and parts."""

    def __init__(self, wb):
        self.wb = wb
        self._styles: dict[int, tuple] = {}

    def style(self, sid: int) -> tuple[str, bool, bool, float]:
        """(format code, struck through, wrapped, font size) of a cell style id."""
        got = self._styles.get(sid)
        if got is None:
            wb = self.wb
            try:
                st = wb._cell_styles[sid]
                fid = st.numFmtId
                custom = wb._number_formats[fid - 164] if fid >= 164 else None
                font = wb._fonts[st.fontId]
                align = wb._alignments[st.alignmentId] if st.alignmentId < len(wb._alignments) else None
                got = (format_code(fid, custom), bool(font.strike), bool(align is not None and align.wrapText),
                       float(font.sz or 11))
            except (IndexError, AttributeError, TypeError):
                got = ("General", False, False, 11.0)
            self._styles[sid] = got
        return got

    def sheet(self, ws, budget: list[int]) -> _Sheet:
        sh = _Sheet(ws.title, getattr(ws, "sheet_state", "visible") or "visible")
        if sh.state != "visible":
            return sh          # not read at all
        if budget[0] <= 0:
            sh.unread = True   # the workbook's cells read up to the cap already
            return sh
        sh.comments, sh.shapes = self._comments(ws), self._shapes(ws)
        sh.print_edge = _print_edge(ws)
        parser = _Parser(self.wb._archive.open(ws._worksheet_path), self.wb)
        with parser.source:
            for idx, cells in parser.parse():
                if idx > MAX_ROWS or budget[0] <= 0:
                    sh.truncated = True
                    for pos in [p for p in parser.formulas if p[0] >= idx]:
                        del parser.formulas[pos]          # (the row not read)
                    break
                for c in cells:
                    value = c["value"]
                    pos = (c["row"], c["column"])
                    code, strike, wrap, size = self.style(c["style_id"]) if c["style_id"] else ("General", False, False, 11.0)
                    if value is None:
                        if pos in parser.formulas:
                            sh.codes[pos] = code
                        continue
                    if c["data_type"] == "e":       # #N/A, #REF!: an error, no text
                        sh.errors.append(_coord(*pos))
                        continue
                    text = _cell_text(value, code, self.wb.epoch)
                    if not text.strip():
                        continue
                    budget[0] -= 1
                    sh.cells[pos] = text
                    if isinstance(value, (int, float)) and not isinstance(value, bool):
                        sh.raw[pos] = value
                    if strike:
                        sh.struck.add(pos)
                    if wrap:
                        sh.wrapped.add(pos)
                    sh.sizes[pos] = size
        sh.hidden_rows = parser.hidden_rows
        for attrs in parser.column_dimensions.values():
            try:
                lo, hi = int(attrs.get("min", 0)), int(attrs.get("max", 0))
            except ValueError:
                continue
            hidden = attrs.get("hidden") in ("1", "true")
            for col in range(lo, min(hi, lo + 16384) + 1):
                if hidden:
                    sh.hidden_cols.add(col)
                if attrs.get("width"):
                    try:
                        sh.widths[col] = float(attrs["width"])
                    except ValueError:
                        pass
        fmt = getattr(parser, "sheet_format", None)
        if fmt is not None:
            if getattr(fmt, "defaultColWidth", None):
                sh.default_width = float(fmt.defaultColWidth)
            elif getattr(fmt, "baseColWidth", None):
                sh.default_width = float(fmt.baseColWidth) + 0.71
        if sh.truncated:
            refs = _merge_refs(self.wb._archive, ws._worksheet_path)     # (after the rows not read)
        else:
            refs = [m.ref for m in parser.merged_cells.mergeCell] if parser.merged_cells is not None else []
        for ref in refs:
            got = _range(ref)
            if got and got[0] <= MAX_ROWS:
                sh.merges.append(got)
        _work_out(sh, parser.formulas)
        return sh

    def _related(self, ws, rel_type: str):
        """The bytes of each part of this kind the sheet points to (its drawings, its comments)."""
        from openpyxl.packaging.relationship import get_dependents, get_rels_path

        archive = self.wb._archive
        path = get_rels_path(ws._worksheet_path)
        if path not in archive.namelist():
            return
        for rel in get_dependents(archive, path).find(rel_type):
            yield archive.read(rel.target.lstrip("/"))

    def _shapes(self, ws) -> int:
        """Shapes holding text (text boxes, callouts) drawn over the sheet: counted for the report, not read (they float
        over the cells, and a rule in one is often a note to the reader)."""
        n = 0
        try:
            for part in self._related(ws, _DRAWING_REL):
                xml = part.decode("utf-8", "replace")
                n += sum(1 for body in re.findall(r"<(?:\w+:)?txBody>(.*?)</(?:\w+:)?txBody>", xml, re.S)
                         if re.search(r"<a:t>[^<]*\S", body))
        except (KeyError, ValueError, TypeError, AttributeError):
            return n
        return n

    def _comments(self, ws) -> int:
        """Cell comments (notes) on the sheet: counted for the report, never read as text."""
        from openpyxl.xml.constants import COMMENTS_NS

        n = 0
        try:
            for part in self._related(ws, COMMENTS_NS):
                n += part.count(b"<comment ")
        except (KeyError, ValueError, TypeError, AttributeError):
            return n
        return n


_DRAWING_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"
_RE_MERGE_REF = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]{1,3}[0-9]{1,7}:[A-Z]{1,3}[0-9]{1,7})\"")


def _merge_refs(archive, path: str) -> list[str]:
    """The merged ranges of a sheet cut at the cap: they come after all its rows, so its XML is scanned for them a
    megabyte at a time rather than parsed."""
    refs: dict[str, None] = {}          # (a range in the overlap of two reads is found twice: kept once)
    tail = b""
    with archive.open(path) as fh:
        while True:
            chunk = fh.read(1 << 20)
            if not chunk:
                break
            buf = tail + chunk
            refs.update((m.group(1).decode("ascii"), None) for m in _RE_MERGE_REF.finditer(buf))
            tail = buf[-64:]
    return list(refs)


def _print_edge(ws) -> int | None:
    """The last column of the sheet's print area (「印刷範囲の設定」), the right edge its author wrote to."""
    try:
        area = ws._print_area               # set by openpyxl from the workbook's Print_Area name
        if not area:
            return None
        from openpyxl.utils import range_boundaries

        return range_boundaries(str(area).split(",")[0].split("!")[-1].replace("$", ""))[2]
    except (AttributeError, ValueError, TypeError, IndexError):
        return None


def _parser_class():
    from openpyxl.formula.translate import Translator
    from openpyxl.utils.datetime import WINDOWS_EPOCH
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

    class Parser(WorkSheetParser):
        """openpyxl's streaming sheet parser, keeping of each row only whether it is hidden, and noting the
        cells whose formula has no saved result (a file written by a tool other than Excel)."""

        def __init__(self, src, wb):
            super().__init__(src, wb.shared_strings if hasattr(wb, "shared_strings") else [], data_only=True,
                             epoch=getattr(wb, "epoch", WINDOWS_EPOCH), date_formats=wb._date_formats,
                             timedelta_formats=wb._timedelta_formats)
            self.hidden_rows: set[int] = set()
            self.formulas: dict[tuple[int, int], str] = {}
            self._shared: dict[str, tuple[str, str]] = {}

        def parse_row(self, row):
            attrs = row.attrib
            try:
                self.row_counter = int(float(attrs["r"])) if "r" in attrs else self.row_counter + 1
            except ValueError:
                self.row_counter += 1
            self.col_counter = 0
            if attrs.get("hidden") in ("1", "true"):
                self.hidden_rows.add(self.row_counter)
            return self.row_counter, [self.parse_cell(el) for el in row]

        def parse_cell(self, element):
            c = super().parse_cell(element)
            f = element.find(FORMULA_TAG)
            if f is not None:
                text = f.text or ""
                coord = element.get("r") or _coord(c["row"], c["column"])
                if f.get("t") == "shared":
                    si = f.get("si")
                    if text:
                        self._shared[si] = ("=" + text, coord)
                    elif si in self._shared:
                        try:
                            text = Translator(*self._shared[si]).translate_formula(coord)[1:]
                        except Exception:  # noqa: BLE001
                            text = ""
                if c["value"] is None:
                    self.formulas[(c["row"], c["column"])] = text
            return c

    return Parser


_PARSER = None


def _Parser(src, wb):  # noqa: N802 - a class made once, on first use
    global _PARSER
    if _PARSER is None:
        _PARSER = _parser_class()
    return _PARSER(src, wb)


def _cell_text(value, code: str, epoch) -> str:
    if isinstance(value, str):
        return value.replace("_x000D_", "").replace("\r\n", "\n").replace("\r", "\n")
    return shown(value, code, epoch).strip()


def _coord(row: int, col: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col)}{row}"


def _range(ref: str) -> tuple[int, int, int, int] | None:
    from openpyxl.utils import range_boundaries

    try:
        c1, r1, c2, r2 = range_boundaries(ref)
    except (ValueError, TypeError):
        return None
    if None in (c1, r1, c2, r2):
        return None
    return r1, c1, r2, c2


# ---------------------------------------------------------------------------
# Formulas with no saved result: the plain ones worked out
# ---------------------------------------------------------------------------

_RE_FTOKEN = re.compile(r'\s*(?:(?P<str>"(?:[^"]|"")*")|(?P<num>\d+(?:\.\d+)?)|(?P<ref>\$?[A-Z]{1,3}\$?\d+)(?![\w(])'
                        r'|(?P<fn>[A-Z]+)\(|(?P<op>[-+*/&(),]))')


class _Unknown(Exception):
    pass


def _work_out(sh: _Sheet, formulas: dict) -> None:
    """Evaluate the plain formulas (numbers, strings, same-sheet references, + - * / &, ROW(), COLUMN())."""
    if not formulas:
        return
    from openpyxl.utils import coordinate_to_tuple

    memo: dict = {}

    def value_at(pos, depth):
        if pos in sh.raw:
            return sh.raw[pos]
        if pos in sh.cells:
            return sh.cells[pos]
        if pos in formulas:
            if pos not in memo:
                if depth > 50:
                    raise _Unknown
                memo[pos] = None
                memo[pos] = evaluate(formulas[pos], pos, depth + 1)
            if memo[pos] is None:
                raise _Unknown
            return memo[pos]
        return 0

    def evaluate(text, pos, depth):
        toks, i = [], 0
        text = text.strip()
        while i < len(text):
            m = _RE_FTOKEN.match(text, i)
            if not m or m.end() == i:
                raise _Unknown
            toks.append((m.lastgroup, m.group(m.lastgroup)))
            i = m.end()
        at = [0]

        def peek():
            return toks[at[0]] if at[0] < len(toks) else (None, None)

        def take():
            t = peek()
            at[0] += 1
            return t

        def concat():
            v = additive()
            while peek() == ("op", "&"):
                take()
                v = _as_text(v) + _as_text(additive())
            return v

        def additive():
            v = term()
            while peek()[0] == "op" and peek()[1] in "+-":
                op = take()[1]
                w = term()
                v = _as_number(v) + _as_number(w) if op == "+" else _as_number(v) - _as_number(w)
            return v

        def term():
            v = unary()
            while peek()[0] == "op" and peek()[1] in "*/":
                op = take()[1]
                w = _as_number(unary())
                if op == "/" and w == 0:
                    raise _Unknown
                v = _as_number(v) * w if op == "*" else _as_number(v) / w
            return v

        def unary():
            if peek() == ("op", "-"):
                take()
                return -_as_number(unary())
            if peek() == ("op", "+"):
                take()
            return primary()

        def primary():
            kind, tok = take()
            if kind == "num":
                return float(tok) if "." in tok else int(tok)
            if kind == "str":
                return tok[1:-1].replace('""', '"')
            if kind == "ref":
                return value_at(coordinate_to_tuple(tok.replace("$", "")), depth)
            if kind == "op" and tok == "(":
                v = concat()
                if take() != ("op", ")"):
                    raise _Unknown
                return v
            if kind == "fn" and tok in ("ROW", "COLUMN"):
                if peek() == ("op", ")"):
                    take()
                    return pos[0] if tok == "ROW" else pos[1]
                k, ref = take()
                if k != "ref" or take() != ("op", ")"):
                    raise _Unknown
                r, c = coordinate_to_tuple(ref.replace("$", ""))
                return r if tok == "ROW" else c
            raise _Unknown

        v = concat()
        if at[0] != len(toks):
            raise _Unknown
        return v

    for pos in sorted(formulas):
        try:
            v = value_at(pos, 0)
        except (_Unknown, RecursionError, ValueError, TypeError):
            sh.lost.append(_coord(*pos))
            continue
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        text = v if isinstance(v, str) else shown(v, sh.codes.get(pos, "General"))
        if isinstance(v, (int, float)):
            sh.raw[pos] = v
        if str(text).strip():
            sh.cells[pos] = str(text)
        sh.worked += 1


def _as_number(v):
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, (int, float)):
        return v
    try:
        return float(v) if "." in v else int(v or 0)
    except (TypeError, ValueError):
        raise _Unknown from None


def _as_text(v) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return v if isinstance(v, str) else str(v)


# ---------------------------------------------------------------------------
# What is on the screen: visible cells, merged ranges placed on visible cells
# ---------------------------------------------------------------------------

@dataclass
class _Grid:
    cells: dict                 # (row, col) -> text, visible cells with text (a merged range at its first visible cell)
    spans: dict                 # (row, col) -> (r2, c2): a merged range's visible extent
    rows_hidden_text: int       # hidden rows that held text
    cols_hidden_text: int
    struck_rows: int = 0        # rows whose main text is struck through (a deleted rule), left out
    head_lines: int = 0         # lines above a second sheet's title (issuer, date), left out


def _grid(sh: _Sheet) -> _Grid:
    cells = {}
    spans = {}
    covered = set()
    for r1, c1, r2, c2 in sh.merges:
        rows = [r for r in range(r1, r2 + 1) if r not in sh.hidden_rows]
        cols = [c for c in range(c1, c2 + 1) if c not in sh.hidden_cols]
        if (r2 - r1 + 1) * (c2 - c1 + 1) > 100_000:
            continue
        text = sh.cells.get((r1, c1))
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                covered.add((r, c))
        if rows and cols and text is not None:
            cells[(rows[0], cols[0])] = text
            spans[(rows[0], cols[0])] = (rows[-1], cols[-1])
    hidden_rows, hidden_cols = set(), set()
    for pos, text in sh.cells.items():
        if pos in covered:
            continue
        r, c = pos
        if r in sh.hidden_rows:
            hidden_rows.add(r)
            continue
        if c in sh.hidden_cols:
            hidden_cols.add(c)
            continue
        cells[pos] = text
    # a row whose longest text is struck through is a deleted rule: its number and its note go with it
    by_row: dict[int, list] = {}
    for pos in cells:
        by_row.setdefault(pos[0], []).append(pos)
    struck = 0
    for r, ps in by_row.items():
        main = max(ps, key=lambda p: len(cells[p].strip()))
        if main in sh.struck:
            struck += 1
            for p in ps:
                del cells[p]
                spans.pop(p, None)
    return _Grid(cells, spans, len(hidden_rows), len(hidden_cols), struck)


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "FWA" else 1 for ch in s)


# ---------------------------------------------------------------------------
# Which sheets hold the rules
# ---------------------------------------------------------------------------

def _texts(g: _Grid) -> list[str]:
    return [t.strip() for _, t in sorted(g.cells.items()) if t.strip()]


def _worded(g: _Grid) -> bool:
    """Whether a sheet holds any words (not only numbers, dates and marks)."""
    return any(re.search(r"[^\W\d_]", t) for t in g.cells.values())


def _rule_cells(texts: list[str]) -> int:
    return sum(1 for t in texts if len(t) >= 10 and _RE_RULE.search(t.split("\n")[-1].strip()))


def _form_like(name: str, texts: list[str], g: _Grid) -> bool:
    """A blank form: labels with cells to fill (氏名, 所属, 「年　月　日」), fewer than three rule sentences."""
    if _rule_cells(texts) >= 3:
        return False
    fields = sum(1 for t in texts if (_RE_FIELD.match(t) and len(t) <= 16) or _RE_BLANK_DATE.search(t)
                 or t in ("印", "㊞"))
    return bool(_RE_FORM_NAME.search(name) and fields >= 1) or fields >= 3


def _cover_like(texts: list[str]) -> bool:
    return len(texts) <= 12 and not any("。" in t for t in texts) and _rule_cells(texts) == 0


def _cover_title(sh: _Sheet, g: _Grid) -> str | None:
    """The title on a cover: the largest type (then the longest text) that reads as a document's name."""
    best = None
    for pos, t in g.cells.items():
        s = re.sub(r"[ \t]*\n[ \t]*", " ", t).strip()
        if not s or _RE_DATE_ONLY.match(s) or _RE_VERSION.match(s) or not _RE_TITLE_NAME.search(s.replace(" ", "")):
            continue
        key = (sh.sizes.get(pos, 11.0), len(s))
        if best is None or key > best[0]:
            best = (key, s)
    return best[1] if best else None


def _head_title(sh: _Sheet, g: _Grid) -> str | None:
    """The title a sheet shows at its top (a row of one text above its table or first sentence), taken out of the
    grid; None when there is none."""
    by_row: dict[int, list] = {}
    for (r, c) in g.cells:
        by_row.setdefault(r, []).append(c)
    best = None
    for r in sorted(by_row)[:8]:
        texts = [g.cells[(r, c)].strip() for c in by_row[r]]
        if len(texts) > 1 or "。" in texts[0]:
            break
        s = re.sub(r"\s*\n\s*", " ", texts[0])
        if _RE_TITLE_NAME.search(s.replace(" ", "")) and not _RE_DATE_ONLY.match(s) and len(s) <= 60:
            key = (sh.sizes.get((r, by_row[r][0]), 11.0), len(s))
            if best is None or key > best[0]:
                best = (key, s, (r, by_row[r][0]))
    if best is None:
        return None
    # the title, and the lines above it (the issuing section, the date): the part's name, no rules
    above = [(r, c) for (r, c) in g.cells if r < best[2][0]]
    for pos in above + [best[2]]:
        del g.cells[pos]
        g.spans.pop(pos, None)
    g.head_lines = len(above)
    return best[1]


def _long_texts(texts: list[str]) -> set[str]:
    return {re.sub(r"\s+", "", t) for t in texts if len(t) >= 10}


# ---------------------------------------------------------------------------
# Excel 方眼紙: lines by the column they start in
# ---------------------------------------------------------------------------

@dataclass
class _Line:
    row: int
    x: float            # where the text starts, in column-width units from the sheet's left
    end: float          # where it ends
    text: str


def _is_grid_paper(sh: _Sheet, g: _Grid) -> bool:
    """Narrow columns, most text running over the empty cells to its right (or a merged range as wide as a line),
    and rows of one run of text each."""
    if len(g.cells) < 4:
        return False
    cols = sorted({c for _, c in g.cells})
    span = range(cols[0], max(cols[-1], max((s[1] for s in g.spans.values()), default=0)) + 1)
    widths = [sh.width(c) for c in span if c not in sh.hidden_cols]
    if not widths or statistics.median(widths) > 4.5:
        return False
    over = 0
    for (r, c), t in g.cells.items():
        r2, c2 = g.spans.get((r, c), (r, c))
        box = sum(sh.width(k) for k in range(c, c2 + 1) if k not in sh.hidden_cols)
        longest = max(_width(x) for x in t.split("\n"))
        if (longest > box + 2 and (r, c) not in sh.wrapped) or box >= 30:
            over += 1
    rows: dict[int, int] = {}
    for r, _ in g.cells:
        rows[r] = rows.get(r, 0) + 1
    single = sum(1 for n in rows.values() if n <= 2)
    return over >= 0.5 * len(g.cells) and single >= 0.7 * len(rows)


def _grid_lines(sh: _Sheet, g: _Grid) -> tuple[list[_Line | None], int]:
    """The sheet's lines in order (None for a gap of empty rows), a sentence continued on the next row joined
    back; and how many such joins were made."""
    cols = sorted({c for _, c in g.cells})
    left = cols[0]
    xs: dict[int, float] = {}
    x = 0.0
    for c in range(left, max(cols[-1], (sh.print_edge or 0) + 1) + 1):
        xs[c] = x
        if c not in sh.hidden_cols:
            x += sh.width(c)
    by_row: dict[int, list] = {}
    for (r, c), t in g.cells.items():
        by_row.setdefault(r, []).append((c, t))
    lines: list[_Line] = []
    for r in sorted(by_row):
        parts = sorted(by_row[r])
        texts = []
        for c, t in parts:
            t = re.sub(r"\s*\n\s*", "", t) if "\n" in t else t
            texts.append(t.rstrip())
        lead = len(texts[0]) - len(texts[0].lstrip(" \u3000"))
        start = xs[parts[0][0]] + sum(2 if ch == "\u3000" else 1 for ch in texts[0][:lead])
        text = "\u3000".join(t.strip(" \u3000") for t in texts if t.strip(" \u3000"))
        end = xs[parts[-1][0]] + _width(texts[-1])
        lines.append(_Line(r, start, end, text))
    if not lines:
        return [], 0
    printed = xs.get(sh.print_edge + 1) if sh.print_edge else None
    edge = _right_edge([ln.end for ln in lines], printed)       # (the rows as typed, before any is joined)
    visible_between = lambda a, b: any(k not in sh.hidden_rows for k in range(a + 1, b))  # noqa: E731
    hang = None
    for _ in range(2):
        # the first pass learns where this author starts a sentence's next row (one column right of the paragraph's
        # first row, say); the second also joins a row after one that ends its sentence right at the edge, when
        # it starts there: the paragraph's next sentence, not a paragraph of its own
        out: list[_Line | None] = []
        joins, offsets = 0, []
        for ln in lines:
            prev = out[-1] if out else None
            if prev is not None and not visible_between(prev.row, ln.row) and (
                    _continues(prev, ln, edge) or _next_sentence(prev, ln, edge, hang)):
                offsets.append(round(ln.x - prev.x, 1))
                prev.text = _glue(prev.text, ln.text)
                prev.end, prev.row = ln.end, ln.row
                joins += 1
                continue
            if prev is not None and visible_between(prev.row, ln.row):
                out.append(None)
            out.append(_Line(ln.row, ln.x, ln.end, ln.text))
        common = max(set(offsets), key=offsets.count) if offsets else None
        if hang is not None or common is None or common <= 0 or offsets.count(common) < 2:
            break
        hang = common
    return out, joins


def _next_sentence(prev: _Line, ln: _Line, edge: float, hang: float | None) -> bool:
    """A row starting where this author's rows carry a paragraph on (``hang`` right of its first row), after a row that
    ends its sentence right at the edge: the paragraph goes on with its next sentence."""
    if hang is None or prev.end < edge - 2 or abs(ln.x - prev.x - hang) > 0.5:
        return False
    return _classify(ln.text).kind == "text" and not re.match(r"^[・●○◆◇■□※＊\-]", ln.text)


def _right_edge(ends: list[float], printed: float | None) -> float:
    """Where the author's lines stop: the print area's right edge when the sheet sets one, else the furthest place
    that at least two lines reach (within a character), so that one line running past it does not move it."""
    if printed:
        return printed
    ends = sorted(ends, reverse=True)
    for k, e in enumerate(ends[:-1]):
        if ends[k + 1] >= e - 2:
            return e
    return ends[0] if ends else 0.0


_RE_OPENS = re.compile(r"[（(「『【〔［]")
_RE_CLOSES = re.compile(r"[）)」』】〕］]")


def _continues(prev: _Line, ln: _Line, edge: float) -> bool:
    """Whether a row carries on the sentence of the row above: this row starts with no number or mark of its own,
    and the row above stops in the middle of a sentence (or inside brackets) where the next words would not have fit
    before the right edge: at the edge, or a few characters short of it at a 「、」."""
    if re.match(r"^[、。，．）」』】〕)]", ln.text):
        return True                   # 「…（以下「本業務」という。」 / 「）の実施に…」
    unclosed = len(_RE_OPENS.findall(prev.text)) > len(_RE_CLOSES.findall(prev.text))
    if prev.text.endswith(_TERMINATORS) and not unclosed:
        return False
    if _classify(ln.text).kind != "text" or re.match(r"^[・●○◆◇■□※＊\-]", ln.text):
        return False
    phrase = re.match(r"^[^、。，．]*[、。，．]?", ln.text).group()
    return prev.end >= edge - 4 or prev.end + _width(phrase[:40]) > edge


def _glue(a: str, b: str) -> str:
    if re.search(r"[A-Za-z0-9]$", a) and re.match(r"[A-Za-z0-9]", b):
        return a + " " + b
    return a + b


def _indents(lines: list[_Line | None]) -> dict[int, int]:
    """Each line's indent in full-width characters from the leftmost line (a column width unit is about half a
    full-width character)."""
    real = [ln for ln in lines if ln is not None]
    left = min((ln.x for ln in real), default=0.0)
    return {id(ln): max(0, round((ln.x - left) / 2)) for ln in real}


# ---------------------------------------------------------------------------
# A table sheet as HTML
# ---------------------------------------------------------------------------

def _table_html(sh: _Sheet, g: _Grid) -> tuple[str, int]:
    """The sheet as one <table>, columns and rows with no text left out, merged ranges as colspan/rowspan on the
    columns and rows kept; a row repeating an earlier row of column names is dropped (the header copied at each
    page break). Returns (html, header rows dropped)."""
    import bisect

    if not g.cells:
        return "", 0
    _continued_rows(g)
    used_cols = sorted({c for _, c in g.cells})
    _running_over(sh, g, used_cols)
    kept_rows = sorted({r for r, _ in g.cells})
    by_row: dict[int, list] = {}
    for r, c in g.cells:
        by_row.setdefault(r, []).append(c)
    covered: set = set()
    extent: dict = {}                  # anchor -> (rowspan, colspan) over the rows and columns kept
    for (r, c), (r2, c2) in g.spans.items():
        rows = kept_rows[bisect.bisect_left(kept_rows, r):bisect.bisect_right(kept_rows, r2)]
        cols = used_cols[bisect.bisect_left(used_cols, c):bisect.bisect_right(used_cols, c2)]
        extent[(r, c)] = (len(rows), len(cols))
        covered.update((rr, cc) for rr in rows for cc in cols if (rr, cc) != (r, c))
    seen_heads: set = set()
    dropped_heads = 0
    rows_html = []
    for r in kept_rows:
        cols = sorted(by_row[r])
        texts = tuple(g.cells[(r, c)].strip() for c in cols)
        if len(texts) >= 2 and all(len(t) <= 12 and "。" not in t and "\n" not in t for t in texts) \
                and not any(extent.get((r, c), (1, 1))[0] > 1 for c in cols):
            if texts in seen_heads:
                dropped_heads += 1          # the header copied at a page break
                continue
            seen_heads.add(texts)
        cells = []
        for c in used_cols:
            if (r, c) in covered:
                continue
            if (r, c) not in g.cells:
                cells.append("<td></td>")
                continue
            rowspan, colspan = extent.get((r, c), (1, 1))
            attrs = (f' colspan="{colspan}"' if colspan > 1 else "") + (f' rowspan="{rowspan}"' if rowspan > 1 else "")
            cells.append(f"<td{attrs}>{_cell_html(g.cells[(r, c)], (r, c) in sh.struck)}</td>")
        rows_html.append("<tr>" + "".join(cells) + "</tr>")
    return "<table>\n" + "\n".join(rows_html) + "\n</table>", dropped_heads


def _running_over(sh: _Sheet, g: _Grid, used_cols: list[int]) -> None:
    """A row of one text running over the empty cells beside it (a title, a date, a note typed in one cell, not
    wrapped): as wide as the table, as a cell merged across is; Excel's web page writes it so too."""
    rows: dict[int, list[int]] = {}
    for r, c in g.cells:
        rows.setdefault(r, []).append(c)
    # the rows a range merged down from a row above crosses (a 区分 beside its rows): such a row is a table's row
    down = [(r0, r1) for (r0, _), (r1, _) in g.spans.items() if r1 > r0]
    for r, cols in rows.items():
        c = cols[0]
        if len(cols) != 1 or (r, c) in g.spans or (r, c) in sh.wrapped or len(used_cols) < 2:
            continue
        if _width(max(g.cells[(r, c)].split("\n"), key=_width)) <= sh.width(c) + 1:
            continue                 # it fits its cell: a table cell whose neighbours are empty
        if any(r0 < r <= r1 for r0, r1 in down):
            # 「(1)　…」 under its lead-in, beside the 区分 merged down: spilling right over its empty cells, as Excel shows
            # it, not a title across the table (moved under the merged cell, it would be lost)
            continue
        g.cells[(r, used_cols[0])] = g.cells.pop((r, c))
        if (r, c) in sh.struck:
            sh.struck.add((r, used_cols[0]))
        g.spans[(r, used_cols[0])] = (r, used_cols[-1])


def _continued_rows(g: _Grid) -> None:
    """A table row holding only the rest of the sentence in the cell above it (no number, no other cell: the text typed
    on into the next row instead of wrapped in its cell) is put back into that cell, on a line of its own as Alt+Enter
    would have put it."""
    rows: dict[int, list[int]] = {}
    for r, c in g.cells:
        rows.setdefault(r, []).append(c)
    order = sorted(rows)
    home = None                       # the row the rows just read were put back into
    for prev, r in zip(order, order[1:]):
        target = home if home is not None else prev
        home = None
        if len(rows[r]) != 1 or (r, rows[r][0]) in g.spans:
            continue
        c = rows[r][0]
        above = (target, c)
        if above not in g.cells or len(rows[target]) < 2 or g.spans.get(above, above)[0] != target:
            continue
        text, head = g.cells[(r, c)].strip(), g.cells[above].rstrip()
        unclosed = len(_RE_OPENS.findall(head)) > len(_RE_CLOSES.findall(head))
        if (head.endswith(_TERMINATORS) and not unclosed) or _classify(text).kind != "text":
            continue
        g.cells[above] = head + "\n" + text
        del g.cells[(r, c)]
        home = target                 # (a third line may follow)


def _cell_html(text: str, struck: bool) -> str:
    lines = [html.escape(x.strip(" \t")) for x in text.strip("\n").split("\n")]
    body = "<br>".join(x for x in lines)
    return f"<s>{body}</s>" if struck else body


def _lines_html(lines: list[_Line | None]) -> str:
    out = []
    for ln in lines:
        if ln is not None:
            out.append(f"<p>{html.escape(ln.text)}</p>")
    return "\n".join(out)


def _lines_text(lines: list[_Line | None]) -> str:
    ind = _indents(lines)
    out = []
    for ln in lines:
        out.append("" if ln is None else "\u3000" * ind[id(ln)] + ln.text)
    return "\n".join(out)


def _form_text(g: _Grid) -> str:
    """A form sheet as lines: each row's cells in order, an empty cell to fill after a label shown as a blank."""
    by_row: dict[int, list] = {}
    for (r, c), t in g.cells.items():
        by_row.setdefault(r, []).append((c, re.sub(r"\s*\n\s*", " ", t.strip())))
    return "\n".join("\u3000".join(t for _, t in sorted(by_row[r])) for r in sorted(by_row))


# ---------------------------------------------------------------------------
# The reading
# ---------------------------------------------------------------------------

def _quoted(names: list[str]) -> str:
    return "".join(f"「{n}」" for n in names)


def _sort_sheets(candidates: list[tuple[_Sheet, _Grid]]):
    """What a person means by each sheet: (sheets of rules, forms, the cover's title, what was left out and why, a
    warning when a sheet had to be read as the only copy of the rules)."""
    skipped: list[tuple[_Sheet, str]] = []
    rules: list[tuple[_Sheet, _Grid]] = []
    examples: list[tuple[_Sheet, _Grid]] = []
    forms: list[tuple[_Sheet, _Grid, str]] = []
    title = None
    others = len(candidates) > 1
    for s, g in candidates:
        texts = _texts(g)
        if others and _RE_CONTENTS.match(s.name.strip()):
            skipped.append((s, f"シート「{s.name}」: 目次のため読み込んでいません"))
        elif others and _RE_HISTORY.search(s.name):
            skipped.append((s, f"シート「{s.name}」: 改訂の履歴のため規定として読み込んでいません"))
        elif others and (_RE_COVER.search(s.name) or (s is candidates[0][0] and _cover_like(texts))):
            title = title or _cover_title(s, g)
            skipped.append((s, f"シート「{s.name}」: 表紙のため規定として読み込んでいません"
                               + (f"（表題「{title}」として使いました）" if title else "")))
        elif others and _RE_EXAMPLE.search(s.name):
            examples.append((s, g))
            skipped.append((s, f"シート「{s.name}」: 記入例のため読み込んでいません（規定を二重に読み込まないため）"))
        elif _form_like(s.name, texts, g) and (others or _rule_cells(texts) == 0):
            form_title = next((t for t in texts if not _RE_DATE_ONLY.match(t) and not t.startswith("様式")
                               and _RE_TITLE_NAME.search(t)), None) or s.name
            forms.append((s, g, form_title))
            skipped.append((s, f"シート「{s.name}」: 記入用の様式（{form_title}）のため規定として読み込んでいません"))
        else:
            rules.append((s, g))
    fallback = None
    if not rules:
        # no sheet of rules but a filled-in example (the only copy of them), or else a form or a cover: read that
        # rather than nothing, and say so
        rules = examples or [(s, g) for s, g, _ in forms] or candidates
        names = _quoted([s.name for s, _ in rules])
        fallback = (f"規定の書かれたシートが記入例のシート{names}しかないため、これを読みました（記入済みの欄も含まれます）"
                    if examples else f"規定の書かれたシートが見当たらないため、シート{names}を読みました")
        forms = []
    read = {id(s) for s, _ in rules}
    skipped = [why for s, why in skipped if id(s) not in read]
    # a sheet repeating the items of a sheet read before it (a filled-in copy, a month's copy): read once
    kept: list[tuple[_Sheet, _Grid]] = []
    for s, g in rules:
        mine = _long_texts(_texts(g))
        twin = next((k for k, kg in kept if len(mine) >= 3 and len(mine & _long_texts(_texts(kg))) >= 0.8 * len(mine)),
                    None)
        if twin is not None:
            skipped.append(f"シート「{s.name}」: シート「{twin.name}」と同じ項目の繰り返し（記入済みの写しなど）のため、"
                           "二重に読み込まないよう除きました")
            continue
        kept.append((s, g))
    return kept, [(t, _form_text(g)) for _, g, t in forms], title, skipped, fallback


def _reading(sheets: list[_Sheet], name: str, macros: bool) -> Reading:
    hidden = [s.name for s in sheets if s.state != "visible"]
    unread = [s.name for s in sheets if s.unread]
    shown_sheets = [(s, _grid(s)) for s in sheets if s.state == "visible" and not s.unread]
    empty = [s.name for s, g in shown_sheets if not _worded(g)]
    candidates = [(s, g) for s, g in shown_sheets if _worded(g)]
    lost = sum(len(s.lost) for s in sheets)
    if not candidates:
        if lost:
            raise LoadRefused(f"{name}: 数式の計算結果が保存されていないため、セルの文字を読めませんでした。Excel で開いて"
                              "上書き保存してから、もう一度お試しください。")
        if hidden:
            raise LoadRefused(f"{name}: Excel のブックの表示されているシートに、文字の入ったセルが見つかりませんでした。"
                              f"非表示のシート{_quoted(hidden)}は読み込みません。そこに規定があるときは、シートを再表示して"
                              "保存し直してからお試しください。")
        raise LoadRefused(f"{name}: Excel のブックに文字の入ったセルが見つかりませんでした（数字や日付だけのセルは"
                          "規定として読めません）。特記事項やチェックシートの本文が入ったファイルを指定してください。")
    r = Reading("", "html", "xlsx")
    kept, forms, title, skipped, fallback = _sort_sheets(candidates)
    if fallback:
        r.warnings.append(fallback)
    grids = {id(s): _is_grid_paper(s, g) for s, g in kept}
    as_text = all(grids.values())
    parts = []
    heads_total = 0
    for s, g in kept:
        if parts:
            # a second sheet of rules starts a part of its own, under the sheet's name; the title row at its top
            # (「…チェックシート」 in a merged cell) names it too, and is no rule to glue to the first sentence
            shows = _head_title(s, g)
            if shows and _RE_GENERIC_NAME.match(s.name.strip()):
                mark = _PART_MARK + shows          # 「Sheet2」 names nothing: the title the sheet shows does
            else:
                mark = _PART_MARK + s.name + (_PART_MARK + shows if shows else "")
            parts.append(mark if as_text else f"<p>{html.escape(mark)}</p>")
        if grids[id(s)]:
            lines, joins = _grid_lines(s, g)
            parts.append(_lines_text(lines) if as_text else _lines_html(lines))
            r.sheets.append((s.name, "方眼紙" + (f"、行をまたぐ文 {joins} か所をつなぎました" if joins else "")))
        else:
            table, heads = _table_html(s, g)
            heads_total += heads
            parts.append(table)
            r.sheets.append((s.name, "表"))
    if as_text:
        r.text, r.fmt = "\n\n".join(parts), "auto"
    else:
        r.text = "<html><body>\n" + "\n".join(parts) + "\n</body></html>"
    r.title = title
    r.forms = forms
    r.dropped.extend(skipped)
    if hidden:
        r.dropped.append(f"非表示のシート{_quoted(hidden)}は読み込んでいません")
    for s, g in kept:
        bits = [f"{what} {n} {what}" for n, what in ((g.rows_hidden_text, "行"), (g.cols_hidden_text, "列")) if n]
        if bits:
            r.dropped.append(f"シート「{s.name}」の非表示の{'と'.join(bits)}（文字の入ったもの）は読み込んでいません（削除された規定や作業用のメモの"
                             "ことがあります）")
    for s, g in kept:
        if g.head_lines:
            r.dropped.append(f"シート「{s.name}」の表題の上の行（作成した課・日付など、{g.head_lines} 行）")
    struck = sum(g.struck_rows for _, g in kept)
    if struck:
        r.dropped.append(f"取り消し線の付いた行（削除された規定、{struck} 行）")
    if heads_total:
        r.dropped.append(f"ページごとに繰り返された表の見出し行（{heads_total} 行）")
    comments = sum(s.comments for s, _ in kept)
    if comments:
        r.dropped.append(f"セルのメモ（コメント）{comments} 件: 規定の本文ではないため読み込んでいません")
    if empty:
        r.dropped.append(f"空のシート{_quoted(empty)}")
    if macros:
        r.dropped.append("マクロ（VBA）: 読み込まず、実行もしていません")
    for s, _ in kept:
        if s.shapes:
            r.warnings.append(f"シート「{s.name}」の図形（テキストボックスなど）{s.shapes} 個の文字は読み込んでいません。規定が"
                              "書かれていれば、セルに書き写すか PDF にしてから読み込んでください")
    if unread:
        r.warnings.append(f"読み込むセルの上限（{MAX_CELLS:,} セル）に達したため、シート{_quoted(unread)}は読んでいません")
    for s, _ in kept:
        if s.worked:
            r.warnings.append(f"シート「{s.name}」の数式のセル {s.worked} 個は計算結果が保存されていなかったため、式から値を"
                              "求めました（番号などが Excel の表示と同じか確認してください）")
        if s.lost:
            where = "、".join(s.lost[:3]) + ("など" if len(s.lost) > 3 else "")
            r.warnings.append(f"シート「{s.name}」の数式のセル {len(s.lost)} 個（{where}）は計算結果が保存されておらず、"
                              "読めませんでした。Excel で開いて上書き保存してから読み込み直してください")
        if s.errors:
            where = "、".join(s.errors[:3]) + ("など" if len(s.errors) > 3 else "")
            r.warnings.append(f"シート「{s.name}」のエラー値（#N/A、#REF! など）のセル {len(s.errors)} 個（{where}）は読み込んで"
                              "いません。数式の参照先を Excel で確かめてください")
        if s.truncated:
            last = max((k[0] for k in s.cells), default=0)
            r.warnings.append(f"シート「{s.name}」は大きすぎるため、{last:,} 行目までだけを読みました（上限 {MAX_ROWS:,} 行、"
                              f"ブック全体で {MAX_CELLS:,} セル）。それより下は読んでいません。特記事項の部分だけを"
                              "別のファイルに分けてお試しください")
    return r
