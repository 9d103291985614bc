"""Plain text and Markdown: UTF-8 (with or without BOM), UTF-16 with BOM, Shift_JIS/CP932, EUC-JP;
CRLF or CR line ends. The parser reads the lines as they are (wraps, one-line pastes included)."""
from __future__ import annotations

from pathlib import Path

from knowledge.readers import LoadRefused, Reading

_ENCODINGS = (("utf-8-sig", "UTF-8"), ("cp932", "Shift_JIS"), ("euc_jp", "EUC-JP"))


def decode(data: bytes, name: str) -> tuple[str, str]:
    """(text, encoding name as shown to people)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    if b"\x00" in data[:4096]:
        raise LoadRefused(f"{name}: テキストではないファイル（バイナリ）のようです。特記事項の PDF、Word（.docx）、"
                          "HTML またはテキストを指定してください。")
    for enc, shown in _ENCODINGS:
        try:
            return data.decode(enc), shown
        except UnicodeDecodeError:
            continue
    raise LoadRefused(f"{name}: 文字コードを判別できませんでした。UTF-8 または Shift_JIS で保存し直してからお試しください。")


def read(data: bytes, name: str) -> Reading:
    text, enc = decode(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    md = Path(name).suffix.lower() in (".md", ".markdown")
    r = Reading(text, "markdown" if md else "auto", "markdown" if md else "text")
    if enc != "UTF-8":
        r.dropped.append(f"文字コード {enc} を UTF-8 に変換しました")
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if lines and len(lines) <= 3 and max(len(ln) for ln in lines) > 200:
        r.warnings.append("改行のほとんどないテキストです。条・項・号の番号から区切りを推定しました。"
                          "区切りが正しいか確認してください")
    return r
