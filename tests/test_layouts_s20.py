"""Reading layouts of session 20, each built here in the formats cities send, loaded through the real loader.

1. A rule table 「区分 | 番号 | 遵守事項 | 根拠条項」 (as tests/data/verdicts/vd95.xlsx) with rows whose 番号 cell is empty
   below a numbered row that is not their lead-in: 「(1)　…」 under a finished rule, a 「※…」 note under a lead-in's
   items or under a finished rule. They stay units of their own with their own verdict (tests/test_table_item_rows.py),
   but are cited from the row above (「3-3(1)」「3-4※」) under its 区分 and number, as a note under a paragraph is
   (「2※」「第1条第2項※」): 「(1)」 or 「※」 alone tells a worker nothing of where the rule is.
The city, 架空市, and every rule here are invented."""
from __future__ import annotations

import json

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
