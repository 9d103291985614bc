"""Tables for auditors as an xlsx workbook, in memory: what `mamoru export …` writes to a file and what a DM
sends as an attachment (the same sheets either way).

A table is a list of sections (heading or None, columns, rows of dicts keyed by column); a sheet per table,
its headings and column names in bold, the first header frozen, columns as wide as their contents.
"""
from __future__ import annotations

import io
import unicodedata
from typing import Iterable

from handlers import office_text

Section = tuple[str | None, list[str], Iterable[dict]]


def _width(value) -> int:
    """Display width of a cell (full-width characters count double), capped for long texts."""
    text = "" if value is None else str(value)
    longest = max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
                   for line in text.splitlines() or [""]), default=0)
    return min(longest, 60)


def fit_columns(ws) -> None:
    """Each column as wide as its widest cell; a section heading (a row of one cell, in a sheet of
    several columns) does not widen the first column."""
    from openpyxl.utils import get_column_letter

    widths: dict[int, int] = {}
    for row in ws.iter_rows():
        cells = [c for c in row if c.value is not None]
        if len(cells) == 1 and ws.max_column > 1:
            continue
        for c in cells:
            widths[c.column] = max(widths.get(c.column, 0), _width(c.value))
    for col, w in widths.items():
        ws.column_dimensions[get_column_letter(col)].width = max(8, w + 2)


def append_row(ws, values) -> None:
    """Append a row as the values say: a text is a text, even one that starts with 「=」 (openpyxl would
    store it as a formula, so a reason typed 「=…」 would open as #NAME? or a live HYPERLINK), and a
    control character pasted with it does not stop the export (handlers/office_text.py)."""
    ws.append(office_text.clean(list(values)))
    for cell in ws[ws.max_row]:
        if isinstance(cell.value, str) and cell.value.startswith("="):
            cell.data_type = "s"


def xlsx_bytes(sheets: dict[str, list[Section]]) -> bytes:
    """One sheet per entry; headings and column names in bold; each sheet's first header frozen;
    columns fitted to their contents."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for title, sections in sheets.items():
        ws = wb.create_sheet(title)
        for n, (heading, columns, rows) in enumerate(sections):
            if n:
                ws.append([])
            if heading:
                append_row(ws, [heading])
                ws[ws.max_row][0].font = Font(bold=True)
            ws.append(list(columns))
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
            if n == 0:
                ws.freeze_panes = f"A{ws.max_row + 1}"  # a coordinate: ws.cell() would add a row
            for r in rows:
                append_row(ws, [r[c] for c in columns])
        fit_columns(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
