"""A checklist or rule table saved as CSV (or tab-separated) from Excel: 「No,確認項目,確認欄」. Read as the HTML
table Excel writes for a sheet (as the Excel reader does), so the parser finds the number column, the boxes to tick
and the 区分 the same way; read as plain text, every row had run into one clause.

Excel writes CSV in Shift_JIS (CP932) unless told otherwise, quotes cells holding commas or line breaks, and keeps
the empty columns of a sheet's margins; a title typed above the table is a row of one cell.
"""
from __future__ import annotations

import csv
import html
import io
from pathlib import Path

from knowledge.readers import LoadRefused, Reading
from knowledge.readers.text import decode

MAX_ROWS = 20000


def _delimiter(text: str, name: str) -> str:
    if Path(name).suffix.lower() == ".tsv":
        return "\t"
    head = text[:4096]
    return "\t" if head.count("\t") > head.count(",") else ","


def rows_of(text: str, name: str) -> list[list[str]]:
    rows = [[c.strip() for c in r] for r in csv.reader(io.StringIO(text), delimiter=_delimiter(text, name))]
    rows = [r for r in rows if any(r)]
    if not rows:
        return []
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    used = [k for k in range(width) if any(r[k] for r in rows)]       # the sheet's empty margin columns dropped
    return [[r[k] for k in used] for r in rows]


def read(data: bytes, name: str) -> Reading:
    text, enc = decode(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    rows = rows_of(text, name)
    if len(rows) > MAX_ROWS:
        raise LoadRefused(f"{name}: 行が多すぎます（{len(rows):,} 行、上限 {MAX_ROWS:,} 行）。特記事項の部分だけを別のファイルに分けてお試しください。")
    title = None
    while rows and sum(1 for c in rows[0] if c) == 1 and len(rows[0]) > 1 and "。" not in "".join(rows[0]):
        title = title or next(c for c in rows[0] if c)       # a title typed above the table, a row of one cell
        rows = rows[1:]
    if not any("。" in c or len(c) > 15 for r in rows for c in r):
        raise LoadRefused(f"{name}: 文章の入った行が見つかりませんでした（数値や記号だけの表のようです）。"
                          "遵守事項やチェック項目の文章が入った表を指定してください。")
    cell = lambda c: html.escape(c).replace("\n", "<br>")  # noqa: E731  (a line break typed in a cell)
    body = "".join("<tr>" + "".join(f"<td>{cell(c)}</td>" for c in r) + "</tr>\n" for r in rows)
    head = f"<h1>{html.escape(title)}</h1>" if title else ""
    page = f"<html><body>{head}<table>\n{body}</table></body></html>"
    r = Reading(page, "html", "csv", title=title)
    if enc != "UTF-8":
        r.dropped.append(f"文字コード {enc} を UTF-8 に変換しました")
    return r
