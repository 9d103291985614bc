"""A rule table 「区分 | 番号 | 遵守事項 | 根拠条項」 (区分 merged down its rows, as tests/data/verdicts/vd95.xlsx) built the
way a city office makes it, in each format mamoru reads: an Excel sheet, a web page, a Word table, tab-separated text.
Rows are (区分, 番号, 遵守事項, 根拠条項); an empty 番号 or 根拠条項 is left empty. Shared by the table tests."""
from __future__ import annotations

import io

import docx
from docx.shared import Cm
from openpyxl import Workbook
from openpyxl.styles import Alignment

from knowledge import library
from storage.db import open_db

TOWN = "架空市"
TITLE = "情報セキュリティ遵守事項（保守業務）"
HEADER = ("区分", "番号", "遵守事項", "根拠条項")


def groups(rows) -> list[tuple[int, int]]:
    """(first row, last row) of each run of rows sharing a 区分, indices into rows."""
    out, i = [], 0
    while i < len(rows):
        j = i
        while j + 1 < len(rows) and rows[j + 1][0] == rows[i][0]:
            j += 1
        out.append((i, j))
        i = j + 1
    return out


def xlsx_book(rows, *, revision: str | None = None, widths: tuple | None = (14, 6, 80, 16)) -> bytes:
    """Title merged across, a 改正 line in the last column when given, the header in plain cells, 区分 merged down
    (its cell left empty below the first row). widths None: Excel's default widths (text spills over empty cells)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "遵守事項"
    ws["A1"] = TITLE
    ws.merge_cells("A1:D1")
    if revision:
        ws["D2"] = revision
    ws.append(list(HEADER))
    first = ws.max_row + 1
    for r in rows:
        ws.append([r[0], r[1] or None, r[2], r[3] or None])
    for a, b in groups(rows):
        for k in range(a + 1, b + 1):
            ws.cell(first + k, 1).value = None
        if b > a:
            ws.merge_cells(start_row=first + a, start_column=1, end_row=first + b, end_column=1)
        ws.cell(first + a, 1).alignment = Alignment(vertical="center")
    if widths:
        for col, width in zip("ABCD", widths):
            ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def html_page(rows, *, head_rows: list[str], lead: str = "") -> bytes:
    """The table on a city's web page, after head_rows (the header, a 改正 line), 区分 as <td rowspan>."""
    out = list(head_rows)
    for a, b in groups(rows):
        for k in range(a, b + 1):
            first = f'<td rowspan="{b - a + 1}">{rows[a][0]}</td>' if k == a else ""
            out.append("<tr>" + first + "".join(f"<td>{c}</td>" for c in rows[k][1:]) + "</tr>")
    page = ("<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>情報セキュリティ遵守事項</title></head>"
            f"<body><main><h1>{TITLE}</h1>{lead}"
            "<table border=\"1\">" + "\n".join(out) + "</table></main></body></html>")
    return page.encode("utf-8")


def word_doc(rows) -> bytes:
    """The table in Word: 区分 merged vertically (Word leaves the cells below the first one empty)."""
    d = docx.Document()
    d.add_paragraph(TITLE)
    t = d.add_table(rows=1 + len(rows), cols=4)
    for k, h in enumerate(HEADER):
        t.cell(0, k).text = h
    for i, r in enumerate(rows, 1):
        for k in (1, 2, 3):
            t.cell(i, k).text = r[k]
    for a, b in groups(rows):
        cell = t.cell(1 + a, 0).merge(t.cell(1 + b, 0)) if b > a else t.cell(1 + a, 0)
        cell.text = rows[a][0]
    for row in t.rows:
        row.cells[2].width = Cm(10)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def tab_text(rows) -> bytes:
    """The table saved as tab-separated text, the merged 区分 repeated on each row (as vd95.source.txt)."""
    lines = [TITLE, "", "\t".join(HEADER)] + ["\t".join(r).rstrip("\t") for r in rows]
    return "\n".join(lines).encode("utf-8")


def load(tmp_path, name: str, data: bytes) -> list[dict]:
    """The clauses of one file loaded through the real loader, in order."""
    db = open_db(tmp_path / "kb.db")
    library.load_file(db, data, name=name, slug="d", title=None, municipality=TOWN)
    return list(db["clauses"].rows_where("doc_slug = ?", ["d"], order_by="ord"))
