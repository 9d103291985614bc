"""The lead's digest: one message per lead listing who is missing what — never one per worker.

Capabilities add what they have to say with `register_digest_part(name, fn, order=100)`, where
`fn(db, lead_id, now) -> str | None` returns a complete, polite Japanese paragraph (citing its
rule) about the people this lead oversees, or None when there is nothing to say. The checklist
adds "who has not confirmed" (part "checklist"); training can add "overdue training" the same way:

    from handlers import digest
    digest.register_digest_part("training", overdue_training_text, order=20)

Who receives it: every active lead, officer and admin (a worker without a lead is overseen by
the officers, else the admins — each part decides whom it lists for a given recipient).

When it is sent: on the company's working days (no weekends, public holidays or the year-end
closure), at each of the recipient's *digest times*: the times capabilities give with
`register_digest_times(fn(db, lead_id, date) -> set[time])` — the checklist gives the end of the
grace time of each scheduled checklist of the lead's team (by default 10:30 for 始業時 and 18:30
for 終業時) — or DEFAULT_TIMES when no capability gives any. A notices pass at or after a digest
time sends the digest of the latest time passed that day (a pass at 19:00 sends one digest, not
two); nothing is sent when every part returns None.

Idempotency key: `notice:digest:<YYYY-MM-DD>:<HHMM>:<recipient user id>` — one digest per
recipient per digest time, whatever the number of passes, processes or restarts. Right before
sending, the parts are asked again (`still_due`): a digest whose every part became empty (everyone
confirmed meanwhile) is dropped.

A part that should appear only once a day (overdue training, say) can check
`digest_slot(db, lead_id, now).index == 0` (the first digest time of the day).
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Callable, Iterable

import sqlite_utils

from handlers import notices, people, workdays
from handlers.replies import Reply
from storage import people as pstore

SOURCE = "digest"
DEFAULT_TIMES = (_dt.time(10, 30),)
RECIPIENT_ROLES = people.APPROVERS     # lead, officer, admin

PartFn = Callable[[sqlite_utils.Database, str, _dt.datetime], "str | None"]
TimesFn = Callable[[sqlite_utils.Database, str, _dt.date], "set[_dt.time]"]


@dataclass(frozen=True)
class Part:
    name: str
    fn: PartFn
    order: int


@dataclass(frozen=True)
class DigestSlot:
    date: _dt.date
    time: _dt.time
    index: int        # 0 for the first digest time of the day
    count: int        # digest times that day

    @property
    def at(self) -> _dt.datetime:
        return _dt.datetime.combine(self.date, self.time, workdays.tz())

    @property
    def key_part(self) -> str:
        return f"{self.date.isoformat()}:{self.time:%H%M}"


_parts: dict[str, Part] = {}
_times: dict[str, TimesFn] = {}


def register_digest_part(name: str, fn: PartFn, order: int = 100) -> None:
    """Add (or replace, same name) a part of the digest; parts appear by `order`, then name."""
    _parts[name] = Part(name, fn, order)


def register_digest_times(name: str, fn: TimesFn) -> None:
    """Add (or replace) a giver of digest times for a recipient and a day."""
    _times[name] = fn


def parts() -> list[Part]:
    from handlers import capabilities

    capabilities.load()
    return sorted(_parts.values(), key=lambda p: (p.order, p.name))


def times(db: sqlite_utils.Database, lead_id: str, d: _dt.date) -> list[_dt.time]:
    from handlers import capabilities

    capabilities.load()
    out: set[_dt.time] = set()
    for name, fn in sorted(_times.items()):
        try:
            out |= set(fn(db, lead_id, d) or ())
        except Exception:  # one broken capability must not silence the digest
            notices.log.exception("digest times from %s failed", name)
    return sorted(out or DEFAULT_TIMES)


def digest_slot(db: sqlite_utils.Database, lead_id: str, now: _dt.datetime) -> DigestSlot | None:
    """The latest digest time passed today for this recipient, or None (none yet, or not a working day)."""
    now = workdays.local(now)
    d = now.date()
    if workdays.holiday_name(d):
        return None
    ts = times(db, lead_id, d)
    passed = [t for t in ts if t <= now.time()]
    if not passed:
        return None
    return DigestSlot(d, passed[-1], len(passed) - 1, len(ts))


def text(db: sqlite_utils.Database, lead_id: str, now: _dt.datetime) -> str | None:
    """The digest for one recipient at `now` (None when no part has anything to say)."""
    bodies = []
    for p in parts():
        try:
            body = p.fn(db, lead_id, now)
        except Exception:
            notices.log.exception("digest part %s failed for %s", p.name, lead_id)
            continue
        if body and body.strip():
            bodies.append(body.strip())
    if not bodies:
        return None
    name = people.display_name(db, lead_id)
    head = (f"{name}さん、{workdays.format_jst(now)} 時点で、ご担当の方々について確認が必要な事項をまとめてお知らせします。")
    tail = "今日の状況は `/mamoru team` またはホームタブでご確認いただけます。"
    return "\n\n".join([head, *bodies, tail])


def recipients(db: sqlite_utils.Database) -> list[str]:
    return sorted(p["user_id"] for role in RECIPIENT_ROLES for p in pstore.active(db, role=role))


def key(slot: DigestSlot, lead_id: str) -> str:
    return f"{notices.PREFIX}{SOURCE}:{slot.key_part}:{lead_id}"


def _due(db: sqlite_utils.Database, now: _dt.datetime) -> Iterable[notices.Notice]:
    now = workdays.local(now)
    if workdays.holiday_name(now.date()) or not _parts:
        return []
    out = []
    for lead_id in recipients(db):
        slot = digest_slot(db, lead_id, now)
        if slot is None:
            continue
        k = key(slot, lead_id)
        if notices.is_sent(db, k):
            continue
        body = text(db, lead_id, now)
        if body:
            out.append(notices.Notice(k, lead_id, Reply(body), "digest", f"digest {slot.key_part}"))
    return out


def _still_due(db: sqlite_utils.Database, k: str, now: _dt.datetime) -> bool:
    lead_id = k.rsplit(":", 1)[-1]
    return people.get_person(db, lead_id) is not None and text(db, lead_id, now) is not None


notices.register_source(SOURCE, _due, _still_due)
