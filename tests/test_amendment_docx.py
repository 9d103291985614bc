"""A 新旧対照表 made in Word: a table 「改正後 | 改正前」 (or 「改正前 | 改正後」), one row per paragraph. Only the
改正後 column is in force; the 改正前 text (often the opposite rule: 「…回答することができる。」 where the new text
forbids it) must never become a clause. A row with an empty cell (a paragraph newly added, or one deleted) is a
row of the table, not a framed box; placeholder cells (「（削る）」「（略）」「（新設）」「（同左）」) are no
text; the note under the title (「（傍線部分は改正部分）」) is not the title; and the load report says the 改正前
column was left out. Every file is written the way a city makes it and loaded through the real loader."""
from __future__ import annotations

import io

import pytest
from docx import Document

from knowledge import library
from storage import kb as kb_store
from storage.db import open_db

# longer than a heading: the parser takes it as the title only when nothing else is taken first
TITLE = "北浜市選挙管理委員会選挙ポスター掲示場設置・撤去及び管理業務委託情報セキュリティ特記事項新旧対照表"

# (改正後, 改正前): the second row's 改正前 cell is empty (a paragraph added), and after it the old text of
# 第３条 says the opposite of the new
ROWS = [
    ("（秘密の保持）", "（秘密の保持）"),
    ("第１条　受注者は、本業務で知り得た情報を他に漏らしてはならない。", "第１条　乙は、知り得た秘密を他に漏らしてはならない。"),
    ("２　受注者は、従事者に誓約書を提出させなければならない。", ""),
    ("（問合せ）", "（問合せ）"),
    ("第２条　受注者は、告示前に掲示場の設置場所を第三者に教えてはならない。",
     "第２条　乙は、告示前に掲示場の設置場所について問合せを受けたときは、これに回答することができる。"),
    ("（削る）", "（作業報告）"),
    ("（削る）", "第３条　乙は、作業報告書を甲に提出するよう努めるものとする。"),
    ("（略）", "（略）"),
    ("（再委託）", "（同左）"),
    ("第３条　受注者は、本業務を再委託してはならない。", "第４条　乙は、本業務を再委託することができる。"),
    ("２　受注者は、作業用端末の画面をロックしなければならない。", "（新設）"),
]
OLD_ONLY = ("乙は", "これに回答することができる", "作業報告", "再委託することができる", "提出するよう努める")


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "kb.db")


def _docx(rows, names=("改正後", "改正前"), note: str | None = "（傍線部分は改正部分）") -> bytes:
    doc = Document()
    doc.add_paragraph(TITLE)
    if note:
        doc.add_paragraph(note)
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = names
    for a, b in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = a, b
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _load(db, data: bytes):
    report = library.load_file(db, data, name="taisho.docx", slug="t", title=None, municipality="北浜市")
    return report, kb_store.clauses_of_full(db, "t")


def _texts(rows) -> str:
    return "\n".join(f"{c['label']} {c['heading']} {c['text']}" for c in rows)


def test_only_the_amended_column_is_loaded(db):
    _, rows = _load(db, _docx(ROWS))
    text = _texts(rows)
    for old in OLD_ONLY:
        assert old not in text, (old, text)
    for new in ("本業務で知り得た情報を他に漏らしてはならない", "従事者に誓約書を提出させなければならない",
                "第三者に教えてはならない", "本業務を再委託してはならない", "画面をロックしなければならない"):
        assert sum(new in c["text"] for c in rows) == 1, (new, text)
    forbidding = next(c for c in rows if "第三者に教えてはならない" in c["text"])
    assert forbidding["verdict"] == "prohibited"


def test_placeholder_cells_are_no_text(db):
    # no empty cell anywhere: only the placeholders are under test
    rows = [(a, b or "（新設）") for a, b in ROWS]
    _, loaded = _load(db, _docx(rows, note=None))
    text = _texts(loaded)
    for mark in ("削る", "（略）", "新設", "同左"):
        assert mark not in text, (mark, text)
    assert "作業報告" not in text


def test_the_title_is_not_the_note_under_it(db):
    report, _ = _load(db, _docx(ROWS))
    assert report.title == TITLE
    assert kb_store.document(db, "t")["title"] == TITLE


def test_the_report_says_the_old_column_was_left_out(db):
    report, _ = _load(db, _docx(ROWS))
    assert any("新旧対照表の改正前の欄" in d for d in report.dropped), report.dropped


def test_old_column_first(db):
    # 「改正前 | 改正後」: a row with only the old cell filled (a paragraph deleted) is the table's, not a box
    rows = [(b, a) for a, b in ROWS] + [("第５条　乙は、個人情報を持ち帰ることができる。", "")]
    report, loaded = _load(db, _docx(rows, names=("改正前", "改正後"), note="（下線部分は改正箇所）"))
    text = _texts(loaded)
    for old in OLD_ONLY + ("持ち帰ることができる", "改正箇所"):
        assert old not in text, (old, text)
    assert "従事者に誓約書を提出させなければならない" in text
    assert "画面をロックしなければならない" in text
    assert report.title == TITLE
    assert any("新旧対照表の改正前の欄" in d for d in report.dropped), report.dropped
