"""A checklist kept as a spreadsheet and printed to PDF (fixtures/pdf_grid/checklist.pdf, made by LibreOffice
from a flat ODS: build.py there). PDFium gives its cells, not its lines: a wrapped item's number comes alone
and its text after the page's other rows, and a category merged over several rows comes halfway down them.
Each numbered row must still be one clause, whole, cited by its number, under its category; the same checklist
saved as tab-separated text must read the same way."""
from __future__ import annotations

from pathlib import Path

from knowledge import library
from knowledge.readers import pdf_grid
from storage.db import open_db

PDF = Path(__file__).parent / "fixtures" / "pdf_grid" / "checklist.pdf"


def _load(tmp_path, data: bytes, name: str):
    db = open_db(tmp_path / "kb.db")
    report = library.load_file(db, data, name=name, slug="c", title=None, municipality="架空市")
    return report, [c for c in db["clauses"].rows_where("doc_slug = 'c'") if c["text"]]


def test_each_row_of_a_printed_spreadsheet_checklist_is_one_whole_clause_under_its_category(tmp_path):
    _, clauses = _load(tmp_path, PDF.read_bytes(), PDF.name)
    rows = {c["label"]: c for c in clauses if c["label"].isdigit() and c["heading"] != "[]"}
    assert [int(k) for k in rows] == list(range(1, 31))
    # an item that wraps in its cell: its number came alone, its text later on the page
    assert rows["4"]["text"] == "作業従事者全員から、秘密の保持に関する誓約書を提出させ、契約の終了まで保管していること。"
    assert rows["12"]["text"] == "作業場所で納付義務者に関する会話をしないよう心がけていること。"
    assert not any("□" in c["text"] for c in clauses)                  # the box to tick is no text
    # the category merged over its rows, for every row of it (printed once, halfway down)
    heads = {k: c["heading"] for k, c in rows.items()}
    assert all('"体制"' in heads[str(n)] for n in range(1, 5))
    assert all('"研修"' in heads[str(n)] for n in range(5, 8))
    assert all('"作業場所"' in heads[str(n)] for n in range(8, 13))
    assert all('"事故・終了"' in heads[str(n)] for n in range(26, 31))


def test_the_rows_of_a_printed_checklist_carry_their_own_verdicts(tmp_path):
    _, clauses = _load(tmp_path, PDF.read_bytes(), PDF.name)
    rows = {c["label"]: c["verdict"] for c in clauses if c["label"].isdigit() and c["heading"] != "[]"}
    assert rows["1"] == "required"
    assert rows["3"] == "prohibited"       # 「…行わせていないこと。」 (the row before it had wrapped)
    assert rows["10"] == "prohibited"      # a wrapped row: 「…撮影できる機器」/「を持ち込んでいないこと。」
    assert rows["7"] == "encouraged"
    assert rows["16"] == "approval"        # 「（要承認）」
    assert rows["18"] == "prohibited"


def test_the_notes_below_the_checklist_stay_after_it(tmp_path):
    _, clauses = _load(tmp_path, PDF.read_bytes(), PDF.name)
    texts = [c["text"] for c in clauses]
    last_row = max(i for i, c in enumerate(clauses) if c["label"] == "30")
    notes = [next(i for i, t in enumerate(texts) if t.startswith(s)) for s in ("確認欄には", "「（要承認）」を付した", "市は、必要に")]
    assert last_row < notes[0] < notes[1] < notes[2]        # in the order printed, though they came from two pages
    assert clauses[notes[2]]["verdict"] == "info"          # the city's right
    # 「（注）」 over 「１　…」: cited as notes, not as a second row 1, 2, 3 beside the checklist's own
    assert [clauses[i]["label"] for i in notes] == ["※1", "※2", "※3"]
    assert clauses[notes[0]]["text"] == "確認欄には、確認した項目に「✓」を記入すること。"   # the ✓ where it stands


def test_a_checklist_saved_as_tab_separated_text_with_fields_and_boxes_is_rules_not_a_blank_form(tmp_path):
    text = "\n".join([
        "架空市　窓口受付業務　情報セキュリティ対策チェックリスト",
        "受託者名：　　　　　　点検日：令和　　年　　月　　日",
        "No.\t区分\t確認項目\t確認欄",
        "1\t体制\t責任者を選任し、市に届け出ていること。\t□",
        "2\t\t名簿に記載されていない者を従事させていないこと。\t□",
        "3\t端末\t離席する際は、画面をロックしていること。\t□",
        "4\t\t市が許可していない機器を接続していないこと。\t□",
    ]) + "\n"
    report, clauses = _load(tmp_path, text.encode("utf-8"), "check.txt")
    assert report.counts["forms"] == 0
    rows = {c["label"]: c for c in clauses}
    assert rows["2"]["text"] == "名簿に記載されていない者を従事させていないこと。"     # no 「□」
    assert '"体制"' in rows["2"]["heading"] and '"端末"' in rows["4"]["heading"]   # an empty 区分 cell: the one above
    assert rows["2"]["verdict"] == "prohibited" and rows["3"]["verdict"] == "required"


def test_a_pledge_form_keeps_its_promises_in_the_form(tmp_path):
    text = "\n".join([
        "第１条　受託者は、作業従事者から誓約書を徴取しなければならない。",
        "様式第１号",
        "誓　約　書",
        "年　　月　　日",
        "架空市長　様",
        "氏名",
        "私は、次の事項を守ることを誓約します。",
        "１　業務上知り得た情報を他に漏らさないこと。",
        "２　資料を作業場所の外へ持ち出さないこと。",
        "３　前２号に違反したときは、処罰されることがあること。",
    ]) + "\n"
    report, clauses = _load(tmp_path, text.encode("utf-8"), "pledge.txt")
    assert report.counts["forms"] == 1
    assert not any("漏らさないこと" in c["text"] for c in clauses)


def test_categories_follow_the_rows_they_are_centred_on_even_across_a_page_break():
    P = pdf_grid._Piece
    # ten rows of height 10 from y=200 down; 「甲」 centred on rows 0-3, 「乙」 on rows 4-5, 「丙」 printed low
    # because its merged cell runs on to the next page (rows 6-9 here and more there)
    spans = [(190 - 10 * k, 200 - 10 * k, 197 - 10 * k) for k in range(10)]
    cats = [P(0, 10, 182, 178, "甲"), P(0, 10, 152, 148, "乙"), P(0, 10, 92, 88, "丙")]
    assert pdf_grid._categories(cats, spans, 9.0) == ["甲"] * 4 + ["乙"] * 2 + ["丙"] * 4
    assert pdf_grid._categories([], spans, 9.0) == [""] * 10
