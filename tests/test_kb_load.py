"""Loading a contractor's own attachment: refusals, dry run, the load report, a revised version."""
from __future__ import annotations

import io
import json
import zipfile

import pytest
from PIL import Image

from conftest import run_mamoru
from knowledge import library
from storage import kb as kb_store
from storage.db import open_db

V1 = ("情報セキュリティ特記事項\n\n（目的）\n第１条　この特記事項は、受注者が守るべき事項を定める。\n\n"
      "（持出しの禁止）\n第２条　受注者は、市の情報を庁舎の外へ持ち出してはならない。\n"
      "２　受注者は、電子メールで市の情報を送信してはならない。\n\n"
      "（事故の報告）\n第３条　受注者は、事故が発生したときは、直ちに市に報告しなければならない。\n")
V2 = V1.replace("直ちに市に報告しなければならない", "１時間以内に市に電話で報告しなければならない") \
       .replace("２　受注者は、電子メールで市の情報を送信してはならない。\n", "") \
       + "\n（研修）\n第４条　受注者は、従事者に年１回以上の研修を行うこと。\n"


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "kb.db")


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (40, 40), "white").save(buf, "PNG")
    return buf.getvalue()


def test_text_loads_with_report(db):
    r = library.load_file(db, V1.encode("cp932"), name="tokki.txt", slug="t1", title=None, municipality="試験市")
    assert r.changed and r.slug == "t1"
    assert r.title == "情報セキュリティ特記事項"            # taken from the document when not given
    assert r.counts["articles"] == 3 and r.counts["paragraphs"] == 2
    assert any("Shift_JIS" in d for d in r.dropped)
    text = "\n".join(r.lines_ja())
    assert "読み込みました" in text and "条 3 件" in text
    assert kb_store.clause(db, "t1:a2.p2")["citation"] == "試験市 情報セキュリティ特記事項 第2条第2項"


def test_dry_run_loads_nothing(db):
    r = library.load_file(db, V1.encode(), name="a.txt", slug="t1", title="特記事項", municipality=None, dry_run=True)
    assert r.dry_run and r.counts["articles"] == 3
    assert "確認のみ" in r.lines_ja()[0]
    assert kb_store.document(db, "t1") is None


@pytest.mark.parametrize("data,name,words", [
    (b"", "empty.txt", "空です"),
    (b"  \n\n ", "blank.md", "空です"),
    (_png(), "scan.pdf", "PNG 画像"),
    (b"PK\x05\x06" + b"\x00" * 18, "contract.docx", "ZIP"),
    (b"\x00\x01\x02binary" * 10, "x.txt", "バイナリ"),
])
def test_refusals_are_clear_and_load_nothing(db, data, name, words):
    with pytest.raises(library.LoadRefused) as e:
        library.load_file(db, data, name=name, slug="bad", title="表題", municipality=None)
    assert words in e.value.message_ja
    assert kb_store.document(db, "bad") is None


def test_zip_renamed_docx_is_refused(db):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    with pytest.raises(library.LoadRefused) as e:
        library.load_file(db, buf.getvalue(), name="contract.docx", slug="bad", title="表題", municipality=None)
    assert "ZIP" in e.value.message_ja and "取り出して" in e.value.message_ja


def test_scan_only_pdf_is_refused(db):
    buf = io.BytesIO()
    Image.new("L", (600, 800), 255).save(buf, "PDF")      # an image and no text layer, as a scanner makes
    with pytest.raises(library.LoadRefused) as e:
        library.load_file(db, buf.getvalue(), name="scan.pdf", slug="bad", title="表題", municipality=None)
    assert "スキャン" in e.value.message_ja and "OCR" in e.value.message_ja


def test_revised_version_diff_and_old_text_kept(db):
    library.load_file(db, V1.encode(), name="v1.txt", slug="rev", title="特記事項", municipality="試験市")
    before = kb_store.clause_at(db, "rev:a3")
    r = library.load_file(db, V2.encode(), name="v2.txt", slug="rev", title="特記事項", municipality="試験市")
    d = r.diff
    assert [c for c, _ in d.added] == ["rev:a4"]
    assert "rev:a2.p2" in [c for c, _ in d.removed]
    assert "rev:a3" in [c for c, *_ in d.reworded]
    text = "\n".join(r.lines_ja())
    assert "削除 試験市 特記事項 第2条第2項" in text and "変更 試験市 特記事項 第3条" in text
    # a record made before the revision still finds the text it cited
    assert "直ちに" in kb_store.clause_at(db, "rev:a3", before["loaded_at"])["text"]
    assert "１時間以内" in kb_store.clause_at(db, "rev:a3")["text"]
    assert kb_store.clause_at(db, "rev:a2.p2")["text"].startswith("受注者は、電子メール")


def test_cli_add_dry_run_json_and_show_json(db_path, tmp_path):
    f = tmp_path / "tokki.txt"
    f.write_text(V1, encoding="utf-8")
    r = run_mamoru(["kb", "add", str(f), "--slug", "cli1", "--municipality", "試験市", "--dry-run", "--json"], db_path)
    assert r.returncode == 0, r.stderr
    rep = json.loads(r.stdout)
    assert rep["dry_run"] and rep["counts"]["articles"] == 3 and rep["report"]
    assert run_mamoru(["kb", "show", "cli1"], db_path).returncode == 1     # nothing was loaded
    r = run_mamoru(["kb", "add", str(f), "--slug", "cli1", "--municipality", "試験市"], db_path)
    assert "読み込みました" in r.stdout
    tree = json.loads(run_mamoru(["kb", "show", "cli1", "--json"], db_path).stdout)
    by_id = {c["id"]: c for c in tree["clauses"]}
    assert by_id["cli1:a2.p2"]["parent"] == "cli1:a2"
    assert by_id["cli1:a2.p2"]["heading"] == ["持出しの禁止"]
    assert by_id["cli1:a2.p1"]["verdict"] == "prohibited"


def test_cli_refuses_a_50_mb_file_without_reading_it(db_path, tmp_path):
    big = tmp_path / "big.pdf"
    with open(big, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    r = run_mamoru(["kb", "add", str(big), "--slug", "big"], db_path)
    assert r.returncode == 1
    assert "大きすぎます" in r.stderr and "50 MB" in r.stderr


def test_cli_history_shows_the_text_an_earlier_record_cited(db_path, tmp_path):
    f = tmp_path / "tokki.txt"
    f.write_text(V1, encoding="utf-8")
    run_mamoru(["kb", "add", str(f), "--slug", "h1", "--title", "特記事項"], db_path)
    first = json.loads(run_mamoru(["kb", "history", "h1:a3", "--json"], db_path).stdout)
    f.write_text(V2, encoding="utf-8")
    r = run_mamoru(["kb", "add", str(f), "--slug", "h1", "--title", "特記事項"], db_path)
    assert "前の版からの変更" in r.stdout and "変更 特記事項 第3条" in r.stdout
    hist = run_mamoru(["kb", "history", "h1:a3"], db_path).stdout
    assert hist.count("に読み込んだ版") == 2 and "直ちに" in hist and "１時間以内" in hist
    at = run_mamoru(["kb", "history", "h1:a3", "--at", first[0]["loaded_at"], "--json"], db_path)
    assert "直ちに" in json.loads(at.stdout)[0]["text"]
    gone = run_mamoru(["kb", "history", "h1:a2.p2"], db_path)          # removed in the revision, still readable
    assert gone.returncode == 0 and "電子メール" in gone.stdout
