"""The APScheduler wiring: three persistent jobs (notices, urgent, daily backup), registered once,
carrying only the database path; the backup job's copies and their retention."""
from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import scheduler as sched_mod
from handlers import notices
from handlers.replies import Reply
from storage import notices as nstore
from storage.db import open_db

TOKEN = "xoxb-0000-secret-token-for-test"


@pytest.fixture
def env(tmp_path, monkeypatch):
    db = tmp_path / "mamoru.db"
    open_db(db)
    monkeypatch.setenv("MAMORU_DB", str(db))
    monkeypatch.setenv("SLACK_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-secret-app-token")
    monkeypatch.delenv("MAMORU_JOBS_DB", raising=False)
    monkeypatch.delenv("MAMORU_NOTICES_MINUTES", raising=False)
    monkeypatch.delenv("MAMORU_TZ", raising=False)
    for k in ("MAMORU_BACKUP_DIR", "MAMORU_BACKUP_KEEP", "MAMORU_BACKUP_TIME"):
        monkeypatch.delenv(k, raising=False)
    yield db
    sched_mod.set_sender(None)


def jobs_in_store(path: Path) -> list[str]:
    return [r[0] for r in sqlite3.connect(path).execute("SELECT id FROM apscheduler_jobs")]


def test_job_registered_once_across_restarts_with_persistent_store(env):
    s = sched_mod.start_scheduler(env, sender=lambda o: True)
    try:
        job, urgent = s.get_job("notices_pass"), s.get_job("urgent_pass")
        assert len(s.get_jobs()) == 3
        assert urgent.func_ref == "bot.scheduler:urgent_job" and urgent.trigger.interval == dt.timedelta(minutes=1)
        assert urgent.args == () and urgent.kwargs == {"db_path": str(env.resolve())}
        assert job.id == "notices_pass" and job.func_ref == "bot.scheduler:notices_job"
        assert job.args == () and job.kwargs == {"db_path": str(env.resolve())}
        assert job.trigger.interval == dt.timedelta(minutes=5)
        assert str(s.timezone) == "Asia/Tokyo"
        first_run = job.next_run_time
    finally:
        s.shutdown(wait=False)
    store = Path(f"{env}.jobs.sqlite")
    assert store.exists() and sorted(jobs_in_store(store)) == ["daily_backup", "notices_pass", "urgent_pass"]

    s = sched_mod.start_scheduler(env, sender=lambda o: True)
    try:
        job = s.get_job("notices_pass")
        assert job.next_run_time == first_run          # kept, not re-added
    finally:
        s.shutdown(wait=False)
    assert sorted(jobs_in_store(store)) == ["daily_backup", "notices_pass", "urgent_pass"]
    # Whatever is pickled in the store holds no token.
    raw = store.read_bytes()
    assert TOKEN.encode() not in raw and b"xoxb" not in raw and b"xapp" not in raw


def test_interval_and_store_location_from_environment(env, tmp_path, monkeypatch):
    jobs = tmp_path / "elsewhere" / "jobs.sqlite"
    monkeypatch.setenv("MAMORU_JOBS_DB", str(jobs))
    s = sched_mod.start_scheduler(env, sender=None)
    s.shutdown(wait=False)
    monkeypatch.setenv("MAMORU_NOTICES_MINUTES", "7")
    s = sched_mod.start_scheduler(env, sender=None)
    try:
        assert s.get_job("notices_pass").trigger.interval == dt.timedelta(minutes=7)
        assert s.get_job("urgent_pass").trigger.interval == dt.timedelta(minutes=1)
    finally:
        s.shutdown(wait=False)
    assert jobs.exists() and sorted(jobs_in_store(jobs)) == ["daily_backup", "notices_pass", "urgent_pass"]
    assert not Path(f"{env}.jobs.sqlite").exists()
    monkeypatch.setenv("MAMORU_NOTICES_MINUTES", "often")
    assert sched_mod.interval_minutes() == 5


def test_scheduled_job_runs_the_pass_and_sends_through_the_sender(env):
    def due(db, now):
        yield notices.Notice("notice:sched_test:hello", "U1", Reply("定期のお知らせです。"), "test")

    notices.register_source("sched_test", due)
    got, done = [], threading.Event()

    def send(o):
        got.append(o)
        done.set()
        return True

    s = sched_mod.start_scheduler(env, sender=send)
    try:
        s.modify_job("notices_pass", next_run_time=dt.datetime.now(ZoneInfo("Asia/Tokyo")))
        s.wakeup()
        assert done.wait(10), "the scheduled pass did not run"
        time.sleep(0.3)   # let mark_sent finish
    finally:
        s.shutdown(wait=True)
        notices._SOURCES.pop("sched_test", None)
    assert [o.key for o in got] == ["notice:sched_test:hello"]
    db = open_db(env)
    assert nstore.is_sent(db, "notice:sched_test:hello")
    assert [r["via"] for r in nstore.log(db) if r["event"] == "sent"] == ["scheduler"]


def test_without_a_sender_the_pass_claims_nothing(env):
    def due(db, now):
        yield notices.Notice("notice:sched_test2:x", "U1", Reply("x"), "test")

    notices.register_source("sched_test2", due)
    try:
        sched_mod.set_sender(None)
        assert sched_mod.notices_job(str(env)) is None
        assert nstore.log(open_db(env)) == []
        sched_mod.set_sender(lambda o: True)
        assert sched_mod.notices_job(str(env))["sent"] == 1
        assert sched_mod.notices_job(str(env))["sent"] == 0
    finally:
        notices._SOURCES.pop("sched_test2", None)


def test_the_minute_job_runs_only_the_urgent_sources(env):
    def due(name):
        def fn(db, now):
            yield notices.Notice(f"notice:{name}:x", "U1", Reply(name), "test")
        return fn

    notices.register_source("sched_plain", due("sched_plain"))
    notices.register_source("sched_urgent", due("sched_urgent"), urgent=True)
    try:
        got = []
        sched_mod.set_sender(lambda o: got.append(o.key) or True)
        assert sched_mod.urgent_job(str(env))["sent"] == 1
        assert got == ["notice:sched_urgent:x"]
        sched_mod.notices_job(str(env))
        assert got == ["notice:sched_urgent:x", "notice:sched_plain:x"]    # the urgent one is not sent twice
        assert [s.name for s in notices.sources() if s.urgent] == ["incident", "sched_urgent"]
    finally:
        notices._SOURCES.pop("sched_plain", None)
        notices._SOURCES.pop("sched_urgent", None)


def test_daily_backup_job_copies_verifies_and_keeps_the_newest(env, tmp_path, monkeypatch):
    from handlers import backups

    folder = tmp_path / "bk"
    monkeypatch.setenv("MAMORU_BACKUP_DIR", str(folder))
    monkeypatch.setenv("MAMORU_BACKUP_KEEP", "2")
    monkeypatch.setenv("MAMORU_BACKUP_TIME", "02:30")
    s = sched_mod.start_scheduler(env, sender=None)
    try:
        job = s.get_job("daily_backup")
        assert job.func_ref == "bot.scheduler:backup_job" and job.kwargs == {"db_path": str(env.resolve())}
        assert (job.next_run_time.hour, job.next_run_time.minute) == (2, 30)
    finally:
        s.shutdown(wait=False)
    folder.mkdir()
    (folder / "keep-me.txt").write_text("not a backup")
    for i, day in enumerate(("20261201", "20261202", "20261203")):
        (folder / f"mamoru-{day}-030000.db").write_bytes(b"old")
    r = sched_mod.backup_job(str(env))
    assert r["ok"] and r["removed"] == ["mamoru-20261201-030000.db", "mamoru-20261202-030000.db"]
    names = sorted(p.name for p in folder.iterdir())
    assert names[0] == "keep-me.txt" and len(names) == 3 and Path(r["path"]).name in names
    assert (Path(r["path"]).stat().st_mode & 0o777) == 0o600
    assert sqlite3.connect(r["path"]).execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert backups.latest(folder)[0] == Path(r["path"])
    monkeypatch.setenv("MAMORU_BACKUP_TIME", "off")
    s = sched_mod.start_scheduler(env, sender=None)
    try:
        assert s.get_job("daily_backup") is None
    finally:
        s.shutdown(wait=False)
