"""An Excel workbook dropped into the DM, through the Slack stand-in and `mamoru serve --http`: accepted as a document
(「Excel ファイル」, which contract → files.info → url_private → the load report naming the sheets read and those
left out); an old .xls is told at once what to save it as, and nothing is downloaded."""
from __future__ import annotations

import pytest

import xlsx_books as books
from slack_standin import serve_env
from storage import kb as kb_store
from storage.db import open_db
from test_operations_slack import buttons, posted, press, share

PEOPLE = [["add", "UOFF", "--name", "対策花子", "--role", "officer"]]


@pytest.fixture(scope="module")
def env(slack, tmp_path_factory):
    yield from serve_env(slack, tmp_path_factory.mktemp("xlsx_slack"), PEOPLE, contracts=["霞ヶ台市"])


def _done(slack, needle: str):
    return slack.wait_for(None, lambda c: c.method.startswith("hook:") and needle in c.text_of_blocks()
                          + str(c.params.get("text")), timeout=60)


def test_an_officer_drops_a_checklist_workbook_and_gets_the_sheets_in_the_report(env, slack):
    slack.files["FXL1"] = {"name": "チェックシート.xlsx", "data": books.checklist_book(), "filetype": "xlsx",
                           "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "user": "UOFF"}
    share(env, slack, "UOFF", "FXL1")
    [ask] = posted(slack, "UOFF", "Excelファイル「チェックシート.xlsx」")
    assert not slack.find("download:FXL1")
    press(env, slack, "UOFF", buttons(ask)[0], ask)
    [done] = _done(slack, "読み込みました")
    text = done.text_of_blocks() + str(done.params.get("text"))
    assert "案件「霞ヶ台市」の文書に加えました" in text and "（Excel、シート 1 枚）" in text
    assert "読み込んだシート: 「チェックシート」（表）" in text
    assert "シート「記入例」: 記入例のため読み込んでいません" in text and "非表示のシート「リスト」「旧チェックシート」" in text
    db = open_db(env["db_path"])
    slug = [d["slug"] for d in kb_store.documents(db) if d.get("file_name") == "チェックシート.xlsx"][0]
    rows = list(db["clauses"].rows_where("doc_slug = ? and text != ''", [slug]))
    assert sum("離席するときは、端末の画面をロックすること。" == c["text"] for c in rows) == 1


def test_an_old_xls_is_refused_before_anything_is_downloaded(env, slack):
    slack.files["FXLS"] = {"name": "旧チェックシート.xls", "data": books.ole_file({"Workbook": b"\x09\x08"}),
                           "filetype": "xls", "user": "UOFF"}
    share(env, slack, "UOFF", "FXLS", subtype=None)
    [msg] = posted(slack, "UOFF", "旧チェックシート.xls")
    text = msg.text_of_blocks() + str(msg.params.get("text"))
    assert "古い形式の Excel（.xls）" in text and "「Excel ブック（.xlsx）」で保存し直して" in text
    assert not slack.find("download:FXLS")


def test_an_old_word_doc_is_accepted_and_loaded(env, slack):
    """A .doc (Word 97-2003) is read (knowledge/readers/doc.py), not refused like an old .xls."""
    from pathlib import Path

    data = (Path(__file__).resolve().parent / "data" / "doc" / "an4_table.doc").read_bytes()
    slack.files["FDOC"] = {"name": "特記事項.doc", "data": data, "filetype": "doc", "mimetype": "application/msword",
                           "user": "UOFF"}
    share(env, slack, "UOFF", "FDOC")
    [ask] = posted(slack, "UOFF", "Wordファイル「特記事項.doc」")
    press(env, slack, "UOFF", buttons(ask)[0], ask)
    [done] = _done(slack, "特記事項.doc")
    text = done.text_of_blocks() + str(done.params.get("text"))
    assert "読み込みました" in text and "Word（.doc）" in text and "条項 19 件" in text, text


def test_an_opendocument_text_is_accepted_and_loaded(env, slack):
    from pathlib import Path

    data = (Path(__file__).resolve().parent / "data" / "odt" / "an4_table.odt").read_bytes()
    slack.files["FODT"] = {"name": "特記事項.odt", "data": data, "filetype": "odt",
                           "mimetype": "application/vnd.oasis.opendocument.text", "user": "UOFF"}
    share(env, slack, "UOFF", "FODT")
    [ask] = posted(slack, "UOFF", "OpenDocumentファイル「特記事項.odt」")
    press(env, slack, "UOFF", buttons(ask)[0], ask)
    [done] = _done(slack, "特記事項.odt")
    text = done.text_of_blocks() + str(done.params.get("text"))
    assert "読み込みました" in text and "OpenDocument（.odt）" in text and "条項 19 件" in text, text
