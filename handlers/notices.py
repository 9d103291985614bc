"""Notices: reminders, overdue notices and escalations, each sent exactly once.

A *notice source* is a capability's way to say what is due now: `register_source(name, due,
still_due)`. `due(db, now)` returns Notice objects computed from stored state and `now` only;
`still_due(db, key, now)` re-checks one right before it is sent (optional). Keys are
`notice:<source>:<anything stable>` — the same situation must always give the same key.
A capability registers its source at import time (its module is in handlers.capabilities.CAPABILITY_MODULES).

The contract between a pass and the sender (the scheduler job, `mamoru notices run`, or any
runtime) is:

1. `outs = run_pass(db, now)` returns the notices due at `now` that were never sent and are not
   reserved by another pass; each returned key is *claimed* in the notice log (`dry_run=True`
   returns the same list and writes nothing).
2. For each Outgoing, the sender calls `still_due(db, key, now)` (if False: `mark_dropped`),
   then sends it, then calls `mark_sent(db, key)` when the send succeeded or
   `mark_failed(db, key, error)` when it did not. `deliver(db, outs, send)` does exactly this.
3. A sent key is never returned again. A failed or dropped key is free again: the next pass
   returns it if it is still due. A claim never resolved (the process died mid-send) frees itself
   after CLAIM_LEASE, so a pass that crashes delays a notice but never loses it.

`send(outgoing) -> bool` must return True when the message was delivered *or* had been delivered
before (its own deduplication on `outgoing.key` counts as success), False to have it retried.

The one source shipped here: unanswered routed questions are reminded to whoever was asked after
REMIND_AFTER_WORKING_HOURS of their working time, and escalated to the officers after
ESCALATE_AFTER_WORKING_DAYS of the company's working time (weekends, Japanese holidays and the
year-end closure do not count; the recipient's own days off pause their clock). Notices go out
only during the recipient's working hours.
"""
from __future__ import annotations

import datetime as _dt
import logging
from dataclasses import dataclass
from typing import Callable, Iterable

import sqlite_utils

from handlers import people, routing, workdays
from handlers.replies import Attachment, Button, Outgoing, Reply
from storage import notices as store
from storage import people as pstore
from storage.db import transaction

log = logging.getLogger(__name__)

REMIND_AFTER_WORKING_HOURS = 2.0
ESCALATE_AFTER_WORKING_DAYS = 1.0
CLAIM_LEASE = _dt.timedelta(minutes=10)
PREFIX = "notice:"


@dataclass(frozen=True)
class Notice:
    key: str                 # "notice:<source>:…", stable for the situation it reports
    user_id: str             # who receives it
    reply: Reply
    kind: str                # e.g. "routing_reminder"; stored in the log
    detail: str = ""         # short, for the log (never secrets)
    file: Attachment | None = None  # sent with the message (e.g. the status report's draft)


@dataclass(frozen=True)
class Source:
    name: str
    due: Callable[[sqlite_utils.Database, _dt.datetime], Iterable[Notice]]
    still_due: Callable[[sqlite_utils.Database, str, _dt.datetime], bool] | None = None
    urgent: bool = False     # also checked every minute (incident escalation), not only each pass


_SOURCES: dict[str, Source] = {}

# Modules that register notice sources when imported (one line per capability, e.g.
# "handlers.checklist"); imported before every pass, so `mamoru notices run` and the scheduler
# see every source even in a process that never imported the capability otherwise.
def register_source(name: str, due, still_due=None, urgent: bool = False) -> None:
    """Add (or replace) a notice source; later capabilities call this at import time.
    `urgent`: the scheduler's minute job runs it too (`run_pass(…, urgent_only=True)`)."""
    _SOURCES[name] = Source(name, due, still_due, urgent)


def sources() -> list[Source]:
    from handlers import capabilities  # capabilities register their sources at import

    capabilities.load()
    return list(_SOURCES.values())


def _source_of(key: str) -> Source | None:
    if not key.startswith(PREFIX):
        return None
    name = key[len(PREFIX):].split(":", 1)[0]
    return next((s for s in sources() if s.name == name), None)


def _real_now() -> _dt.datetime:
    return _dt.datetime.now(_dt.timezone.utc)


def _cutoff() -> str:
    return store.utc_iso(_real_now() - CLAIM_LEASE)


def run_pass(db: sqlite_utils.Database, now: _dt.datetime, dry_run: bool = False,
             urgent_only: bool = False) -> list[Outgoing]:
    """Every notice due at `now`, not yet sent, not held by another pass; claimed unless dry_run.
    `urgent_only`: only the urgent sources (the scheduler's every-minute job)."""
    now = workdays.local(now)
    found: list[Notice] = []
    seen: set[str] = set()
    for src in sources():     # decide first, without holding the write lock
        if urgent_only and not src.urgent:
            continue
        try:
            due = list(src.due(db, now))
        except Exception:  # one broken source must not silence the others
            log.exception("notice source %s failed", src.name)
            continue
        for n in due:
            if not n.key.startswith(f"{PREFIX}{src.name}:"):
                raise ValueError(f"notice key {n.key!r} must start with {PREFIX}{src.name}:")
            if n.key not in seen:
                seen.add(n.key)
                found.append(n)
    out: list[Outgoing] = []
    if dry_run:
        out = [Outgoing(n.user_id, n.reply, key=n.key, file=n.file) for n in found
               if not store.held(db, n.key, _cutoff())]
        return out
    # then claim everything in one write transaction: one commit for thousands of notices, and the
    # claims are sealed into the audit chain as they are committed
    with transaction(db):
        pass_at, at, cutoff = workdays.iso(now), store.utc_iso(_real_now()), _cutoff()
        for n in found:
            if store.claim(db, key=n.key, user_id=n.user_id, kind=n.kind, text=n.reply.text, detail=n.detail,
                           pass_at=pass_at, via="scheduler", at=at, lease_cutoff=cutoff):
                out.append(Outgoing(n.user_id, n.reply, key=n.key, file=n.file))
    return out


def still_due(db: sqlite_utils.Database, key: str, now: _dt.datetime | None = None) -> bool:
    """Re-check a notice just before sending it (True for keys no source re-checks)."""
    src = _source_of(key)
    if src is None or src.still_due is None:
        return True
    return bool(src.still_due(db, key, workdays.local(now or workdays.now())))


def _record(db, key: str, event: str, via: str, detail: str, user_id: str | None = None,
            text: str | None = None) -> bool:
    # The message itself is in the claim row (chained); repeating it on every sent/failed/dropped
    # row doubled the log and the audit chain (a year of DMs for 1,000 people: gigabytes).
    claim = store.status(db, key)
    return store.record(db, key=key, event=event, user_id=user_id or (claim and claim["user_id"]),
                        kind=claim and claim["kind"], text=text, detail=detail,
                        pass_at=claim and claim["pass_at"], via=via, at=store.utc_iso(_real_now()))


def mark_sent(db: sqlite_utils.Database, key: str, *, via: str = "scheduler", detail: str = "",
              user_id: str | None = None, text: str | None = None) -> bool:
    """Record delivery; False if it had already been recorded (it is then never sent again)."""
    return _record(db, key, "sent", via, detail, user_id, text)


def mark_failed(db: sqlite_utils.Database, key: str, error: str = "", *, via: str = "scheduler") -> None:
    """Record a failed send; the next pass offers the notice again if it is still due."""
    _record(db, key, "failed", via, (error or "")[:500])


def mark_dropped(db: sqlite_utils.Database, key: str, *, via: str = "scheduler") -> None:
    """Record that a claimed notice was no longer due when it was about to be sent."""
    _record(db, key, "dropped", via, "no longer due")


def is_sent(db: sqlite_utils.Database, key: str) -> bool:
    return store.is_sent(db, key)


def deliver(db: sqlite_utils.Database, outgoings: Iterable[Outgoing], send: Callable[[Outgoing], bool], *,
            via: str = "scheduler", now: _dt.datetime | None = None, claimed: bool = True) -> dict:
    """Send each outgoing once: re-check, send, then mark sent / failed / dropped.

    `claimed=True` for what run_pass returned (already claimed); `claimed=False` for a handler's
    outgoings (claimed here under their own keys, so a repeat is skipped). Returns counts.
    """
    counts = {"sent": 0, "failed": 0, "dropped": 0, "skipped": 0}
    for o in outgoings:
        key = o.key
        if not key:
            raise ValueError("an Outgoing needs a key to be delivered exactly once")
        if not claimed and not store.claim(db, key=key, user_id=o.user_id, kind="outgoing", text=o.reply.text,
                                           detail="", pass_at=None, via=via, at=store.utc_iso(_real_now()),
                                           lease_cutoff=_cutoff()):
            counts["skipped"] += 1
            continue
        if not still_due(db, key, now):
            mark_dropped(db, key, via=via)
            counts["dropped"] += 1
            continue
        try:
            ok = bool(send(o))
            error = "" if ok else "send returned False"
        except Exception as e:  # the sender's failure is retried on the next pass
            log.exception("sending %s failed", key)
            ok, error = False, f"{type(e).__name__}: {e}"
        if ok:
            mark_sent(db, key, via=via)
            counts["sent"] += 1
        else:
            mark_failed(db, key, error, via=via)
            counts["failed"] += 1
    return counts


# ---- the routed-questions source ------------------------------------------------------------

SOURCE_ROUTING = "routing"


def _days_off(db, user_id: str) -> list[str]:
    p = people.get_person(db, user_id)
    return p["days_off"] if p else []


def _escalation_targets(db, r: dict) -> list[str]:
    skip = {r["asker_id"], r["assignee_id"], *r["recipients"]}
    for role in ("officer", "admin"):
        ids = [p["user_id"] for p in pstore.active(db, role=role) if p["user_id"] not in skip]
        if ids:
            return ids
    return []


def _routing_due(db: sqlite_utils.Database, now: _dt.datetime) -> Iterable[Notice]:
    remind = REMIND_AFTER_WORKING_HOURS * 3600
    escalate = ESCALATE_AFTER_WORKING_DAYS * workdays.working_day_seconds()
    for r in routing.unanswered(db):
        at = workdays.parse(r["at"])
        asker = people.display_name(db, r["asker_id"])
        button = [Button("回答する", routing.ACTION_ANSWER, str(r["id"]), "primary")]
        for u in r["recipients"]:
            off = _days_off(db, u)
            # the roster now decides: someone no longer concerned is not sent the question again
            if not routing.may_answer(db, u, r) or not workdays.is_working_time(now, off):
                continue
            if workdays.working_seconds_between(at, now, off) >= remind:
                text = (f"回答をお待ちの質問があります。{asker}さんから {workdays.format_jst(at)} に届いた質問に、"
                        f"まだ回答がありません。ご対応をお願いします。\n\n質問: {r['question']}")
                yield Notice(f"{PREFIX}{SOURCE_ROUTING}:remind:{r['id']}:{u}", u, Reply(text, buttons=button),
                             "routing_reminder", f"routed {r['id']}")
        if r["assignee_id"] and workdays.working_seconds_between(at, now) >= escalate:
            lp = people.get_person(db, r["assignee_id"])
            lead = f"{people.ROLES[lp['role']] if lp else '作業責任者'}の{people.display_name(db, r['assignee_id'])}"
            for u in _escalation_targets(db, r):
                if not workdays.is_working_time(now, _days_off(db, u)):
                    continue
                text = (f"{asker}さんから{lead}さんに {workdays.format_jst(at)} に届いた質問に、"
                        f"{ESCALATE_AFTER_WORKING_DAYS:g}営業日たっても回答がありません。代わりにご対応をお願いします。\n\n"
                        f"質問: {r['question']}")
                yield Notice(f"{PREFIX}{SOURCE_ROUTING}:escalate:{r['id']}:{u}", u, Reply(text, buttons=button),
                             "routing_escalation", f"routed {r['id']}")


def _routing_still_due(db: sqlite_utils.Database, key: str, now: _dt.datetime) -> bool:
    try:
        routed_id = int(key.split(":")[3])
    except (IndexError, ValueError):
        return True
    from storage import questions

    r = questions.routed(db, routed_id)
    return bool(r and not r["answered"])


register_source(SOURCE_ROUTING, _routing_due, _routing_still_due)


# ---- for the terminal -----------------------------------------------------------------------

def outgoing_text(db: sqlite_utils.Database, o: Outgoing) -> str:
    """How a notice reads in the terminal: recipient, text, buttons."""
    lines = [f"宛先: {people.display_name(db, o.user_id)}さん（{o.user_id}）  [{o.key}]", o.reply.text]
    if o.reply.buttons:
        lines.append("ボタン: " + "、".join(f"［{b.label}］" for b in o.reply.buttons))
    if o.file is not None:   # Slack uploads it into the DM; the terminal can only name it
        lines.append(f"添付: {o.file.filename}（{o.file.title or 'ファイル'}、{len(o.file.content):,} バイト）")
    return "\n".join(lines)
