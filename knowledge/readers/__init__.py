"""Readers: one per file format, each turning the bytes a city sends into the text the
format-free parser (``knowledge.parser``) reads, plus what was dropped on the way.

``read(data, name)`` sniffs the content (not just the extension): ``%PDF`` is a PDF, a zip
holding ``word/document.xml`` is Word, markup with ``<html``/``<body`` is a web page, the rest is
text. Anything else (an image, a spreadsheet, a zip, a scan) is refused with a Japanese message
saying what to do instead; nothing is ever loaded from a file that was refused.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

MAX_BYTES = 30 * 1024 * 1024      # a 300-page Word-made PDF is a few MB; 30 MB leaves room for images
MAX_CHARS = 2_000_000             # about 1,300 pages of Japanese text: far past any attachment
MAX_CLAUSES = 10_000              # past this, answers get slower than the 10,000-clause benchmark allows


class LoadRefused(Exception):
    """A file that cannot be loaded; ``message_ja`` tells the person why and what to do."""

    def __init__(self, message_ja: str):
        super().__init__(message_ja)
        self.message_ja = message_ja


@dataclass
class Reading:
    """What a reader hands the parser: text in one of the parser's input forms."""
    text: str
    fmt: str                                   # "text" | "markdown" | "html" (parser input syntax)
    kind: str                                  # "pdf" | "docx" | "html" | "text" | "markdown"
    pages: int | None = None
    dropped: list[str] = field(default_factory=list)     # furniture removed, described in Japanese
    warnings: list[str] = field(default_factory=list)    # doubts about the file itself
    title: str | None = None                   # the title the file itself gives (a web page's heading), if any


_IMAGE_MAGIC = {b"\x89PNG": "PNG 画像", b"\xff\xd8\xff": "JPEG 画像", b"GIF8": "GIF 画像",
                b"II*\x00": "TIFF 画像", b"MM\x00*": "TIFF 画像", b"BM": "BMP 画像"}


def sniff(data: bytes, name: str) -> str:
    """The format by content: pdf | docx | html | text. Raises LoadRefused for the rest."""
    head = data[:8]
    if data[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            names = set(zipfile.ZipFile(BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            raise LoadRefused(f"{name}: ZIP 形式のファイルですが壊れているため読み込めません。"
                              "元のファイルをもう一度保存してからお試しください。") from None
        if "word/document.xml" in names:
            return "docx"
        if any(n.startswith("xl/") for n in names):
            raise LoadRefused(f"{name}: Excel のファイルは読み込めません。特記事項の本文を PDF、Word（.docx）"
                              "またはテキストで保存してからお試しください。")
        raise LoadRefused(f"{name}: Word の文書（.docx）ではなく ZIP などの圧縮ファイルです。"
                          "中の特記事項（PDF、Word、テキスト）を取り出して、そのファイルを指定してください。")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise LoadRefused(f"{name}: 古い形式の Word（.doc）または Excel（.xls）のファイルです。"
                          "Word で開いて「.docx」または PDF で保存し直してからお試しください。")
    if data[:5] == b"{\\rtf":
        raise LoadRefused(f"{name}: リッチテキスト（RTF）のファイルは読み込めません。Word で開いて「.docx」"
                          "または PDF で保存し直してからお試しください。")
    for magic, what in _IMAGE_MAGIC.items():
        if head.startswith(magic):
            raise LoadRefused(f"{name}: {what}のファイルです（拡張子は{Path(name).suffix or 'なし'}）。"
                              "画像からは条項を読み取れません。文字の入った PDF、Word またはテキストを指定してください。")
    probe = data[:4096].lower()
    if b"<html" in probe or b"<body" in probe or b"<!doctype html" in probe:
        return "html"
    if Path(name).suffix.lower() in (".html", ".htm"):
        return "html"
    return "text"


def read(data: bytes, name: str) -> Reading:
    """Read one delivered file; LoadRefused for anything that is not a loadable attachment."""
    if not data or not data.strip():
        raise LoadRefused(f"{name}: ファイルが空です。特記事項の本文が入ったファイルを指定してください。")
    if len(data) > MAX_BYTES:
        raise LoadRefused(f"{name}: ファイルが大きすぎます（{len(data) / 1024 / 1024:.0f} MB、上限 "
                          f"{MAX_BYTES // 1024 // 1024} MB）。特記事項の部分だけを別のファイルに分けてお試しください。")
    kind = sniff(data, name)
    if kind == "pdf":
        from knowledge.readers import pdf as reader
    elif kind == "docx":
        from knowledge.readers import docx as reader
    elif kind == "html":
        from knowledge.readers import html as reader
    else:
        from knowledge.readers import text as reader
    reading = reader.read(data, name)
    if not reading.text.strip():
        raise LoadRefused(f"{name}: 本文の文字が見つかりませんでした。特記事項の本文が入ったファイルを指定してください。")
    if len(reading.text) > MAX_CHARS:
        raise LoadRefused(f"{name}: 本文が長すぎます（{len(reading.text):,} 文字、上限 {MAX_CHARS:,} 文字）。"
                          "特記事項の部分だけを別のファイルに分けてお試しください。")
    return reading
