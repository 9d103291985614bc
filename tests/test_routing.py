"""Routed questions, stored answers offered again, feedback and gaps: real SQLite, real CLI."""
from __future__ import annotations

import datetime as dt
import json
import shutil

import pytest
from conftest import run_mamoru

from handlers import people, routing
from storage import questions as qstore
from storage.db import open_db
from conftest import add_contracts

JST = dt.timezone(dt.timedelta(hours=9))


@pytest.fixture
def db(tmp_path, kb_db):
    """A writable copy of the database with the shipped documents loaded, plus a small roster."""
    kb_db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(kb_db.execute("PRAGMA database_list").fetchone()[2], tmp_path / "r.db")
    d = open_db(tmp_path / "r.db")
    add_contracts(d, "吉川市", "草加市")
    for argv in (["add", "UOFF", "--name", "対策 責任", "--role", "officer"],
                 ["add", "ULEAD", "--name", "鈴木一郎", "--role", "lead", "--contract", "吉川市"],
                 ["add", "UW1", "--name", "山田太郎", "--contract", "吉川市", "--lead", "ULEAD"],
                 ["add", "UW2", "--name", "佐藤花子", "--contract", "吉川市", "--lead", "ULEAD"],
                 ["add", "UW9", "--name", "リーダー不在", "--contract", "吉川市"]):
        assert people.run_users(d, "cli", argv, "cli")[0] == 0
    return d


def clause_id(db, like: str) -> str:
    return db.execute("SELECT id FROM clauses WHERE doc_slug = 'yoshikawa' AND text LIKE ? ORDER BY ord LIMIT 1",
                      [f"%{like}%"]).fetchone()[0]


def test_route_answer_and_asker_is_notified(db):
    cid = clause_id(db, "私物")
    q = "私物のUSBメモリを使ってもいいですか？"
    reply, out = routing.route_question(db, "UW1", q, [cid], "asked", via="slack_button")
    assert "鈴木一郎さんにお送りしました" in reply.text
    assert [o.user_id for o in out] == ["ULEAD"]
    msg = out[0].reply
    assert "山田太郎さんから" in msg.text and q in msg.text and "担当者への確認を希望" in msg.text
    assert "吉川市 情報セキュリティ特記仕様書" in msg.text          # the clause the asker was shown
    [b] = msg.buttons
    rid = b.value
    assert (b.label, b.action) == ("回答する", "routing_answer")
    stored = qstore.routed(db, int(rid))
    assert stored["asker_id"] == "UW1" and stored["via"] == "slack_button" and stored["assignee_id"] == "ULEAD"

    # Double click: routed once.
    again, none = routing.route_question(db, "UW1", q, [cid], "asked")
    assert none == [] and "お送りしています" in again.text
    assert len(qstore.all_routed(db)) == 1

    # Someone unrelated may not answer.
    r, none = routing.answer_routed(db, "UW2", rid, "いいですよ", [], "slack_button")
    assert none == [] and "回答できるのは" in r.text
    # Unknown clause ids are refused, nothing recorded.
    r, none = routing.answer_routed(db, "ULEAD", rid, "使えません", ["yoshikawa:nope"], "slack_button")
    assert none == [] and "yoshikawa:nope" in r.text and qstore.answers(db, int(rid)) == []

    r, out = routing.answer_routed(db, "ULEAD", rid, "私物のUSBメモリは使えません。会社支給の暗号化USBを使ってください。",
                                   [cid], "slack_button")
    assert "山田太郎さんにお送りしました" in r.text
    [note] = out
    assert note.user_id == "UW1" and note.key
    assert "回答（鈴木一郎さん）: 私物のUSBメモリは使えません" in note.reply.text
    assert "根拠: 吉川市 情報セキュリティ特記仕様書" in note.reply.text
    # The same answer again records nothing; a correction is a new record, sent again.
    assert routing.answer_routed(db, "ULEAD", rid, "私物のUSBメモリは使えません。会社支給の暗号化USBを使ってください。",
                                 [cid], "slack_button")[1] == []
    r, out = routing.answer_routed(db, "ULEAD", rid, "私物は不可です。", "", "slack_button")
    assert out and "回答が更新されました" in out[0].reply.text
    assert len(qstore.answers(db, int(rid))) == 2 and qstore.routed(db, int(rid))["answer"] == "私物は不可です。"


def test_prior_answer_offered_for_similar_question_only(db):
    cid = clause_id(db, "私物")
    _, out = routing.route_question(db, "UW1", "私物のUSBメモリを使ってもいいですか？", [], "not_found")
    assert routing.prior_answer(db, "私物のUSBメモリは使っていいですか", "UW2") is None   # not answered yet
    routing.answer_routed(db, "ULEAD", out[0].reply.buttons[0].value, "使えません。", [cid], "slack_button")

    p = routing.prior_answer(db, "私物のUSBメモリは使っていいですか", "UW2")
    assert p is not None and p["answer"] == "使えません。" and p["clause_ids"] == [cid]
    assert p["score"] >= routing.SIMILAR_THRESHOLD and p["responder_name"] == "鈴木一郎"
    assert "以前、似た質問に担当者が回答しています" in p["text"] and "根拠: 吉川市" in p["text"]
    assert "question" not in p and "私物のUSBメモリを使ってもいいですか" not in p["text"]   # the answer only
    assert routing.prior_answer(db, "ICカードを家に持ち帰ってもいいですか", "UW2") is None
    assert routing.prior_answer(db, "離席するときに画面ロックは必要ですか", "UW2") is None
    assert routing.prior_answer(db, "", "UW2") is None
    # only to people of that contract, never in a channel
    assert routing.prior_answer(db, "私物のUSBメモリは使っていいですか") is None
    assert routing.prior_answer(db, "私物のUSBメモリは使っていいですか", "UGUEST") is None
    assert routing.prior_answer(db, "私物のUSBメモリは使っていいですか", "UW2", channel=True) is None
    assert people.run_users(db, "cli", ["add", "US1", "--name", "草加 一", "--contract", "草加市"], "cli")[0] == 0
    assert routing.prior_answer(db, "私物のUSBメモリは使っていいですか", "US1") is None


# Paraphrases must meet the threshold; different questions that share a question frame must not.
SAME = [
    ("私物のUSBメモリを使ってもいいですか？", "私物のUSBメモリは使っていいですか"),
    ("離席するときに画面ロックは必要ですか", "離席時に画面ロックが必要か"),
    ("個人のスマホで業務メールを見てもいいですか", "私用スマホで業務メールを見てもいいですか"),
    ("USBメモリをなくしたらどうすればいいですか", "USBメモリを紛失したらどうすればいいですか"),
    ("生成AIに資料を入力してもいいですか", "生成AIに市の資料を入力してもいいですか"),
    ("ＵＳＢメモリ　を　使っても いい ですか", "usbメモリを使ってもいいですか"),
]
DIFFERENT = [
    ("私物のUSBメモリを使ってもいいですか？", "ICカードを家に持ち帰ってもいいですか"),
    ("USBメモリをなくしたらどうすればいいですか", "ICカードをなくしたらどうすればいいですか"),
    ("個人のスマホで業務メールを見てもいいですか", "個人のスマホで写真を撮ってもいいですか"),
    ("在宅勤務で作業してもいいですか", "喫煙所で作業してもいいですか"),
    ("離席するときに画面ロックは必要ですか", "会議室でスマホを使っていいですか"),
]


@pytest.mark.parametrize("a, b", SAME)
def test_similarity_threshold_accepts_paraphrases(a, b):
    assert routing.similarity(a, b) >= routing.SIMILAR_THRESHOLD


@pytest.mark.parametrize("a, b", DIFFERENT)
def test_similarity_threshold_rejects_different_questions(a, b):
    assert routing.similarity(a, b) < routing.SIMILAR_THRESHOLD


def test_without_lead_the_officer_gets_the_question(db):
    reply, out = routing.route_question(db, "UW9", "外部のクラウドに保存してもいいですか", [], "not_found")
    assert [o.user_id for o in out] == ["UOFF"] and "該当する規定が見つかりませんでした" in out[0].reply.text
    assert routing.answer_routed(db, "UOFF", out[0].reply.buttons[0].value, "できません。", [], "slack_button")[1]
    # Anyone may ask, registered or not; an unregistered person's words are capped in size and number.
    reply, out = routing.route_question(db, "UGUEST", "来客を作業場所に入れてもいいですか", [], "asked")
    assert [o.user_id for o in out] == ["UOFF"] and "UGUESTさんから" in out[0].reply.text
    reply, out = routing.route_question(db, "UGUEST", "あ" * 1_000_000, [], "asked")
    assert out and len(qstore.all_routed(db)[-1]["question"]) == routing.UNREGISTERED_MAX_QUESTION
    assert len(out[0].reply.text) < 1000 and "先頭の 300 文字" in reply.text
    reply, out = routing.route_question(db, "UGUEST", "会議室で電話してもいいですか", [], "asked")
    assert out                                                   # the third today
    reply, out = routing.route_question(db, "UGUEST", "喫煙所でメールを見てもいいですか", [], "asked")
    assert out == [] and "これ以上お送りできません" in reply.text
    assert len([r for r in qstore.all_routed(db) if r["asker_id"] == "UGUEST"]) == routing.UNREGISTERED_PER_DAY
    # a registered person's question is capped too, and personal data is masked before it travels
    reply, out = routing.route_question(db, "UW1", "滞納者の山田さん（090-1234-5678）の件で" + "い" * 5000, [], "asked")
    stored = qstore.all_routed(db)[-1]["question"]
    assert len(stored) <= routing.MAX_QUESTION and "090-1234-5678" not in stored + out[0].reply.text
    assert "電話番号と思われる部分は伏せ字" in reply.text


def test_empty_question_is_not_routed(db):
    reply, out = routing.route_question(db, "UW1", "  ？ ", [], "asked")
    assert out == [] and "空" in reply.text and qstore.all_routed(db) == []


def test_feedback_is_idempotent_per_user_question_clause(db):
    cid = clause_id(db, "私物")
    q = "私物のUSBメモリを使ってもいいですか"
    r = routing.record_feedback(db, "UW1", q, cid, False, "slack_button")
    assert "ご意見ありがとうございます" in r.text
    routing.record_feedback(db, "UW1", q, cid, False, "slack_button")     # double click
    routing.record_feedback(db, "UW1", q + "？", cid, False, "slack_button")  # same question, punctuation
    assert len(qstore.feedback_rows(db)) == 1
    routing.record_feedback(db, "UW1", q, cid, True, "slack_button")      # changed their mind: a new record
    routing.record_feedback(db, "UW1", q, cid, True, "slack_button")
    rows = qstore.feedback_rows(db)
    assert [r["helpful"] for r in rows] == [0, 1] and rows[0]["via"] == "slack_button"
    routing.record_feedback(db, "UW2", q, cid, False, "slack_button")     # another person counts
    routing.record_feedback(db, "UW1", q, "", False, "slack_button")      # another clause (none) counts
    assert len(qstore.feedback_rows(db)) == 4


def test_gaps_group_similar_questions(db):
    cid = clause_id(db, "私物")
    t0 = dt.datetime(2026, 11, 20, 10, 0, tzinfo=JST)
    routing.record_feedback(db, "UW1", "私物のUSBメモリを使ってもいいですか", cid, False, "slack_button", now=t0)
    routing.record_feedback(db, "UW2", "私物のUSBメモリは使っていいですか", cid, False, "slack_button",
                            now=t0 + dt.timedelta(hours=1))
    routing.record_feedback(db, "UW9", "私物のUSBメモリは使っていいですか", cid, True, "slack_button")  # helpful: no gap
    routing.route_question(db, "UW1", "私物のUSBメモリを使ってもいいですか？", [cid], "unhelpful",
                           now=t0 + dt.timedelta(hours=2))
    _, out = routing.route_question(db, "UW2", "外部のクラウドに保存してもいいですか", [], "not_found",
                                    now=t0 + dt.timedelta(hours=3))
    routing.answer_routed(db, "ULEAD", out[0].reply.buttons[0].value, "できません。", [], "slack_button")

    g = routing.gaps(db)
    assert len(g) == 2
    usb, cloud = g
    assert (usb["count"], usb["unhelpful"], usb["routed"], usb["askers"], usb["answered"]) == (3, 2, 1, 2, False)
    assert usb["clause_ids"] == [cid] and usb["latest"] == "2026年11月20日(金) 12:00"
    assert usb["question"] == "私物のUSBメモリを使ってもいいですか？" and len(usb["questions"]) == 3
    assert (cloud["count"], cloud["not_found"], cloud["answered"]) == (1, 1, True)
    text = routing.gaps_text(db)
    assert "【未回答】私物のUSBメモリを使ってもいいですか？" in text and "【回答済み】" in text


def test_cli_kb_gaps(db, tmp_path):
    routing.route_question(db, "UW1", "外部のクラウドに保存してもいいですか", [], "not_found")
    path = db.execute("PRAGMA database_list").fetchone()[2]
    r = run_mamoru(["kb", "gaps", "--json"], db=path)
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert rows[0]["question"] == "外部のクラウドに保存してもいいですか" and rows[0]["not_found"] == 1
    r = run_mamoru(["kb", "gaps"], db=path)
    assert r.returncode == 0 and "【未回答】外部のクラウドに保存してもいいですか" in r.stdout
    r = run_mamoru(["kb", "gaps"], db=tmp_path / "empty.db")
    assert r.returncode == 0 and "まだありません" in r.stdout


def test_a_question_about_a_contract_the_lead_is_not_on_goes_to_the_officer(db):
    """A worker on 吉川市 and 草加市 whose lead is on 吉川市 only: a question about the 草加市 clause they were
    shown is not that lead's to read; one about 吉川市's clause, or one nothing was found for, is."""
    assert people.run_users(db, "cli", ["add", "UW3", "--name", "二足草鞋", "--contract", "吉川市",
                                        "--contract", "草加市", "--lead", "ULEAD"], "cli")[0] == 0
    soka = db.execute("SELECT id FROM clauses WHERE doc_slug = 'soka' AND text LIKE '%持ち込ませない%' LIMIT 1").fetchone()[0]
    reply, out = routing.route_question(db, "UW3", "私物のタブレットを作業室に持ち込んでもいいですか", [soka], "asked")
    assert [o.user_id for o in out] == ["UOFF"] and "対策 責任さんにお送りしました" in reply.text
    stored = qstore.all_routed(db)[-1]
    assert stored["contracts"] == ["草加市"] and stored["assignee_id"] is None and stored["recipients"] == ["UOFF"]
    rid = out[0].reply.buttons[0].value
    # the 吉川市 lead may not answer it either (their worker, not their contract), the officer may
    assert not routing.may_answer(db, "ULEAD", stored) and routing.may_answer(db, "UOFF", stored)
    r, none = routing.answer_routed(db, "ULEAD", rid, "大丈夫です", [], "slack_button")
    assert none == [] and "回答できるのは" in r.text

    reply, out = routing.route_question(db, "UW3", "私物のUSBメモリを使ってもいいですか", [clause_id(db, "私物")], "asked")
    assert [o.user_id for o in out] == ["ULEAD"] and qstore.all_routed(db)[-1]["contracts"] == ["吉川市"]
    reply, out = routing.route_question(db, "UW3", "机の上の観葉植物に水をあげてもいい？", [], "not_found")
    assert [o.user_id for o in out] == ["ULEAD"] and qstore.all_routed(db)[-1]["contracts"] == ["吉川市", "草加市"]
    # the lead's weekly digest lists their team's open questions, not the 草加市 one
    from handlers import weekly
    listed = [q["question"] for q in weekly.figures(db, "ULEAD", dt.date(2026, 11, 30), dt.date(2026, 12, 4),
                                                       dt.datetime(2026, 12, 7, 9, tzinfo=JST))["questions"]]
    assert "私物のUSBメモリを使ってもいいですか" in listed and "私物のタブレットを作業室に持ち込んでもいいですか" not in listed


def test_a_typed_question_to_the_lead_of_a_worker_on_two_contracts_goes_to_its_contracts_lead(db):
    """「担当者に聞く：…」 typed carries no clause: the worker's own documents say whose rule it is."""
    from handlers import conversation

    assert people.run_users(db, "cli", ["add", "UW3", "--name", "二足草鞋", "--contract", "吉川市",
                                        "--contract", "草加市", "--lead", "ULEAD"], "cli")[0] == 0
    turn = conversation.message(db, "UW3", "担当者に聞く：作業とは関係ないコンピュータを管理区域に持ち込ませてもいい？",
                                "slack_dm")
    stored = qstore.all_routed(db)[-1]
    assert stored["contracts"] == ["草加市"] and stored["recipients"] == ["UOFF"] and stored["clause_ids"] == []
    assert [o.user_id for o in turn.outgoing] == ["UOFF"]
    # one on the shared contract still reaches the lead; a one-contract worker's as ever
    turn = conversation.message(db, "UW3", "担当者に聞く：私物のUSBメモリを使ってもいいですか", "slack_dm")
    assert [o.user_id for o in turn.outgoing] == ["ULEAD"] and qstore.all_routed(db)[-1]["contracts"] == ["吉川市"]
    turn = conversation.message(db, "UW1", "担当者に聞く：作業とは関係ないコンピュータを管理区域に持ち込ませてもいい？", "slack_dm")
    assert [o.user_id for o in turn.outgoing] == ["ULEAD"]
