"""Layouts the twenty-second set of attachments brought (session 16), each in a small file written for the test: a
Word table 「区分（大区分｜小区分）｜遵守事項｜根拠」 with its 大区分 merged down its rows, saved as PDF by LibreOffice
(which gives it cell by cell: the 根拠 cell's lines come after the rule cell's, back up at the row's height); and items
numbered with the one-character marks 「⑴⑵⑶」 (U+2474…) under a lead-in (tests/fixtures/layouts_s16). And the same
kind of table 「区分｜遵守事項｜根拠」 with a row broken across a page (Word lets a row break by default): the cell's
last lines come at the top of the next page, with no row level with or above them there (split.pdf); and the same
with its one or two rows of column names repeated at the top of each page (split_repeat.pdf, split_tiers.pdf)."""
from __future__ import annotations

from pathlib import Path

import pytest

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


# split.pdf (make_split.py): the 持出し row starts at the foot of page 1; its 遵守事項 cell's last three lines
# 「者を持出し記録簿に記入すること。媒体を紛失し」「たときは、直ちに市に報告し、市の指示に従うこ」「と。」 are at the top of
# page 2, above the 複製 row. Before they were dropped (no row level with or above them on their page).
SPLIT_ROWS = [
    "作業場所\t受託者は、個人情報を取り扱う作業を市が指定する庁舎内の作業室においてのみ行うこと。作業室への入室は、"
    "事前に市に届け出た従事者に限ること。\t仕様書第５条",
    "従事者\t受託者は、業務に従事する者の名簿を市に提出し、その者に対して個人情報の取扱いに関する研修を業務の開始前に"
    "実施すること。名簿に変更があったときは、速やかに市に届け出ること。\t特記事項第３条",
    "端末\t受託者は、市が貸与する端末以外の端末で個人情報を取り扱わないこと。貸与された端末には、市の承認を得ないで"
    "ソフトウェアを導入しないこと。\t特記事項第４条",
    "持出し\t受託者は、個人情報が記録された媒体を作業室の外に持ち出さないこと。ただし、市の書面による承認を得た場合は、"
    "この限りでない。承認を得て持ち出すときは、媒体を暗号化し、施錠できる鞄に入れて運搬すること。運搬の途中で私用のために"
    "立ち寄らないこと。持ち出した媒体は、用務が終わった後直ちに作業室に戻し、その日時と担当者を持出し記録簿に記入すること。"
    "媒体を紛失したときは、直ちに市に報告し、市の指示に従うこと。\t特記事項第６条第２項",
    "複製\t受託者は、市の承認を得ないで個人情報を複写し、又は複製しないこと。\t特記事項第７条",
    "廃棄\t受託者は、業務が終わったときは、個人情報が記録された媒体を市に返還し、又は市の立会いの下で復元できない方法に"
    "より消去すること。\t特記事項第９条"]
NEXT_PAGE = ("者を持出し記録簿に記入すること。", "媒体を紛失したときは、直ちに市に報告し、市の指示に従うこと。")


def test_a_row_broken_across_a_page_keeps_the_lines_on_the_next_page_in_its_cell():
    text = pdf.read((FIX / "split.pdf").read_bytes(), "split.pdf").text
    assert [ln for ln in text.splitlines() if "\t" in ln] == SPLIT_ROWS
    for words in NEXT_PAGE:
        assert text.count(words) == 1
    # the column names go; the text before and after the table is untouched
    assert "遵守事項\t" not in text and "区分" not in text
    assert "受託者が業務の実施に当たり遵守する事項は、次の表のとおりとする。\n作業場所\t" in text
    assert "\n６　事故への対応\n受託者は、個人情報の漏えい等の事故が起きたときは、直ちに市に報告しなければならない。" in text


def test_the_broken_row_is_one_clause_with_all_its_text(tmp_path):
    clauses = _load(tmp_path, (FIX / "split.pdf").read_bytes(), "split.pdf")
    row = _row(clauses, "持出し", "受託者は、個人情報が記録された媒体を作業室の外に持ち出さないこと。ただし、")
    assert "その日時と担当者を持出し記録簿に記入すること。媒体を紛失したときは、直ちに市に報告し、市の指示に従うこと。" \
        in row["text"]
    assert row["text"].endswith("特記事項第６条第２項") and row["verdict"] == "approval"
    for words in NEXT_PAGE:
        assert [c["text"].count(words) for c in clauses if words in c["text"]] == [1]
    # the row after it, the first to start on page 2, has only its own text
    after = _row(clauses, "複製", "受託者は、市の承認を得ないで個人情報を複写し、又は複製しないこと。")
    assert after["text"].endswith("特記事項第７条") and "紛失" not in after["text"]
    assert _row(clauses, "廃棄", "受託者は、業務が終わったときは")["verdict"] == "required"


# split_repeat.pdf: the same table with its row of column names repeated at the top of page 2 (Word's 「タイトル行の
# 繰り返し」). The copy at the top of page 2 is no running header to drop on every page: the first copy, under the text
# that introduces the table, is the table's own header (before it went too, and the table was never rebuilt: the 根拠
# came inside the rule, 「…担当特記事項第６条第２項者を…」, and the rows on page 2 were no rows).
def test_a_broken_row_under_column_names_repeated_on_each_page():
    text = pdf.read((FIX / "split_repeat.pdf").read_bytes(), "split_repeat.pdf").text
    assert [ln for ln in text.splitlines() if "\t" in ln] == SPLIT_ROWS
    for words in NEXT_PAGE:
        assert text.count(words) == 1
    assert "遵守事項\t" not in text and "区分" not in text
    assert "受託者が業務の実施に当たり遵守する事項は、次の表のとおりとする。\n作業場所\t" in text
    assert "\n６　事故への対応\n受託者は、個人情報の漏えい等の事故が起きたときは、直ちに市に報告しなければならない。" in text


# split_tiers.pdf: two rows of column names, both repeated on page 2 (「区分」 centred over 「大区分」「小区分」, as
# vd79), a 大区分 merged down its rows, and the 根拠 cell wrapped to 「特記事項第６条」「第２項」. The first column starts
# left of 「区分」 (under 「大区分」), and 「第２項」 under the 根拠 column is no clause starting after the table.
def test_two_rows_of_column_names_repeated_on_each_page():
    text = pdf.read((FIX / "split_tiers.pdf").read_bytes(), "split_tiers.pdf").text
    assert [ln for ln in text.splitlines() if "\t" in ln] == SPLIT_ROWS
    for words in NEXT_PAGE:
        assert text.count(words) == 1
    assert "遵守事項\t" not in text and "区分" not in text and "作業環境" not in text
    assert "受託者が業務の実施に当たり遵守する事項は、次の表のとおりとする。\n作業場所\t" in text
    assert "\n６　事故への対応\n受託者は、個人情報の漏えい等の事故が起きたときは、直ちに市に報告しなければならない。" in text


@pytest.mark.parametrize("name", ["split_repeat.pdf", "split_tiers.pdf"])
def test_the_rows_under_repeated_column_names_are_one_clause_each(tmp_path, name):
    clauses = _load(tmp_path, (FIX / name).read_bytes(), name)
    row = _row(clauses, "持出し", "受託者は、個人情報が記録された媒体を作業室の外に持ち出さないこと。ただし、")
    assert row["text"].endswith("特記事項第６条第２項") and row["verdict"] == "approval"
    assert "担当者を持出し記録簿に記入すること。" in row["text"]
    after = _row(clauses, "複製", "受託者は、市の承認を得ないで個人情報を複写し、又は複製しないこと。")
    assert after["text"].endswith("特記事項第７条") and "紛失" not in after["text"]
    assert _row(clauses, "廃棄", "受託者は、業務が終わったときは")["text"].endswith("特記事項第９条")
    assert not any("区分" in c["text"] for c in clauses)
