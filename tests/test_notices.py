"""Working days, the notices pass and its log, `mamoru notices run`: real SQLite, real CLI."""
from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from conftest import run_mamoru

from handlers import notices, people, routing, workdays
from handlers.replies import Reply
from storage import notices as nstore
from storage.db import open_db

JST = dt.timezone(dt.timedelta(hours=9))


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=JST)


# 2026-11-20 is a Friday; 21 Sat, 22 Sun, 23 Mon 勤労感謝の日; 24 Tue is the next working day.
FRIDAY_5PM = at(20, 17)


# ---- working days ---------------------------------------------------------------------------

def test_weekends_holidays_and_year_end():
    assert workdays.is_working_day(dt.date(2026, 11, 20))
    assert not workdays.is_working_day(dt.date(2026, 11, 21))        # Saturday
    assert workdays.holiday_name(dt.date(2026, 11, 21)) == "土曜日"
    assert not workdays.is_working_day(dt.date(2026, 11, 23))        # 勤労感謝の日
    assert workdays.holiday_name(dt.date(2026, 11, 23)) == "勤労感謝の日"
    assert not workdays.is_working_day(dt.date(2026, 12, 29))        # year-end closure
    assert not workdays.is_working_day(dt.date(2027, 1, 1))
    assert workdays.next_working_day(dt.date(2026, 11, 20)) == dt.date(2026, 11, 24)
    assert not workdays.is_working_day(dt.date(2026, 11, 24), days_off=["2026-11-24"])
    assert workdays.next_working_day(dt.date(2026, 11, 20), ["2026-11-24"]) == dt.date(2026, 11, 25)


def test_working_time_arithmetic():
    assert workdays.working_seconds_between(FRIDAY_5PM, at(24, 10)) == 2 * 3600
    assert workdays.working_seconds_between(FRIDAY_5PM, at(23, 12)) == 3600
    assert workdays.add_working_time(FRIDAY_5PM, 2 * 3600) == at(24, 10)
    assert workdays.add_working_time(FRIDAY_5PM, workdays.working_day_seconds()) == at(24, 17)
    assert workdays.add_working_time(FRIDAY_5PM, 2 * 3600, ["2026-11-24"]) == at(25, 10)
    assert workdays.add_working_time(at(21, 10), 0) == at(24, 9)
    assert workdays.is_working_time(at(24, 9)) and not workdays.is_working_time(at(24, 18))
    # Another offset is the same instant.
    utc = dt.datetime(2026, 11, 20, 8, 0, tzinfo=dt.timezone.utc)
    assert workdays.working_seconds_between(utc, at(24, 10)) == 2 * 3600


def test_format_and_parse():
    assert workdays.format_jst("2026-11-21T10:30:00+09:00") == "2026年11月21日(土) 10:30"
    assert workdays.format_jst("2026-11-21T01:30:00+00:00") == "2026年11月21日(土) 10:30"
    assert workdays.format_date("2026-12-01") == "2026年12月1日(火)"
    assert workdays.parse("2026-12-01T18:00+09:00") == at(1, 18, month=12)
    assert workdays.parse("2026-12-01T18:00") == at(1, 18, month=12)          # no offset: local time
    assert workdays.iso(at(1, 18, month=12)) == "2026-12-01T18:00:00+09:00"


# ---- the notices pass -----------------------------------------------------------------------

@pytest.fixture(autouse=True)
def _routing_only(monkeypatch):
    # These tests count routing notices; the lead's weekly digest (Tuesday 24th is the week's
    # first working day) is tested in test_weekly_digest.py.
    monkeypatch.setenv("MAMORU_WEEKLY_DIGEST_TIME", "off")


@pytest.fixture
def db(tmp_path):
    d = open_db(tmp_path / "n.db")
    for argv in (["add", "UOFF", "--name", "対策 責任", "--role", "officer"],
                 ["add", "ULEAD", "--name", "鈴木一郎", "--role", "lead"],
                 ["add", "UW1", "--name", "山田太郎", "--lead", "ULEAD"]):
        assert people.run_users(d, "cli", argv, "cli")[0] == 0
    return d


def route(db, now=FRIDAY_5PM, q="外部のクラウドに保存してもいいですか", asker="UW1") -> str:
    _, out = routing.route_question(db, asker, q, [], "not_found", now=now)
    return out[0].reply.buttons[0].value


def keys(outs):
    return [o.key for o in outs]


def test_reminder_respects_weekend_and_holiday_then_escalates(db):
    rid = route(db)
    for t in (at(20, 17, 59), at(20, 19), at(21, 10, 30), at(22, 12), at(23, 11), at(24, 9, 59)):
        assert notices.run_pass(db, t) == [], t
    outs = notices.run_pass(db, at(24, 10))
    assert keys(outs) == [f"notice:routing:remind:{rid}:ULEAD"]
    o = outs[0]
    assert o.user_id == "ULEAD" and "まだ回答がありません" in o.reply.text
    assert "2026年11月20日(金) 17:00" in o.reply.text
    assert [(b.action, b.value) for b in o.reply.buttons] == [("routing_answer", rid)]
    assert notices.run_pass(db, at(24, 10, 5)) == []          # claimed by the first pass
    assert notices.mark_sent(db, o.key) is True
    assert notices.mark_sent(db, o.key) is False              # recorded once
    assert notices.run_pass(db, at(24, 16, 59)) == []
    esc = notices.run_pass(db, at(24, 17))
    assert keys(esc) == [f"notice:routing:escalate:{rid}:UOFF"]
    assert "鈴木一郎さんに" in esc[0].reply.text and "1営業日" in esc[0].reply.text
    notices.mark_sent(db, esc[0].key)
    assert notices.run_pass(db, at(25, 10)) == []             # every notice exactly once
    log = nstore.log(db)
    assert [(r["event"], r["via"]) for r in log] == [("claimed", "scheduler"), ("sent", "scheduler")] * 2
    assert log[0]["pass_at"] == "2026-11-24T10:00:00+09:00" and log[0]["user_id"] == "ULEAD"
    assert log[0]["text"] == o.reply.text and log[1]["text"] is None      # the message is kept once, in the claim
    assert log[1]["user_id"] == "ULEAD" and log[1]["kind"] == log[0]["kind"]


def test_second_pass_sends_nothing_with_deliver(db):
    route(db)
    sent = []
    first = notices.deliver(db, notices.run_pass(db, at(24, 10)), lambda o: sent.append(o) or True)
    assert first["sent"] == 1 and len(sent) == 1
    assert notices.run_pass(db, at(24, 10)) == []
    assert notices.run_pass(db, at(24, 11)) == []


def test_dry_run_sends_nothing_and_logs_nothing(db):
    rid = route(db)
    dry = notices.run_pass(db, at(24, 10), dry_run=True)
    assert keys(dry) == [f"notice:routing:remind:{rid}:ULEAD"]
    assert nstore.log(db) == []
    assert keys(notices.run_pass(db, at(24, 10), dry_run=True)) == keys(dry)   # still due, still unlogged
    real = notices.run_pass(db, at(24, 10))
    assert keys(real) == keys(dry)
    assert notices.run_pass(db, at(24, 10), dry_run=True) == []               # claimed: not shown again


def test_no_reminder_once_answered(db):
    rid = route(db)
    routing.answer_routed(db, "ULEAD", rid, "できません。", [], "slack_button", now=at(24, 9, 30))
    assert notices.run_pass(db, at(24, 10)) == []
    assert notices.run_pass(db, at(25, 17)) == []


def test_state_is_checked_again_at_send_time(db):
    rid = route(db)
    outs = notices.run_pass(db, at(24, 10))
    routing.answer_routed(db, "ULEAD", rid, "できません。", [], "slack_button")   # answered meanwhile
    called = []
    counts = notices.deliver(db, outs, lambda o: called.append(o) or True, now=at(24, 10))
    assert called == [] and counts["dropped"] == 1
    assert [r["event"] for r in nstore.log(db)] == ["claimed", "dropped"]
    assert notices.run_pass(db, at(24, 11)) == []


def test_failed_send_is_retried_next_pass(db):
    route(db)
    outs = notices.run_pass(db, at(24, 10))
    assert notices.deliver(db, outs, lambda o: False)["failed"] == 1

    def boom(o):
        raise ConnectionError("slack unreachable")

    again = notices.run_pass(db, at(24, 10, 5))
    assert keys(again) == keys(outs)
    assert notices.deliver(db, again, boom)["failed"] == 1
    assert "ConnectionError" in nstore.log(db)[-1]["detail"]
    third = notices.run_pass(db, at(24, 10, 10))
    assert notices.deliver(db, third, lambda o: True)["sent"] == 1
    assert notices.run_pass(db, at(24, 10, 15)) == []


def test_expired_claim_is_offered_again(db):
    route(db)
    outs = notices.run_pass(db, at(24, 10))
    # The sender died without reporting: age the claim past its lease.
    old = nstore.utc_iso(dt.datetime.now(dt.timezone.utc) - notices.CLAIM_LEASE - dt.timedelta(seconds=5))
    db.execute("UPDATE notice_log SET at = ? WHERE key = ?", [old, outs[0].key])
    assert keys(notices.run_pass(db, at(24, 10, 30))) == keys(outs)


def test_concurrent_passes_return_each_notice_once(db, tmp_path):
    for i in range(5):
        route(db, q=f"質問その{i}について確認したいことがあります{i}")
    path = db.execute("PRAGMA database_list").fetchone()[2]
    got, errors = [], []

    def one_pass():
        try:
            got.extend(keys(notices.run_pass(open_db(path), at(24, 10))))
        except Exception as e:  # pragma: no cover
            errors.append(e)

    threads = [threading.Thread(target=one_pass) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(got) == 5 and len(set(got)) == 5


def test_lead_day_off_pauses_reminder_but_not_escalation(db):
    people.run_users(db, "cli", ["add", "ULEAD", "--days-off", "2026-11-24"], "cli")
    rid = route(db)
    assert notices.run_pass(db, at(24, 10)) == []
    esc = notices.run_pass(db, at(24, 17))
    assert keys(esc) == [f"notice:routing:escalate:{rid}:UOFF"]
    assert keys(notices.run_pass(db, at(25, 10))) == [f"notice:routing:remind:{rid}:ULEAD"]


def test_notices_only_in_working_hours(db):
    rid = route(db, now=at(24, 10))
    assert notices.run_pass(db, at(24, 18, 30)) == []     # due since 12:00, but it is evening now
    assert notices.run_pass(db, at(25, 8, 59)) == []
    assert keys(notices.run_pass(db, at(25, 9))) == [f"notice:routing:remind:{rid}:ULEAD"]
    assert keys(notices.run_pass(db, at(25, 10))) == [f"notice:routing:escalate:{rid}:UOFF"]


def test_sources_are_a_registry(db):
    def due(db, now):
        yield notices.Notice("notice:test_source:one", "UW1", Reply("テストのお知らせです。"), "test")
        yield notices.Notice("notice:test_source:one", "UW1", Reply("重複"), "test")

    notices.register_source("test_source", due, lambda db, key, now: False)
    try:
        outs = notices.run_pass(db, at(24, 10))
        assert keys(outs) == ["notice:test_source:one"]
        assert notices.still_due(db, "notice:test_source:one") is False
        notices.register_source("bad_source", lambda db, now: [notices.Notice("wrong:key", "UW1", Reply("x"), "t")])
        with pytest.raises(ValueError):
            notices.run_pass(db, at(24, 10))
    finally:
        notices._SOURCES.pop("test_source", None)
        notices._SOURCES.pop("bad_source", None)


def test_handler_outgoings_deliver_once(db):
    _, out = routing.route_question(db, "UW1", "来客を作業場所に入れてもいいですか", [], "asked")
    sent = []
    assert notices.deliver(db, out, lambda o: sent.append(o) or True, via="slack_button", claimed=False)["sent"] == 1
    assert notices.deliver(db, out, lambda o: sent.append(o) or True, via="slack_button", claimed=False)["skipped"] == 1
    assert len(sent) == 1


# ---- the command line -----------------------------------------------------------------------

def test_cli_notices_run_dry_run_then_real(db):
    route(db)
    path = db.execute("PRAGMA database_list").fetchone()[2]
    r = run_mamoru(["notices", "run", "--at", "2026-11-24T10:00+09:00", "--dry-run"], path)
    assert r.returncode == 0, r.stderr
    assert "宛先: 鈴木一郎さん（ULEAD）" in r.stdout and "ドライラン" in r.stdout and "［回答する］" in r.stdout
    assert nstore.log(db) == []
    r = run_mamoru(["notices", "run", "--at", "2026-11-24T10:00+09:00"], path)
    assert r.returncode == 0 and "1 件送信しました" in r.stdout and "まだ回答がありません" in r.stdout
    assert [(x["event"], x["via"]) for x in nstore.log(db)] == [("claimed", "scheduler"), ("sent", "cli")]
    r = run_mamoru(["notices", "run", "--at", "2026-11-24T10:00+09:00"], path)
    assert r.returncode == 0 and "送るお知らせはありません" in r.stdout
    r = run_mamoru(["notices", "run", "--at", "2026-11-24T17:00+09:00", "--json"], path)
    out = json.loads(r.stdout)
    assert out["counts"]["sent"] == 1 and out["notices"][0]["user_id"] == "UOFF"
    assert out["notices"][0]["buttons"][0]["action"] == "routing_answer"


def test_cli_notices_run_bad_time(tmp_path):
    r = run_mamoru(["notices", "run", "--at", "来週の月曜"], tmp_path / "x.db")
    assert r.returncode == 2 and "日時として読めません" in r.stderr and "Traceback" not in r.stderr
