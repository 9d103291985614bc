"""Word 97-2003 (.doc), as many cities still send their attachments: read like the same document in .docx.

The files in tests/data/doc were saved as .doc by LibreOffice (`soffice --headless --convert-to doc`) from
Word files we already hold: corpus2's doc6 (typed numbers), an4 (the rules in a table, a cell holding
several paragraphs) and corpus2's doc3 (Word's automatic numbering, which a .doc keeps in list tables
outside the text)."""
from __future__ import annotations

from pathlib import Path

import pytest

import xlsx_books as books
from conftest import jsonl, run_mamoru
from knowledge.readers import LoadRefused, docx, read

DATA = Path(__file__).resolve().parent / "data"
DOC = DATA / "doc"


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("doc, docx_file", [
    ("cv6_typed.doc", DATA / "corpus2" / "doc6.docx"),
    ("an4_table.doc", DATA / "attachments_new" / "an4.docx"),
    ("vd54_textbox.doc", DATA / "verdicts" / "vd54.docx"),        # a rule in a text box: 【重要】…厳禁とする
    ("vd47_footnotes.doc", DATA / "verdicts" / "vd47.docx"),      # footnotes read as 「（注1）…」 after their paragraph
    ("vd49_tracked.doc", DATA / "verdicts" / "vd49.docx"),        # tracked deletions (「原則として」 struck out) left out
])
def test_a_doc_reads_as_the_same_document_saved_as_docx(doc, docx_file):
    r = read((DOC / doc).read_bytes(), doc)
    assert r.kind == "doc" and not r.warnings
    assert _lines(r.text) == _lines(docx.read(docx_file.read_bytes(), docx_file.name).text)


def test_struck_out_words_a_text_box_rule_and_footnotes():
    tracked = read((DOC / "vd49_tracked.doc").read_bytes(), "x.doc").text
    assert "申請書等及びその入力データを作業場所から持ち出してはならない" in tracked and "原則として" not in tracked
    assert "【重要】定期利用申込書を管理事務所の外へ持ち出すことは、いかなる理由があっても厳禁とする。" in \
        read((DOC / "vd54_textbox.doc").read_bytes(), "x.doc").text
    notes = read((DOC / "vd47_footnotes.doc").read_bytes(), "x.doc").text
    assert "\n（注1）令和５年４月１日改定版。" in notes and "\n（注2）区分は、" in notes


def test_a_table_row_is_one_line_of_cells_and_a_cells_paragraphs_stay_together():
    text = read((DOC / "an4_table.doc").read_bytes(), "an4_table.doc").text
    row = next(line for line in text.splitlines() if line.startswith("３\t"))
    cells = row.split("\t")
    assert cells[1] == "管理者アカウント" and cells[2].count("<br>") == 2
    assert "ワンタイムパスワードによる認証を用いること" in cells[2]


def test_kb_add_loads_a_doc_and_answers_cite_it(tmp_path):
    db = tmp_path / "m.db"
    r = run_mamoru(["kb", "add", str(DOC / "an4_table.doc"), "--slug", "kirigaya", "--municipality", "桐ヶ谷市",
                    "--title", "公共施設予約システム運用保守業務における情報セキュリティ遵守事項"], db)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "（Word（.doc））を読み込みました" in r.stdout
    same = run_mamoru(["kb", "add", str(DATA / "attachments_new" / "an4.docx"), "--slug", "kirigaya-docx",
                       "--municipality", "桐ヶ谷市", "--title", "同じ文書の docx"], db)
    assert same.returncode == 0
    listing = {line.split("\t")[0]: line.split("\t")[-1] for line in run_mamoru(["kb", "list"], db).stdout.splitlines()}
    assert listing["kirigaya"] == listing["kirigaya-docx"] and "条項 19 件" in listing["kirigaya"]
    q = "管理画面のログイン、パスワードだけでいい？"
    out = run_mamoru(["ask", "--jsonl"], db, input="".join(
        f'{{"id": "{s}", "q": "{q}", "source": "{s}"}}\n' for s in ("kirigaya", "kirigaya-docx")))
    a, b = jsonl(out.stdout)
    assert a["found"] and a["hits"][0]["clause_id"].startswith("kirigaya:")
    assert "ワンタイムパスワードによる認証を用いること" in a["hits"][0]["text"]
    # the same clause, the same citation, as from the .docx
    assert [(h["clause_id"].split(":")[1], h["text"], h["citation"].rsplit(" ", 1)[-1]) for h in a["hits"]] == \
           [(h["clause_id"].split(":")[1], h["text"], h["citation"].rsplit(" ", 1)[-1]) for h in b["hits"]]


def test_word_automatic_numbering_is_written_out_as_from_the_docx(tmp_path):
    """第%1条 / %2 / (%3) / ア: kept outside the text, in the file's list tables, and counted as Word counts them."""
    docx_file = DATA / "corpus2" / "doc3.docx"
    r = read((DOC / "cv3_numbered.doc").read_bytes(), "cv3_numbered.doc")
    assert not r.warnings
    assert r.text.strip() == docx.read(docx_file.read_bytes(), docx_file.name).text.strip()
    assert "第５条　" in r.text and "(1)　" in r.text
    out = run_mamoru(["kb", "add", str(DOC / "cv3_numbered.doc"), "--slug", "kashiba"], tmp_path / "m.db")
    assert out.returncode == 0 and "条 12 件" in out.stdout, out.stdout


def _without_list_instances(data: bytes) -> bytes:
    """The file with its list instances (PlfLfo) declared empty in the File Information Block, as a damaged
    or unusual file may have them: the paragraphs still say they are numbered."""
    at = next(i for i in range(512, len(data), 512) if data[i:i + 2] == b"\xec\xa5")   # the WordDocument stream's FIB
    fib = at + 32
    fib += 2 + 2 * int.from_bytes(data[fib:fib + 2], "little")
    fib += 2 + 4 * int.from_bytes(data[fib:fib + 2], "little")
    lcb = fib + 2 + 8 * 74 + 4
    return data[:lcb] + b"\x00\x00\x00\x00" + data[lcb + 4:]


def test_numbering_it_cannot_read_is_said_and_the_text_still_loads(tmp_path):
    broken = tmp_path / "番号が読めない.doc"
    broken.write_bytes(_without_list_instances((DOC / "cv3_numbered.doc").read_bytes()))
    r = read(broken.read_bytes(), broken.name)
    assert "受託者は、保守作業を行うときは、作業の内容、日時及び作業者を記載した作業申請書を提出し" in r.text
    assert "第５条" not in r.text
    [warning] = r.warnings
    assert "自動の段落番号が 33 段落" in warning and "「.docx」で保存し直して" in warning
    out = run_mamoru(["kb", "add", str(broken), "--slug", "kashiba"], tmp_path / "m.db")
    assert out.returncode == 0 and "自動の段落番号" in out.stdout


@pytest.mark.parametrize("streams, expected", [
    ({"WordDocument": b"\x00" * 600}, "古い形式の Word（.doc）のファイルとして読めませんでした"),
    ({"WordDocument": b"\xec\xa5" + b"\x00" * 600}, "古い形式の Word（.doc）のファイルとして読めませんでした"),
    ({"EncryptionInfo": b"\x04\x00", "EncryptedPackage": b"\x00" * 600}, "パスワードで保護された Office のファイル"),
])
def test_a_broken_or_protected_doc_is_refused_with_what_to_do(streams, expected):
    with pytest.raises(LoadRefused) as e:
        read(books.ole_file(streams), "特記事項.doc")
    assert expected in e.value.message_ja and "特記事項.doc" in e.value.message_ja


@pytest.mark.parametrize("mimetype, name, expected", [
    ("application/vnd.oasis.opendocument.spreadsheet", "チェック表.ods", "OpenDocument の表計算（.ods）は読み込めません"),
    ("application/vnd.oasis.opendocument.presentation", "説明資料.odp", "ZIP などの圧縮ファイル"),
])
def test_an_opendocument_file_other_than_text_is_refused(mimetype, name, expected):
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", mimetype)          # first and stored, as LibreOffice writes it
        z.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(LoadRefused) as e:
        read(buf.getvalue(), name)
    assert expected in e.value.message_ja and name in e.value.message_ja


def test_a_list_level_that_shows_no_number_is_no_lost_number():
    from knowledge.readers.doc import _Lists

    lists = _Lists(b"", [])
    lists.levels = {7: {0: {"start": 1, "fmt": "none", "text": "", "follow": 2},
                        1: {"start": 1, "fmt": "decimal", "text": "(\x01)", "follow": 0}}}
    lists.lfos = [(7, {})]
    assert lists.label(1, 0) == "" and lists.label(1, 1) == "(1)\u3000" and lists.label(1, 1) == "(2)\u3000"
    assert lists.label(2, 0) is None and lists.label(1, 5) is None
