"""A rule table 「区分 | 番号 | 遵守事項 | 根拠条項」 (区分 merged down its rows) in which a lead-in row is followed by rows whose
番号 cell is empty and whose 遵守事項 starts with an item mark (as tests/data/verdicts/vd95.xlsx): those rows are items of
the numbered row above them, so the lead-in's verdict reaches them, whatever the format the table comes in. A ※ note row
with an empty number, and a row under a finished rule that introduces nothing, stay as they were. The city, 架空市, and
every rule here are invented."""
from __future__ import annotations

import io
import re

import docx
import pytest
from docx.shared import Cm
from openpyxl import Workbook
from openpyxl.styles import Alignment

from knowledge import library
from storage.db import open_db

TOWN = "架空市"
HEADER = ("区分", "番号", "遵守事項", "根拠条項")
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


def _groups():
    """(first row, last row) of each run of rows sharing a 区分, indices into ROWS."""
    out, i = [], 0
    while i < len(ROWS):
        j = i
        while j + 1 < len(ROWS) and ROWS[j + 1][0] == ROWS[i][0]:
            j += 1
        out.append((i, j))
        i = j + 1
    return out


def xlsx_book(*, fitted: bool = True) -> bytes:
    """The sheet as a city office types it: title, header, 区分 merged down (its cell left empty below the first row).
    ``fitted``: 遵守事項 as wide as its text; otherwise Excel's default width, the text spilling over the empty 根拠条項."""
    wb = Workbook()
    ws = wb.active
    ws.title = "遵守事項"
    ws["A1"] = "情報セキュリティ遵守事項（保守業務）"
    ws.merge_cells("A1:D1")
    ws.append(list(HEADER))                        # row 2
    for r in ROWS:
        ws.append([r[0], r[1] or None, r[2], r[3] or None])
    for a, b in _groups():
        for k in range(a + 1, b + 1):
            ws.cell(3 + k, 1).value = None
        if b > a:
            ws.merge_cells(start_row=3 + a, start_column=1, end_row=3 + b, end_column=1)
        ws.cell(3 + a, 1).alignment = Alignment(vertical="center")
    if fitted:
        for col, width in zip("ABCD", (14, 6, 80, 16)):
            ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def html_page() -> bytes:
    """The same table on a city's web page: 区分 as <td rowspan>, empty <td>s where the item rows have no number."""
    rows = ["<tr>" + "".join(f"<th>{h}</th>" for h in HEADER) + "</tr>"]
    for a, b in _groups():
        for k in range(a, b + 1):
            first = f'<td rowspan="{b - a + 1}">{ROWS[a][0]}</td>' if k == a else ""
            rows.append("<tr>" + first + "".join(f"<td>{c}</td>" for c in ROWS[k][1:]) + "</tr>")
    page = ("<!DOCTYPE html><html lang=\"ja\"><head><meta charset=\"utf-8\"><title>情報セキュリティ遵守事項</title></head>"
            "<body><main><h1>情報セキュリティ遵守事項（保守業務）</h1><p>受託者は、次の表の事項を遵守してください。</p>"
            "<table border=\"1\">" + "\n".join(rows) + "</table></main></body></html>")
    return page.encode("utf-8")


def word_doc() -> bytes:
    """The same table in Word: 区分 merged vertically (Word leaves the cells below the first one empty)."""
    d = docx.Document()
    d.add_paragraph("情報セキュリティ遵守事項（保守業務）")
    t = d.add_table(rows=1 + len(ROWS), cols=4)
    for k, h in enumerate(HEADER):
        t.cell(0, k).text = h
    for i, r in enumerate(ROWS, 1):
        for k in (1, 2, 3):
            t.cell(i, k).text = r[k]
    for a, b in _groups():
        cell = t.cell(1 + a, 0).merge(t.cell(1 + b, 0)) if b > a else t.cell(1 + a, 0)
        cell.text = ROWS[a][0]
    for row in t.rows:
        row.cells[2].width = Cm(10)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def tab_text() -> bytes:
    """The same table saved as tab-separated text, the merged 区分 repeated on each row (as vd95.source.txt)."""
    lines = ["情報セキュリティ遵守事項（保守業務）", "", "\t".join(HEADER)]
    lines += ["\t".join(r).rstrip("\t") for r in ROWS]
    return "\n".join(lines).encode("utf-8")


FORMATS = {
    "xlsx": ("遵守事項.xlsx", xlsx_book),
    "html": ("遵守事項.html", html_page),
    "docx": ("遵守事項.docx", word_doc),
    "txt": ("遵守事項.txt", tab_text),
}


def _load(tmp_path, name: str, data: bytes) -> list[dict]:
    db = open_db(tmp_path / "kb.db")
    library.load_file(db, data, name=name, slug="d", title=None, municipality=TOWN)
    return list(db["clauses"].rows_where("doc_slug = ?", ["d"], order_by="ord"))


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
    # under 「ﾊﾟｽﾜｰﾄﾞを他の従事者に教えないこと。」 (a finished rule, no lead-in) the (1) row keeps its own force: a duty,
    # not the prohibition above it
    rule = _one(clauses, "ﾊﾟｽﾜｰﾄﾞを他の従事者に教えないこと。")
    own = _one(clauses, "ﾊﾟｽﾜｰﾄﾞは１２文字以上とすること。")
    assert own["parent_id"] != rule["id"] and own["verdict"] == "required"
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
