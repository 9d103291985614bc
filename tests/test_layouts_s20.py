"""A note of when the document was revised (「（令和７年４月改正）」) is not a heading: it had been read as a
caption, so every clause after it was cited 「…遵守事項 令和７年４月改正（1-1）」 in text and Word. Captions
that are headings (「（目的）」) still are."""
from __future__ import annotations

import io

import pytest

from knowledge import library
from storage import kb as kb_store
from storage.db import open_db

TITLE = "庁舎清掃業務　情報セキュリティ遵守事項"
# a rule table numbered 「1-1」 under a title and the revision note (the layout of an 遵守事項 sent as text or Word)
TABLE = ["区分\t番号\t遵守事項", "総則\t1-1\t受託者は、書類を持ち出してはならない。", "報告\t1-2\t受託者は、事故を直ちに報告すること。"]
SECTIONS = ["第１　総則", "１　受託者は、書類を持ち出してはならない。", "第２　報告", "１　受託者は、事故を直ちに報告すること。"]


def _citations(tmp_path, name: str, data: bytes) -> list[str]:
    db = open_db(tmp_path / "m.db")
    library.load_file(db, data, name=name, slug="doc", title=None, municipality="架空市")
    return [c["citation"] for c in kb_store.clauses_of(db, "doc") if c["text"]]


def _docx(lines: list[str]) -> bytes:
    import docx

    d = docx.Document()
    for line in lines:
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("note", ["（令和７年４月改正）", "（平成30年4月1日施行）", "（最終改正：令和６年３月）", "(R7.4.1改正)"])
@pytest.mark.parametrize("body,labels", [(TABLE, ["1-1", "1-2"]), (SECTIONS, ["第1", "第2"])])
def test_a_revision_note_under_the_title_is_no_heading(tmp_path, note, body, labels):
    lines = [TITLE, note, *body]
    cites = _citations(tmp_path, "doc.txt", ("\n".join(lines) + "\n").encode())
    assert cites == [f"架空市 {TITLE} {label}" for label in labels]


@pytest.mark.parametrize("note", ["（令和７年４月改正）", "（最終改正：令和６年３月）"])
def test_the_same_in_word(tmp_path, note):
    cites = _citations(tmp_path, "doc.docx", _docx([TITLE, note, *SECTIONS]))
    assert cites == [f"架空市 {TITLE} 第1", f"架空市 {TITLE} 第2"]


def test_a_caption_that_is_a_heading_still_heads_its_rules(tmp_path):
    lines = [TITLE, "（秘密の保持）", "１　受託者は、業務上知り得た情報を漏らしてはならない。",
             "２　受託者は、従事者に秘密の保持を誓約させること。"]
    db = open_db(tmp_path / "m.db")
    library.load_file(db, ("\n".join(lines) + "\n").encode(), name="doc.txt", slug="doc", title=None, municipality="架空市")
    labels = [c["label"] for c in kb_store.clauses_of(db, "doc")]
    assert labels[0] == "秘密の保持" and "1" in labels and "2" in labels
