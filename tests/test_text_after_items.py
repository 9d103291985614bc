"""The text after a list of acts under a lead-in (「受託者は、次に掲げる行為をしてはならない。」) is not the last
act's own text. A web page's block after its </ul> carries on the clause that holds the list: its
「この限りでない」 is the way out for every act (許可・承認が必要), never the last one's alone, which had
turned that act into a duty. A sentence with its own subject and ending after unmarked items
(「受託者は、前項に違反したときは、…報告しなければならない。」) is not one more act of the list: as when a
Word file comes back to the article's indentation, it carries on the lead-in's clause.

The same page as a Word file whose acts are a numbered list (style 「List Number」, the numbers Word
draws), and that file saved as PDF by LibreOffice (``soffice --headless --convert-to pdf``, kept in
fixtures/text_after_items): there is no indentation to tell the list is over, but a sentence that
begins by citing the paragraph before it (「前項の規定にかかわらず、…」) is never an item's.

Each file is written the way a city makes it and loaded through the real loader."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document

from knowledge import library
from storage import kb as kb_store
from storage.db import open_db

PAGE = """<html><head><meta charset="utf-8"><title>北浜市 個人情報取扱特記事項</title></head><body>
<h1>北浜市 個人情報取扱特記事項</h1>
<h3>第1条（持出し等の禁止）</h3>
<p>受託者は、次に掲げる行為をしてはならない。</p>
<ul>
<li>個人情報を作業場所の外に持ち出すこと。</li>
<li>個人情報を複写すること。</li>
</ul>
<p>前項の規定にかかわらず、市の承認を得たときは、この限りでない。</p>
<h3>第2条（禁止事項）</h3>
<p>受託者は、次に掲げる行為をしてはならない。</p>
<p>申請書を作業室の外に持ち出すこと。</p>
<p>申請書の内容を他の業務に利用すること。</p>
<p>受託者は、前項に違反したときは、直ちに市に報告しなければならない。</p>
<h3>第3条（報告）</h3>
<p>受託者は、事故が発生したときは、直ちに市に報告しなければならない。</p>
</body></html>"""


@pytest.fixture
def rows(tmp_path):
    db = open_db(tmp_path / "kb.db")
    library.load_file(db, PAGE.encode("utf-8"), name="tokki.html", slug="t", title=None, municipality="北浜市")
    return {c["label"]: c for c in kb_store.clauses_of_full(db, "t")}


def test_the_way_out_after_a_list_is_every_acts_not_the_last_ones(rows):
    last = rows["第1条第1項・2"]
    assert last["text"] == "個人情報を複写すること。"          # the block after </ul> is not in it
    assert "この限りでない" in rows["第1条第1項"]["text"]       # it carries on the lead-in's clause
    # no act of the list is shown as a duty: each needs the city's approval
    assert {rows[k]["verdict"] for k in ("第1条第1項・1", "第1条第1項・2")} == {"approval"}


def test_a_sentence_of_its_own_after_unmarked_items_is_no_act_of_the_list(rows):
    items = [rows["第2条第1項・1"], rows["第2条第1項・2"]]
    assert [c["text"] for c in items] == ["申請書を作業室の外に持ち出すこと。", "申請書の内容を他の業務に利用すること。"]
    assert [c["verdict"] for c in items] == ["prohibited", "prohibited"]
    assert "第2条第1項・3" not in rows
    # as when a Word page comes back to the article's indentation: the lead-in's clause carries on
    assert "前項に違反したときは、直ちに市に報告" in rows["第2条第1項"]["text"]
    assert rows["第3条"]["text"] == "受託者は、事故が発生したときは、直ちに市に報告しなければならない。"


def _numbered_list_docx() -> bytes:
    doc = Document()
    doc.add_paragraph("北浦市 個人情報取扱特記事項")
    doc.add_paragraph("（禁止事項）")
    doc.add_paragraph("第１条　受託者は、次に掲げる行為をしてはならない。")
    for t in ("個人情報を作業場所の外に持ち出すこと。", "個人情報を複写すること。"):
        doc.add_paragraph(t, style="List Number")
    doc.add_paragraph("前項の規定にかかわらず、市の承認を得たときは、この限りでない。")
    doc.add_paragraph("（報告）")
    doc.add_paragraph("第２条　受託者は、事故が発生したときは、直ちに市に報告しなければならない。")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.mark.parametrize("name", ["tokki.docx", "word_numbered_list.pdf"])
def test_a_sentence_citing_the_paragraph_before_is_not_the_last_items(tmp_path, name):
    data = _numbered_list_docx() if name.endswith(".docx") else \
        (Path(__file__).parent / "fixtures" / "text_after_items" / name).read_bytes()
    db = open_db(tmp_path / "kb.db")
    library.load_file(db, data, name=name, slug="w", title=None, municipality="北浦市")
    rows = {c["label"]: c for c in kb_store.clauses_of_full(db, "w")}
    assert rows["第1条第1項第2号"]["text"] == "個人情報を複写すること。"
    assert "この限りでない" in rows["第1条第1項"]["text"]
    assert {rows[k]["verdict"] for k in ("第1条第1項第1号", "第1条第1項第2号")} == {"approval"}
    assert rows["第2条"]["verdict"] == "required"
