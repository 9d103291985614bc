"""A checklist written as one rule per line, without numbers (「１　基本事項」 then lines ending in 「…こと。」),
as a text file or as Word paragraphs: each finished line is a rule of its own, with its own verdict, not
one clause whose first sentence labels them all (a 「…持ち出さないこと。」 line was shown as the section's
義務). A line that carries on (「ただし、…」) stays with the line before; a text broken at a fixed width
(a copy out of a PDF) still joins its lines. Loaded through the real loader.

The same checklist as a PDF that LibreOffice made from the Word file (``soffice --headless --convert-to pdf``,
kept in fixtures/checklist_lines): no line reaches a right margin three lines share, so none was wrapped by the
layout, and the longest line is not taken for the margin (its next line had been joined to it).

Also: a numbered paragraph's lead-in (「(2) 支援員は、次に掲げる行為をしてはならない。」) governs its own items,
not the section's later paragraphs ((3) 「…回収すること。」 was shown as 禁止)."""
from __future__ import annotations

import io
from pathlib import Path

from docx import Document

from knowledge import library
from storage import kb as kb_store
from storage.db import open_db

LINES = ["受託者は、市の規程及びこの対策事項を遵守すること。",
         "利用申請書を管理事務所の外に持ち出さないこと。",
         "ただし、あらかじめ市の承認を得たときは、この限りでない。",
         "パスワードは、推測されにくいものを設定するよう努めること。",
         "市は、必要があると認めるときは、実地に調査することができる。"]
CHECKLIST = "緑野市 公園指定管理 情報セキュリティ対策事項\n\n１　基本事項\n" + "\n".join(LINES) + "\n"


def _load(tmp_path, data: bytes, name: str):
    db = open_db(tmp_path / "kb.db")
    library.load_file(db, data, name=name, slug="c", title=None, municipality="緑野市")
    return kb_store.clauses_of_full(db, "c")


def _docx() -> bytes:
    doc = Document()
    doc.add_paragraph("緑野市 公園指定管理 情報セキュリティ対策事項")
    doc.add_paragraph("１　基本事項")
    for line in LINES:
        doc.add_paragraph(line)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _verdicts(rows):
    return [(r["text"].split("。")[0][:12], r["verdict"]) for r in rows if r["text"].strip()]


def test_each_line_of_a_text_checklist_is_a_rule(tmp_path):
    rows = _load(tmp_path, CHECKLIST.encode("utf-8"), "taisaku.txt")
    assert _verdicts(rows) == [("受託者は、市の規程及びこ", "required"), ("利用申請書を管理事務所の", "approval"),
                               ("パスワードは、推測されに", "encouraged"), ("市は、必要があると認める", "info")]
    assert any("この限りでない" in r["text"] and "持ち出さない" in r["text"] for r in rows)


def test_each_word_paragraph_of_a_checklist_is_a_rule(tmp_path):
    rows = _load(tmp_path, _docx(), "taisaku.docx")
    assert [v for _, v in _verdicts(rows)] == ["required", "approval", "encouraged", "info"]


def test_each_line_of_a_checklist_pdf_is_a_rule(tmp_path):
    data = (Path(__file__).parent / "fixtures" / "checklist_lines" / "checklist.pdf").read_bytes()
    rows = _load(tmp_path, data, "taisaku.pdf")
    assert [v for _, v in _verdicts(rows)] == ["required", "approval", "encouraged", "info"]


def test_a_line_adding_to_the_one_before_stays_with_it(tmp_path):
    # 「また、…」 adds to the rule before it (verdict rule 1), as 「ただし、…」 and 「なお、…」 do
    text = CHECKLIST.replace("パスワードは、", "また、持ち出した書類は持出簿に記録すること。\nパスワードは、")
    rows = _load(tmp_path, text.encode("utf-8"), "taisaku.txt")
    assert any(r["text"].startswith("利用申請書を") and "また、持ち出した書類" in r["text"] for r in rows)
    assert len([r for r in rows if r["text"].strip()]) == 4


def test_a_text_broken_at_a_width_still_joins_its_lines(tmp_path):
    body = "".join(LINES[:2])
    width = 20
    wrapped = "\n".join(body[i:i + width] for i in range(0, len(body), width))
    text = "緑野市 公園指定管理 情報セキュリティ対策事項\n\n１　基本事項\n" + wrapped + "\n" + \
        "\n".join(("受託者は、作業の記録を作成し、これを五年間保存しなければならない。" * 2)[i:i + width]
                  for i in range(0, 64, width)) + "\n"
    rows = _load(tmp_path, text.encode("utf-8"), "wrapped.txt")
    # the lines broken mid-sentence are one text again, not a clause per line
    assert any("市の規程及びこの対策事項を遵守すること。利用申請書" in r["text"].replace("\n", "") for r in rows)


def test_a_numbered_paragraphs_lead_in_governs_only_its_own_items(tmp_path):
    text = ("翠野市 ICT支援員 遵守事項\n\n３　支援員の遵守事項\n"
            "(1) 支援員は、次の事項を遵守すること。\nア　身分証明書を着用すること。\n"
            "(2) 支援員は、次に掲げる行為をしてはならない。\nア　私物のスマートフォンで児童を撮影すること。\n"
            "(3) 支援員は、資料を印刷したときは、直ちにプリンタから回収すること。\n")
    rows = {r["label"]: r["verdict"] for r in _load(tmp_path, text.encode("utf-8"), "shien.txt")}
    assert rows["3(1)ア"] == "required" and rows["3(2)ア"] == "prohibited"
    assert rows["3(3)"] == "required"
