"""Layouts the twenty-second set of attachments brought (session 16), each in a small file written for the test: a
Word table 「区分（大区分｜小区分）｜遵守事項｜根拠」 with its 大区分 merged down its rows, saved as PDF by LibreOffice
(which gives it cell by cell: the 根拠 cell's lines come after the rule cell's, back up at the row's height); and items
numbered with the one-character marks 「⑴⑵⑶」 (U+2474…) under a lead-in (tests/fixtures/layouts_s16)."""
from __future__ import annotations

from pathlib import Path

from knowledge.readers import pdf
from tests.test_layouts_s15 import _docx, _load, _one, _p

FIX = Path(__file__).parent / "fixtures" / "layouts_s16"


def test_a_word_table_saved_as_pdf_cell_by_cell_gives_one_row_a_line():
    text = pdf.read((FIX / "tiers.pdf").read_bytes(), "tiers.pdf").text
    rows = [ln for ln in text.splitlines() if "\t" in ln]
    assert rows == [
        "貸出券\t貸出券の再発行は、利用者本人であることを市が定める書類で確認して行うこと。\t仕様書第４条第２項",
        "予約票\t予約票をカウンターの上に置いたままにしないこと。\t特記事項第６条第１号",
        "検索端末\t検索端末に私物の記録媒体を接続しないこと。\t特記事項第７条第３号",
        "画面\t業務端末の画面は、利用者から見えない向きに置くこと。\t特記事項第７条第４号",
        "離席\t席を離れるときは、業務端末の画面をロックするよう努めること。\t特記事項第７条第５号"]
    # the column names go; the text before and after the table is untouched
    assert "大区分" not in text and "小区分" not in text
    assert "受託者が窓口で守る事項は、次の表のとおりとする。\n" in text
    assert "\n２　事故への対応\n受託者は、事故が起きたときは、直ちに市に報告しなければならない。" in text


def _row(clauses, label, rule):
    found = [c for c in clauses if c["text"].startswith(f"{label}: {rule}")]
    assert len(found) == 1, [c["text"][:40] for c in clauses]
    return found[0]


def test_each_row_of_the_cell_by_cell_table_has_its_own_verdict(tmp_path):
    """One clause a row, 「小区分: 遵守事項」 with its 根拠 on the next line (no other row's rule in it)."""
    clauses = _load(tmp_path, (FIX / "tiers.pdf").read_bytes(), "tiers.pdf")
    row = _row(clauses, "予約票", "予約票をカウンターの上に置いたままにしないこと。")
    assert row["verdict"] == "prohibited" and row["text"].endswith("特記事項第６条第１号") and "検索端末" not in row["text"]
    assert _row(clauses, "検索端末", "検索端末に私物の記録媒体を接続しないこと")["verdict"] == "prohibited"
    assert _row(clauses, "画面", "業務端末の画面は、利用者から見えない向きに")["verdict"] == "required"
    assert _row(clauses, "離席", "席を離れるときは、業務端末の画面をロック")["verdict"] == "encouraged"
    assert _one(clauses, "受託者は、事故が起きたときは")["verdict"] == "required"


def test_a_table_whose_lines_come_row_by_row_is_left_as_it_was(tmp_path):
    """Near case: the s15 table of the city's measures (its lines come row by row, never back up the page)."""
    from tests.test_layouts_s15 import FIX as S15
    data = (S15 / "measures.pdf").read_bytes()
    lines = pdf.read(data, "measures.pdf").text.splitlines()
    assert any(ln.startswith("3-2") for ln in lines)
    assert sum("\t" in ln for ln in lines) >= 2


PAREN_DIGITS = _docx(
    _p("（安全管理）")
    + _p("第７条　乙は、個人情報の漏えいを防止するため、次に掲げる措置を講じなければならない。")
    + _p("⑴　個人情報を取り扱う端末を施錠できる場所に置くこと。")
    + _p("⑵　配達用の端末については、次に掲げる措置を講ずること。")
    + _p("ア　画面ロックを設定すること。")
    + _p("イ　紛失したときは、直ちに甲に報告すること。")
    + _p("⑶　従事者の私物の携帯電話で利用者の情報を撮影しないこと。")
    + _p("（再委託）")
    + _p("第８条　乙は、本業務を第三者に委託してはならない。"))


def test_parenthesised_digit_marks_are_items(tmp_path):
    clauses = _load(tmp_path, PAREN_DIGITS, "paren.docx")
    lead = _one(clauses, "配達用の端末については、次に掲げる措置を講ずること。")
    assert "私物" not in lead["text"] and lead["verdict"] == "required"
    assert _one(clauses, "従事者の私物の携帯電話で利用者の情報を撮影しないこと")["verdict"] == "prohibited"
    assert _one(clauses, "画面ロックを設定すること")["verdict"] == "required"
    assert _one(clauses, "個人情報を取り扱う端末を施錠できる場所に")["verdict"] == "required"


def test_a_paragraph_that_only_starts_with_a_bracketed_number_is_no_item(tmp_path):
    """Near case: 「(1)」 written with three characters still an item; a sentence with 「⑴」 inside it is one clause."""
    data = _docx(_p("第１条　乙は、次に掲げる措置を講じなければならない。")
                 + _p("(1)　記録を保存すること。")
                 + _p("(2)　別表⑴の手順により、媒体を消去すること。"))
    clauses = _load(tmp_path, data, "near.docx")
    assert _one(clauses, "記録を保存すること")["verdict"] == "required"
    assert "⑴" in _one(clauses, "別表⑴の手順により")["text"]
