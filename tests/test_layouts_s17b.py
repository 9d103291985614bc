"""Layouts the twenty-fourth set of attachments brought (session 17), each in a small file written for the test
(tests/fixtures/layouts_s17b, with the scripts that made them) or inline: rules in several text boxes beside a flow
chart, all anchored in one paragraph, each stored twice (DrawingML and its VML fallback) (boxes.docx); a one-column
別表 of bare noun phrases under the column name 「禁止行為」, on a page of its own (annex.docx, annex.pdf by
LibreOffice); and 「＊」 notes under items in a text export (inline)."""
from __future__ import annotations

from pathlib import Path

from knowledge import parser, verdict
from knowledge.readers import docx
from tests.test_layouts_s15 import _load, _one

FIX = Path(__file__).parent / "fixtures" / "layouts_s17b"


# -- text boxes beside a flow chart ------------------------------------------------------------------------------

def test_each_text_box_is_read_once_and_apart():
    text = docx.read((FIX / "boxes.docx").read_bytes(), "boxes.docx").text
    assert text.count("配送員は、次に掲げる行為をしてはならない。") == 1          # the VML copy is not read
    assert text.count("当日中に破損報告書を学務課に提出すること。") == 1
    # the chart's labels stay together, box by box; the parenthesised 「（内線３３）」 is no line of its own
    assert "架空町教育委員会\u3000学務課給食係\u3000（内線３３）" in text
    assert "\n（内線３３）\n" not in text


def test_a_box_title_governs_only_its_own_box(tmp_path):
    clauses = _load(tmp_path, (FIX / "boxes.docx").read_bytes(), "boxes.docx")
    # the box after the prohibition box: its bullets keep their own wording (義務), not the prohibition's
    report = _one(clauses, "連絡を受けたときは、学務課に電話で報告すること。")
    assert report["verdict"] == "required"
    assert _one(clauses, "当日中に破損報告書を学務課に提出すること。")["verdict"] == "required"
    # its title is not glued to the last item of the box before it
    last = _one(clauses, "食缶の中身を捨てること")
    assert last["verdict"] == "prohibited" and "配送責任者" not in last["text"]
    assert _one(clauses, "破損した食缶を学校に届けること")["verdict"] == "prohibited"
    assert _one(clauses, "車両を安全な場所に止めること。")["verdict"] == "required"
    # a flow chart's label is no heading of the rules after it
    assert not any("内線" in c["label"] for c in clauses)
    assert report["label"].startswith("配送責任者がすること")


def test_a_lead_in_after_bullets_takes_the_bullets_after_it():
    """A section's own bullets, then 「…次に掲げる行為をしてはならない。」 and bullets: those are the lead-in's items."""
    doc = parser.parse("１　入館\n・入館証を常に着用すること。\n・退館時に入館証を返すこと。\n"
                       "従事者は、次に掲げる行為をしてはならない。\n・入館証の貸与\n・入館証の複製\n"
                       "２　再委託\n受託者は、本業務を第三者に委託してはならない。", "text")
    lead = next(c for c in doc.clauses if c.text.startswith("従事者は、次に掲げる"))
    items = [c for c in doc.clauses if c.parent == lead.key]
    assert [c.text for c in items] == ["入館証の貸与", "入館証の複製"]
    judged = verdict.assign([(c.key, c.parent, c.text, c.heading[-1] if c.heading else "") for c in doc.clauses])
    assert {judged[c.key][0] for c in items} == {"prohibited"}


# -- a one-column 別表 ---------------------------------------------------------------------------------------------

def _rows(clauses):
    return {c["text"].split("：", 1)[-1]: c["verdict"] for c in clauses if c["text"].startswith("禁止行為：")}


def test_a_one_column_table_of_prohibited_acts_is_read_row_by_row(tmp_path):
    for name in ("annex.pdf", "annex.docx"):
        (tmp_path / name).mkdir()
        clauses = _load(tmp_path / name, (FIX / name).read_bytes(), name)
        assert _rows(clauses) == {"利用者の貸出記録の閲覧": "prohibited", "配送箱の開封": "prohibited",
                                  "資料の車内への放置": "prohibited", "町の承認のない配送経路の変更": "approval"}, name
        assert _one(clauses, "受託者は、別表に掲げる行為をしてはならない。")["verdict"] == "prohibited"


def test_an_appendix_keeps_one_title_and_reads_the_lines_under_it():
    doc = parser.parse("４　禁止行為\n受託者は、別表に掲げる行為をしてはならない。\n"
                       "別表　禁止行為（４関係）\n禁止行為\n訪問先での現金の受領\n私用の電話機による架電\n", "text")
    texts = [c.text for c in doc.clauses]
    assert "禁止行為：訪問先での現金の受領" in texts and "禁止行為：私用の電話機による架電" in texts
    # 「別紙」 then its title then a paragraph: the title once, the paragraph a clause
    doc = parser.parse("第１条　受託者は、別紙の手順に従うこと。\n別紙\n鍵の管理手順\n鍵は、事務室の金庫に保管する\n", "text")
    appendix = next(c for c in doc.clauses if c.label.startswith("別紙"))
    assert appendix.heading == ("別紙", "鍵の管理手順")
    assert any(c.text.startswith("鍵は、事務室の金庫に保管する") for c in doc.clauses)


def test_an_appendix_titled_with_prohibited_acts_and_its_note_forbids_its_items():
    """「別表　禁止事項（第４条関係）」 over 「・…」: the title names prohibited acts; 「（第４条関係）」 only says where it is cited."""
    doc = parser.parse("第４条　受託者は、別表に掲げる行為をしてはならない。\n別表　禁止事項（第４条関係）\n"
                       "・私物の記録媒体の使用\n・作業場所外への持出し\n", "text")
    judged = verdict.assign([(c.key, c.parent, c.text, c.heading[-1] if c.heading else "") for c in doc.clauses])
    items = [c for c in doc.clauses if c.text in ("私物の記録媒体の使用", "作業場所外への持出し")]
    assert len(items) == 2 and {judged[c.key][0] for c in items} == {"prohibited"}


def test_a_column_name_over_sentences_is_left_alone():
    """Near case: 「禁止事項」 over rules of their own is a title, its lines no cells."""
    doc = parser.parse("１　禁止事項\n禁止事項\n受託者は、私物の記録媒体を使用してはならない。\n"
                       "受託者は、資料を持ち出してはならない。\n", "text")
    assert not any(c.text.startswith("禁止事項：") for c in doc.clauses)


# -- ＊ notes -------------------------------------------------------------------------------------------------------

NOTES = ("第２　管理体制\r\n１．運転手\r\n"
         "　（１）受託者は、運転手を交替させようとするときは、あらかじめ市の承認を得なければならない。\r\n"
         "　　＊　急病により当日交替する場合は、交替後直ちに市に報告すること。\r\n"
         "　（２）運転日報は、毎日作成し、市に提出すること。\r\n"
         "　　＊　運転日報の様式は、市が別に定める。\r\n"
         "　（３）運転手は、車両の鍵を他人に貸与してはならない。\r\n").encode("cp932")


def test_an_asterisk_note_is_a_unit_of_its_own(tmp_path):
    clauses = _load(tmp_path, NOTES, "notes.txt")
    approval = _one(clauses, "受託者は、運転手を交替させようとするときは")
    assert approval["verdict"] == "approval" and "急病" not in approval["text"]
    assert _one(clauses, "急病により当日交替する場合は")["verdict"] == "required"
    daily = _one(clauses, "運転日報は、毎日作成し")
    assert daily["verdict"] == "required" and "様式" not in daily["text"]
    assert _one(clauses, "運転日報の様式は、市が別に定める。")["verdict"] == "info"
    assert _one(clauses, "運転手は、車両の鍵を他人に貸与してはならない。")["verdict"] == "prohibited"


def test_a_row_of_asterisks_is_no_note():
    doc = parser.parse("１　総則\n受託者は、この要領を守ること。\n＊＊＊\n２　報告\n受託者は、毎月報告すること。\n", "text")
    assert not any(c.label.endswith("※") for c in doc.clauses)
