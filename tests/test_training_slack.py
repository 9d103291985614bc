"""Training end to end through Slack: `mamoru serve --http` against the Web API stand-in.

The server runs with MAMORU_NOW (a clock that stands still) so that its "today" is a chosen day;
notices passes are run here at chosen times with the real Slack sender pointed at the stand-in
(`handlers.notices.run_pass` + `deliver` + `bot.slack.send.make_sender`: what the scheduler's job
does, except that the job uses the current time). Registrations go through `/mamoru users add`,
presses, DMs and Home through the real server. Which choice is right is looked up in the content
(knowledge/quiz) by the question id stored with the attempt, and found on the buttons by its text.
"""
from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

from conftest import run_mamoru
from slack_standin import BOT_TOKEN, ServeProcess, block_actions, dm_event, serve_env

TODAY = "2026-12-01"                      # a Tuesday
SERVER_NOW = f"{TODAY}T10:00:00+09:00"
START = "2026-12-10"


@pytest.fixture(scope="module")
def env(slack, tmp_path_factory):
    people = [["add", "UTADMIN", "--name", "管理太郎", "--role", "admin"],
              ["add", "UTOFF", "--name", "対策三郎", "--role", "officer"],
              ["add", "UTLEAD", "--name", "責任花子", "--role", "lead", "--contract", "吉川市"]]
    yield from serve_env(slack, tmp_path_factory.mktemp("training_slack"), people, now=SERVER_NOW, contracts=["吉川市"])


@pytest.fixture
def server(env):
    return env["server"]


# ------------------------------------------------------------------ helpers


def notices_pass(env, slack, when: str) -> dict:
    from bot.slack.send import make_client, make_sender
    from handlers import notices, workdays

    now = workdays.parse(when)
    db = env["db"]
    sender = make_sender(make_client(BOT_TOKEN, slack.api_url), lambda: db)
    return notices.deliver(db, notices.run_pass(db, now), sender, now=now)


def register(server, slack, user: str, name: str, extra: str = "") -> None:
    server.command("UTADMIN", f"users add {user} --name {name} --role worker --contract 吉川市 --lead UTLEAD {extra}",
                   slack.hook_url(f"reg-{user}"))
    [done] = slack.wait_for(f"hook:/hooks/reg-{user}")
    assert "登録しました" in done.text_of_blocks()


def dms(slack, user: str, where=None):
    return slack.find("chat.postMessage", lambda c: c.params.get("channel") == user and (where is None or where(c)))


def buttons(call) -> list[dict]:
    """Buttons in actions blocks and beside sections (a label too long for a button)."""
    out = []
    for b in call.blocks():
        if b["type"] == "actions":
            out += [el for el in b["elements"] if el.get("type") == "button"]
        elif b.get("accessory", {}).get("type") == "button":
            out.append(b["accessory"])
    return out


def button(call, action: str) -> dict:
    return next(el for el in buttons(call) if el["action_id"].split("#")[0] == action)


_hooks = iter(range(1, 10 ** 6))


def press(server, slack, user: str, el: dict, message_ts: str | None = None):
    hook = f"p{next(_hooks)}"
    status, _, _ = server.interactive(block_actions(user, el["action_id"], el["value"],
                                                          response_url=slack.hook_url(hook), message_ts=message_ts))
    assert status == 200   # the 3 s ack is measured in benchmarks/slack_latency.py
    return slack.wait_for(f"hook:/hooks/{hook}")[-1]


def db_rows(env, sql: str, params=()) -> list[tuple]:
    with sqlite3.connect(env["db_path"]) as c:
        return c.execute(sql, params).fetchall()


def answer_buttons(call) -> list[dict]:
    return [el for el in buttons(call) if el["action_id"].split("#")[0] == "training_answer"]


def right_and_wrong(env, call) -> tuple[dict, dict, str]:
    """(the right button, a wrong one, the question id) for the question this message asks."""
    from handlers.training import content

    els = answer_buttons(call)
    attempt_id, idx, _ = els[0]["value"].split(":")
    [(questions,)] = db_rows(env, "SELECT questions FROM training_attempts WHERE id = ?", [int(attempt_id)])
    qid = json.loads(questions)[int(idx)]["id"]
    q = content.load().question(qid)
    if q.kind == "truefalse":
        right = next(el for el in els if el["text"]["text"].startswith(q.answer))
    else:
        right = next(el for el in els if el["text"]["text"].endswith(q.answer) or el["text"]["text"].rstrip("…")
                     in f"{el['text']['text'][:3]}{q.answer}")
    assert q.prompt in call.text_of_blocks()
    wrong = next(el for el in els if el is not right)
    return right, wrong, qid


def take_quiz(env, server, slack, user: str, first, right_for=lambda i: True) -> tuple:
    """Answer every question of the attempt shown in `first` by button; returns (last reply, question ids)."""
    call, asked = first, []
    for i in range(100):
        if not answer_buttons(call):
            return call, asked
        right, wrong, qid = right_and_wrong(env, call)
        asked.append(qid)
        call = press(server, slack, user, right if right_for(i) else wrong)
        assert ("正解です" if right_for(i) else "不正解です") in call.text_of_blocks()
        assert "吉川市 情報セキュリティ特記仕様書 第" in call.text_of_blocks()     # the clause, cited
    raise AssertionError("the quiz did not end")


# ------------------------------------------------------------------ assignment on registration


def test_registration_assigns_the_course_and_asks_to_begin_once(env, server, slack):
    register(server, slack, "UTW1", "研修一郎", f"--start-date {START}")
    assert not db_rows(env, "SELECT 1 FROM training_assignments WHERE user_id = 'UTW1'")   # nothing written yet
    counts = notices_pass(env, slack, f"{TODAY}T10:00:00+09:00")
    assert counts["sent"] >= 1
    [dm] = dms(slack, "UTW1", lambda c: "研修のご案内" in c.text_of_blocks())
    text = dm.text_of_blocks()
    assert "期限: 2026年12月10日(木)（作業開始日）" in text and "吉川市 情報セキュリティ特記仕様書 第7条" in text
    assert button(dm, "training_start")["value"] == "yoshikawa"
    assert db_rows(env, "SELECT course_id, cycle, due_date, reason, actor, via FROM training_assignments"
                        " WHERE user_id = 'UTW1'") == [("yoshikawa", "initial", START, "registration", "scheduler",
                                                        "scheduler")]
    notices_pass(env, slack, f"{TODAY}T10:05:00+09:00")
    notices_pass(env, slack, f"{TODAY}T11:00:00+09:00")
    assert len(dms(slack, "UTW1", lambda c: "研修のご案内" in c.text_of_blocks())) == 1   # once


# ------------------------------------------------------------------ a full attempt, an old button, the pledge


def test_full_attempt_by_button_then_the_pledge(env, server, slack):
    [dm] = dms(slack, "UTW1", lambda c: "研修のご案内" in c.text_of_blocks())
    q1 = press(server, slack, "UTW1", button(dm, "training_start"))
    assert "を始めます。全10問、合格点は80%です" in q1.text_of_blocks() and "第1問／全10問" in q1.text_of_blocks()
    assert q1.params["response_type"] == "in_channel"      # a real message in the DM: still there after a reload
    right, _, _ = right_and_wrong(env, q1)
    q2 = press(server, slack, "UTW1", right)
    # The first question's button again (an old message, a second tap): nothing recorded, shown where we are.
    again = press(server, slack, "UTW1", right)
    assert "第1問には既に回答済みです" in again.text_of_blocks() and "第2問／全10問" in again.text_of_blocks()
    assert db_rows(env, "SELECT COUNT(*) FROM training_answers WHERE user_id = 'UTW1'") == [(1,)]
    last, asked = take_quiz(env, server, slack, "UTW1", q2)
    assert len(asked) == 9
    text = last.text_of_blocks()
    assert "10問中10問正解（100%）" in text and "合格です" in text
    assert "秘密保持に関する誓約書（第1版）" in text and "吉川市 情報セキュリティ特記仕様書 第8条第1項" in text
    pledge = button(last, "training_pledge")
    assert pledge["text"]["text"] == "誓約します"
    done = press(server, slack, "UTW1", pledge)
    assert "誓約を記録しました" in done.text_of_blocks()
    slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "UTLEAD"
                   and "研修一郎さんが研修「吉川市 情報セキュリティ特記仕様書 研修」を修了しました" in c.text_of_blocks())
    twice = press(server, slack, "UTW1", pledge)
    assert "誓約を記録済みです" in twice.text_of_blocks()
    [(rid, correct, total, passed, until, via)] = db_rows(
        env, "SELECT id, correct, total, passed, valid_until, via FROM training_results WHERE user_id = 'UTW1'")
    assert (correct, total, passed, until, via) == (10, 10, 1, "2027-12-01", "slack_button")
    assert db_rows(env, "SELECT result_id, pledge_id, pledge_version, via, at FROM training_pledges"
                        " WHERE user_id = 'UTW1'") == [(rid, "confidentiality", "1", "slack_button", SERVER_NOW)]
    [(shown,)] = db_rows(env, "SELECT text FROM training_pledges WHERE user_id = 'UTW1'")
    assert "吉川市の業務" in shown and "第8条第1項" in shown                    # the exact text pledged to
    assert db_rows(env, "SELECT COUNT(*) FROM training_answers WHERE user_id = 'UTW1'") == [(10,)]


# ------------------------------------------------------------------ fail, then retry


def test_fail_then_retry_draws_again_weighted_to_what_was_missed(env, server, slack):
    register(server, slack, "UTW2", "研修二郎", f"--start-date {START}")
    server.event(dm_event("UTW2", "研修"), "EvTrain2")                  # first interaction: assigned at once
    [q1] = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "DTW2"
                          and "第1問／全10問" in c.text_of_blocks())
    assert db_rows(env, "SELECT reason, actor, via FROM training_assignments WHERE user_id = 'UTW2'") == [
        ("registration", "UTW2", "slack_dm")]
    last, first_ids = take_quiz(env, server, slack, "UTW2", q1, right_for=lambda i: i < 5)
    assert "10問中5問正解（50%）" in last.text_of_blocks() and "今回は不合格です" in last.text_of_blocks()
    q1b = press(server, slack, "UTW2", button(last, "training_start"))
    assert "2回目を始めます" in q1b.text_of_blocks()
    [(q2,)] = db_rows(env, "SELECT questions FROM training_attempts WHERE user_id = 'UTW2' AND number = 2")
    second_ids = [q["id"] for q in json.loads(q2)]
    missed = set(first_ids[5:])
    assert missed <= set(second_ids)                                      # every missed question comes back
    assert second_ids != first_ids                                        # drawn again
    last2, _ = take_quiz(env, server, slack, "UTW2", q1b)
    assert "合格です" in last2.text_of_blocks()
    assert db_rows(env, "SELECT number, passed FROM training_results r JOIN training_attempts a ON a.id = r.attempt_id"
                        " WHERE r.user_id = 'UTW2' ORDER BY number") == [(1, 0), (2, 1)]


# ------------------------------------------------------------------ a restart mid-quiz


def test_resume_after_restarting_the_server_mid_quiz(env, slack):
    from handlers import people

    status, _ = people.run_users(env["db"], "cli", ["add", "UTW4", "--name", "研修四郎", "--contract", "吉川市",
                                                     "--lead", "UTLEAD", "--start-date", START], "cli")
    assert status == 0
    first = ServeProcess(slack, env["db_path"], env["dir"] / "serve-a.log", args=["--no-scheduler"],
                         extra_env={"MAMORU_NOW": SERVER_NOW})
    try:
        first.wait_ready()
        first.event(dm_event("UTW4", "研修"), "EvTrain4a")
        [call] = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "DTW4"
                                and "第1問／全10問" in c.text_of_blocks())
        for _ in range(3):
            right, _, _ = right_and_wrong(env, call)
            old, call = right, press(first, slack, "UTW4", right)
        assert "第4問／全10問" in call.text_of_blocks()
    finally:
        first.stop()
    second = ServeProcess(slack, env["db_path"], env["dir"] / "serve-b.log", args=["--no-scheduler"],
                          extra_env={"MAMORU_NOW": "2026-12-02T09:30:00+09:00"})          # a day away, too
    try:
        second.wait_ready()
        second.event(dm_event("UTW4", "研修"), "EvTrain4b")
        [resumed] = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "DTW4"
                                   and "続きから再開します（3問まで回答済み）" in c.text_of_blocks())
        assert "第4問／全10問" in resumed.text_of_blocks()
        assert [(b["text"]["text"], b["value"]) for b in answer_buttons(resumed)] == \
            [(b["text"]["text"], b["value"]) for b in answer_buttons(call)]          # the same question, same order
        stale = press(second, slack, "UTW4", old)                          # the third question's button, pressed late
        assert "第3問には既に回答済みです" in stale.text_of_blocks()
        right, _, _ = right_and_wrong(env, resumed)
        nxt = press(second, slack, "UTW4", right)
        assert "第5問／全10問" in nxt.text_of_blocks()
    finally:
        second.stop()
    assert db_rows(env, "SELECT idx FROM training_answers a JOIN training_attempts t ON t.id = a.attempt_id"
                        " WHERE a.user_id = 'UTW4' ORDER BY idx") == [(0,), (1,), (2,), (3,)]
    assert db_rows(env, "SELECT COUNT(*) FROM training_attempts WHERE user_id = 'UTW4'") == [(1,)]


# ------------------------------------------------------------------ App Home


def test_home_shows_status_and_a_button_to_continue(env, server, slack):
    before = len(slack.find("views.publish", lambda c: c.params.get("user_id") == "UTW4"))
    server.event({"type": "app_home_opened", "user": "UTW4", "channel": "DTW4", "tab": "home", "event_ts": "1.1"},
                 "EvTrainHome4")
    pub = slack.wait_for("views.publish", lambda c: c.params.get("user_id") == "UTW4", count=before + 1)[-1]
    text = pub.text_of_blocks()
    assert "受講中（4／10問 回答済み）" in text and "期限: 2026年12月10日(木)（あと9日）" in text
    cont = button(pub, "training_start")
    assert cont["text"]["text"] == "研修を続ける"
    status, _, _ = server.interactive(block_actions("UTW4", cont["action_id"], cont["value"], response_url=None,
                                                    view_id="VHOME4"))
    assert status == 200
    slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "UTW4" and "第5問／全10問" in c.text_of_blocks())


# ------------------------------------------------------------------ overdue: the lead's digest, the officer


def test_overdue_reaches_the_lead_digest_and_the_officer(env, server, slack):
    register(server, slack, "UTW5", "研修五郎", "--start-date 2026-11-20")
    notices_pass(env, slack, "2026-11-16T10:00:00+09:00")                # assigned then, due 11/20
    assert db_rows(env, "SELECT due_date FROM training_assignments WHERE user_id = 'UTW5'") == [("2026-11-20",)]
    notices_pass(env, slack, f"{TODAY}T10:40:00+09:00")                  # past the first digest time
    [digest] = dms(slack, "UTLEAD", lambda c: "研修の期限超過" in c.text_of_blocks())
    text = digest.text_of_blocks()
    assert "研修五郎さん" in text and "11日過ぎています" in text and "吉川市 情報セキュリティ特記仕様書 第7条" in text
    assert "研修一郎さん" not in text                                       # done, not listed
    [late] = dms(slack, "UTW5", lambda c: "期限（2026年11月20日(金)）を過ぎています" in c.text_of_blocks())
    assert button(late, "training_start")["text"]["text"] == "研修を始める"
    notices_pass(env, slack, f"{TODAY}T18:40:00+09:00")                   # a later digest that day: not again
    assert len(dms(slack, "UTLEAD", lambda c: "研修の期限超過" in c.text_of_blocks())) == 1
    assert len(dms(slack, "UTW5", lambda c: "を過ぎています" in c.text_of_blocks())) == 1
    before = len(slack.find("views.publish", lambda c: c.params.get("user_id") == "UTOFF"))
    server.event({"type": "app_home_opened", "user": "UTOFF", "channel": "DTOFF", "tab": "home", "event_ts": "1.2"},
                 "EvTrainHomeOff")
    pub = slack.wait_for("views.publish", lambda c: c.params.get("user_id") == "UTOFF", count=before + 1)[-1]
    assert "期限を過ぎている方:" in pub.text_of_blocks() and "研修五郎さん" in pub.text_of_blocks()
    server.command("UTOFF", "研修 状況", slack.hook_url("off-status"))
    [status] = slack.wait_for("hook:/hooks/off-status")
    assert "研修五郎さん" in status.text_of_blocks() and "研修一郎さん" in status.text_of_blocks()
    server.command("UTW5", "研修 状況", slack.hook_url("w5-status"))
    [own] = slack.wait_for("hook:/hooks/w5-status")
    assert "研修五郎さん" in own.text_of_blocks() and "研修一郎さん" not in own.text_of_blocks()


# ------------------------------------------------------------------ the export


def test_export_holds_person_course_date_score_pass_and_pledge(env, tmp_path):
    r = run_mamoru(["export", "training", "--format", "csv", "-o", str(tmp_path / "t.csv")], env["db_path"],
                   env={"MAMORU_NOW": SERVER_NOW})
    assert r.returncode == 0, r.stderr
    raw = (tmp_path / "t.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                               # UTF-8 with BOM, for Excel
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    one = [x for x in rows if x["利用者ID"] == "UTW1"]
    assert len(one) == 1
    assert one[0]["氏名"] == "研修一郎" and one[0]["研修"] == "吉川市 情報セキュリティ特記仕様書 研修"
    assert (one[0]["正答数"], one[0]["問題数"], one[0]["得点(%)"], one[0]["判定"]) == ("10", "10", "100", "合格")
    assert one[0]["受講完了"] == "2026年12月1日(火) 10:00" and one[0]["誓約日時"] == "2026年12月1日(火) 10:00"
    assert one[0]["誓約書の版"] == "1" and one[0]["状況"] == "修了" and one[0]["合格の有効期限"] == "2027年12月1日(水)"
    two = [(x["回"], x["判定"]) for x in rows if x["利用者ID"] == "UTW2"]
    assert two == [("1", "不合格"), ("2", "合格")]
    assert [x["状況"] for x in rows if x["利用者ID"] == "UTW5"] == ["未受講・期限超過"]
    r = run_mamoru(["export", "training", "--format", "xlsx", "--contract", "吉川市", "-o", str(tmp_path / "t.xlsx")],
                   env["db_path"], env={"MAMORU_NOW": SERVER_NOW})
    assert r.returncode == 0, r.stderr
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "t.xlsx").active
    values = list(ws.values)
    assert list(values[0])[:5] == ["利用者ID", "氏名", "役割", "案件", "研修"]
    assert len(values) - 1 == len(rows)
    assert any(v[0] == "UTW1" and "合格" in v for v in values[1:])


# ------------------------------------------------------------------ expiry


def test_a_pass_about_to_expire_is_reassigned(env, server, slack):
    notices_pass(env, slack, "2027-10-29T10:00:00+09:00")                  # 33 days before: nothing yet
    assert not dms(slack, "UTW1", lambda c: "有効期限" in c.text_of_blocks() and "近づいています" in c.text_of_blocks())
    notices_pass(env, slack, "2027-11-01T10:00:00+09:00")                  # 30 days before 2027-12-01
    [dm] = dms(slack, "UTW1", lambda c: "近づいています" in c.text_of_blocks())
    assert "合格の有効期限（2027年12月1日(水)）" in dm.text_of_blocks() and "期限: 2027年12月1日(水)" in dm.text_of_blocks()
    [(rid,)] = db_rows(env, "SELECT id FROM training_results WHERE user_id = 'UTW1' AND passed = 1")
    assert db_rows(env, "SELECT cycle, due_date, reason FROM training_assignments WHERE user_id = 'UTW1' ORDER BY id") == [
        ("initial", START, "registration"), (f"renew:{rid}", "2027-12-01", "renewal")]
    r = run_mamoru(["training", "status", "--json", "--at", "2027-11-02T10:00+09:00"], env["db_path"])
    [me] = [x for x in json.loads(r.stdout) if x["user_id"] == "UTW1"]
    assert (me["state"], me["cycle"], me["due"]) == ("not_started", f"renew:{rid}", "2027-12-01")
    notices_pass(env, slack, "2027-12-02T10:00:00+09:00")                  # expired, not renewed: overdue
    assert dms(slack, "UTW1", lambda c: "期限（2027年12月1日(水)）を過ぎています" in c.text_of_blocks())


def test_replies_stay_private_outside_the_apps_dm(env, server, slack):
    [dm] = dms(slack, "UTW1", lambda c: "研修のご案内" in c.text_of_blocks())
    el = button(dm, "training_start")
    for channel, expected in (("C0GENERAL", "ephemeral"), ("DTW1", "in_channel")):
        hook = f"where-{channel}"
        status, _, _ = server.interactive(block_actions("UTW1", el["action_id"], el["value"],
                                                        response_url=slack.hook_url(hook), channel=channel))
        assert status == 200
        assert slack.wait_for(f"hook:/hooks/{hook}")[-1].params["response_type"] == expected
    # a reply the handler marks private stays private even in the DM (an unregistered person's press)
    hook = "stranger"
    server.interactive(block_actions("UTSTRANGER", el["action_id"], el["value"], response_url=slack.hook_url(hook)))
    assert {c.params["response_type"] for c in slack.wait_for(f"hook:/hooks/{hook}")} == {"ephemeral"}
