"""Readers: one per file format, each turning the bytes a city sends into the text the
format-free parser (``knowledge.parser``) reads, plus what was dropped on the way.

``read(data, name)`` sniffs the content (not just the extension): ``%PDF`` is a PDF, a zip
holding ``word/document.xml`` is Word, an OLE file holding a ``WordDocument`` stream is Word 97-2003 (.doc),
a zip of the OpenDocument text type is .odt,
a zip holding ``xl/workbook.xml`` is Excel (.xlsx, .xlsm),
markup with ``<html``/``<body`` is a web page, the rest is text. Anything else (an image, a zip, an
old binary .xls, a password-protected Office file, a scan) is refused with a Japanese message
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
    sheets: list[tuple[str, str]] = field(default_factory=list)  # a workbook's sheets read as rules: (name, read as)
    forms: list[tuple[str, str]] = field(default_factory=list)   # (title, text) of blank forms the reader kept apart


_IMAGE_MAGIC = {b"\x89PNG": "PNG 画像", b"\xff\xd8\xff": "JPEG 画像", b"GIF8": "GIF 画像",
                b"II*\x00": "TIFF 画像", b"MM\x00*": "TIFF 画像", b"BM": "BMP 画像"}


def sniff(data: bytes, name: str) -> str:
    """The format by content: pdf | docx | doc | odt | xlsx | html | csv | text. Raises LoadRefused for the rest."""
    head = data[:8]
    if data[:1024].lstrip().startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        try:
            names = set(zipfile.ZipFile(BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            what = {".xlsx": "Excel のファイル", ".xlsm": "Excel のファイル", ".docx": "Word のファイル"}.get(
                Path(name).suffix.lower(), "ZIP 形式のファイル")
            raise LoadRefused(f"{name}: {what}ですが壊れているため読み込めません。"
                              "元のファイルをもう一度保存してからお試しください。") from None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names or _workbook_part(data, names):
            return "xlsx"
        if "xl/workbook.bin" in names:
            raise LoadRefused(f"{name}: Excel バイナリブック（.xlsb）は読み込めません。Excel で開いて「Excel ブック（.xlsx）」"
                              "で保存し直してからお試しください。")
        if any(n.startswith("xl/") for n in names):
            raise LoadRefused(f"{name}: Excel のファイルとして読めませんでした（ブックの本体がありません）。Excel で開けるか"
                              "確かめ、「名前を付けて保存」で .xlsx として保存し直してからお試しください。")
        if b"opendocument.text" in data[:200] or ("content.xml" in names and Path(name).suffix.lower() == ".odt"):
            return "odt"
        if b"opendocument.spreadsheet" in data[:200]:
            raise LoadRefused(f"{name}: OpenDocument の表計算（.ods）は読み込めません。Excel ブック（.xlsx）で保存し直して"
                              "からお試しください。")
        raise LoadRefused(f"{name}: Word の文書（.docx）や Excel のブック（.xlsx）ではなく ZIP などの圧縮ファイルです。"
                          "中の特記事項（PDF、Word、Excel、テキスト）を取り出して、そのファイルを指定してください。")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        if _ole_has(data, "WordDocument") and not (_ole_has(data, "EncryptedPackage") or _ole_has(data, "EncryptionInfo")):
            return "doc"
        raise LoadRefused(_ole_refusal(data, name))
    if data[:5] == b"{\\rtf":
        raise LoadRefused(f"{name}: リッチテキスト（RTF）のファイルは読み込めません。Word で開いて「.docx」"
                          "または PDF で保存し直してからお試しください。")
    for magic, what in _IMAGE_MAGIC.items():
        if head.startswith(magic):
            raise LoadRefused(f"{name}: {what}のファイルです（拡張子は{Path(name).suffix or 'なし'}）。"
                              "画像からは条項を読み取れません。文字の入った PDF、Word またはテキストを指定してください。")
    probe = data[:4096].lower()
    if b"urn:schemas-microsoft-com:office:spreadsheet" in probe and b"<workbook" in probe:
        raise LoadRefused(f"{name}: Excel 2003 XML 形式のファイルは読み込めません。Excel で開いて「Excel ブック（.xlsx）」"
                          "で保存し直してからお試しください。")
    if b"<html" in probe or b"<body" in probe or b"<!doctype html" in probe:
        return "html"
    if Path(name).suffix.lower() in (".html", ".htm"):
        return "html"
    if Path(name).suffix.lower() in (".csv", ".tsv"):
        return "csv"
    return "text"


def _workbook_part(data: bytes, names: set[str]) -> bool:
    """An Excel workbook whose main part is not at xl/workbook.xml (a tool's own layout): its content types say so."""
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        return False
    try:
        types = zipfile.ZipFile(BytesIO(data)).read("[Content_Types].xml")
    except (KeyError, zipfile.BadZipFile, RuntimeError, OSError):
        return False
    return b"spreadsheetml.sheet.main" in types or b"sheet.macroEnabled.main" in types


def _ole_has(data: bytes, stream: str) -> bool:
    """Whether an OLE compound file names this stream (its directory holds the names in UTF-16)."""
    return stream.encode("utf-16-le") in data


def _ole_refusal(data: bytes, name: str) -> str:
    """Why an OLE compound file (the old Office container) is refused: a password-protected .xlsx or .docx is
    one too (the encrypted package inside), and so is an old Excel book (.xls). An old Word file (.doc) is
    read (readers/doc.py)."""
    def has(stream: str) -> bool:
        return _ole_has(data, stream)
    if has("EncryptedPackage") or has("EncryptionInfo"):
        return (f"{name}: パスワードで保護された Office のファイル（Excel または Word）のため読み込めません。"
                "Excel（または Word）で開き、「ファイル」→「情報」→「ブックの保護（文書の保護）」→「パスワードを使用して暗号化」で"
                "パスワードを消して保存し直してから、もう一度お試しください。")
    if has("WordDocument"):
        return (f"{name}: 古い形式の Word（.doc）のファイルは読み込めません。Word で開いて「.docx」または PDF で"
                "保存し直してからお試しください。")
    if has("Workbook") or has("Book"):
        return (f"{name}: 古い形式の Excel（.xls）のファイルは読み込めません。Excel で開いて「名前を付けて保存」から"
                "「Excel ブック（.xlsx）」で保存し直してからお試しください。")
    return (f"{name}: 古い形式の Word（.doc）または Excel（.xls）のファイルです。"
            "Word や Excel で開いて「.docx」「.xlsx」または PDF で保存し直してからお試しください。")


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
    elif kind == "doc":
        from knowledge.readers import doc as reader
    elif kind == "odt":
        from knowledge.readers import odt as reader
    elif kind == "xlsx":
        from knowledge.readers import xlsx as reader
    elif kind == "html":
        from knowledge.readers import html as reader
    elif kind == "csv":
        from knowledge.readers import csv_table as reader
    else:
        from knowledge.readers import text as reader
    reading = reader.read(data, name)
    if not reading.text.strip():
        raise LoadRefused(f"{name}: 本文の文字が見つかりませんでした。特記事項の本文が入ったファイルを指定してください。")
    if len(reading.text) > MAX_CHARS:
        raise LoadRefused(f"{name}: 本文が長すぎます（{len(reading.text):,} 文字、上限 {MAX_CHARS:,} 文字）。"
                          "特記事項の部分だけを別のファイルに分けてお試しください。")
    return reading
