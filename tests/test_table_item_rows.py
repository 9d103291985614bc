"""A rule table 「区分 | 番号 | 遵守事項 | 根拠条項」 (区分 merged down its rows) in which a lead-in row is followed by rows whose
番号 cell is empty and whose 遵守事項 starts with an item mark (as tests/data/verdicts/vd95.xlsx): those rows are items of
the numbered row above them, so the lead-in's verdict reaches them, whatever the format the table comes in. A ※ note row
with an empty number, and a row under a finished rule that introduces nothing, stay as they were. The city, 架空市, and
every rule here are invented."""
from __future__ import annotations

import re

import pytest

import rule_tables
from rule_tables import HEADER


ROWS = [
    ("総則", "1-1", "この遵守事項は、受託者が遵守すべき情報セキュリティ対策を定めるものである。", "契約書第15条"),
    ("アクセス管理", "3-3", "ﾊﾟｽﾜｰﾄﾞを他の従事者に教えないこと。", "特記事項第7条"),
    ("アクセス管理", "", "(1)　ﾊﾟｽﾜｰﾄﾞは１２文字以上とすること。", ""),
    ("アクセス管理", "3-4", "保守作業に当たっては、次に掲げる行為をしてはならない。", "特記事項第8条"),
    ("アクセス管理", "", "(1)　校務情報を保守用端末に保存すること。", ""),
    ("アクセス管理", "", "(2)　市の許可なく、本番環境の設定を変更すること。", ""),
    ("アクセス管理", "", "(3)　保守作業の画面を撮影し、又は録画すること。", ""),
    ("アクセス管理", "", "※保守用端末は、市が貸与するものに限る。", ""),
    ("アクセス管理", "3-5", "本番環境へのﾘﾓｰﾄ保守は、原則として行わないこと。", "特記事項第8条"),
    ("事故対応", "6-1", "事故が発生したときは、直ちに市に電話で報告すること。", "特記事項第13条"),
    ("事故対応", "6-2", "6-1の報告の後、次の事項を記載した事故報告書を、３日以内に市に提出すること。", "特記事項第13条"),
    ("事故対応", "", "(1)　発生日時及び発見の経緯", ""),
    ("事故対応", "", "(2)　影響を受けた学校名及び校務情報の件数", ""),
    ("努力事項", "7-1", "受託者は、次の事項に努めること。", "－"),
    ("努力事項", "", "(1)　脆弱性情報を定期的に収集すること。", ""),
    ("努力事項", "", "(2)　保守作業の手順書を毎年度見直すこと。", ""),
]


def xlsx_book(*, fitted: bool = True) -> bytes:
    """``fitted``: 遵守事項 as wide as its text; otherwise Excel's default width, the text spilling over the empty 根拠条項."""
    return rule_tables.xlsx_book(ROWS, widths=(14, 6, 80, 16) if fitted else None)


def html_page() -> bytes:
    return rule_tables.html_page(ROWS, head_rows=["<tr>" + "".join(f"<th>{h}</th>" for h in HEADER) + "</tr>"],
                                 lead="<p>受託者は、次の表の事項を遵守してください。</p>")


def word_doc() -> bytes:
    return rule_tables.word_doc(ROWS)


def tab_text() -> bytes:
    return rule_tables.tab_text(ROWS)


FORMATS = {
    "xlsx": ("遵守事項.xlsx", xlsx_book),
    "html": ("遵守事項.html", html_page),
    "docx": ("遵守事項.docx", word_doc),
    "txt": ("遵守事項.txt", tab_text),
}


_load = rule_tables.load


def _one(clauses: list[dict], text: str) -> dict:
    got = [c for c in clauses if text in c["text"]]
    assert len(got) == 1, (text, [(c["label"], c["text"]) for c in got])
    return got[0]


def _items_of(clauses, lead_text, item_texts):
    """The lead-in row and each item's clause, checking each is an item of that row cited from it."""
    row = _one(clauses, lead_text)
    items = [_one(clauses, t) for t in item_texts]
    for n, item in enumerate(items, 1):
        assert item["parent_id"] == row["id"], (item["label"], item["text"], row["label"])
        assert item["label"] == f"{row['label']}({n})"
        assert item["citation"].endswith(f"{row['label']}({n})")
    return row, items


@pytest.mark.parametrize("fmt", FORMATS)
def test_items_under_a_prohibition_are_forbidden_and_one_with_its_own_permission_needs_it(tmp_path, fmt):
    name, make = FORMATS[fmt]
    clauses = _load(tmp_path, name, make())
    row, (keep, change, film) = _items_of(clauses, "次に掲げる行為をしてはならない。", [
        "校務情報を保守用端末に保存すること。", "市の許可なく、本番環境の設定を変更すること。", "保守作業の画面を撮影し、又は録画すること。"])
    assert row["verdict"] == "prohibited"
    assert keep["verdict"] == "prohibited" and film["verdict"] == "prohibited"
    assert change["verdict"] == "approval"       # its own 「市の許可なく」: the way out is the city's permission
    # the lead-in is a rule, not a term and its meaning: no 「区分: 」 before it
    assert not row["text"].startswith("アクセス管理:")


@pytest.mark.parametrize("fmt", FORMATS)
def test_bare_nouns_under_a_report_lead_in_are_duties_and_items_of_an_effort_lead_in_are_efforts(tmp_path, fmt):
    name, make = FORMATS[fmt]
    clauses = _load(tmp_path, name, make())
    report, nouns = _items_of(clauses, "次の事項を記載した事故報告書を", ["発生日時及び発見の経緯", "影響を受けた学校名及び校務情報の件数"])
    assert report["verdict"] == "required" and [c["verdict"] for c in nouns] == ["required", "required"]
    effort, acts = _items_of(clauses, "受託者は、次の事項に努めること。", ["脆弱性情報を定期的に収集すること。", "保守作業の手順書を毎年度見直すこと。"])
    assert effort["verdict"] == "encouraged" and [c["verdict"] for c in acts] == ["encouraged", "encouraged"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_note_row_and_a_row_under_a_finished_rule_stay_their_own(tmp_path, fmt):
    name, make = FORMATS[fmt]
    clauses = _load(tmp_path, name, make())
    lead = _one(clauses, "次に掲げる行為をしてはならない。")
    _items_of(clauses, "次に掲げる行為をしてはならない。", ["校務情報を保守用端末に保存すること。"])
    # the ※ row below the items: a note as before, not an item of the lead-in (nor forbidden by it)
    note = _one(clauses, "保守用端末は、市が貸与するものに限る。")
    assert note["parent_id"] != lead["id"] and not note["label"].startswith(f"{lead['label']}(")
    assert "※" in note["label"] and note["verdict"] != "prohibited"
    assert note["citation"].endswith(f"{lead['label']}※")        # cited from the row it stands under, not 「※」 alone
    # under 「ﾊﾟｽﾜｰﾄﾞを他の従事者に教えないこと。」 (a finished rule, no lead-in) the (1) row keeps its own force: a duty,
    # not the prohibition above it
    rule = _one(clauses, "ﾊﾟｽﾜｰﾄﾞを他の従事者に教えないこと。")
    own = _one(clauses, "ﾊﾟｽﾜｰﾄﾞは１２文字以上とすること。")
    assert own["parent_id"] != rule["id"] and own["verdict"] == "required"
    assert own["citation"].endswith(f"{rule['label']}(1)")        # cited from that row: 「3-3(1)」, not 「(1)」 alone
    # no number, and no text of the table lost or read twice
    texts = "".join(c["text"] for c in clauses)
    for r in ROWS:
        assert texts.count(re.sub(r"^(?:\(\d\)\u3000|※)", "", r[2])) == 1, r[2]


def test_an_item_row_spilling_over_the_empty_cell_beside_it_stays_in_the_table(tmp_path):
    # Excel's default column width: 「(1)　…」 runs over the empty 根拠条項 cell. Beside the 区分 merged down it is still the
    # table's row, not a title across the sheet (moved under the merged cell, it was lost)
    clauses = _load(tmp_path, "遵守事項.xlsx", xlsx_book(fitted=False))
    _, items = _items_of(clauses, "次に掲げる行為をしてはならない。", [
        "校務情報を保守用端末に保存すること。", "市の許可なく、本番環境の設定を変更すること。", "保守作業の画面を撮影し、又は録画すること。"])
    assert [c["verdict"] for c in items] == ["prohibited", "approval", "prohibited"]
    _one(clauses, "保守用端末は、市が貸与するものに限る。")
    _items_of(clauses, "受託者は、次の事項に努めること。", ["脆弱性情報を定期的に収集すること。"])
