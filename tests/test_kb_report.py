"""The load report's warnings, and what a revised shipped document means for the content citing it."""
from __future__ import annotations

import pytest

from knowledge import library
from storage import kb as kb_store
from storage.db import open_db


@pytest.fixture
def db(tmp_path):
    return open_db(tmp_path / "kb.db")


def _warn(db, text: str) -> list[tuple[str | None, str]]:
    return library.load_file(db, text.encode(), name="w.txt", slug="w", title="特記事項", municipality=None,
                             dry_run=True).warnings


def test_numbering_gap_and_repeat(db):
    text = ("第1条　受注者は、秘密を守る。\n第2条　受注者は、記録を残す。\n第4条　受注者は、報告する。\n"
            "第4条　受注者は、研修を行う。\n")
    ws = _warn(db, text)
    assert ("w:a4", "番号が飛んでいます（2 の次が 4）。抜けている条項がないか確認してください") in ws
    assert any(cid == "w:a4-2" and "重複" in msg for cid, msg in ws)


def test_one_clause_holding_most_of_the_text_and_very_long_clauses(db):
    long = "受注者は、業務の実施に当たり、関係法令及び町の定める規程を守り、情報を適正に管理しなければならない。" * 30
    ws = _warn(db, f"第1条　{long}\n第2条　受注者は、報告する。\n")
    assert any(cid == "w:a1" and "本文の" in msg for cid, msg in ws)
    assert any(cid == "w:a1" and "とても長い条項" in msg for cid, msg in ws)


def test_sentence_like_heading(db):
    text = "# 特記事項\n\n## 受注者は、次の事項を誠実に守らなければならないものとする。\n\n第1条　受注者は、報告する。\n"
    ws = _warn(db, text)
    assert any("文のように読めます" in msg for _, msg in ws)


def test_spaced_out_text_is_joined(db):
    text = "第1条　受 注 者 は 、 市 の 情 報 を 外 部 に 持 ち 出 し て は な ら な い 。\n第2条　受注者は、報告する。\n"
    r = library.load_file(db, text.encode(), name="s.txt", slug="sp", title="特記事項", municipality=None)
    assert kb_store.clause(db, "sp:a1")["text"] == "受注者は、市の情報を外部に持ち出してはならない。"
    assert kb_store.clause(db, "sp:a1")["verdict"] == "prohibited"
    assert r.warnings == []


def test_no_structure_at_all(db):
    ws = _warn(db, "\n\n".join(f"受注者は、事項{i}を守ること。" for i in range(6)))
    assert any(cid is None and "条や番号付きの見出しが見つかりませんでした" in msg for cid, msg in ws)


def test_a_checklist_of_numbered_rows_is_not_reported_as_unstructured(db):
    rows = "\n".join(f"{i}\t区分{i}\t受注者は、事項{i}を守っていること。\t□" for i in range(1, 7))
    ws = _warn(db, "架空市 点検チェックリスト\nNo.\t区分\t確認項目\t確認欄\n" + rows)
    assert not any("条や番号付きの見出しが見つかりませんでした" in msg for _, msg in ws)


def test_clean_document_has_no_warning(db):
    r = library.load_file(db, "第1条　受注者は、秘密を守る。\n第2条　受注者は、報告する。\n".encode(), name="ok.txt",
                          slug="ok", title="特記事項", municipality=None)
    assert r.warnings == [] and "気になる点は見つかりませんでした。" in r.lines_ja()


def test_revised_shipped_document_lists_the_content_citing_changed_clauses(db):
    library.ensure_builtin(db)
    src = next(s for s in library.shipped_sources() if s["slug"] == "yoshikawa")
    text = (library.SOURCES_DIR / src["file"]).read_text(encoding="utf-8")
    old = kb_store.clause(db, "yoshikawa:a18.p1")["text"]
    assert "直ちに" in old
    revised = text.replace("直ちに甲に対して", "１時間以内に甲に対して")
    assert revised != text
    r = library.load_file(db, revised.encode(), name=src["file"], slug="yoshikawa", title=src["title"],
                          municipality=src["municipality"], dry_run=True)
    assert [cid for cid, *_ in r.diff.reworded] == ["yoshikawa:a18.p1"]
    files = {f for f, cid, how in r.diff.content if cid == "yoshikawa:a18.p1" and how == "変更"}
    assert "knowledge/checklists/ic_card.toml" in files and "knowledge/quiz/bank-yoshikawa.toml" in files
    report = "\n".join(r.lines_ja())
    assert "見直しが必要な内容" in report and "knowledge/incident/flow.toml" in report
    assert kb_store.clause(db, "yoshikawa:a18.p1")["text"] == old      # a dry run changed nothing
