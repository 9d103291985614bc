"""Reading layouts of session 20, each built here in the formats cities send, loaded through the real loader.

1. A rule table 「区分 | 番号 | 遵守事項 | 根拠条項」 (as tests/data/verdicts/vd95.xlsx) with rows whose 番号 cell is empty
   below a numbered row that is not their lead-in: 「(1)　…」 under a finished rule, a 「※…」 note under a lead-in's
   items or under a finished rule. They stay units of their own with their own verdict (tests/test_table_item_rows.py),
   but are cited from the row above (「3-3(1)」「3-4※」) under its 区分 and number, as a note under a paragraph is
   (「2※」「第1条第2項※」): 「(1)」 or 「※」 alone tells a worker nothing of where the rule is.
2. A revision note in brackets on its own line (「（令和７年４月改正）」「（最終改正：令和６年３月１日）」) in text or Word:
   the document's history, not a caption, so it heads nothing (no 「令和７年４月改正（1-1）」) and is not the title;
   a real caption (「（秘密の保持）」) still heads its article.
The city, 架空市, and every rule here are invented."""
from __future__ import annotations

import io
import json

import docx
import pytest

import rule_tables
from rule_tables import HEADER

ROWS = [
    ("総則", "1-1", "この遵守事項は、受託者が遵守すべき情報セキュリティ対策を定めるものである。", "契約書第15条"),
    ("アクセス管理", "3-3", "ﾊﾟｽﾜｰﾄﾞを他の従事者に教えないこと。", "特記事項第7条"),
    ("アクセス管理", "", "(1)　ﾊﾟｽﾜｰﾄﾞは１２文字以上とすること。", ""),
    ("アクセス管理", "", "(2)　ﾊﾟｽﾜｰﾄﾞは９０日ごとに変更すること。", ""),
    ("アクセス管理", "3-4", "保守作業に当たっては、次に掲げる行為をしてはならない。", "特記事項第8条"),
    ("アクセス管理", "", "(1)　校務情報を保守用端末に保存すること。", ""),
    ("アクセス管理", "", "(2)　保守作業の画面を撮影し、又は録画すること。", ""),
    ("アクセス管理", "", "※保守用端末は、市が貸与するものを使用すること。", ""),
    ("アクセス管理", "3-5", "本番環境へのﾘﾓｰﾄ保守は、原則として行わないこと。", "特記事項第8条"),
    ("学校での作業", "5-2", "学校で作業を行うときは、市が交付する入校証を着用すること。", "特記事項第11条"),
    ("学校での作業", "", "※入校証は、作業を終えたときに返却すること。", ""),
    ("学校での作業", "5-3", "職員室で、教職員の机上の書類を閲覧しないこと。", "特記事項第11条"),
]

FORMATS = {
    "xlsx": ("遵守事項.xlsx", lambda: rule_tables.xlsx_book(ROWS)),
    "html": ("遵守事項.html", lambda: rule_tables.html_page(
        ROWS, head_rows=["<tr>" + "".join(f"<th>{h}</th>" for h in HEADER) + "</tr>"])),
    "docx": ("遵守事項.docx", lambda: rule_tables.word_doc(ROWS)),
    "txt": ("遵守事項.txt", lambda: rule_tables.tab_text(ROWS)),
}


def _one(clauses: list[dict], text: str) -> dict:
    got = [c for c in clauses if text in c["text"]]
    assert len(got) == 1, (text, [(c["label"], c["text"]) for c in got])
    return got[0]


def _heading(c: dict) -> list[str]:
    return json.loads(c["heading"] or "[]")


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_item_row_under_a_finished_rule_is_cited_from_that_rule_and_keeps_its_own_verdict(tmp_path, fmt):
    name, make = FORMATS[fmt]
    clauses = rule_tables.load(tmp_path, name, make())
    rule = _one(clauses, "ﾊﾟｽﾜｰﾄﾞを他の従事者に教えないこと。")
    first = _one(clauses, "ﾊﾟｽﾜｰﾄﾞは１２文字以上とすること。")
    second = _one(clauses, "ﾊﾟｽﾜｰﾄﾞは９０日ごとに変更すること。")
    assert rule["label"] == "3-3" and rule["verdict"] == "prohibited"
    assert (first["label"], second["label"]) == ("3-3(1)", "3-3(2)")
    assert first["citation"] == f"{rule_tables.TOWN} {rule_tables.TITLE} 3-3(1)"
    assert _heading(first) == _heading(second) == ["アクセス管理", "3-3"]
    # cited from the rule, not read as its items: a duty each, not the prohibition above them
    assert first["verdict"] == second["verdict"] == "required"
    assert first["parent_id"] != rule["id"] and second["parent_id"] != rule["id"]
    # and nothing else is loaded for those rows (no empty clause named after the 区分)
    assert not [c for c in clauses if not c["text"].strip()]
    assert not [c for c in clauses if c["label"] in ("(1)", "(2)", "※") or c["label"].startswith("アクセス管理")]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_note_row_is_cited_from_the_numbered_row_above_it(tmp_path, fmt):
    name, make = FORMATS[fmt]
    clauses = rule_tables.load(tmp_path, name, make())
    lead = _one(clauses, "次に掲げる行為をしてはならない。")
    items = [c for c in clauses if c["parent_id"] == lead["id"]]
    assert [c["label"] for c in items] == ["3-4(1)", "3-4(2)"]
    note = _one(clauses, "保守用端末は、市が貸与するものを使用すること。")
    # below the lead-in's items: its note, cited from 3-4, under its headings, not one of its items nor forbidden
    assert note["label"] == "3-4※" and _heading(note) == ["アクセス管理", "3-4"]
    assert note["citation"].endswith(" 3-4※")
    assert note["parent_id"] != lead["id"] and note["verdict"] == "required"
    # a note under another row is that row's, numbered apart (not 「5-2※2」)
    badge = _one(clauses, "入校証は、作業を終えたときに返却すること。")
    assert badge["label"] == "5-2※" and _heading(badge) == ["学校での作業", "5-2"]
    assert badge["verdict"] == "required"
    # the numbered rows after the notes are as before
    assert _one(clauses, "ﾘﾓｰﾄ保守は、原則として行わないこと。")["label"] == "3-5"
    assert _one(clauses, "教職員の机上の書類を閲覧しないこと。")["label"] == "5-3"


# -- revision notes -------------------------------------------------------------------------------------------------

def _load(tmp_path, name: str, data: bytes) -> tuple[list[dict], str]:
    from knowledge import library
    from storage.db import open_db
    db = open_db(tmp_path / "kb.db")
    library.load_file(db, data, name=name, slug="d", title=None, municipality=rule_tables.TOWN)
    clauses = list(db["clauses"].rows_where("doc_slug = ?", ["d"], order_by="ord"))
    title = next(db.query("select title from documents where slug = 'd'"))["title"]
    return clauses, title


def _word(paragraphs: list[str]) -> bytes:
    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


NOTES = ["（令和７年４月改正）", "（平成30年3月改訂）", "（R7.4.1改正）", "（最終改正：令和６年３月１日）",
         "（令和５年４月１日制定、令和７年４月１日一部改正）"]


def _no_revision_anywhere(clauses: list[dict], title: str, note: str):
    inner = note[1:-1]
    for c in clauses:
        assert inner not in c["label"] and inner not in c["citation"], c["citation"]
        assert inner not in "".join(_heading(c)), _heading(c)
    assert inner not in title


@pytest.mark.parametrize("note", NOTES)
def test_a_revision_note_above_a_rule_table_in_text_heads_nothing(tmp_path, note):
    # the table saved as tab-separated text (as tests/data/verdicts/vd95.source.txt) with the note under its title
    lines = [rule_tables.TITLE, note, "\t".join(HEADER)] + ["\t".join(r).rstrip("\t") for r in ROWS]
    clauses, title = _load(tmp_path, "遵守事項.txt", "\n".join(lines).encode("utf-8"))
    _no_revision_anywhere(clauses, title, note)
    assert title == rule_tables.TITLE
    first = _one(clauses, "受託者が遵守すべき情報セキュリティ対策を定める")
    assert first["label"] == "1-1" and _heading(first) == ["総則", "1-1"]
    assert first["citation"] == f"{rule_tables.TOWN} {rule_tables.TITLE} 1-1"
    assert _one(clauses, "校務情報を保守用端末に保存すること。")["label"] == "3-4(1)"
    assert not [c for c in clauses if not c["text"].strip()]


ARTICLES = ["情報セキュリティ特記仕様書", "{note}", "（目的）",
            "第１条　この仕様書は、受託者が遵守すべき情報セキュリティ対策を定めるものとする。",
            "（秘密の保持）",
            "第２条　受託者は、業務上知り得た情報を他に漏らしてはならない。",
            "２　受託者は、従事者に秘密保持の誓約書を提出させなければならない。"]

NUMBERED = ["情報セキュリティ遵守事項", "{note}",
            "１　受託者は、業務責任者を定め、市に届け出ること。",
            "２　受託者は、従事者に情報セキュリティ研修を実施すること。",
            "※研修の実施記録は、市の求めに応じて提示すること。",
            "３　受託者は、市の承認を得ずに再委託しないこと。"]


@pytest.mark.parametrize("fmt", ["txt", "docx"])
@pytest.mark.parametrize("note", NOTES[:1] + NOTES[3:4])
def test_a_revision_note_above_articles_is_no_caption_and_a_real_caption_still_is(tmp_path, fmt, note):
    paras = [p.format(note=note) for p in ARTICLES]
    data = "\n".join(paras).encode("utf-8") if fmt == "txt" else _word(paras)
    clauses, title = _load(tmp_path, f"特記仕様書.{fmt}", data)
    _no_revision_anywhere(clauses, title, note)
    assert title == "情報セキュリティ特記仕様書"
    purpose = _one(clauses, "この仕様書は、受託者が遵守すべき")
    assert purpose["label"] == "第1条" and _heading(purpose) == ["目的"]
    secret = _one(clauses, "業務上知り得た情報を他に漏らしてはならない。")
    assert secret["label"] == "第2条第1項" and _heading(secret) == ["秘密の保持"]
    assert secret["verdict"] == "prohibited"


@pytest.mark.parametrize("fmt", ["txt", "docx"])
def test_a_revision_note_over_numbered_rules_heads_nothing_and_a_note_is_cited_from_its_rule(tmp_path, fmt):
    # 「２　…すること。」 then 「※…」: the note is cited from its rule (「2※」), as in a table
    note = NOTES[0]
    paras = [p.format(note=note) for p in NUMBERED]
    data = "\n".join(paras).encode("utf-8") if fmt == "txt" else _word(paras)
    clauses, title = _load(tmp_path, f"遵守事項.{fmt}", data)
    _no_revision_anywhere(clauses, title, note)
    assert title == "情報セキュリティ遵守事項"
    training = _one(clauses, "従事者に情報セキュリティ研修を実施すること。")
    record = _one(clauses, "研修の実施記録は、市の求めに応じて提示すること。")
    assert training["label"] == "2" and record["label"] == "2※"
    assert record["verdict"] == "required"
    assert _one(clauses, "市の承認を得ずに再委託しないこと。")["label"] == "3"
