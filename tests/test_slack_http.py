"""End to end through `mamoru serve --http`: signed requests in, Web API calls out to a stand-in.

One server process for the module (its own SQLite file); each test uses its own user ids and
channels so the recorded calls never mix. Waits poll the stand-in's recorded calls.
"""
from __future__ import annotations

import json
import re
import sqlite3
import time

import pytest

from slack_standin import (BOT_TOKEN, SIGNING_SECRET, ServeProcess, block_actions, dm_event,
                           mention_event, new_ts, serve_env)

RULE_Q = "離席するときはパソコンの画面をロックしないといけないですか"
NO_RULE_Q = "ペンギンの餌やり当番は誰が決めるのですか"
LONG_WORD = "量子暗号鍵配送装置"


def _long_document() -> str:
    sentence = (f"受託者は、{LONG_WORD}の保守点検を行うときは、作業の開始前に点検項目を確認し、"
                "作業責任者の立会いのもとで手順書に従って作業を行い、その結果を記録しなければならない。")
    body = "".join(f"{sentence[:-1]}（手順{n}）。" for n in range(1, 90))
    return f"# 長文試験仕様書\n\n第1条 {body}\n\n第2条 受託者は、作業の記録を五年間保存しなければならない。\n"


def _load_long_document(db) -> None:
    from knowledge import library

    library.load_text(db, _long_document(), slug="longdoc", title="長文試験仕様書", municipality="試験市")


@pytest.fixture(scope="module")
def env(slack, tmp_path_factory):
    """The database (with people and one very long rule) and the running server."""
    people = [["add", "UADMIN", "--name", "管理太郎", "--role", "admin"],
              ["add", "ULEAD", "--name", "責任花子", "--role", "lead", "--contract", "吉川市"],
              ["add", "UWORK", "--name", "作業一郎", "--role", "worker", "--contract", "吉川市", "--lead", "ULEAD"],
              ["add", "UWORK2", "--name", "作業二郎", "--role", "worker", "--contract", "吉川市", "--lead", "ULEAD"]]
    yield from serve_env(slack, tmp_path_factory.mktemp("slack_http"), people, setup=_load_long_document, contracts=["吉川市"])


@pytest.fixture
def server(env):
    return env["server"]


def _db(env):
    return sqlite3.connect(env["db_path"])


def _msgs(slack, channel, **kw):
    return slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == channel, **kw)


def _buttons(call) -> dict:
    return {el["action_id"]: el for b in call.blocks() if b["type"] == "actions" for el in b["elements"]}


def _check_limits(blocks: list[dict], max_blocks: int = 50) -> None:
    assert len(blocks) <= max_blocks
    for b in blocks:
        if b["type"] == "section":
            assert len(b["text"]["text"]) <= 3000
        for el in b.get("elements", []):
            if el.get("type") == "button":
                assert len(el["text"]["text"]) <= 75
                assert len(el.get("value", "")) <= 2000


# ------------------------------------------------------------------ questions


def test_dm_question_gets_cited_answer_with_buttons(server, slack):
    status, body, _ = server.event(dm_event("UQ1", RULE_Q), "EvDm1")
    assert status == 200   # the 3 s ack is measured in benchmarks/slack_latency.py
    [call] = _msgs(slack, "DQ1")
    text = call.text_of_blocks()
    assert re.search(r"【(禁止|許可・承認が必要|義務|励行|規定)】", text)          # the verdict line
    assert "&gt; " in text and "出典: " in text                                  # clause quoted, cited
    assert "thread_ts" not in call.params
    btn = _buttons(call)
    assert [b["text"]["text"] for b in btn.values()] == ["役に立った", "役に立たなかった", "担当者に聞く"]
    value = json.loads(btn["ask_feedback_up"]["value"])
    assert value["q"] == RULE_Q and value["c"]                                   # question + clause id
    _check_limits(call.blocks())


def test_mention_is_answered_in_its_thread(server, slack):
    ev = mention_event("UQ2", RULE_Q, channel="CMENTION")
    status, _, _ = server.event(ev, "EvMention1")
    assert status == 200   # the 3 s ack is measured in benchmarks/slack_latency.py
    [call] = _msgs(slack, "CMENTION")
    assert call.params["thread_ts"] == ev["ts"]
    assert "出典: " in call.text_of_blocks()


def test_slash_command_question_help_and_empty(server, slack):
    status, body, _ = server.command("UQ3", RULE_Q, slack.hook_url("cmd-q"))
    assert status == 200   # the 3 s ack is measured in benchmarks/slack_latency.py
    [answer] = slack.wait_for("hook:/hooks/cmd-q")
    assert answer.params["response_type"] == "ephemeral"
    assert "出典: " in answer.text_of_blocks() and "ask_route" in _buttons(answer)
    server.command("UQ3", "", slack.hook_url("cmd-empty"))
    server.command("UQ3", "help", slack.hook_url("cmd-help"))
    [empty] = slack.wait_for("hook:/hooks/cmd-empty")
    [helps] = slack.wait_for("hook:/hooks/cmd-help")
    assert "使い方" in empty.text_of_blocks() and empty.text_of_blocks() == helps.text_of_blocks()


def test_users_subcommand_for_admins_only(server, slack):
    server.command("UWORK", "users list", slack.hook_url("users-worker"))
    server.command("UADMIN", "users list", slack.hook_url("users-admin"))
    [refused] = slack.wait_for("hook:/hooks/users-worker")
    [listed] = slack.wait_for("hook:/hooks/users-admin")
    assert "管理者の方だけ" in refused.text_of_blocks()
    assert "作業一郎" in listed.text_of_blocks() and "責任花子" in listed.text_of_blocks()


def test_gaps_for_officers_and_admins_only(server, slack):
    server.event(dm_event("UGAP", "カピバラの飼育係は誰ですか"), "EvGap1")   # no rule → 「担当者に聞く」 offered
    [dm] = _msgs(slack, "DGAP")
    server.interactive(block_actions("UGAP", "ask_route", _buttons(dm)["ask_route"]["value"],
                                     response_url=slack.hook_url("gap-route"), channel="DGAP"))
    slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "UADMIN"
                   and "カピバラ" in c.text_of_blocks())
    server.command("UADMIN", "gaps", slack.hook_url("gaps-admin"))
    server.command("UWORK", "gaps", slack.hook_url("gaps-worker"))
    [listed] = slack.wait_for("hook:/hooks/gaps-admin")
    [refused] = slack.wait_for("hook:/hooks/gaps-worker")
    assert "カピバラの飼育係は誰ですか" in listed.text_of_blocks()
    assert "情報セキュリティ対策責任者と管理者の方だけ" in refused.text_of_blocks()
    assert "このお断りは記録されました" in refused.text_of_blocks()


def test_no_rule_says_so_and_routes_to_the_lead(server, slack, env):
    server.event(dm_event("UWORK", NO_RULE_Q), "EvNoRule1")
    [to_asker] = _msgs(slack, "DWORK")
    text = to_asker.text_of_blocks()
    assert "見つかりませんでした" in text
    buttons = _buttons(to_asker)
    assert "ask_feedback_up" not in buttons and "ask_route" in buttons
    assert not slack.find("chat.postMessage", lambda c: c.params.get("channel") == "ULEAD")   # not by itself
    # The worker presses 「担当者に聞く」: only then does the question go to the lead.
    server.interactive(block_actions("UWORK", "ask_route", buttons["ask_route"]["value"],
                                     response_url=slack.hook_url("route-1"), channel="DWORK"))
    slack.wait_for(None, lambda c: "責任花子さんにお送りしました" in c.text_of_blocks())
    [to_lead] = _msgs(slack, "ULEAD")                                  # DM to the lead's user id
    assert NO_RULE_Q in to_lead.text_of_blocks()
    routed_id = _buttons(to_lead)["routing_answer"]["value"]

    # The lead presses 「回答する」: a modal opens; they submit an answer with a clause.
    server.interactive(block_actions("ULEAD", "routing_answer", routed_id, response_url=slack.hook_url("lead-1"),
                                     channel="DLEAD"))
    [opened] = slack.wait_for("views.open")
    view = opened.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["callback_id"] == "routing_answer_modal" and view["private_metadata"] == routed_id
    empty = _view_submission("ULEAD", routed_id, "")
    status, body, _ = server.interactive(empty)
    assert status == 200 and json.loads(body)["response_action"] == "errors"   # an empty answer is refused
    server.interactive(_view_submission("ULEAD", routed_id, "当番表は総務課が毎月決めています。"))
    [answered] = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "UWORK")
    assert "当番表は総務課が毎月決めています。" in answered.text_of_blocks()
    slack.wait_for("views.publish", lambda c: c.params.get("user_id") == "ULEAD")  # Home refreshed

    # The next person asking something similar is offered the lead's answer first.
    server.event(dm_event("UWORK2", "ペンギンの餌やり当番は誰が決めるのでしょうか"), "EvNoRule2")
    [again] = _msgs(slack, "DWORK2")
    blocks_text = again.text_of_blocks()
    assert blocks_text.index("以前、似たご質問に担当者が回答しています") < blocks_text.index("見つかりませんでした")
    assert "当番表は総務課が毎月決めています。" in blocks_text
    [thanks] = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "ULEAD"
                              and "回答を作業一郎さんにお送りしました" in c.text_of_blocks())
    assert len(slack.find("chat.postMessage", lambda c: c.params.get("channel") == "ULEAD"
                          and "質問が届きました" in c.text_of_blocks())) == 1          # not routed again


def _view_submission(user: str, routed_id: str, text: str) -> dict:
    return {"type": "view_submission", "team": {"id": "T0TEST01"},
            "user": {"id": user, "name": user.lower(), "team_id": "T0TEST01"},
            "api_app_id": "A0TEST01", "token": "legacy", "trigger_id": f"t.{time.time_ns()}",
            "view": {"id": "VMODAL", "type": "modal", "callback_id": "routing_answer_modal",
                     "private_metadata": routed_id,
                     "state": {"values": {"answer": {"text": {"type": "plain_text_input", "value": text}},
                                          "clauses": {"ids": {"type": "multi_static_select", "selected_options": []}},
                                          "clause_ids": {"text": {"type": "plain_text_input", "value": None}}}}}}


# ------------------------------------------------------------------ buttons


def test_feedback_recorded_once_on_a_double_click(server, slack, env):
    server.event(dm_event("UFB1", RULE_Q), "EvFb1")
    [answer] = _msgs(slack, "DFB1")
    up = _buttons(answer)["ask_feedback_up"]
    ts = "1700000999.000100"
    for n in range(2):  # a double click: two deliveries of the same press
        status, _, _ = server.interactive(block_actions("UFB1", up["action_id"], up["value"],
                                                              response_url=slack.hook_url("fb1"), message_ts=ts))
        assert status == 200   # the 3 s ack is measured in benchmarks/slack_latency.py
    [thanks] = slack.wait_for("hook:/hooks/fb1")
    clause = json.loads(up["value"])["c"]
    # a later, different press from someone else proves the first two were fully processed
    server.interactive(block_actions("UFB2", up["action_id"], up["value"], response_url=slack.hook_url("fb2"),
                                     message_ts=ts))
    slack.wait_for("hook:/hooks/fb2")
    with _db(env) as c:
        rows = c.execute("SELECT user_id, clause_id, helpful, via FROM feedback WHERE user_id IN ('UFB1', 'UFB2')"
                         " ORDER BY id").fetchall()
    assert rows == [("UFB1", clause, 1, "slack_button"), ("UFB2", clause, 1, "slack_button")]
    assert len(slack.find("hook:/hooks/fb1")) == 1
    assert "ありがとうございます" in thanks.text_of_blocks()


def test_ask_a_person_button_routes_the_question(server, slack, env):
    server.event(dm_event("UWORK2", "USBメモリを持ち出してもいいですか"), "EvRoute1")
    [answer] = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "DWORK2"
                              and "ask_route" in _buttons(c) and "USBメモリ" in _buttons(c)["ask_route"]["value"])
    ask = _buttons(answer)["ask_route"]
    server.interactive(block_actions("UWORK2", "ask_route", ask["value"], response_url=slack.hook_url("route1")))
    [reply] = slack.wait_for("hook:/hooks/route1")
    assert "責任花子さんにお送りしました" in reply.text_of_blocks()
    [to_lead] = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "ULEAD"
                               and "USBメモリを持ち出してもいいですか" in c.text_of_blocks())
    assert "案内した条項" in to_lead.text_of_blocks()   # the clause the asker was shown travels along


def test_registration_request_and_approval_with_the_details_it_lacks(server, slack, env):
    # An unregistered person asks to be registered (the button the Home tab and refusals show).
    server.interactive(block_actions("UNEW1", "people_request_registration", "UNEW1", response_url=None,
                                     view_id="VHOME1"))
    [to_admin] = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "UADMIN"
                                and "people_approve" in _buttons(c))
    [ack_dm] = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "UNEW1")
    assert "登録の申請を受け付けました" in ack_dm.text_of_blocks()
    approve = _buttons(to_admin)["people_approve"]
    server.interactive(block_actions("UADMIN", "people_approve", approve["value"],
                                     response_url=slack.hook_url("approve1")))
    # a new person's request lacks the contract, lead and start date: the approver gets the form
    slack.wait_for("views.open", lambda c: "people_approve_modal" in str(c.params.get("view")))
    from slack_standin import selected, view_submission

    values = {"name": selected("text", "新人"), "contract": selected("static_select", "吉川市"),
              "lead": selected("users_select", "ULEAD"), "start": selected("datepicker", "2026-12-01")}
    server.interactive(view_submission("UADMIN", "people_approve_modal", values, "UNEW1"))
    [done] = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "UADMIN"
                            and "作業従事者として登録しました" in c.text_of_blocks())
    slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "UNEW1" and "承認されました" in c.text_of_blocks())
    slack.wait_for("views.publish", lambda c: c.params.get("user_id") == "UNEW1")
    with _db(env) as c:
        assert c.execute("SELECT role, active, lead_id, start_date FROM people_current WHERE user_id='UNEW1'"
                         ).fetchone() == ("worker", 1, "ULEAD", "2026-12-01")


def test_unknown_button_gets_a_polite_answer(server, slack):
    server.interactive(block_actions("UQ9", "checklist_start", "x", response_url=slack.hook_url("unknown1")))
    [reply] = slack.wait_for("hook:/hooks/unknown1")
    assert "準備中" in reply.text_of_blocks()


# ------------------------------------------------------------------ App Home


def test_app_home_published_on_open(server, slack):
    earlier = len(slack.find("views.publish", lambda c: c.params.get("user_id") == "UWORK"))
    status, _, _ = server.event({"type": "app_home_opened", "user": "UWORK", "channel": "DWORK", "tab": "home",
                                       "event_ts": new_ts()}, "EvHome1")
    assert status == 200   # the 3 s ack is measured in benchmarks/slack_latency.py
    pub = slack.wait_for("views.publish", lambda c: c.params.get("user_id") == "UWORK", count=earlier + 1)[-1]
    view = pub.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["type"] == "home" and 0 < len(view["blocks"]) <= 100
    assert "作業一郎" in pub.text_of_blocks()
    server.event({"type": "app_home_opened", "user": "UQ8", "channel": "DQ8", "tab": "messages",
                  "event_ts": new_ts()}, "EvHome2")
    server.command("UQ8", "help", slack.hook_url("home-sentinel"))
    slack.wait_for("hook:/hooks/home-sentinel")
    assert not slack.find("views.publish", lambda c: c.params.get("user_id") == "UQ8")


# ------------------------------------------------------------------ delivery guarantees


def test_retried_event_is_answered_once_even_after_a_restart(server, slack, env):
    ev = dm_event("URETRY", RULE_Q)
    server.event(ev, "EvRetry1")
    _msgs(slack, "DRETRY")
    status, _, _ = server.event(ev, "EvRetry1", headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert status == 200
    assert "duplicate delivery of event:EvRetry1 ignored (retry 1)" in server.log_text()
    # A second process on the same database (as after a restart) also knows the event.
    other = ServeProcess(slack, env["db_path"], env["dir"] / "serve2.log", args=["--no-scheduler"])
    try:
        other.wait_ready()
        status, _, _ = other.event(ev, "EvRetry1", headers={"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_timeout"})
        assert status == 200
        assert "duplicate delivery of event:EvRetry1 ignored (retry 2)" in other.log_text()
    finally:
        other.stop()
    server.command("URETRY", "help", slack.hook_url("retry-sentinel"))
    slack.wait_for("hook:/hooks/retry-sentinel")
    assert len(slack.find("chat.postMessage", lambda c: c.params.get("channel") == "DRETRY")) == 1


def test_bad_or_stale_signature_is_refused_and_does_nothing(server, slack):
    before = len(slack.find(status=None))
    status, _, _ = server.event(dm_event("UBAD", RULE_Q), "EvBad1", secret="not-the-secret")
    assert status == 401
    status, _, _ = server.event(dm_event("UBAD", RULE_Q), "EvBad2", timestamp=int(time.time()) - 600)
    assert status == 401
    status, _, _ = server.command("UBAD", RULE_Q, slack.hook_url("bad"), signature="v0=" + "0" * 64)
    assert status == 401
    assert len(slack.find(status=None)) == before
    # …and the events were not even claimed: a correctly signed delivery of one is answered.
    server.event(dm_event("UBAD", RULE_Q), "EvBad1")
    _msgs(slack, "DBAD")
    assert not slack.find("hook:/hooks/bad", status=None)


def test_rate_limited_call_is_retried_after_retry_after(server, slack):
    slack.rate_limit("chat.postMessage", count=1, retry_after=1)
    server.event(dm_event("URATE", RULE_Q), "EvRate1")
    [ok] = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "DRATE", timeout=15)
    [limited] = slack.find("chat.postMessage", lambda c: c.params.get("channel") == "DRATE", status=429)
    assert ok.at - limited.at >= 1.0
    assert ok.params["blocks"] == limited.params["blocks"]


def test_long_answer_is_split_under_the_limits_not_truncated(server, slack, env):
    server.event(dm_event("ULONG", f"{LONG_WORD}の保守点検の手順は"), "EvLong1")
    [call] = _msgs(slack, "DLONG")
    blocks = call.blocks()
    _check_limits(blocks)
    clause_id = json.loads(_buttons(call)["ask_feedback_up"]["value"])["c"]
    with _db(env) as c:
        clause = c.execute("SELECT text FROM clauses WHERE id = ?", [clause_id]).fetchone()[0]
    assert clause_id.startswith("longdoc:") and len(clause) > 6000
    quoted = [b["text"]["text"] for b in blocks if b["type"] == "section" and b["text"]["text"].startswith("&gt; ")]
    assert len(quoted) >= 3                                            # one clause, several sections
    joined = "".join(q.replace("&gt; ", "") for q in quoted)
    assert joined.replace("\n", "") == clause.replace("\n", "")       # every character is there


def test_reply_over_fifty_blocks_becomes_several_messages(server, slack, env):
    """`/mamoru users list` with 4,000 people (~170,000 characters): several messages, nobody left out."""
    from storage import people as pstore
    from storage.db import open_db

    db = open_db(env["db_path"])
    with pstore.transaction(db):
        for n in range(4000):
            pstore.append(db, user_id=f"UBULK{n:05d}", change="add", name=f"一括試験{n:05d}", role="worker",
                          contracts=["吉川市"], lead_id=None, start_date=None, days_off=[], active=True,
                          actor="cli", via="cli", at="2026-11-01T09:00:00+09:00")
    server.command("UADMIN", "users list", slack.hook_url("bulk"))
    calls = slack.wait_for("hook:/hooks/bulk", count=2, timeout=20)
    for c in calls:
        _check_limits(c.blocks())
    text = "".join(c.text_of_blocks() for c in calls)
    assert all(f"UBULK{n:05d}" in text for n in range(4000))
    assert calls[1].params["text"].startswith("（続き 2/")


def test_listener_exception_becomes_an_apology_with_a_reference(server, slack):
    slack.fail("chat.postMessage", "internal_error", count=1)   # the answer's post fails inside the listener
    server.event(dm_event("UERR", RULE_Q), "EvErr1")
    calls = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "DERR", count=2)
    apology = calls[1].text_of_blocks()
    m = re.search(r"ERR-[0-9A-F]{6}", apology)
    assert m and "申し訳ありません" in apology
    deadline = time.monotonic() + 5
    while m.group(0) not in server.log_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    log = server.log_text()
    assert f"[{m.group(0)}] DM question failed for user UERR" in log and "internal_error" in log


def test_secrets_never_reach_the_log(server, slack, env):
    log = server.log_text()
    assert SIGNING_SECRET not in log and BOT_TOKEN not in log
    with _db(env) as c:
        dump = "\n".join(c.iterdump())
    assert SIGNING_SECRET not in dump and BOT_TOKEN not in dump


def test_url_verification_challenge_is_answered(server):
    status, body, _ = server.post(json.dumps({"token": "legacy", "challenge": "chal-123", "type": "url_verification"}),
                                  "application/json")
    assert status == 200 and json.loads(body)["challenge"] == "chal-123"


def test_serve_explains_missing_credentials(tmp_path):
    import os
    import subprocess

    from slack_standin import MAMORU, ROOT

    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(MAMORU_DB=str(tmp_path / "m.db"), PYTHONIOENCODING="utf-8", SLACK_BOT_TOKEN="xoxb-test")
    r = subprocess.run([MAMORU, "serve", "--http", "--port", "0"], env=env, cwd=ROOT, capture_output=True,
                       text=True, encoding="utf-8", timeout=60)
    assert r.returncode == 2 and "SLACK_SIGNING_SECRET" in r.stderr
    r = subprocess.run([MAMORU, "serve"], env=env, cwd=ROOT, capture_output=True, text=True, encoding="utf-8",
                       timeout=60)
    assert r.returncode == 2 and "SLACK_APP_TOKEN" in r.stderr


def test_a_question_asked_by_mention_is_recorded_as_a_mention(env, server, slack):
    """Answered in the thread like a DM's; it reaches the lead only when the asker presses 「担当者に聞く」."""
    server.event(mention_event("UWORK2", "ペンギンの水槽の掃除当番は誰ですか", channel="CMENTION"), "EvMention2")
    [answer] = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "CMENTION"
                              and "見つかりませんでした" in c.text_of_blocks())
    with sqlite3.connect(env["db_path"]) as c:
        assert c.execute("SELECT via FROM routed_questions WHERE question LIKE '%水槽%'").fetchall() == []
    server.interactive(block_actions("UWORK2", "ask_route", _buttons(answer)["ask_route"]["value"],
                                     response_url=slack.hook_url("mention-route"), channel="CMENTION"))
    slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "ULEAD" and "水槽" in c.text_of_blocks())
    with sqlite3.connect(env["db_path"]) as c:
        assert c.execute("SELECT via FROM routed_questions WHERE question LIKE '%水槽%'").fetchall() == [("slack_button",)]


def test_a_follow_up_in_a_dm_is_read_with_the_question_before_and_never_in_a_channel(server, slack):
    """「じゃあ長野市の場合は？」 after a DM question is answered on it; the same words in a channel are read alone,
    so nothing asked in the DM can reach the channel."""
    server.event(dm_event("UQF", "USBメモリを家に持ち帰ってもいい？"), "EvFollow1")
    _msgs(slack, "DQF")
    server.event(dm_event("UQF", "じゃあ長野市の場合は？"), "EvFollow2")
    follow = _msgs(slack, "DQF", count=2)[1]
    assert "第6第1項" in follow.text_of_blocks() and "直前のご質問の続きとして" in follow.text_of_blocks()
    assert "USBメモリを家に持ち帰ってもいい？" in json.loads(_buttons(follow)["ask_route"]["value"])["q"]
    server.event(mention_event("UQF", "じゃあ長野市の場合は？", channel="CFOLLOW"), "EvFollow3")
    [alone] = _msgs(slack, "CFOLLOW")
    assert "USB" not in json.dumps(alone.params, ensure_ascii=False) and "直前のご質問" not in alone.text_of_blocks()


def test_a_leads_nudge_typed_in_a_dm_reaches_the_worker(server, slack):
    """「作業二郎さんに催促して」 from the lead: a DM to the worker (the training still to do), the lead told so."""
    server.event(dm_event("ULEAD", "作業二郎さんに催促して"), "EvNudge1")
    [told] = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "DLEAD"
                            and "DM でお知らせしました" in c.text_of_blocks())
    assert "作業二郎さん（" in told.text_of_blocks()
    [nudged] = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "UWORK2"
                              and "責任花子さんから、確認のお願いです" in c.text_of_blocks())
    assert "研修" in nudged.text_of_blocks()
