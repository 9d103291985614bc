"""Word 97-2003 (.doc), as many cities still send their attachments: read like the same document in .docx.

The files in tests/data/doc were saved as .doc by LibreOffice (`soffice --headless --convert-to doc`) from
Word files we already hold: corpus2's doc6 (typed numbers), an4 (the rules in a table, a cell holding
several paragraphs) and corpus2's doc3 (Word's automatic numbering, which a .doc keeps outside the text)."""
from __future__ import annotations

from pathlib import Path

import pytest

import xlsx_books as books
from conftest import jsonl, run_mamoru
from knowledge.readers import LoadRefused, docx, read

DATA = Path(__file__).resolve().parent / "data"
DOC = DATA / "doc"


@pytest.mark.parametrize("doc, docx_file", [("cv6_typed.doc", DATA / "corpus2" / "doc6.docx"),
                                            ("an4_table.doc", DATA / "attachments_new" / "an4.docx")])
def test_a_doc_reads_as_the_same_document_saved_as_docx(doc, docx_file):
    r = read((DOC / doc).read_bytes(), doc)
    assert r.kind == "doc" and not r.warnings
    assert r.text.strip() == docx.read(docx_file.read_bytes(), docx_file.name).text.strip()


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


def test_automatic_numbering_the_doc_cannot_give_is_said(tmp_path):
    r = read((DOC / "cv3_numbered.doc").read_bytes(), "cv3_numbered.doc")
    assert "受託者は、保守作業を行うときは、作業の内容、日時及び作業者を記載した作業申請書を提出し" in r.text
    [warning] = r.warnings
    assert "自動の段落番号が 33 段落" in warning and "「.docx」で保存し直して" in warning
    out = run_mamoru(["kb", "add", str(DOC / "cv3_numbered.doc"), "--slug", "kashiba"], tmp_path / "m.db")
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
