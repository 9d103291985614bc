"""The scheduler: one APScheduler 3.x BackgroundScheduler per deployment, running the notices pass.

- Time zone: MAMORU_TZ (default Asia/Tokyo).
- Job store: SQLAlchemyJobStore in its own SQLite file, MAMORU_JOBS_DB, default `<database>.jobs.sqlite`.
- Two fixed jobs, added only when missing (an existing one keeps its next run time; a changed
  interval or database path is updated in place), each calling a function of this module by
  reference with one argument, the database path: never a client, a token or any secret.
  "notices_pass", every MAMORU_NOTICES_MINUTES minutes (default 5): every notice source.
  "urgent_pass", every minute: only the urgent sources (an unacknowledged incident's escalation),
  so an escalation is at most a minute late whatever the notices interval.
  "daily_backup", every day at MAMORU_BACKUP_TIME (default 03:00, `off` removes it): a verified
  copy of the database into MAMORU_BACKUP_DIR, keeping the newest MAMORU_BACKUP_KEEP (default 14)
  (handlers/backups.py). It needs no sender; the folder and the count are read when it runs.
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
URGENT_JOB_ID = "urgent_pass"
URGENT_FUNC_REF = "bot.scheduler:urgent_job"
URGENT_MINUTES = 1
BACKUP_JOB_ID = "daily_backup"
BACKUP_FUNC_REF = "bot.scheduler:backup_job"
BACKUP_MISFIRE_SECONDS = 6 * 3600     # a host that was off at 03:00 still backs up when it is back
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


def notices_job(db_path: str, urgent_only: bool = False) -> dict | None:
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
        outs = notices.run_pass(db, now, urgent_only=urgent_only)
        counts = notices.deliver(db, outs, sender, via="scheduler", now=now)
        if outs:
            log.info("%s pass at %s: %s", "urgent" if urgent_only else "notices", now.isoformat(timespec="seconds"),
                     counts)
        return counts
    finally:
        db.conn.close()


def urgent_job(db_path: str) -> dict | None:
    """The every-minute job: only the urgent notice sources."""
    return notices_job(db_path, urgent_only=True)


def backup_job(db_path: str) -> dict | None:
    """The daily backup (MAMORU_BACKUP_DIR, MAMORU_BACKUP_KEEP read now)."""
    from bot.config import backup_dir, backup_keep
    from handlers import backups

    try:
        r = backups.run(Path(db_path), backup_dir(Path(db_path)), backup_keep())
    except Exception:  # noqa: BLE001 - logged; `mamoru doctor` reports the backup's age
        log.exception("daily backup failed")
        return None
    (log.info if r["ok"] else log.error)("daily backup %s (%d bytes, ok=%s, pruned %d)", r["path"], r["bytes"],
                                         r["ok"], len(r["removed"]))
    return r


def backup_time() -> tuple[int, int] | None:
    """MAMORU_BACKUP_TIME as (hour, minute), None for `off`; a bad value falls back to 03:00."""
    raw = (os.environ.get("MAMORU_BACKUP_TIME") or "03:00").strip().lower()
    if raw in ("off", "none", "0"):
        return None
    try:
        h, m = (int(x) for x in raw.split(":"))
        if 0 <= h < 24 and 0 <= m < 60:
            return h, m
    except ValueError:
        pass
    log.warning("MAMORU_BACKUP_TIME=%r is not HH:MM; using 03:00", raw)
    return 3, 0


def _ensure_backup_job(scheduler, kwargs: dict) -> str:
    from apscheduler.triggers.cron import CronTrigger

    at = backup_time()
    job = scheduler.get_job(BACKUP_JOB_ID)
    if at is None:
        if job is not None:
            scheduler.remove_job(BACKUP_JOB_ID)
            return "removed"
        return "off"
    trigger = CronTrigger(hour=at[0], minute=at[1], timezone=timezone())
    if job is None:
        scheduler.add_job(BACKUP_FUNC_REF, trigger, id=BACKUP_JOB_ID, name="daily backup", kwargs=kwargs,
                          misfire_grace_time=BACKUP_MISFIRE_SECONDS, replace_existing=True)
        return "added"
    if job.func_ref != BACKUP_FUNC_REF or job.kwargs != kwargs or str(job.trigger) != str(trigger):
        scheduler.modify_job(BACKUP_JOB_ID, func=BACKUP_FUNC_REF, args=(), kwargs=kwargs)
        scheduler.reschedule_job(BACKUP_JOB_ID, trigger=trigger)
        return "updated"
    return "kept"


def build_scheduler(db_path: str | os.PathLike):
    """A BackgroundScheduler with the persistent job store (not started)."""
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    from storage.db import secure_dir, secure_file

    jobs = jobs_db_path(db_path)
    if not jobs.parent.exists():
        secure_dir(jobs.parent)
    secure_file(jobs, create=True)   # 0600 whatever the umask (SQLAlchemy would create it 0644)
    minutes = interval_minutes()
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(url=f"sqlite:///{jobs.resolve()}")},
        timezone=timezone(),
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": minutes * 60},
    )


def _ensure_job(scheduler, job_id: str, func_ref: str, name: str, minutes: int, kwargs: dict) -> str:
    from apscheduler.triggers.interval import IntervalTrigger

    job = scheduler.get_job(job_id)
    if job is None:
        scheduler.add_job(func_ref, IntervalTrigger(minutes=minutes, timezone=timezone()), id=job_id,
                          name=name, kwargs=kwargs, replace_existing=True)
        return "added"
    changed = "kept"
    if job.func_ref != func_ref or job.kwargs != kwargs or job.args:
        scheduler.modify_job(job_id, func=func_ref, args=(), kwargs=kwargs)
        changed = "updated"
    trig = job.trigger
    if getattr(trig, "interval", None) != _dt.timedelta(minutes=minutes) or str(getattr(trig, "timezone", "")) != str(timezone()):
        scheduler.reschedule_job(job_id, trigger=IntervalTrigger(minutes=minutes, timezone=timezone()))
        changed = "updated"
    return changed


def ensure_jobs(scheduler, db_path: str | os.PathLike) -> str:
    """Add the notices, urgent and backup jobs if missing; update them if an interval or the database changed.

    Returns the notices job's state: "added", "updated" or "kept".
    """
    kwargs = {"db_path": str(Path(db_path).resolve())}
    _ensure_job(scheduler, URGENT_JOB_ID, URGENT_FUNC_REF, "urgent notices", URGENT_MINUTES, kwargs)
    _ensure_backup_job(scheduler, kwargs)
    return _ensure_job(scheduler, JOB_ID, JOB_FUNC_REF, "notices pass", interval_minutes(), kwargs)


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
