"""Writing tables for auditors: CSV (UTF-8 with BOM, so Excel opens Japanese) or xlsx.

A table is a list of sections (heading or None, columns, rows of dicts keyed by column);
a CSV holds the sections one after another, an xlsx a sheet per table with its sections (bold,
frozen header; columns as wide as their contents).

Where files go when a command names none (exports, the report draft, the terminal chat's
attachments): `files_dir()` — MAMORU_FILES_DIR, else a `files` folder beside the database
(MAMORU_DB; by default ~/.local/share/mamoru/files). Never the current directory by default.
"""
from __future__ import annotations

import csv
import os
import re
import sys
import unicodedata
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


def files_dir() -> Path:
    """The documented folder for files no path was given for (created when first used)."""
    env = os.environ.get("MAMORU_FILES_DIR")
    if env:
        return Path(env).expanduser()
    from storage.paths import default_path

    return default_path().parent / "files"


def safe_name(name: str) -> str:
    return re.sub(r'[\\/:*?<>|"\x00-\x1f]', "_", name).strip() or "file"


def output_path(given: str | None, default_name: str) -> Path:
    """Where a command writes: the path given (a folder gets the default name inside it), else
    the default name in files_dir(). The folder is created."""
    if given:
        p = Path(given).expanduser()
        if p.is_dir():
            p = p / safe_name(default_name)
    else:
        p = files_dir() / safe_name(default_name)
    p.parent.mkdir(parents=True, exist_ok=True)
    return p


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


def write_xlsx(out: str | Path, sheets: dict[str, list[Section]]) -> None:
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
                ws.append([heading])
                ws[ws.max_row][0].font = Font(bold=True)
            ws.append(list(columns))
            for cell in ws[ws.max_row]:
                cell.font = Font(bold=True)
            if n == 0:
                ws.freeze_panes = f"A{ws.max_row + 1}"  # a coordinate: ws.cell() would add a row
            for r in rows:
                ws.append([r[c] for c in columns])
        fit_columns(ws)
    wb.save(out)


def write(out: str | Path, fmt: str, sheets: dict[str, list[Section]]) -> None:
    """CSV: every sheet's sections in one file; xlsx: a sheet each."""
    if fmt == "csv":
        write_csv(out, [s for sections in sheets.values() for s in sections])
    else:
        write_xlsx(out, sheets)
