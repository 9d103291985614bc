"""Layouts of session 18, each in a small file written for the test: a PDF whose typed full-width spaces
(「第１　総則」「来庁者情報　窓口で…」) are drawn, as LibreOffice draws them, as no glyph but the next glyph moved on
by an em (PDFium then reports a space of its own at the far end of the gap); titles and headings spaced out one
character to a chunk (「仕　様　書」「遵　守　事　項」) in text, Markdown, a web page, Word and PDF; struck-through
text (deleted wording left visible) in a Markdown page and a web page."""
from __future__ import annotations

import io
import unicodedata
from pathlib import Path

from knowledge import library
from knowledge.parser import parse
from knowledge.readers import pdf
from storage import kb as kb_store
from storage.db import open_db

DATA = Path(__file__).parent / "data"


def _pdf(lines: list[str], size: float = 10.5, spacing: dict | None = None) -> bytes:
    """A one-page PDF, one line of text under the other from the top left, in a Type 3 font whose glyphs are
    boxes (a wide character one em, any other half), each character mapped to its text by a ToUnicode CMap. A
    full-width space is written as LibreOffice writes a typed one: no glyph, the next glyph moved on by one em in
    the same TJ array. ``spacing``: line index -> character spacing (Tc), a title letter-spaced by its style."""
    chars = sorted({ch for ln in lines for ch in ln if ch != "\u3000"})
    code = {ch: i + 1 for i, ch in enumerate(chars)}
    width = {ch: 1000 if unicodedata.east_asian_width(ch) in "WFA" else 500 for ch in chars}
    objs: list[bytes] = []

    def add(b: bytes | str) -> int:
        objs.append(b if isinstance(b, bytes) else b.encode("latin-1"))
        return len(objs)

    def stream(data: bytes) -> int:
        return add(b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")

    procs = {ch: stream(f"{width[ch]} 0 {width[ch] // 16} -110 {width[ch] * 15 // 16} 830 d1 "
                        f"{width[ch] // 16} -110 {width[ch] * 7 // 8} 940 re f".encode()) for ch in chars}
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /T18 def /CMapType 2 def\n"
            "1 begincodespacerange <00> <FF> endcodespacerange\n"
            f"{len(chars)} beginbfchar\n"
            + "".join(f"<{code[ch]:02X}> <{ch.encode('utf-16-be').hex()}>\n" for ch in chars)
            + "endbfchar endcmap CMapName currentdict /CMap defineresource pop end end")
    to_unicode = stream(cmap.encode())
    font = add(f"<< /Type /Font /Subtype /Type3 /FontBBox [0 -120 1000 950] /FontMatrix [0.001 0 0 0.001 0 0] "
               f"/CharProcs << {' '.join(f'/g{code[ch]} {procs[ch]} 0 R' for ch in chars)} >> "
               f"/Encoding << /Type /Encoding /Differences [{' '.join(f'{code[ch]} /g{code[ch]}' for ch in chars)}] >> "
               f"/FirstChar 1 /LastChar {len(chars)} /Widths [{' '.join(str(width[ch]) for ch in chars)}] "
               f"/ToUnicode {to_unicode} 0 R >>")
    body = []
    for k, ln in enumerate(lines):
        parts = []
        for j, piece in enumerate(ln.split("\u3000")):
            if j:
                parts.append("-1000")
            if piece:
                parts.append("<" + "".join(f"{code[ch]:02X}" for ch in piece) + ">")
        tc = (spacing or {}).get(k, 0)
        body.append(f"BT /F1 {size} Tf {tc} Tc 72 {770 - 1.8 * size * k:.2f} Td [{' '.join(parts)}] TJ ET")
    content = stream("\n".join(body).encode())
    page = add(f"<< /Type /Page /Parent {len(objs) + 2} 0 R /MediaBox [0 0 595 842] "
               f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {content} 0 R >>")
    pages = add(f"<< /Type /Pages /Kids [{page} 0 R] /Count 1 >>")
    catalog = add(f"<< /Type /Catalog /Pages {pages} 0 R >>")
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + o + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objs) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _load(tmp_path, data: bytes, name: str):
    db = open_db(tmp_path / "kb.db")
    report = library.load_file(db, data, name=name, slug="d", title=None, municipality="架空市")
    return db, report, list(db["clauses"].rows_where("doc_slug = 'd' ORDER BY ord"))


def _one(clauses, start):
    found = [c for c in clauses if c["text"].startswith(start)]
    assert len(found) == 1, [c["text"][:40] for c in clauses]
    return found[0]


# --- a typed full-width space at the end of a gap in a PDF -----------------------------------------

ARTICLES = [
    "架空市　窓口業務委託　情報セキュリティ特記事項",
    "第１　総則",
    "１　この特記事項は、窓口業務の受託者が守るべき事項を定める。",
    "２　この特記事項において、次に掲げる用語の意義は、それぞれ次のとおりとする。",
    "（１）　来庁者情報　窓口で受け付けた申請書に記載された情報をいう。",
    "（２）　執務室　市が窓口業務のために指定した部屋をいう。",
    "第２　秘密の保持",
    "１　受託者は、業務上知り得た情報を他に漏らしてはならない。",
    "２　受託者は、従事者に前項の義務を守らせなければならない。",
    "第３　事故の報告",
    "受託者は、事故が発生したときは、直ちに市に報告しなければならない。",
    "市の端末では、私物の記録媒体を使用しないこと。",
]


def test_a_full_width_space_drawn_as_a_gap_parts_a_number_from_its_heading(tmp_path):
    """PDFium reports a space at the far end of the gap a typed 「　」 leaves: the gap before the next glyph is
    measured from the last glyph, not from that space, so 「第１　総則」 stays apart (it read 「第１総則」, and the
    articles' paragraphs became sections 1, 2 of their own)."""
    data = _pdf(ARTICLES, spacing={11: 4})
    lines = pdf.read(data, "rules.pdf").text.splitlines()
    assert "第１　総則" in lines and "第２　秘密の保持" in lines
    assert "（１）　来庁者情報　窓口で受け付けた申請書に記載された情報をいう。" in lines
    # near case: a line letter-spaced by its style (every gap alike) gains no separator
    assert "市の端末では、私物の記録媒体を使用しないこと。" in lines
    db, _, clauses = _load(tmp_path, data, "rules.pdf")
    assert kb_store.document(db, "d")["title"] == "架空市　窓口業務委託　情報セキュリティ特記事項"
    by_label = {c["label"]: c for c in clauses}
    assert by_label["第1第1項"]["text"] == "この特記事項は、窓口業務の受託者が守るべき事項を定める。"
    assert by_label["第1第1項"]["heading"] == '["総則"]'
    assert by_label["第1第2項第1号"]["text"] == "来庁者情報　窓口で受け付けた申請書に記載された情報をいう。"
    assert by_label["第2第1項"]["verdict"] == "prohibited" and by_label["第2第1項"]["heading"] == '["秘密の保持"]'
    assert by_label["第3"]["text"].startswith("受託者は、事故が発生したときは") and by_label["第3"]["verdict"] == "required"
    assert not any("総則" in c["label"] or "秘密の保持" in c["label"] for c in clauses)


def test_a_libreoffice_pdf_of_numbered_headings_is_read_by_its_articles(tmp_path):
    """an10 of the attachment set (Word saved as PDF by LibreOffice, 「第１　総則」 …): 第N is an article with its
    heading, its paragraphs 1, 2, 3 are its own; an item no longer runs into the paragraph after it."""
    _, _, clauses = _load(tmp_path, (DATA / "attachments_new" / "an10.pdf").read_bytes(), "an10.pdf")
    by_label = {c["label"]: c for c in clauses}
    assert by_label["第1第1項"]["heading"] == '["総則"]'
    assert by_label["第1第1項"]["text"].startswith("この特記事項は、柚木原市教育委員会")
    assert by_label["第4第1項第3号"]["text"] == "事故が発生したときの連絡経路"
    assert by_label["第4第2項"]["verdict"] == "encouraged"
    assert by_label["第10第3項"]["verdict"] == "prohibited" and by_label["第10第3項"]["heading"] == '["アカウントの管理"]'


# --- titles and headings spaced out one character to a chunk --------------------------------------

RULES = ["受託者は、業務上知り得た情報を他に漏らしてはならない。", "受託者は、事故を知ったときは、直ちに市に報告すること。"]


def _docx(paragraphs: list[str]) -> bytes:
    from docx import Document
    doc = Document()
    for p in paragraphs:
        doc.add_paragraph(p)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def test_a_letter_spaced_title_is_joined_in_every_format(tmp_path):
    files = {
        "rules.txt": ("仕　様　書\n\n" + "\n".join(RULES) + "\n").encode("utf-8"),
        "rules.md": ("# 仕 様 書\n\n" + "\n\n".join(RULES) + "\n").encode("utf-8"),
        "rules.html": ("<html><body><h1>仕　　様　　書</h1>" + "".join(f"<p>{r}</p>" for r in RULES)
                       + "</body></html>").encode("utf-8"),
        "rules.docx": _docx(["仕　様　書"] + RULES),
        "rules.pdf": _pdf(["仕　様　書"] + RULES),
    }
    for name, data in files.items():
        db, _, clauses = _load(tmp_path / name, data, name)
        assert kb_store.document(db, "d")["title"] == "仕様書", name
        assert _one(clauses, "受託者は、業務上知り得た")["citation"].startswith("架空市 仕様書 "), name
        assert _one(clauses, "受託者は、業務上知り得た")["verdict"] == "prohibited", name


def test_a_letter_spaced_heading_is_joined_and_ordinary_spaced_text_is_not():
    doc = parse("架空市 窓口業務 特記事項\n\n１　総　則\n受託者は、この事項を守らなければならない。\n"
                "受託者は　次の　事項を　守ること。\n\n"
                "２　遵　　守　　事　　項\n受託者は、端末を施錠して保管すること。\n")
    heads = {c.text: c.heading for c in doc.clauses if c.text}
    assert heads["受託者は、端末を施錠して保管すること。"] == ("遵守事項",)
    # near cases: two chunks (「総　則」) and a sentence with spaces between words stay as written
    assert heads["受託者は、この事項を守らなければならない。"] == ("総\u3000則",)
    assert heads["受託者は\u3000次の\u3000事項を\u3000守ること。"] == ("総\u3000則",)
    doc = parse("架空市 窓口業務 特記事項\n\n（報　告　義　務）\n"
                "第１条　受託者は、事故を知ったときは、直ちに市に報告しなければならない。\n")
    assert [c.heading for c in doc.clauses if c.text] == [("報告義務",)]
    page = parse("<html><body><h1>題</h1><h2>第１　遵　守　事　項</h2><p>受託者は、報告すること。</p></body></html>",
                 "html")
    assert [c.heading for c in page.clauses if c.text] == [("遵守事項",)]


def test_a_pledges_spaced_title_is_the_forms_title_joined(tmp_path):
    text = ("架空市 資料デジタル化業務 特記事項\n"
            "第１条　受注者は、業務上知り得た情報を他に漏らしてはならない。\n"
            "第２条　受注者は、従事者に別記様式の誓約書を提出させなければならない。\n"
            "別記様式（第２条関係）\n誓　　約　　書\n令和　　年　　月　　日\n架空市長　様\n"
            "私は、次の事項を守ることを誓約します。\n１　業務上知り得た情報を他に漏らしません。\n氏　名\n")
    db, report, _ = _load(tmp_path, text.encode("utf-8"), "rules.txt")
    forms = kb_store.forms_of(db, "d")
    assert [f["title"] for f in forms] == ["誓約書"]
    assert "誓　　約　　書" in forms[0]["text"]            # the form itself as written
    assert any(d.endswith(": 誓約書") for d in report.dropped)


# --- struck-through text -------------------------------------------------------------------------

MARKDOWN = """# 受付業務 作業ルール

## 1. 報告

- 事故を知ったときは、~~７日~~５日以内に市に報告すること。
- ~~受付票は、自宅に持ち帰ってよい。~~
- 受付票は、<del>翌日</del>当日中に市に返すこと。
- ~~受付票を複写するときは、
  市に届け出ること。~~

受付の時間は、9時~17時とする。

```
~~このコードは例です~~
```
"""


def test_struck_text_in_a_markdown_page_is_deleted_wording(tmp_path):
    _, report, clauses = _load(tmp_path, MARKDOWN.encode("utf-8"), "rules.md")
    texts = [c["text"] for c in clauses if c["text"] and "このコード" not in c["text"]]
    assert _one(clauses, "事故を知ったときは")["text"] == "事故を知ったときは、５日以内に市に報告すること。"
    assert _one(clauses, "受付票は、当日中")["verdict"] == "required"
    assert not any("持ち帰" in t or "複写" in t or "~~" in t or "翌日" in t or "del>" in t for t in texts)
    assert not any(t.strip(" -・") == "" for t in texts)
    assert any("取り消し線" in d and "4 か所" in d for d in report.dropped)
    # near cases: a range with one tilde and a code block are text as written
    assert any("9時~17時" in t for t in texts)
    assert any("~~このコードは例です~~" in c["text"] for c in clauses)


PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>遵守事項｜架空市</title></head><body>
<header><nav><a href="/">ホーム</a> &gt; <a href="/jigyo/">事業者向け</a></nav></header>
<main><h1>窓口業務委託 情報セキュリティ遵守事項</h1>
<p>令和８年４月１日改正（改正箇所は取り消し線と下線で示しています。）</p>
<h2>1 報告</h2>
<ol><li>受託者は、事故を知ったときは、<del>７日</del><ins>５日</ins>以内に報告すること。</li>
<li><s>受付票は、自宅に持ち帰ってよい。</s></li>
<li>受付票は、<strike>翌日</strike>当日中に市に返すこと。</li></ol>
</main><footer>Copyright 架空市</footer></body></html>"""


def test_struck_text_in_a_web_page_is_deleted_wording(tmp_path):
    _, report, clauses = _load(tmp_path, PAGE.encode("utf-8"), "rules.html")
    assert _one(clauses, "受託者は、事故を知ったとき")["text"] == "受託者は、事故を知ったときは、５日以内に報告すること。"
    assert _one(clauses, "受付票は、当日中")["label"] == "1(3)"      # numbered as the browser shows the list
    assert not any("持ち帰" in c["text"] or "翌日" in c["text"] for c in clauses)
    assert any("取り消し線" in d and "3 か所" in d for d in report.dropped)
