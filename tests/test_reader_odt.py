"""OpenDocument text (.odt), as cities working in LibreOffice send their attachments: loaded as the same document
in Word (.docx) is.

The files in tests/data/odt were saved as .odt by LibreOffice (`soffice --headless --convert-to odt`) from Word
files we already hold: corpus2's doc3 (Word's automatic numbering 第%1条 / %2 / (%3) / ア, which an .odt keeps in
its list styles), an4 (the rules in a table), vd54 (a rule in a text box), vd47 (footnotes), vd49 (tracked
deletions) and vd60 (numbers whose format holds the space after them, fields, content controls). LibreOffice
writes Word's full-width numbers as half-width ones (第１条 → 第1条): compared after NFKC, as citations are."""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from pathlib import Path

import pytest

from conftest import jsonl, run_mamoru
from knowledge.readers import LoadRefused, read

DATA = Path(__file__).resolve().parent / "data"
ODT = DATA / "odt"
SAME_AS = {"cv3_numbered.odt": DATA / "corpus2" / "doc3.docx", "an4_table.odt": DATA / "attachments_new" / "an4.docx",
           "vd54_textbox.odt": DATA / "verdicts" / "vd54.docx", "vd47_footnotes.odt": DATA / "verdicts" / "vd47.docx",
           "vd49_tracked.odt": DATA / "verdicts" / "vd49.docx", "vd60_fields.odt": DATA / "verdicts" / "vd60.docx"}


def _clauses(db: Path, slug: str) -> set[tuple[str, str, str]]:
    import sqlite3

    norm = lambda s: re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))   # noqa: E731
    with sqlite3.connect(db) as con:
        return {(norm(label), norm(text), verdict) for label, text, verdict in
                con.execute("SELECT label, text, verdict FROM clauses WHERE doc_slug = ?", [slug])}


def test_each_odt_loads_the_clauses_and_verdicts_of_the_same_document_in_word(tmp_path):
    db = tmp_path / "m.db"
    env = {"MAMORU_MEANING": "off"}
    for name, docx_file in SAME_AS.items():
        slug = name.split(".")[0].replace("_", "-")
        r = run_mamoru(["kb", "add", str(ODT / name), "--slug", slug, "--title", "t"], db, env=env)
        assert r.returncode == 0 and "（OpenDocument（.odt））を読み込みました" in r.stdout, r.stdout + r.stderr
        assert run_mamoru(["kb", "add", str(docx_file), "--slug", slug + "-w", "--title", "t"], db, env=env).returncode == 0
        odt, word = _clauses(db, slug), _clauses(db, slug + "-w")
        assert odt == word and len(odt) > 10, (name, sorted(odt ^ word)[:4])


def test_numbers_text_boxes_notes_and_tracked_deletions():
    numbered = read((ODT / "cv3_numbered.odt").read_bytes(), "x.odt").text.splitlines()
    assert "第4条　受託者は、次に掲げる場所以外で保守作業を行ってはならない。" in numbered
    assert numbered[numbered.index("第4条　受託者は、次に掲げる場所以外で保守作業を行ってはならない。") + 1] == "(1)　市役所本庁舎のサーバ室"
    assert "2　受託者は、担当者に変更が生じたときは、変更前に市に届け出なければならない。" in numbered
    box = read((ODT / "vd54_textbox.odt").read_bytes(), "x.odt").text
    # a line of its own after the paragraph anchoring the box, not glued into it
    assert any(line.endswith("【重要】定期利用申込書を管理事務所の外へ持ち出すことは、いかなる理由があっても厳禁とする。")
               and not line.startswith("受注者") for line in box.splitlines())
    notes = read((ODT / "vd47_footnotes.odt").read_bytes(), "x.odt").text
    assert "\n（注1）令和５年４月１日改定版。" in notes and "\n（注2）区分は、" in notes
    tracked = read((ODT / "vd49_tracked.odt").read_bytes(), "x.odt").text
    assert "申請書等及びその入力データを作業場所から持ち出してはならない" in tracked and "原則として" not in tracked


def test_an_answer_cites_the_odt_as_it_cites_the_word_file(tmp_path):
    db = tmp_path / "m.db"
    for f, slug in ((ODT / "an4_table.odt", "kirigaya"), (DATA / "attachments_new" / "an4.docx", "kirigaya-docx")):
        assert run_mamoru(["kb", "add", str(f), "--slug", slug, "--municipality", "桐ヶ谷市", "--title", "t"], db).returncode == 0
    q = "管理画面のログイン、パスワードだけでいい？"
    out = run_mamoru(["ask", "--jsonl"], db, input="".join(
        f'{{"id": "{s}", "q": "{q}", "source": "{s}"}}\n' for s in ("kirigaya", "kirigaya-docx")))
    a, b = jsonl(out.stdout)
    assert a["found"] and "ワンタイムパスワードによる認証を用いること" in a["hits"][0]["text"]
    assert [(h["clause_id"].split(":")[1], h["citation"].rsplit(" ", 1)[-1]) for h in a["hits"]] == \
           [(h["clause_id"].split(":")[1], h["citation"].rsplit(" ", 1)[-1]) for h in b["hits"]]


def _odt(files: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        for k, v in files.items():
            z.writestr(k, v)
    return buf.getvalue()


@pytest.mark.parametrize("files, expected", [
    ({}, "OpenDocument の文書（.odt）として読めませんでした"),
    ({"content.xml": "<not xml"}, "OpenDocument の文書（.odt）として読めませんでした"),
    ({"content.xml": '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>'},
     "文書の本文がありません"),
])
def test_a_broken_odt_is_refused_with_what_to_do(files, expected):
    with pytest.raises(LoadRefused) as e:
        read(_odt(files), "特記事項.odt")
    assert expected in e.value.message_ja and "特記事項.odt" in e.value.message_ja


def test_a_malformed_list_style_is_refused_not_a_crash():
    content = ('<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
               'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"><office:automatic-styles>'
               '<text:list-style style:name="L1"><text:list-level-style-number text:level="x" style:num-format="1"/>'
               '</text:list-style></office:automatic-styles><office:body><office:text>'
               '<text:list text:style-name="L1"><text:list-item><text:p>受託者は、秘密を守らなければならない。</text:p>'
               '</text:list-item></text:list></office:text></office:body></office:document-content>')
    with pytest.raises(LoadRefused) as e:
        read(_odt({"content.xml": content}), "特記事項.odt")
    assert "として読めませんでした（ValueError）" in e.value.message_ja
    good = content.replace('text:level="x"', 'text:level="1"')
    assert read(_odt({"content.xml": good}), "特記事項.odt").text == "1　受託者は、秘密を守らなければならない。"
