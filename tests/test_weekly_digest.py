"""The lead's weekly digest, from a scripted week: every figure checked against the raw tables."""
from __future__ import annotations

import datetime as _dt
import io
import json
import random
import sqlite3
from pathlib import Path

import jpholiday
import pytest
from conftest import run_mamoru
from PIL import Image
from test_report import _now, _t, _users, daily_checks, deadlines, latest_answers

from handlers import charts, notices, weekly
from storage import checklists as cstore
from storage import incidents as istore
from storage import questions as qstore
from storage import training as tstore
from storage.db import open_db, transaction
from conftest import add_contracts

C = "吉川市"
D0, D1 = _dt.date(2026, 11, 23), _dt.date(2026, 11, 29)      # Mon 23 is 勤労感謝の日: 24–27 are the working days
SEND = _dt.date(2026, 11, 30)
TEAM1 = ["UW1", "UW2", "UW3", "UW4"]


def script(db, seed=11):
    rnd = random.Random(seed)
    before = _dt.date(2026, 11, 2)
    add_contracts(db, C, at=_now(before).isoformat())
    _users(db, ["add", "UO1", "--name", "対策花子", "--role", "officer"], before)
    for lead in ("UL1", "UL2"):
        _users(db, ["add", lead, "--name", f"責任{lead}", "--role", "lead", "--contract", C], before)
    for w in ("UW1", "UW2", "UW3"):
        _users(db, ["add", w, "--name", f"作業{w}", "--role", "worker", "--contract", C, "--lead", "UL1"], before)
    _users(db, ["add", "UW5", "--name", "作業UW5", "--role", "worker", "--contract", C, "--lead", "UL2"], before)
    _users(db, ["add", "UW9", "--name", "作業UW9", "--role", "worker", "--contract", C], before)   # no lead: the officer's
    _users(db, ["add", "UW4", "--name", "作業UW4", "--role", "worker", "--contract", C, "--lead", "UL1"],
           _dt.date(2026, 11, 26), "12:00")                                     # joins mid-week
    items = {"start": ["badge", "ic_card", "no_personal_device"], "end": ["locked", "media", "desk"]}
    with transaction(db):
        d = D0
        while d <= D1:
            for w in TEAM1 + ["UW5"]:
                for cl, its in items.items():
                    for it in its:
                        x = rnd.random()
                        if w == "UW3" or x < 0.2:      # UW3 never confirms: the lowest of the team
                            continue
                        cstore.answer(db, user_id=w, contract=C, checklist_id=cl, item_id=it,
                                      answer="no" if x < 0.3 else "yes", needs_reason=False, work_date=d.isoformat(),
                                      clause_ids=[], source="", via="slack_button", at=_t(d, "09:10"))
            d += _dt.timedelta(days=1)
        # training: UW1 overdue, UW2 due in 4 days, UW3 passed and pledged
        for w, due in (("UW1", "2026-11-20"), ("UW2", "2026-12-04"), ("UW3", "2026-11-20")):
            aid, _ = tstore.assign(db, user_id=w, contract=C, course_id="yoshikawa", course_version="1", cycle="initial",
                                   basis="", due_date=due, reason="registration", prev_id=None, actor="scheduler",
                                   via="scheduler", at=_t(_dt.date(2026, 11, 3)))
            if w == "UW3":
                at_id, _ = tstore.create_attempt(db, assignment_id=aid, user_id=w, course_id="yoshikawa", cycle="initial",
                                                 number=1, questions=[], pass_percent=80, via="slack_button",
                                                 at=_t(_dt.date(2026, 11, 10)))
                rid, _ = tstore.record_result(db, attempt_id=at_id, user_id=w, course_id="yoshikawa", cycle="initial",
                                              correct=10, total=10, pass_percent=80, passed=True,
                                              valid_until="2027-11-10", via="slack_button", at=_t(_dt.date(2026, 11, 10)))
                tstore.record_pledge(db, result_id=rid, user_id=w, pledge_id="p", pledge_version="1", text_sha256="x",
                                     text="誓約", via="slack_button", at=_t(_dt.date(2026, 11, 10), "11:00"))
        # incidents: UW2's open one, UW1's closed one, UW5's (the other team) open one
        for n, (who, lead, close) in enumerate([("UW2", "UL1", False), ("UW1", "UL1", True), ("UW5", "UL2", False)]):
            at = _t(_dt.date(2026, 11, 24 + n))
            sid = istore.new_session(db, user_id=who, kind="report", incident_id=None, preset={}, via="slack_dm", at=at)
            inc = istore.insert_incident(db, year=2026, session_id=sid, reporter_id=who, lead_ids=[lead], notified=[],
                                         type="ic_card", contract=C, answers={}, clause_ids=[], masked=[],
                                         escalate=True, flow_version=1, via="slack_dm", at=at)
            istore.add_event(db, incident_id=inc["id"], kind="reported", actor=who, via="slack_dm", at=at)
            if close:
                istore.add_event(db, incident_id=inc["id"], kind="closed", actor="UL1", via="slack_button",
                                 at=_t(_dt.date(2026, 11, 27)))
        # questions routed to UL1: one still open, one answered
        for n, q in enumerate(["私物のスマホで業務チャットを見てもいい？", "名札を忘れたらどうする？"]):
            rid = qstore.add_routed(db, asker_id="UW3", question=q, norm=q, clause_ids=[], reason="no_match",
                                    assignee_id="UL1", recipients=["UL1"], via="slack_dm",
                                    at=_t(_dt.date(2026, 11, 25 + n)))
            if n == 1:
                qstore.add_answer(db, routed_id=rid, responder_id="UL1", answer="受付で仮の名札を借りてください。",
                                  clause_ids=[], via="slack_button", at=_t(_dt.date(2026, 11, 26)))


@pytest.fixture
def week(db_path):
    db = open_db(db_path)
    from knowledge import library

    library.ensure_builtin(db)
    script(db)
    return db


def _expected(path: Path, lead: str) -> dict:
    """Per person and per day of the week: (confirmed, expected, いいえ), from the raw tables."""
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT user_id, role, lead_id, active, at FROM people ORDER BY id").fetchall()

    def team(d):
        end = _dt.datetime.combine(d + _dt.timedelta(days=1), _dt.time(0), _dt.timezone(_dt.timedelta(hours=9)))
        cur = {}
        for u, role, lead_id, active, at in rows:
            if _dt.datetime.fromisoformat(at) < end:
                cur[u] = (role, lead_id, active)
        return sorted(u for u, (role, lead_id, active) in cur.items()
                      if active and role in ("worker", "lead") and lead_id == lead)

    checks, latest, due = daily_checks(), latest_answers(conn), deadlines()
    joined = {}
    for u, _, _, active, at in rows:          # when each person's registration began
        if not active:
            joined.pop(u, None)
        else:
            joined.setdefault(u, _dt.datetime.fromisoformat(at))
    jst = _dt.timezone(_dt.timedelta(hours=9))
    person: dict[str, list[int]] = {}
    day: dict[str, list[int]] = {}
    d = D0
    while d <= D1:
        day[d.isoformat()] = [0, 0]
        if d.weekday() < 5 and not jpholiday.is_holiday(d):
            for u in team(d):
                for cl, its in checks.items():
                    if _dt.datetime.combine(d, due[cl], jst) < joined[u]:
                        continue              # due before they were registered: not owed
                    for it in its:
                        a = latest.get((u, cl, it, d.isoformat()))
                        p = person.setdefault(u, [0, 0, 0])
                        p[0] += a == "yes"
                        p[1] += 1
                        p[2] += a == "no"
                        day[d.isoformat()][0] += a == "yes"
                        day[d.isoformat()][1] += 1
        d += _dt.timedelta(days=1)
    return {"person": person, "day": day}


def test_the_digest_figures_come_from_the_records(week, db_path):
    f = weekly.figures(week, "UL1", D0, D1, _now(SEND, "09:30"))
    e = _expected(db_path, "UL1")
    got = {r["user_id"]: [r["yes"], r["expected"], r["no"]] for r in f["people"] if r["expected"]}
    assert got == e["person"] and set(got) == set(TEAM1)
    assert e["person"]["UW4"][1] < e["person"]["UW1"][1]            # joined on Thursday: fewer days expected
    assert {k: [v["yes"], v["expected"]] for k, v in f["checklist"]["per_day"].items()} == e["day"]
    assert e["day"]["2026-11-23"] == [0, 0] and e["day"]["2026-11-24"][1] > 0
    assert f["people"][0]["user_id"] == "UW3" and f["people"][0]["rate"] == 0          # lowest first
    # UW1 overdue, UW2 due in 4 days, UW4 new this week with no training yet; UW3 is done
    assert sorted(t.user_id for t in f["training"]) == ["UW1", "UW2", "UW4"]
    assert f["training"][0].user_id == "UW1"                                          # the most urgent first
    assert [i["reporter_id"] for i in f["incidents"]] == ["UW2"]                      # open, this team only
    assert [q["question"] for q in f["questions"]] == ["私物のスマホで業務チャットを見てもいい？"]

    text = weekly.text(week, f)
    total_yes = sum(v[0] for v in e["person"].values())
    total = sum(v[1] for v in e["person"].values())
    assert f"確認率: {round(total_yes / total * 100)}%（確認 {total_yes}／対象 {total}" in text
    for uid, (yes, exp, no) in e["person"].items():
        if yes < exp:
            assert f"作業{uid}さん {round(yes / exp * 100)}%（{yes}/{exp}、いいえ {no}、未回答 {exp - yes - no}）" in text
    assert text.index("作業UW3さん 0%") < text.index("作業UW1さん")
    assert "2026年11月23日(月)〜2026年11月29日(日)" in text and "チーム（4 名）" in text
    assert "作業UW5" not in text                                       # another lead's team
    assert "INC-2026-0001" in text and "INC-2026-0003" not in text
    assert "期限超過" in text or "過ぎています" in text
    assert "第" in text and "根拠" in text                              # the rules it rests on are cited


def test_the_chart_shows_each_day_of_the_week(week):
    f = weekly.figures(week, "UL1", D0, D1, _now(SEND, "09:30"))
    png = weekly.chart(f)
    img = Image.open(io.BytesIO(png))
    assert img.format == "PNG" and img.size == (charts.W, charts.H)
    slot = (charts.W - charts.RIGHT - charts.LEFT) / 7
    base = charts.H - charts.BOTTOM - 2
    for n in range(7):
        d = (D0 + _dt.timedelta(days=n)).isoformat()
        day = f["checklist"]["per_day"][d]
        px = img.getpixel((int(charts.LEFT + slot * (n + 0.5)), base))
        if day["expected"] and day["yes"]:
            assert px in (charts.BAR, charts.LOW), d
            low = day["yes"] / day["expected"] < weekly.TARGET
            assert px == (charts.LOW if low else charts.BAR), d
        else:
            assert px == (255, 255, 255), d                            # the holiday and the weekend: no bar


def test_one_digest_per_lead_per_week_on_its_first_working_day(week, monkeypatch):
    def weekly_outs(at):
        return [o for o in notices.run_pass(week, at) if o.key.startswith("notice:weekly:")]

    assert weekly_outs(_now(SEND, "08:30")) == []                       # before 09:00
    assert weekly_outs(_now(_dt.date(2026, 11, 28), "10:00")) == []    # a Saturday
    outs = weekly_outs(_now(SEND, "09:30"))
    assert sorted(o.user_id for o in outs) == ["UL1", "UL2", "UO1"]       # the officer oversees the leads and UW9
    ul1 = next(o for o in outs if o.user_id == "UL1")
    assert ul1.key == "notice:weekly:2026-11-23:UL1"
    assert ul1.file is not None and ul1.file.filename.endswith(".png") and ul1.file.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert notices.deliver(week, outs, lambda o: True, now=_now(SEND, "09:30"))["sent"] == 3
    assert weekly_outs(_now(SEND, "11:00")) == []                       # once a week, whatever the passes
    assert weekly_outs(_now(_dt.date(2026, 12, 1), "10:00")) == []      # nor the day after
    nxt = weekly_outs(_now(_dt.date(2026, 12, 8), "10:00"))            # a pass on Tuesday catches a missed Monday
    assert sorted(o.key for o in nxt) == ["notice:weekly:2026-11-30:UL1", "notice:weekly:2026-11-30:UL2",
                                          "notice:weekly:2026-11-30:UO1"]
    monkeypatch.setenv(weekly.TIME_ENV, "off")
    assert weekly_outs(_now(_dt.date(2026, 12, 14), "10:00")) == []
    monkeypatch.setenv(weekly.TIME_ENV, "13:00")
    assert weekly_outs(_now(_dt.date(2026, 12, 14), "10:00")) == []
    assert len(weekly_outs(_now(_dt.date(2026, 12, 14), "13:05"))) == 3


def test_send_day_skips_holidays():
    assert weekly.send_day(_dt.date(2026, 5, 6)) == _dt.date(2026, 5, 7)       # Golden Week: Mon–Wed are holidays
    assert weekly.send_day(_dt.date(2026, 11, 25)) == _dt.date(2026, 11, 24)    # 勤労感謝の日 on Monday
    assert weekly.week_before(_dt.date(2026, 12, 2)) == (D0, D1)
    assert weekly.week_before(_dt.date(2026, 11, 30)) == (D0, D1)


def test_the_digest_in_the_terminal_names_and_saves_its_chart(week, db_path, monkeypatch):
    monkeypatch.delenv("MAMORU_FILES_DIR", raising=False)
    week.conn.close()
    r = run_mamoru(["notices", "run", "--at", "2026-11-30T09:30+09:00"], db_path)
    assert r.returncode == 0, r.stderr
    assert "先週（2026年11月23日(月)〜2026年11月29日(日)）" in r.stdout
    assert "添付: weekly_2026-11-23_UL1.png" in r.stdout
    # The terminal cannot show the chart: it is saved, owner-only, where the lead can open it.
    saved = Path(r.stdout.split("添付ファイルを保存しました: ", 1)[1].splitlines()[0])
    assert saved.parent == db_path.parent / "files" and saved.name == "weekly_2026-11-23_UL1.png"
    assert saved.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and saved.stat().st_mode & 0o777 == 0o600
    assert Image.open(saved).size[0] > 0
    again = run_mamoru(["notices", "run", "--at", "2026-11-30T10:30+09:00"], db_path)
    assert "先週（" not in again.stdout


def test_the_digest_reaches_slack_with_its_chart(week):
    """The real sender against the local Web API stand-in: the message, then the PNG in the lead's DM."""
    from slack_standin import BOT_TOKEN, SlackStandIn

    from bot.slack.send import make_client, make_sender

    now = _now(SEND, "09:30")
    with SlackStandIn() as slack:
        sender = make_sender(make_client(BOT_TOKEN, slack.api_url), lambda: week)
        outs = [o for o in notices.run_pass(week, now) if o.key.startswith("notice:weekly:")]
        assert notices.deliver(week, outs, sender, now=now)["sent"] == 3
        [msg] = slack.find("chat.postMessage", lambda c: "週次のまとめ" in c.text_of_blocks()
                           and c.params.get("channel") == "UL1")
        assert "作業UW3さん 0%" in msg.text_of_blocks()
        assert slack.find("files.getUploadURLExternal", lambda c: c.params.get("filename") == "weekly_2026-11-23_UL1.png")
        [done] = slack.find("files.completeUploadExternal", lambda c: c.params.get("channel_id") == "DL1")
        fid = json.loads(done.params["files"])[0]["id"]
        [upload] = slack.find(f"upload:/upload/{fid}")
        img = Image.open(io.BytesIO(upload.params["data"]))
        assert img.format == "PNG" and img.size == (charts.W, charts.H)
        # a second pass sends nothing more
        assert [o for o in notices.run_pass(week, now) if o.key.startswith("notice:weekly:")] == []


def test_the_officer_hears_about_the_leads_and_anyone_without_a_lead(week):
    f = weekly.figures(week, "UO1", D0, D1, _now(SEND, "09:30"))
    assert {r["user_id"] for r in f["people"]} == {"UL1", "UL2", "UW9"}
    text = weekly.text(week, f)
    assert "作業UW9さん" in text and "作業UW1さん" not in text
    # once UW9 is given a lead, the officer no longer lists them
    _users(week, ["add", "UW9", "--lead", "UL2"], SEND, "09:00")
    assert "UW9" not in {r["user_id"] for r in weekly.figures(week, "UO1", D0, D1, _now(SEND, "09:30"))["people"]}


def test_a_lead_asking_for_last_weeks_digest_gets_the_same_figures_now_and_a_worker_is_refused(week):
    """「先週のまとめ見せて」 typed by the lead: the digest of the week before, as the Monday DM says it."""
    from handlers import capabilities

    said = capabilities.understand("先週のまとめ見せて")
    assert said is not None and said.name == "weekly"
    now = _now(_dt.date(2026, 12, 2), "15:00")        # Wednesday: last week is Mon 23 – Sun 29
    turn = weekly.on_request(week, "UL1", said, "terminal", now=now)
    [reply] = turn.replies
    assert reply.text == weekly.text(week, weekly.figures(week, "UL1", D0, D1, now), "先週", chart_sent=False)
    assert "先週（2026年11月23日(月)〜2026年11月29日(日)）" in reply.text and "作業UW3" in reply.text
    this = weekly.on_request(week, "UL1", capabilities.understand("今週のまとめは？"), "terminal", now=now).replies[0].text
    assert "今週（2026年11月30日(月)〜2026年12月2日(水)）" in this
    refused = weekly.on_request(week, "UW1", said, "terminal", now=now).replies[0].text
    assert "週次のまとめ" in refused and "作業UW3" not in refused
