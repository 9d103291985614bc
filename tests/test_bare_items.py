"""Items with no number of their own under a lead-in (「受託者は、次に掲げる行為をしてはならない。」): Word's
indented paragraphs without a number (typed numbers, or numbers Word draws through numPr), a web
page's paragraphs or unmarked <ul>, a text's indented lines. Each item is a clause of its own under
the lead-in (cited like the parser's other unnumbered children, 「第2条第1項・1」) and takes the
lead-in's 禁止 / 義務; the lead-in's own wrapped lines are never split off, and the text after the
items (back at the article's indentation, or 「２」) is not an item.

Every file is written the way a city makes it and loaded through the real loader. The two PDFs in
fixtures/bare_items are the Word files of the tests below (``_typed_docx``, ``_numbered_docx``) saved
as PDF by LibreOffice (``soffice --headless --convert-to pdf``)."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt

from knowledge import library
from storage import kb as kb_store
from storage.db import open_db


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "kb.db")


def _load(db, tmp_path, name: str, data: bytes, slug: str = "t") -> dict[str, dict]:
    path = tmp_path / name
    path.write_bytes(data)
    library.load_file(db, path.read_bytes(), name=name, slug=slug, title=None, municipality="北浜市")
    return {c["label"]: c for c in kb_store.clauses_of_full(db, slug)}


def _children(rows: dict[str, dict], parent: dict) -> list[dict]:
    return sorted((c for c in rows.values() if c["parent_id"] == parent["id"]), key=lambda c: c["ord"])


def _by_text(rows: dict[str, dict], start: str) -> dict:
    found = [c for c in rows.values() if c["text"].startswith(start)]
    assert len(found) == 1, (start, [(c["label"], c["text"]) for c in rows.values()])
    return found[0]


def _save(doc) -> bytes:
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


# --- Word, numbers typed, items indented with no number ------------------------------------------

def _typed_docx() -> bytes:
    doc = Document()
    doc.add_paragraph("北浜市個人情報取扱特記事項")
    doc.add_paragraph("（目的外利用の禁止）")
    doc.add_paragraph("第１条　受託者は、次に掲げる行為をしてはならない。")
    for item in ("市から提供を受けた個人情報を本業務以外の目的に利用し、又は第三者に提供すること。",
                 "個人情報を記録した書類を、作業場所の外へ持ち出すこと。",
                 "個人情報を複写し、又は複製すること。"):
        doc.add_paragraph(item).paragraph_format.left_indent = Pt(31.5)      # three characters in
    back = doc.add_paragraph("受託者は、従事者が前項に掲げる行為をしないよう監督しなければならない。")
    back.paragraph_format.first_line_indent = Pt(10.5)                      # the article's own indent
    doc.add_paragraph("２　受託者は、前項の内容を従事者に周知しなければならない。")
    doc.add_paragraph("（作業場所）")
    doc.add_paragraph("第２条　受託者は、作業場所において、次に掲げる事項を遵守すること。")
    for item in ("作業場所への入退室を記録すること。", "作業場所の鍵を作業責任者が管理すること。"):
        doc.add_paragraph(item).paragraph_format.left_indent = Pt(21)
    doc.add_paragraph("（事故の報告）")
    doc.add_paragraph("第３条　受託者は、事故が発生したときは、直ちに市に報告しなければならない。")
    return _save(doc)


def test_word_typed_numbers_indented_items(db, tmp_path):
    rows = _load(db, tmp_path, "tokki.docx", _typed_docx())
    lead = _by_text(rows, "受託者は、次に掲げる行為をしてはならない。")
    assert lead["text"].startswith("受託者は、次に掲げる行為をしてはならない。")
    assert "本業務以外の目的" not in lead["text"]
    items = _children(rows, lead)
    assert [c["text"] for c in items] == [
        "市から提供を受けた個人情報を本業務以外の目的に利用し、又は第三者に提供すること。",
        "個人情報を記録した書類を、作業場所の外へ持ち出すこと。",
        "個人情報を複写し、又は複製すること。"]
    assert [c["label"] for c in items] == ["第1条第1項・1", "第1条第1項・2", "第1条第1項・3"]
    assert {c["verdict"] for c in items} == {"prohibited"}
    # back at the article's indentation: the article's text, not a fourth item
    assert not any(c["text"].startswith("受託者は、従事者が") for c in items)
    assert "従事者が前項に掲げる行為をしないよう監督" in lead["text"]
    assert rows["第1条第2項"]["text"] == "受託者は、前項の内容を従事者に周知しなければならない。"
    duty = _by_text(rows, "受託者は、作業場所において、次に掲げる事項を遵守すること。")
    items = _children(rows, duty)
    assert [c["text"] for c in items] == ["作業場所への入退室を記録すること。", "作業場所の鍵を作業責任者が管理すること。"]
    assert {c["verdict"] for c in items} == {"required"}
    assert rows["第3条"]["text"] == "受託者は、事故が発生したときは、直ちに市に報告しなければならない。"


# --- Word, numbers drawn by Word (numPr), items indented paragraphs without numPr ---------------

_NUMBERING = ('<w:abstractNum {ns} w:abstractNumId="90">'
              '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/>'
              '<w:pPr><w:ind w:left="420" w:hanging="420"/></w:pPr></w:lvl>'
              '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="(%2)"/>'
              '<w:pPr><w:ind w:left="630" w:hanging="420"/></w:pPr></w:lvl>'
              '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="aiueoFullWidth"/><w:lvlText w:val="%3"/>'
              '<w:pPr><w:ind w:left="840" w:hanging="210"/></w:pPr></w:lvl>'
              '</w:abstractNum>')


def _numbered_docx() -> bytes:
    doc = Document()
    numbering = doc.part.numbering_part.element
    numbering.insert(0, parse_xml(_NUMBERING.format(ns=nsdecls("w"))))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))

    def numbered(text: str, level: int):
        p = doc.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))
        return p

    def bare(text: str):
        p = doc.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(f'<w:ind {nsdecls("w")} w:left="1050" w:firstLine="0"/>'))
        return p

    doc.add_paragraph("南浦市データ入力業務委託　情報セキュリティ遵守事項")
    numbered("入力作業", 0)
    numbered("入力は、市が定めた入力要領に従って行うこと。", 1)
    numbered("作業者は、次に掲げる行為をしてはならない。", 1)
    bare("申告書等の内容を、電話、SNSその他の方法で外部に伝えること。")
    bare("申告書等又は入力画面を撮影し、又は書き写すこと。")
    bare("他の作業者のIDで入力すること。")
    numbered("入力データの引渡し", 0)
    numbered("入力データは、暗号化した上で市に引き渡すこと。", 1)
    numbered("受託者は、次に掲げる事項を守ること。", 1)
    bare("引渡しの記録を作成すること")
    bare("引き渡した媒体の受領書を受け取ること")
    numbered("市が貸与する媒体以外に入力データを複写しないこと。", 1)
    assert doc.part.numbering_part.element.find(qn("w:num")) is not None
    return _save(doc)


def test_word_automatic_numbers_items_without_numpr(db, tmp_path):
    rows = _load(db, tmp_path, "junshu.docx", _numbered_docx())
    lead = rows["1(2)"]
    assert lead["text"] == "作業者は、次に掲げる行為をしてはならない。"
    items = _children(rows, lead)
    assert [c["text"] for c in items] == [
        "申告書等の内容を、電話、SNSその他の方法で外部に伝えること。",
        "申告書等又は入力画面を撮影し、又は書き写すこと。",
        "他の作業者のIDで入力すること。"]
    assert [c["verdict"] for c in items] == ["prohibited"] * 3
    assert [c["label"] for c in items] == ["1(2)・1", "1(2)・2", "1(2)・3"]
    # noun phrases with no 「。」 are items too, one each; the next number ends them
    items = _children(rows, rows["2(2)"])
    assert [c["text"] for c in items] == ["引渡しの記録を作成すること", "引き渡した媒体の受領書を受け取ること"]
    assert {c["verdict"] for c in items} == {"required"}
    assert rows["2(3)"]["text"] == "市が貸与する媒体以外に入力データを複写しないこと。"


# --- a city's web page -----------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>個人情報取扱特記事項｜北浜市</title></head>
<body><div id="main">
<h1>北浜市個人情報取扱特記事項</h1>
<h3>第1条（目的外利用の禁止）</h3>
<p>受託者は、次に掲げる行為をしてはならない。</p>
<ul>
<li>寄附者情報を本業務以外の目的に利用すること。</li>
<li>寄附者情報を第三者に提供すること。</li>
</ul>
<h3>第2条（作業場所）</h3>
<p>受託者は、作業場所において、次に掲げる事項を遵守すること。</p>
<p style="margin-left:2em">
      作業場所への入退室を記録すること。</p>
<p style="margin-left:2em">私物の記録媒体を作業場所に持ち込まないこと。</p>
<p>2　受託者は、作業場所を市に届け出なければならない。</p>
<h3>第3条（事故の報告）</h3>
<p>受託者は、事故が発生したときは、直ちに市に報告しなければならない。</p>
</div></body></html>"""


def test_web_page_items_in_paragraphs_and_unmarked_list(db, tmp_path):
    rows = _load(db, tmp_path, "tokki.html", PAGE.encode())
    items = _children(rows, _by_text(rows, "受託者は、次に掲げる行為をしてはならない。"))
    assert [c["text"] for c in items] == ["寄附者情報を本業務以外の目的に利用すること。", "寄附者情報を第三者に提供すること。"]
    assert {c["verdict"] for c in items} == {"prohibited"}
    lead = _by_text(rows, "受託者は、作業場所において、次に掲げる事項を遵守すること。")
    assert lead["text"] == "受託者は、作業場所において、次に掲げる事項を遵守すること。"
    items = _children(rows, lead)
    assert [c["text"] for c in items] == ["作業場所への入退室を記録すること。", "私物の記録媒体を作業場所に持ち込まないこと。"]
    assert [c["label"] for c in items] == ["第2条第1項・1", "第2条第1項・2"]
    assert [c["verdict"] for c in items] == ["required", "prohibited"]
    assert rows["第2条第2項"]["text"] == "受託者は、作業場所を市に届け出なければならない。"


# --- text: indented lines, a wrapped lead-in, a text broken at a fixed width ----------------------

TEXT = """北浜市情報セキュリティ特記事項

（目的外利用の禁止）
第１条　受託者は、本業務の実施に当たっては、市の承認を得た場合を除き、次に掲げる行為を
　してはならない。
　　市から提供を受けた個人情報を本業務以外の目的に利用し、又は第三者に提供すること。
　　個人情報を記録した書類及び電磁的記録媒体を、作業場所の外へ持ち出すこと。
　受託者は、従事者が前項に掲げる行為をしないよう、必要な監督を行わなければならない。
２　受託者は、従事者に対し、前項の内容を周知しなければならない。

（作業場所）
第２条　受託者は、作業場所において、次に掲げる事項を遵守すること。
　　作業場所への入退室を記録すること。
　　私物の記録媒体を持ち込まないこと。
第３条　受託者は、事故が発生したときは、直ちに市に報告しなければならない。
"""


def test_text_indented_items_and_wrapped_lead_in(db, tmp_path):
    rows = _load(db, tmp_path, "tokki.txt", TEXT.encode("cp932"))
    lead = rows["第1条第1項"]
    # the lead-in's second line is its own text, not an item
    assert lead["text"].startswith("受託者は、本業務の実施に当たっては、市の承認を得た場合を除き、次に掲げる行為をしてはならない。")
    items = _children(rows, lead)
    assert [c["text"] for c in items] == [
        "市から提供を受けた個人情報を本業務以外の目的に利用し、又は第三者に提供すること。",
        "個人情報を記録した書類及び電磁的記録媒体を、作業場所の外へ持ち出すこと。"]
    assert {c["verdict"] for c in items} == {lead["verdict"]} and lead["verdict"] in ("prohibited", "approval")
    assert rows["第1条第2項"]["text"] == "受託者は、従事者に対し、前項の内容を周知しなければならない。"
    items = _children(rows, rows["第2条第1項"])
    assert [c["text"] for c in items] == ["作業場所への入退室を記録すること。", "私物の記録媒体を持ち込まないこと。"]
    assert [c["label"] for c in items] == ["第2条第1項・1", "第2条第1項・2"]
    assert [c["verdict"] for c in items] == ["required", "prohibited"]
    assert rows["第3条"]["verdict"] == "required"


def _broken(paragraphs: list[tuple[str, str]], width: int) -> str:
    """A text copied out of a PDF: every paragraph broken at ``width`` characters, its lines keeping
    the paragraph's indentation."""
    out = []
    for indent, text in paragraphs:
        s = indent + text
        while len(s) > width:
            out.append(s[:width])
            s = indent + s[width:]
        out.append(s)
    return "\n".join(out) + "\n"


def test_text_broken_at_a_width_keeps_wrapped_items_whole(db, tmp_path):
    text = _broken([
        ("", "南浦市個人情報取扱特記事項"),
        ("", "第１条　受託者は、本業務に従事する者に対し、業務の開始前に、次に掲げる事項について研修を行わなければならない。"),
        ("　", "個人情報の保護に関する法令及びこの特記事項の内容並びにこれらに違反した場合の罰則"),
        ("　", "事故が発生したときの報告の手順"),
        ("", "２　受託者は、研修の記録を作成し、市の求めに応じて提出しなければならない。"),
        ("", "第２条　受託者の従事者は、次に掲げる行為をしてはならない。"),
        ("　", "市から提供を受けた資料を、作業場所以外の場所に持ち出し、又は自宅に持ち帰ること。"),
        ("　", "私物のパソコン、スマートフォンその他の機器で個人情報を取り扱うこと。"),
        ("", "第３条　受託者は、事故が発生したときは、直ちに市に報告しなければならない。"),
    ], 30)
    rows = _load(db, tmp_path, "copy.txt", text.encode())
    lead = rows["第1条第1項"]
    assert lead["text"] == "受託者は、本業務に従事する者に対し、業務の開始前に、次に掲げる事項について研修を行わなければならない。"
    items = _children(rows, lead)
    assert [c["text"] for c in items] == [
        "個人情報の保護に関する法令及びこの特記事項の内容並びにこれらに違反した場合の罰則",
        "事故が発生したときの報告の手順"]
    assert {c["verdict"] for c in items} == {"required"}
    assert rows["第1条第2項"]["text"] == "受託者は、研修の記録を作成し、市の求めに応じて提出しなければならない。"
    items = _children(rows, rows["第2条第1項"])
    assert [c["text"] for c in items] == [
        "市から提供を受けた資料を、作業場所以外の場所に持ち出し、又は自宅に持ち帰ること。",
        "私物のパソコン、スマートフォンその他の機器で個人情報を取り扱うこと。"]
    assert {c["verdict"] for c in items} == {"prohibited"}


def test_a_sentence_that_is_no_lead_in_keeps_its_next_line():
    """Only a sentence that introduces a list opens one: an article's second sentence on its own line
    (a Word paragraph, no number) stays the article's text, as before."""
    from knowledge.parser import parse
    doc = parse("第１条　受託者は、事故を知ったときは、直ちに市に報告しなければならない。\n"
                "受託者は、前項の報告の後、速やかに経過を書面で提出しなければならない。\n"
                "第２条　受託者は、次のとおり作業を行う。\n"
                "（１）　作業場所で行うこと。\n")
    by = {c.label: c for c in doc.clauses}
    assert by["第1条"].text.endswith("経過を書面で提出しなければならない。")
    item = next(c for c in doc.clauses if c.text == "作業場所で行うこと。")
    assert by[next(c.label for c in doc.clauses if c.key == item.parent)].text == "受託者は、次のとおり作業を行う。"


def test_a_short_item_after_a_lead_in_broken_over_lines_is_no_heading(db, tmp_path):
    text = ("北浜市特記事項\n"
            "第１条　受託者は、業務の開始前に、従事者に対し、次に掲げる事項について研修を\n"
            "行わなければならない。\n"
            "　守秘義務\n"
            "　事故が発生したときに市へ報告する手順及び連絡先の一覧並びにその確認の方法について\n"
            "第２条　受託者は、事故が発生したときは、直ちに市に報告しなければならない。\n")
    rows = _load(db, tmp_path, "short.txt", text.encode())
    lead = rows["第1条第1項"]
    assert lead["text"] == "受託者は、業務の開始前に、従事者に対し、次に掲げる事項について研修を行わなければならない。"
    assert [c["text"] for c in _children(rows, lead)] == [
        "守秘義務", "事故が発生したときに市へ報告する手順及び連絡先の一覧並びにその確認の方法について"]
    assert {c["verdict"] for c in _children(rows, lead)} == {"required"}
    assert not any(c["level"] == "section" for c in rows.values())


# --- PDF made from those Word files (LibreOffice, as a city exports them) -------------------------

FIXTURES = Path(__file__).parent / "fixtures" / "bare_items"


def test_pdf_items_that_end_at_the_margin_stay_apart(db, tmp_path):
    """「申告書等の内容を、…外部に伝えること。」 fills its line to the right margin: the next item is not
    read as the rest of its paragraph (that gave one clause of two rules, judged 義務)."""
    rows = _load(db, tmp_path, "junshu.pdf", (FIXTURES / "word_automatic_numbers.pdf").read_bytes())
    items = _children(rows, rows["1(2)"])
    assert [c["text"] for c in items] == [
        "申告書等の内容を、電話、SNSその他の方法で外部に伝えること。",
        "申告書等又は入力画面を撮影し、又は書き写すこと。",
        "他の作業者のIDで入力すること。"]
    assert {c["verdict"] for c in items} == {"prohibited"}
    assert [c["text"] for c in _children(rows, rows["2(2)"])] == [
        "引渡しの記録を作成すること", "引き渡した媒体の受領書を受け取ること"]


def test_pdf_text_back_at_the_article_indent_is_no_item(db, tmp_path):
    rows = _load(db, tmp_path, "tokki.pdf", (FIXTURES / "word_typed_numbers.pdf").read_bytes())
    lead = rows["第1条第1項"]
    assert [c["text"] for c in _children(rows, lead)] == [
        "市から提供を受けた個人情報を本業務以外の目的に利用し、又は第三者に提供すること。",
        "個人情報を記録した書類を、作業場所の外へ持ち出すこと。",
        "個人情報を複写し、又は複製すること。"]
    assert {c["verdict"] for c in _children(rows, lead)} == {"prohibited"}
    assert "従事者が前項に掲げる行為をしないよう監督" in lead["text"]
    assert rows["第1条第2項"]["text"] == "受託者は、前項の内容を従事者に周知しなければならない。"
