"""Text for Office files (xlsx, docx): what XML 1.0 cannot hold is left out.

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
