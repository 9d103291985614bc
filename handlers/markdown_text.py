"""Text for Markdown files (the written incident report, the status report draft): what the records
hold, shown by a Markdown viewer as the text it is.

A viewer renders HTML and Markdown. A worker's typed answer, a person's name or a contract's name may
hold HTML (<script>, <img onerror=…>) or Markdown (a heading, a table row, a link): written raw, it ran
in the officer's viewer or became part of the report's structure.
"""
from __future__ import annotations

import html
import re

_MARKS = re.compile(r"([\\`*_\[\]|~])")


def escape(text) -> str:
    """Text as a Markdown viewer shows it, never as markup. HTML's special characters become entities;
    the marks of emphasis, code, links, images and table cells get a backslash; a line break becomes
    <br>, so no line of the text can start a heading, a quote or a row. A reader gets the text back
    exactly: <br> a line break, \\x the character x, entities their characters."""
    t = _MARKS.sub(r"\\\1", html.escape(str(text), quote=False))
    return t.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")
