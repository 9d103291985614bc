"""Writing tables for auditors: CSV (UTF-8 with BOM, so Excel opens Japanese) or xlsx.

A table is a list of sections (heading or None, columns, rows of dicts keyed by column);
a CSV holds the sections one after another, an xlsx a sheet per table with its sections.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Iterable

Section = tuple[str | None, list[str], Iterable[dict]]


def _csv_rows(sections: list[Section]) -> Iterable[list]:
    for n, (heading, columns, rows) in enumerate(sections):
        if n:
            yield []
        if heading:
            yield [heading]
        yield list(columns)
        for r in rows:
            yield [r[c] for c in columns]


def write_csv(out: str | Path, sections: list[Section]) -> None:
    """To a file, or to standard output when out is "-"."""
    if str(out) == "-":
        sys.stdout.write("\ufeff")
        csv.writer(sys.stdout).writerows(_csv_rows(sections))
        return
    with open(out, "w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(_csv_rows(sections))


def write_xlsx(out: str | Path, sheets: dict[str, list[Section]]) -> None:
    """One sheet per entry; headings and column names in bold; the first sheet's header frozen."""
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
                ws.append([heading])
                ws[ws.max_row][0].font = Font(bold=True)
            ws.append(list(columns))
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
            if n == 0 and not heading:
                ws.freeze_panes = f"A{ws.max_row + 1}"  # a coordinate: ws.cell() would add a row
            for r in rows:
                ws.append([r[c] for c in columns])
    wb.save(out)


def write(out: str | Path, fmt: str, sheets: dict[str, list[Section]]) -> None:
    """CSV: every sheet's sections in one file; xlsx: a sheet each."""
    if fmt == "csv":
        write_csv(out, [s for sections in sheets.values() for s in sections])
    else:
        write_xlsx(out, sheets)
