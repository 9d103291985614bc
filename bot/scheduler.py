"""The scheduler: one APScheduler 3.x BackgroundScheduler per deployment, running the notices pass.

- Time zone: MAMORU_TZ (default Asia/Tokyo).
- Job store: SQLAlchemyJobStore in its own SQLite file, MAMORU_JOBS_DB, default `<database>.jobs.sqlite`.
- One fixed job, id "notices_pass", every MAMORU_NOTICES_MINUTES minutes (default 5), added only
  when missing (an existing one keeps its next run time; a changed interval or database path is
  updated in place). It calls `bot.scheduler:notices_job` by reference with one argument,
  the database path: never a client, a token or any secret.
- Sending: the job sends through a module-level sender, `send(outgoing) -> bool`, that the Slack
  runtime supplies with `set_sender` (or `start_scheduler(db_path, sender)`). Without a sender
  the pass is skipped (nothing is claimed, nothing lost). See handlers/notices.py for the
  run_pass / mark_sent contract; `notices_job` follows it via `notices.deliver`.

Usage from the runtime::

    sched = start_scheduler(settings.db_path, sender=my_send)   # my_send(outgoing) -> bool
    ...
    sched.shutdown(wait=False)
"""
from __future__ import annotations

import datetime as _dt
import logging
import os
from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo

from handlers.replies import Outgoing

log = logging.getLogger(__name__)

JOB_ID = "notices_pass"
JOB_FUNC_REF = "bot.scheduler:notices_job"
DEFAULT_MINUTES = 5

_sender: Callable[[Outgoing], bool] | None = None


def set_sender(sender: Callable[[Outgoing], bool] | None) -> None:
    """The function the notices job sends through (the Slack runtime sets it at start)."""
    global _sender
    _sender = sender


def get_sender() -> Callable[[Outgoing], bool] | None:
    return _sender


def timezone() -> ZoneInfo:
    return ZoneInfo(os.environ.get("MAMORU_TZ") or "Asia/Tokyo")


def interval_minutes() -> int:
    raw = os.environ.get("MAMORU_NOTICES_MINUTES")
    if not raw:
        return DEFAULT_MINUTES
    try:
        return max(1, int(raw))
    except ValueError:
        log.warning("MAMORU_NOTICES_MINUTES=%r is not a whole number; using %d", raw, DEFAULT_MINUTES)
        return DEFAULT_MINUTES


def jobs_db_path(db_path: str | os.PathLike) -> Path:
    """MAMORU_JOBS_DB, else `<database>.jobs.sqlite` beside the database."""
    env = os.environ.get("MAMORU_JOBS_DB")
    if env:
        return Path(env).expanduser()
    return Path(f"{db_path}.jobs.sqlite")


def notices_job(db_path: str) -> dict | None:
    """One notices pass at the current time, sent through the sender (the scheduled job)."""
    sender = _sender
    if sender is None:
        log.warning("notices pass skipped: no sender has been set (set_sender)")
        return None
    from handlers import notices, workdays
    from storage.db import open_db

    db = open_db(db_path)
    try:
        now = workdays.now()
        outs = notices.run_pass(db, now)
        counts = notices.deliver(db, outs, sender, via="scheduler", now=now)
        if outs:
            log.info("notices pass at %s: %s", now.isoformat(timespec="seconds"), counts)
        return counts
    finally:
        db.conn.close()


def build_scheduler(db_path: str | os.PathLike):
    """A BackgroundScheduler with the persistent job store (not started)."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    jobs = jobs_db_path(db_path)
    jobs.parent.mkdir(parents=True, exist_ok=True)
    minutes = interval_minutes()
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=f"sqlite:///{jobs.resolve()}")},
        timezone=timezone(),
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": minutes * 60},
    )


def ensure_jobs(scheduler, db_path: str | os.PathLike) -> str:
    """Add the notices job if missing; update it if its interval or database changed.

    Returns "added", "updated" or "kept".
    """
    from apscheduler.triggers.interval import IntervalTrigger

    minutes = interval_minutes()
    kwargs = {"db_path": str(Path(db_path).resolve())}
    job = scheduler.get_job(JOB_ID)
    if job is None:
        scheduler.add_job(JOB_FUNC_REF, IntervalTrigger(minutes=minutes, timezone=timezone()), id=JOB_ID,
                          name="notices pass", kwargs=kwargs, replace_existing=True)
        return "added"
    changed = "kept"
    if job.func_ref != JOB_FUNC_REF or job.kwargs != kwargs or job.args:
        scheduler.modify_job(JOB_ID, func=JOB_FUNC_REF, args=(), kwargs=kwargs)
        changed = "updated"
    trig = job.trigger
    if getattr(trig, "interval", None) != _dt.timedelta(minutes=minutes) or str(getattr(trig, "timezone", "")) != str(timezone()):
        scheduler.reschedule_job(JOB_ID, trigger=IntervalTrigger(minutes=minutes, timezone=timezone()))
        changed = "updated"
    return changed


def start_scheduler(db_path: str | os.PathLike, sender: Callable[[Outgoing], bool] | None):
    """Set the sender, start the scheduler, make sure the notices job exists; returns the scheduler."""
    set_sender(sender)
    scheduler = build_scheduler(db_path)
    scheduler.start(paused=True)       # nothing runs until the job set is checked
    try:
        state = ensure_jobs(scheduler, db_path)
    except BaseException:
        scheduler.shutdown(wait=False)
        raise
    log.info("scheduler started (%s; notices job %s, every %d min, store %s)", timezone(), state,
             interval_minutes(), jobs_db_path(db_path))
    scheduler.resume()
    return scheduler
