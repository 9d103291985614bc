"""A table printed without rules in a PDF (fixtures/pdf_tables/tables.pdf, made from Word by LibreOffice:
build.py there): its rows are clauses under the article that introduces it, with their cells together,
whether a cell wraps onto a second line or not, and the column names are no clause."""
from __future__ import annotations

from pathlib import Path

from knowledge import library
from storage.db import open_db

PDF = Path(__file__).parent / "fixtures" / "pdf_tables" / "tables.pdf"


def _clauses(tmp_path):
    db = open_db(tmp_path / "kb.db")
    library.load_file(db, PDF.read_bytes(), name=PDF.name, slug="t", title=None, municipality="架空市")
    return {c["label"]: (c["text"], c["verdict"]) for c in db["clauses"].rows_where("doc_slug = 't'")}


def test_a_two_column_table_of_exceptions_gives_one_clause_per_row_under_its_article(tmp_path):
    got = _clauses(tmp_path)
    base = "第5条第1項"
    assert got[f"{base}（利用者の貸出履歴の本業務以外の目的への利用）"] == ("利用者の貸出履歴の本業務以外の目的への利用: なし", "prohibited")
    copy = got[f"{base}（利用者データの複製）"]
    assert copy[0].endswith("市の書面による承認を得たとき（要承認）") and copy[1] == "approval"    # the wrapped cell whole
    assert got[f"{base}（利用者データの第三者への提供）"][1] == "prohibited"     # an exception by law keeps 禁止
    assert got[f"{base}（保守端末の館外への持出し）"][1] == "prohibited"
    assert not any(text.startswith("行為") for text, _ in got.values())           # the column names


def test_a_table_of_what_may_be_done_keeps_each_rows_mark_and_note(tmp_path):
    got = _clauses(tmp_path)
    base = "第6条第1項"
    # both cells wrapped onto a second line: the row is whole
    assert got[f"{base}（バックアップテープの所定の保管庫への格納）"] == (
        "バックアップテープの所定の保管庫への格納: ○\n格納した日時を作業日誌に記録すること。", "required")
    assert got[f"{base}（貸出サーバの稼働状況の確認及び監視画面の閲覧）"][1] == "info"       # ○ with nothing asked
    assert got[f"{base}（保守端末への診断ソフトウェアの追加）"][1] == "approval"
    assert got[f"{base}（利用者データを用いたプログラムの試験）"][1] == "approval"   # × with the city's way out
    assert got["第7条"] == ("受注者は、事故が発生したときは、直ちに市に報告しなければならない。", "required")


def test_kb_show_lists_a_row_of_several_lines_on_one_line(tmp_path):
    from conftest import run_mamoru

    db = tmp_path / "kb.db"
    assert run_mamoru(["kb", "add", str(PDF), "--slug", "t", "--municipality", "架空市"], db).returncode == 0
    lines = run_mamoru(["kb", "show", "t"], db).stdout.splitlines()
    assert all(line.startswith(("t:", "様式")) for line in lines)         # no clause spills onto a second line
    row = next(line for line in lines if "バックアップテープ" in line)
    assert row.endswith("バックアップテープの所定の保管庫への格納: ○ 格納した日時を作業日誌に記録すること。")
