"""Text for Office files (xlsx, docx): what XML 1.0 cannot hold is left out. And text for CSV files,
which spreadsheet programs open: a text that starts like a formula is marked as text (csv_cell).

People's typed text may carry control characters pasted with it (a vertical tab from Word, an escape
sequence from a terminal). They are invisible on screen, but openpyxl and python-docx refuse them, so
one such character stopped a whole export or the written incident report. A vertical tab or a form feed
is a line break there; the other control characters are dropped. Tab, line feed and carriage return stay.
"""
from __future__ import annotations

import re

_BREAKS = re.compile("[\x0b\x0c]")
_UNWRITABLE = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")


def clean(value):
    """A string as an Office file can hold it; anything else unchanged; lists, tuples and dicts cleaned through."""
    if isinstance(value, str):
        return _UNWRITABLE.sub("", _BREAKS.sub("\n", value))
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, tuple):
        return tuple(clean(v) for v in value)
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    return value


# What makes Excel (and LibreOffice, Google Sheets) read a CSV cell as a formula (OWASP "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A CSV cell a spreadsheet program shows as the text it is: a text starting with = + - @, a tab or a
    carriage return gets a leading ' (a worker's reason 「=HYPERLINK(…)」 would otherwise open as a live
    link in the officer's spreadsheet). Numbers (int, float), None and any text starting otherwise (ISO
    dates and times start with a digit) are unchanged. Every CSV writer writes its rows through csv_row."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_row(values) -> list:
    return [csv_cell(v) for v in values]


def csv_text(cell: str) -> str:
    """The text a CSV cell was written from (what csv_cell marked, unmarked): for reading our CSV back."""
    if isinstance(cell, str) and cell.startswith("'") and cell[1:].startswith(_FORMULA_START):
        return cell[1:]
    return cell
