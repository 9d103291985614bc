"""Writing tables for auditors: CSV (UTF-8 with BOM, so Excel opens Japanese) or xlsx.

A table is a list of sections (heading or None, columns, rows of dicts keyed by column);
a CSV holds the sections one after another (a text starting with = + - @ written with a leading ',
handlers/office_text.csv_cell), an xlsx a sheet per table with its sections (bold, frozen header;
columns as wide as their contents).

Where files go when a command names none (exports, the report draft, the terminal chat's
attachments): `files_dir()` — MAMORU_FILES_DIR, else a `files` folder beside the database
(MAMORU_DB; by default ~/.local/share/mamoru/files). Never the current directory by default.
"""
from __future__ import annotations

import csv
import os
import re
import sys
from pathlib import Path
from typing import Iterable

from handlers import office_text, workbook

Section = workbook.Section


def _csv_rows(sections: list[Section]) -> Iterable[list]:
    """Every row through office_text.csv_row: a text starting like a formula is written as text."""
    for n, (heading, columns, rows) in enumerate(sections):
        if n:
            yield []
        if heading:
            yield office_text.csv_row([heading])
        yield office_text.csv_row(columns)
        for r in rows:
            yield office_text.csv_row(r[c] for c in columns)


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


def write_xlsx(out: str | Path, sheets: dict[str, list[Section]]) -> None:
    """One sheet per entry (handlers.workbook: the same workbook a DM attaches)."""
    Path(out).write_bytes(workbook.xlsx_bytes(sheets))


def write(out: str | Path, fmt: str, sheets: dict[str, list[Section]]) -> None:
    """CSV: every sheet's sections in one file; xlsx: a sheet each."""
    if fmt == "csv":
        write_csv(out, [s for sections in sheets.values() for s in sections])
    else:
        write_xlsx(out, sheets)
