"""Checklists end to end through Slack: `mamoru serve --http` against the Web API stand-in.

How the scheduled DM is triggered: the notices pass is run here, in the test, at a chosen time —
`handlers.notices.run_pass(db, at)` + `notices.deliver(…)` with the real Slack sender
(`bot.slack.send.make_sender`) pointed at the stand-in: exactly what the scheduler's job does
(bot.scheduler.notices_job), except that the job always uses the current time. (`mamoru notices
run --at …` prints in the terminal instead of sending to Slack, and a scheduler inside serve
would run at the real time.) The server runs with MAMORU_NOW=2026-12-01T09:05 so that its
"today" is the day of the DMs; the presses, DMs and commands go through the real server.
"""
from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest

from conftest import run_mamoru
from slack_standin import BOT_TOKEN, block_actions, dm_event, new_ts, serve_env

D = "2026-12-01"
SERVER_NOW = f"{D}T09:05:00+09:00"


@pytest.fixture(scope="module")
def env(slack, tmp_path_factory):
    people = [["add", "UCOFF", "--name", "対策三郎", "--role", "officer"],
              ["add", "UCLEAD", "--name", "責任花子", "--role", "lead", "--contract", "吉川市"],
              ["add", "UCW1", "--name", "作業一郎", "--role", "worker", "--contract", "吉川市", "--lead", "UCLEAD"],
              ["add", "UCW2", "--name", "作業二郎", "--role", "worker", "--contract", "吉川市", "--lead", "UCLEAD"],
              ["add", "UCW3", "--name", "作業三郎", "--role", "worker", "--contract", "吉川市", "--lead", "UCLEAD"]]
    yield from serve_env(slack, tmp_path_factory.mktemp("checklist_slack"), people, now=SERVER_NOW, contracts=["吉川市"])


@pytest.fixture
def server(env):
    return env["server"]


def notices_pass(env, slack, when: str) -> dict:
    """One notices pass at `when`, sent to Slack by the real sender (what the scheduler's job does)."""
    from bot.slack.send import make_client, make_sender
    from handlers import notices, workdays

    now = workdays.parse(when)
    db = env["db"]
    sender = make_sender(make_client(BOT_TOKEN, slack.api_url), lambda: db)
    return notices.deliver(db, notices.run_pass(db, now), sender, now=now)


def dms(slack, user: str, where=None):
    """The checklist DMs (the ones with checklist buttons) sent to a person."""
    return slack.find("chat.postMessage", lambda c: c.params.get("channel") == user
                      and any(e["action_id"].startswith("checklist_") for e in buttons(c))
                      and (where is None or where(c)))


def buttons(call) -> list[dict]:
    return [el for b in call.blocks() if b["type"] == "actions" for el in b["elements"]]


def button(call, label: str) -> dict:
    return next(el for el in buttons(call) if el["text"]["text"] == label)


def press(server, slack, user: str, el: dict, hook: str, message_ts: str | None = None, expect: str | None = None):
    """Press a button; the reply (the first message posted to its response_url, or the one holding `expect`)."""
    status, _, _ = server.interactive(block_actions(user, el["action_id"], el["value"],
                                                          response_url=slack.hook_url(hook), message_ts=message_ts))
    assert status == 200   # the 3 s ack is measured in benchmarks/slack_latency.py
    return slack.wait_for(f"hook:/hooks/{hook}", (lambda c: expect in c.text_of_blocks()) if expect else None)[0]


def confirmations(env, where: str = "1=1") -> list[tuple]:
    with sqlite3.connect(env["db_path"]) as c:
        return c.execute(f"SELECT user_id, checklist_id, item_id, answer, via, work_date FROM checklist_confirmations"
                         f" WHERE {where} ORDER BY id").fetchall()


# ------------------------------------------------------------------ the scheduled DM


def test_scheduled_dm_reaches_every_worker_and_a_holiday_sends_nothing(env, slack):
    notices_pass(env, slack, f"{D}T09:00:00+09:00")
    for u in ("UCLEAD", "UCW1", "UCW2", "UCW3"):
        [dm] = dms(slack, u)
        assert "始業時のチェックリストです（2026年12月1日(火)）" in dm.text_of_blocks()
        assert "吉川市 情報セキュリティ特記仕様書 第6条第2項" in dm.text_of_blocks()
        els = buttons(dm)
        assert [e["text"]["text"] for e in els][-1] == "すべて確認しました"
        assert len(els) == 7 and len({e["action_id"] for e in els}) == 7     # unique within the message
        assert json.loads(button(dm, "社員証の着用：はい")["value"]) == {"c": "start", "d": D, "i": "badge"}
    assert not dms(slack, "UCOFF")
    before = len(slack.find("chat.postMessage", lambda c: "チェックリスト" in c.text_of_blocks()))
    notices_pass(env, slack, "2026-11-23T09:00:00+09:00")        # 勤労感謝の日
    notices_pass(env, slack, f"{D}T09:02:00+09:00")              # already sent
    assert len(slack.find("chat.postMessage", lambda c: "チェックリスト" in c.text_of_blocks())) == before


# ------------------------------------------------------------------ buttons


def test_every_button_is_recorded_and_no_notifies_the_lead_with_the_reason(env, slack, server):
    [dm] = dms(slack, "UCW1")
    ts = dm.params.get("ts") or new_ts()
    r = press(server, slack, "UCW1", button(dm, "社員証の着用：はい"), "w1-badge", ts)
    assert "「社員証の着用」を「はい」として記録しました" in r.text_of_blocks()
    r = press(server, slack, "UCW1", button(dm, "ICカードの管理：いいえ"), "w1-ic", ts, expect="理由を 1 行で入力")
    assert "「ICカードの管理」を「いいえ」として記録しました" in r.text_of_blocks()
    server.event(dm_event("UCW1", "ICカードを自宅に置き忘れ、受付で一時カードを借りました"), "EvClReason1")
    # two DMs follow, in either order as seen from here: the acknowledgement, then the items still open
    [ack] = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "DCW1"
                           and "理由を記録しました" in c.text_of_blocks())
    assert "責任花子さんにお知らせしました" in ack.text_of_blocks()
    [rest] = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "DCW1"
                            and "残りの項目" in c.text_of_blocks())
    assert "私物の持込みなし" in rest.text_of_blocks() and "ICカードの管理" not in rest.text_of_blocks()
    [to_lead] = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "UCLEAD"
                               and "「いいえ」と回答しました" in c.text_of_blocks())
    text = to_lead.text_of_blocks()
    assert "作業一郎さん" in text and "ICカードを自宅に置き忘れ" in text and "セキュリティ保全に係る事項 3(2)エ" in text
    press(server, slack, "UCW1", button(dm, "私物の持込みなし：はい"), "w1-dev", ts, expect="すべて回答済み")
    assert confirmations(env, "user_id = 'UCW1'") == [
        ("UCW1", "start", "badge", "yes", "slack_button", D), ("UCW1", "start", "ic_card", "no", "slack_button", D),
        ("UCW1", "start", "no_personal_device", "yes", "slack_button", D)]
    with sqlite3.connect(env["db_path"]) as c:
        assert c.execute("SELECT reason, via FROM checklist_reasons").fetchall() == [
            ("ICカードを自宅に置き忘れ、受付で一時カードを借りました", "slack_dm")]


def test_double_tap_is_recorded_once(env, slack, server):
    [dm] = dms(slack, "UCW2")
    ts = new_ts()
    yes = button(dm, "社員証の着用：はい")
    for n in range(2):     # the same press delivered twice (a double click)
        server.interactive(block_actions("UCW2", yes["action_id"], yes["value"], response_url=slack.hook_url("w2-dbl"),
                                         message_ts=ts))
    slack.wait_for("hook:/hooks/w2-dbl")
    press(server, slack, "UCW2", yes, "w2-again", new_ts())          # …and the same answer from another message
    allb = button(dm, "すべて確認しました")
    press(server, slack, "UCW2", allb, "w2-all-1", ts)
    press(server, slack, "UCW2", allb, "w2-all-2", new_ts(), expect="すでにすべて回答済み")
    assert len(slack.find("hook:/hooks/w2-dbl")) == 1
    assert "記録済み" in slack.find("hook:/hooks/w2-again")[0].text_of_blocks()
    assert [x[2] for x in confirmations(env, "user_id = 'UCW2'")] == ["badge", "ic_card", "no_personal_device"]


def test_yesterdays_message_has_expired_and_offers_today(env, slack, server):
    notices_pass(env, slack, "2026-11-30T09:00:00+09:00")
    old = next(c for c in dms(slack, "UCW3") if "2026年11月30日(月)" in c.text_of_blocks())
    r = press(server, slack, "UCW3", button(old, "社員証の着用：はい"), "w3-old", expect="有効期限が切れています")
    text = r.text_of_blocks()
    assert "有効期限が切れています" in text and "本日分をお送りします" in text
    assert json.loads(button(r, "社員証の着用：はい")["value"])["d"] == D
    assert confirmations(env, "user_id = 'UCW3'") == []


# ------------------------------------------------------------------ leaving the desk, team, Home


def test_leave_by_dm_lead_sees_it_back_by_home_button(env, slack, server):
    server.event(dm_event("UCW3", "離席"), "EvClLeave1")
    [r] = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "DCW3")
    assert "離席を記録しました" in r.text_of_blocks() and "3(1)キ" in r.text_of_blocks()
    server.command("UCLEAD", "team", slack.hook_url("team-lead"))
    [team] = slack.wait_for("hook:/hooks/team-lead")
    assert "作業三郎さん" in team.text_of_blocks() and "離席中（9:05 から 0 分）" in team.text_of_blocks()
    assert "作業一郎さん: 始業時 確認済み" in team.text_of_blocks()
    server.command("UCW1", "team", slack.hook_url("team-worker"))
    assert "管理者の方だけ" in slack.wait_for("hook:/hooks/team-worker")[0].text_of_blocks()
    # Home: the worker's section carries 「戻りました」
    server.event({"type": "app_home_opened", "user": "UCW3", "channel": "DCW3", "tab": "home", "event_ts": new_ts()},
                 "EvClHome1")
    # the DM above refreshed this Home too: take the latest page that shows the absence
    view = slack.wait_for("views.publish", lambda c: c.params.get("user_id") == "UCW3"
                          and "離席中です" in c.text_of_blocks())[-1]
    assert "今日のチェックリスト" in view.text_of_blocks()
    back = button(view, "戻りました")
    server.interactive(block_actions("UCW3", back["action_id"], back["value"], response_url=None, view_id="VCLHOME"))
    slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "UCW3"
                   and "戻りを記録しました" in c.text_of_blocks())
    with sqlite3.connect(env["db_path"]) as c:
        assert c.execute("SELECT event, via FROM checklist_away WHERE user_id = 'UCW3' ORDER BY id").fetchall() == [
            ("start", "slack_dm"), ("end", "slack_button")]
    server.command("UCW3", "離席", slack.hook_url("leave-cmd"))
    assert "離席を記録しました" in slack.wait_for("hook:/hooks/leave-cmd")[0].text_of_blocks()


def test_ic_card_lost_starts_the_incident_report(env, slack, server):
    server.command("UCW2", "ICカード", slack.hook_url("ic-menu"))
    [menu] = slack.wait_for("hook:/hooks/ic-menu")
    r = press(server, slack, "UCW2", button(menu, "ICカードを紛失しました"), "ic-lost", expect="紛失を記録しました")
    assert "ICカードの紛失を記録しました" in r.text_of_blocks()
    assert "事故報告をお願いします" in r.text_of_blocks()
    # the incident report (handlers.incident) starts at once, its type already filled in
    slack.wait_for("hook:/hooks/ic-lost", lambda c: "事故・インシデントの報告を始めます" in c.text_of_blocks())
    slack.wait_for("hook:/hooks/ic-lost", lambda c: "ICカードの紛失・盗難（入力済み）" in c.text_of_blocks())
    assert confirmations(env, "checklist_id = 'ic_card'") == [("UCW2", "ic_card", "lost", "event", "slack_button", D)]


# ------------------------------------------------------------------ reminder, digest, export


def test_overdue_reminder_once_and_one_digest_per_lead(env, slack):
    notices_pass(env, slack, f"{D}T10:00:00+09:00")
    reminded = {c.params["channel"] for c in slack.find("chat.postMessage", lambda c: "確認期限 10:00 を過ぎました"
                                                      in c.text_of_blocks())}
    assert reminded == {"UCLEAD", "UCW3"}                          # UCW1 and UCW2 confirmed
    notices_pass(env, slack, f"{D}T10:15:00+09:00")
    assert len(slack.find("chat.postMessage", lambda c: "確認期限 10:00 を過ぎました" in c.text_of_blocks())) == 2
    notices_pass(env, slack, f"{D}T10:31:00+09:00")
    digests = slack.find("chat.postMessage", lambda c: "まとめてお知らせします" in c.text_of_blocks())
    assert sorted(c.params["channel"] for c in digests) == ["UCLEAD", "UCOFF"]
    lead = next(c for c in digests if c.params["channel"] == "UCLEAD").text_of_blocks()
    assert "作業三郎さん" in lead and "作業一郎さん" not in lead and "作業二郎さん" not in lead
    notices_pass(env, slack, f"{D}T10:45:00+09:00")
    assert len(slack.find("chat.postMessage", lambda c: "まとめてお知らせします" in c.text_of_blocks())) == 2
    # the weekly digest (Monday's was missed, so Tuesday's first pass sends it): once
    weekly = slack.find("chat.postMessage", lambda c: "週次のまとめ" in c.text_of_blocks())
    assert sorted(c.params["channel"] for c in weekly) == ["UCLEAD", "UCOFF"]     # the officer oversees the lead
    assert all("2026年11月23日(月)〜2026年11月29日(日)" in c.text_of_blocks() for c in weekly)
    assert all("確認が必要な日はありませんでした" in c.text_of_blocks() for c in weekly)   # registered this week: no chart
    assert not slack.find("files.getUploadURLExternal", lambda c: str(c.params.get("filename", "")).startswith("weekly_"))
    # the contract was created this month: no status report for November, a period before it existed
    assert not slack.find("files.getUploadURLExternal", lambda c: str(c.params.get("filename", "")).endswith(".docx"))


def test_export_matches_what_was_clicked(env):
    out = env["dir"] / "export.csv"
    r = run_mamoru(["export", "checklists", "--from", D, "--to", D, "-o", str(out)], env["db_path"])
    assert r.returncode == 0, r.stderr
    lines = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig"))))
    col = {h: n for n, h in enumerate(lines[0])}
    got = sorted((x[col["利用者ID"]], x[col["項目ID"]], x[col["回答"]], x[col["理由"]], x[col["経路"]])
                 for x in lines[1:lines.index([])])
    assert got == sorted([
        ("UCW1", "badge", "はい", "", "Slack のボタン"),
        ("UCW1", "ic_card", "いいえ", "ICカードを自宅に置き忘れ、受付で一時カードを借りました", "Slack のボタン"),
        ("UCW1", "no_personal_device", "はい", "", "Slack のボタン"),
        ("UCW2", "badge", "はい", "", "Slack のボタン"), ("UCW2", "ic_card", "はい", "", "Slack のボタン"),
        ("UCW2", "no_personal_device", "はい", "", "Slack のボタン"),
        ("UCW3", "locked", "はい", "", "Slack の DM"), ("UCW3", "locked", "はい", "", "Slack の /mamoru"),
        ("UCW2", "lost", "報告", "", "Slack のボタン")])


# ------------------------------------------------------------------ typed words, as people send them

def test_typed_words_in_a_dm_record_what_the_buttons_record(env, slack, server):
    mine = lambda c: c.params.get("channel") == "DCW1"   # noqa: E731
    before = len(slack.find("chat.postMessage", mine))
    for n, text in enumerate(["icｶｰﾄﾞ返却しました", "ちょっと席外しまーす", "戻りましたー", "B"]):
        server.event(dm_event("UCW1", text), f"EvClTyped{n}")
        slack.wait_for("chat.postMessage", mine, count=before + n + 1, timeout=20)
    said = [c.text_of_blocks() for c in slack.find("chat.postMessage", mine)[before:]]
    assert any("「貸与されたICカードを返却しました。」を記録しました" in t for t in said)
    assert any("離席を記録しました" in t for t in said) and any("戻りを記録しました" in t for t in said)
    assert any("何へのお答えか分かりませんでした" in t for t in said)           # 「B」 with no quiz: not a question
    assert ("UCW1", "ic_card", "returned", "event", "slack_dm", D) in confirmations(env, "checklist_id = 'ic_card'")


def test_a_day_off_said_in_a_dm_is_registered_and_the_lead_told_in_slack(env, slack, server):
    # (UCW2 is halfway through an incident report by now, which rightly reads the date as its answer)
    # 「12/4 休みます」 in a DM (the server's today is Tuesday 1 December): the reply in the DM, the lead's DM,
    # and no checklist for that person on Friday 4 December
    server.event(dm_event("UCW3", "12/4 休みます"), "EvDayOff1")
    [reply] = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "DCW3"
                             and "お休みとして登録しました" in c.text_of_blocks(), timeout=20)
    assert "2026年12月4日(金)をお休みとして登録しました" in reply.text_of_blocks()
    assert "責任花子さんにお知らせしました" in reply.text_of_blocks()
    [to_lead] = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "UCLEAD"
                               and "お休みとして登録しました" in c.text_of_blocks())
    assert "作業三郎さん（UCW3）" in to_lead.text_of_blocks() and "2026年12月4日(金)" in to_lead.text_of_blocks()
    with sqlite3.connect(env["db_path"]) as c:
        assert c.execute("SELECT days_off, actor, via, change FROM people WHERE user_id = 'UCW3' ORDER BY id DESC"
                         " LIMIT 1").fetchone() == ('["2026-12-04"]', "UCW3", "slack_dm", "days_off")
    notices_pass(env, slack, "2026-12-04T09:00:00+09:00")
    friday = lambda c: "2026年12月4日(金)" in c.text_of_blocks()   # noqa: E731
    assert dms(slack, "UCW1", friday) and not dms(slack, "UCW3", friday)
