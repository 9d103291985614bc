"""A checklist or rule table saved as CSV from Excel (knowledge/readers/csv_table.py), through the real loader:
Shift_JIS, a title row above the table, a 区分 column, the sheet's empty margin columns, a cell holding a line break
and a ※ note. Read as text, every row had run into one clause."""
from __future__ import annotations

import pytest

from knowledge import library
from knowledge.readers import LoadRefused
from storage import kb as kb_store
from storage.db import open_db

SHEET = ('令和7年度 情報セキュリティ確認シート,,,,\n'
         ',区分,No,確認項目,確認欄\n'
         ',端末,1,離席時は画面をロックすること。,□\n'
         ',端末,2,私物のUSBメモリを使用しないこと。,□\n'
         ',書類,3,"書類は施錠できる場所に保管すること。\n※鍵は責任者が管理する。",□\n')


def _load(tmp_path, name: str, data: bytes):
    db = open_db(tmp_path / "m.db")
    report = library.load_file(db, data, name=name, slug="c", title=None, municipality="架空市")
    return report, [c for c in kb_store.clauses_of(db, "c") if c["text"]]


@pytest.mark.parametrize("name,data", [("確認シート.csv", SHEET.encode("cp932")),
                                       ("確認シート.csv", SHEET.encode("utf-8-sig")),
                                       ("確認シート.tsv", SHEET.replace(",", "\t").encode("utf-8"))])
def test_an_excel_csv_checklist_is_a_table_of_rules(tmp_path, name, data):
    report, clauses = _load(tmp_path, name, data)
    assert report.title == "令和7年度 情報セキュリティ確認シート"
    assert [(c["label"], c["text"]) for c in clauses] == [
        ("1", "離席時は画面をロックすること。"), ("2", "私物のUSBメモリを使用しないこと。"),
        ("3", "書類は施錠できる場所に保管すること。"), ("3※", "鍵は責任者が管理する。")]
    assert [c["verdict"] for c in clauses[:2]] == ["required", "prohibited"]


def test_numbers_only_or_empty_csv_is_refused_with_a_reason(tmp_path):
    with pytest.raises(LoadRefused, match="文章の入った行が見つかりませんでした"):
        _load(tmp_path, "集計.csv", b"No,count\n1,20\n2,31\n")
    with pytest.raises(LoadRefused, match="ファイルが空です"):
        _load(tmp_path, "空.csv", b"\n\n")


def test_a_csv_shared_in_the_dm_is_accepted_for_loading():
    from handlers import documents

    assert documents._kind("確認シート.csv", "csv") == "CSV" and documents._kind("upload", "csv") == "CSV"
