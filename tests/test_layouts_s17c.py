"""Layouts of corpus3's harder attachments (session 17), each in a small file written for the test: a 別表 in a PDF, a
bordered table of a number column and a text column whose cells wrap mid-word (tests/fixtures/layouts_s17c, made by
make_fixtures.py with python-docx and LibreOffice); the parties' signature table at the end of a PDF, under a
sentence that introduces it; a web page's <ul> of bullets inside a numbered <li>; a Word text box holding a ※ note,
anchored in a paragraph."""
from __future__ import annotations

from pathlib import Path

from knowledge import library
from knowledge.parser import parse
from knowledge.readers import pdf
from storage.db import open_db
from tests.test_layouts_s15 import _docx, _one, _p

FIX = Path(__file__).parent / "fixtures" / "layouts_s17c"


def _load(tmp_path, data: bytes, name: str):
    db = open_db(tmp_path / "kb.db")
    report = library.load_file(db, data, name=name, slug="d", title=None, municipality="架空市")
    return list(db["clauses"].rows_where("doc_slug = 'd'")), report


# --- a 別表 of numbered rows whose text cells wrap -----------------------------------------------

def test_a_wrapped_cell_line_of_a_numbered_table_joins_its_row():
    """「２　利用者の予約票を車外に持ち出して確認す」/「ること。」: the wrapped line starts under the text after the
    number, and the row reaches the table's own right edge (not the page's): one line."""
    lines = pdf.read((FIX / "table_rows.pdf").read_bytes(), "table_rows.pdf").text.splitlines()
    assert "２　利用者の予約票を車外に持ち出して確認すること。" in lines
    assert "５　配送先の職員以外の者に配送物を手渡すこと。" in lines
    assert not any(ln in ("と。", "ること。", "に伝えること。") for ln in lines)
    # the rows that fit on one line and the text after the table stay lines of their own
    assert "１　配送物を車両に置いたまま離れること。" in lines
    assert "この特記事項は、令和8年4月1日から施行する。" in lines


def test_each_row_of_the_table_is_one_clause_cited_by_the_tables_name(tmp_path):
    clauses, _ = _load(tmp_path, (FIX / "table_rows.pdf").read_bytes(), "table_rows.pdf")
    for n, text in ((2, "利用者の予約票を車外に持ち出して確認すること。"),
                    (3, "配送の途中で私用のために寄り道をすること。"),
                    (4, "予約票に記載された利用者の氏名を第三者に伝えること。")):
        row = _one(clauses, text)
        assert row["label"] == f"別表{n}" and row["text"] == text and row["verdict"] == "prohibited"
    assert not any(c["text"] in ("と。", "ること。") for c in clauses)
    assert not any("確認す" in c["label"] or "するこ" in c["label"] for c in clauses)


# --- the parties' signature table at the end -------------------------------------------------------

def test_a_signature_table_and_its_lead_sentence_are_dropped(tmp_path):
    """The last section's body stays its one paragraph (cited by number and heading); the sentence introducing the
    signatures and the table of 委託者／受託者, 住所, 氏名　印, 年　月　日 are no clauses."""
    clauses, report = _load(tmp_path, (FIX / "signed.pdf").read_bytes(), "signed.pdf")
    last = _one(clauses, "受託者は、契約の終了後7日以内に")
    assert last["label"] == "3 業務終了時の措置" and last["verdict"] == "required"
    texts = "\n".join(c["text"] for c in clauses)
    for gone in ("確認した", "氏名", "住所", "年月日", "委託者"):
        assert gone not in texts, gone
    assert any("末尾" in d for d in report.dropped)


def test_signature_fields_in_a_text_and_their_lead_sentence_go():
    doc = parse("１　目的\nこの要件は、作業の手順を定めるものである。\n２　返却\n受託者は、作業の終了後に資料を返却すること。\n"
                "以上の要件について、発注者及び受注者は次のとおり確認した。\n"
                "発注者\t受注者\n所在地\t所在地\n氏名　　印\t氏名　　印\n　年　月　日\t　年　月　日\n")
    got = [(c.label, c.text) for c in doc.clauses if c.text]
    assert got[-1] == ("2 返却", "受託者は、作業の終了後に資料を返却すること。")
    assert not any("確認した" in t or "氏名" in t for _, t in got)


def test_a_short_last_rule_and_a_confirming_sentence_without_fields_stay():
    """Near cases: no name to sign and no date to fill in, no signature block."""
    doc = parse("１　確認\n受託者は、作業の結果を市と確認すること。\n以上の内容について、市と受託者は次のとおり確認した。\n"
                "２　持込み禁止\n私物の記録媒体\t撮影機能のある機器\n")
    texts = [c.text for c in doc.clauses if c.text]
    assert "以上の内容について、市と受託者は次のとおり確認した。" in texts
    assert any("私物の記録媒体" in t for t in texts)


# --- bullets inside a numbered item of a web page ----------------------------------------------------

PAGE = """<html><body><h1>架空市 写真撮影業務の遵守事項</h1>
<section><h3>１　作業場所</h3>
<ol>
  <li>画像の処理は、次のいずれかの場所で行うこと。
    <ul><li>受注者の本社の処理室</li><li>市が承認した協力会社の作業室</li></ul>
  </li>
  <li>処理に使う端末はインターネットに接続しないこと。</li>
</ol></section>
<section><h3>２　注意</h3>
<ul><li>作業室は施錠すること。</li><li>入室者を記録すること。</li></ul>
</section></body></html>"""


def test_bullets_the_markup_nests_in_a_numbered_item_are_cited_as_the_item(tmp_path):
    clauses, _ = _load(tmp_path, PAGE.encode(), "page.html")
    assert _one(clauses, "画像の処理は、")["label"] == "1(1)"
    assert _one(clauses, "受注者の本社の処理室")["label"] == "1(1)"
    assert _one(clauses, "市が承認した協力会社の作業室")["label"] == "1(1)"
    assert _one(clauses, "処理に使う端末は")["label"] == "1(2)"
    # a bullet list of a section's own (no item around it) keeps its bullets' places
    assert [_one(clauses, t)["label"] for t in ("作業室は施錠", "入室者を記録")] == ["2・1", "2・2"]


# --- a Word text box anchored in a paragraph --------------------------------------------------------

MC = ('xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:v="urn:schemas-microsoft-com:vml"')


def _boxed(text: str, note: str) -> str:
    """A paragraph with a Word 2010+ text box anchored in it (DrawingML and its VML fallback: the note twice)."""
    body = _p(note)
    return (f"<w:p><w:r><w:t>{text}</w:t></w:r><w:r><mc:AlternateContent {MC}><mc:Choice Requires=\"wps\"><w:drawing>"
            f"<wps:wsp><wps:txbx><w:txbxContent>{body}</w:txbxContent></wps:txbx></wps:wsp></w:drawing></mc:Choice>"
            f"<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{body}</w:txbxContent></v:textbox></v:shape>"
            f"</w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>")


def test_a_note_in_a_text_box_is_cited_as_the_paragraph_it_is_anchored_in(tmp_path):
    data = _docx(_p("架空市 封入業務 個人情報取扱特記事項")
                 + _p("第１条　受託者は、業務で知り得た情報を他に漏らしてはならない。")
                 + _p("第２条　受託者は、事故を知ったときは、直ちに市に報告しなければならない。")
                 + _boxed("２　受託者は、前項の報告の後、事故の経過を書面で報告しなければならない。",
                          "※　夜間は、市の当番電話に連絡してください。")
                 + _p("第３条　受託者は、作業の完了後、余った用紙を市に返還しなければならない。"))
    clauses, _ = _load(tmp_path, data, "boxed.docx")
    note = _one(clauses, "夜間は、市の当番電話に")
    assert note["label"] == "第2条第2項" and note["verdict"] == "required"
    assert _one(clauses, "受託者は、前項の報告の後")["label"] == "第2条第2項"
    assert len([c for c in clauses if "当番電話" in c["text"]]) == 1        # the VML fallback is not read twice
    assert not any("\x1c" in c["text"] or "\x1c" in c["label"] for c in clauses)


def test_a_typed_note_after_a_paragraph_keeps_its_mark(tmp_path):
    """Near case: a ※ paragraph typed after the paragraph (no text box) is cited as a note, as before."""
    data = _docx(_p("架空市 封入業務 個人情報取扱特記事項")
                 + _p("第１条　受託者は、業務で知り得た情報を他に漏らしてはならない。")
                 + _p("第２条　受託者は、事故を知ったときは、直ちに市に報告しなければならない。")
                 + _p("２　受託者は、前項の報告の後、事故の経過を書面で報告しなければならない。")
                 + _p("※　夜間は、市の当番電話に連絡してください。"))
    clauses, _ = _load(tmp_path, data, "typed.docx")
    assert _one(clauses, "夜間は、市の当番電話に")["label"] == "第2条第2項※"
