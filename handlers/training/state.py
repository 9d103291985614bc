"""Where each person stands in each course, computed from the stored records and `now` only.

A *track* is one person's progress in one course (the course of one of their contracts). Its
assignment in force is the latest one of the current cycle; `need` is an assignment that should
exist now but has not been written yet (a new registration, a changed start date, a pass about
to expire). Needs are written by `ensure` — right before the notice announcing them is sent, at
the person's first interaction, or by `assign_owed` before an export (the record the city reads
must list everyone who owes the training) — so that reading state (Home, 「研修 状況」, a dry-run
notices pass) never writes anything.

Everything is read in a handful of queries (`Records`) so a notices pass over thousands of people
does not query per person.
"""
from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from dataclasses import dataclass, field

import sqlite_utils

from handlers import people, workdays
from handlers.training import content
from handlers.training.content import Course
from storage import people as pstore
from storage import training as store

INITIAL = "initial"
SCHEDULER = "scheduler"

STATE_LABELS = {
    "not_started": "未受講",
    "in_progress": "受講中",
    "failed": "不合格（再受講待ち）",
    "pledge": "合格・誓約待ち",
    "done": "修了",
}


def clock() -> _dt.datetime:
    """Now (handlers.workdays.now(), which honours MAMORU_NOW)."""
    return workdays.now()


def renew_cycle(result_id: int) -> str:
    return f"renew:{result_id}"


def date_of(value: str | _dt.date | None) -> _dt.date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, _dt.date) else _dt.date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class Need:
    cycle: str
    basis: str
    due: _dt.date
    reason: str                # registration | start_date_changed | renewal
    prev_id: int | None


class Records:
    """Every training record (or one person's), indexed."""

    def __init__(self, db: sqlite_utils.Database, user_id: str | None = None):
        self.assignments: dict[tuple, list[dict]] = defaultdict(list)
        self.attempts: dict[tuple, list[dict]] = defaultdict(list)
        self.results: dict[int, dict] = {}
        self.passes: dict[tuple, list[dict]] = defaultdict(list)
        self.pledges: dict[int, dict] = {}
        for a in store.assignments(db, user_id):
            self.assignments[(a["user_id"], a["course_id"])].append(a)
        for t in store.attempts(db, user_id):
            self.attempts[(t["user_id"], t["course_id"], t["cycle"])].append(t)
        for r in store.results(db, user_id):
            self.results[r["attempt_id"]] = r
            if r["passed"]:
                self.passes[(r["user_id"], r["course_id"])].append(r)
        for p in store.pledges(db, user_id):
            self.pledges[p["result_id"]] = p
        # when each person's stay on each contract began: an initial deadline counts from it
        self.on_contract_since = pstore.on_contract_since(db, user_id)


@dataclass
class Track:
    person: dict
    contract: str
    course: Course
    today: _dt.date
    assignment: dict | None
    need: Need | None
    attempts: list[dict] = field(default_factory=list)
    results: dict[int, dict] = field(default_factory=dict)      # attempt id -> result (this cycle)
    pledges: dict[int, dict] = field(default_factory=dict)      # result id -> pledge
    previous_pass: dict | None = None                           # the latest pledged pass of an earlier cycle

    @property
    def user_id(self) -> str:
        return self.person["user_id"]

    @property
    def cycle(self) -> str:
        if self.need is not None:
            return self.need.cycle
        return self.assignment["cycle"] if self.assignment else INITIAL

    @property
    def due(self) -> _dt.date:
        return self.need.due if self.need is not None else date_of(self.assignment["due_date"])

    @property
    def new_cycle(self) -> bool:
        """The need starts a cycle of its own (nothing done in it yet)."""
        return self.need is not None and (self.assignment is None or self.need.cycle != self.assignment["cycle"])

    @property
    def open_attempt(self) -> dict | None:
        if self.new_cycle:
            return None
        last = self.attempts[-1] if self.attempts else None
        return last if last and last["id"] not in self.results else None

    @property
    def last_result(self) -> dict | None:
        if self.new_cycle:
            return None
        done = [self.results[a["id"]] for a in self.attempts if a["id"] in self.results]
        return done[-1] if done else None

    @property
    def passed(self) -> dict | None:
        if self.new_cycle:
            return None
        ok = [r for r in (self.results.get(a["id"]) for a in self.attempts) if r and r["passed"]]
        return ok[-1] if ok else None

    @property
    def pledge(self) -> dict | None:
        p = self.passed
        return self.pledges.get(p["id"]) if p else None

    @property
    def state(self) -> str:
        if self.new_cycle:
            return "not_started"
        if self.passed:
            return "done" if self.pledge else "pledge"
        if self.open_attempt:
            return "in_progress"
        if self.last_result:
            return "failed"
        return "not_started"

    @property
    def complete(self) -> bool:
        return self.state == "done"

    @property
    def overdue(self) -> bool:
        return not self.complete and self.today > self.due

    @property
    def days_left(self) -> int:
        return (self.due - self.today).days

    @property
    def valid_until(self) -> _dt.date | None:
        p = self.passed if self.complete else None
        return date_of(p["valid_until"]) if p else None

    @property
    def still_valid_pass(self) -> dict | None:
        """During a renewal: the earlier pass that has not expired yet."""
        p = self.previous_pass
        return p if p and date_of(p["valid_until"]) >= self.today else None


class Context:
    """What computing tracks needs, loaded once (records, settings, the course of each contract)."""

    def __init__(self, db: sqlite_utils.Database, now: _dt.datetime | None = None, user_id: str | None = None):
        self.db = db
        self.now = workdays.local(now or clock())
        self.today = self.now.date()
        self.records = Records(db, user_id)
        self.settings = store.settings(db)
        self._courses: dict[str, Course | None] = {}

    def course(self, contract: str) -> Course | None:
        if contract not in self._courses:
            self._courses[contract] = content.course_for(self.db, contract, self.settings)
        return self._courses[contract]

    def tracks(self, person: dict) -> list[Track]:
        out: list[Track] = []
        seen: set[str] = set()
        for contract in person.get("contracts") or []:
            course = self.course(contract)
            if course is None or course.id in seen:
                continue
            seen.add(course.id)
            out.append(self.track(person, contract, course))
        return out

    def track(self, person: dict, contract: str, course: Course) -> Track:
        uid, rec = person["user_id"], self.records
        rows = rec.assignments.get((uid, course.id), [])
        cur = rows[-1] if rows else None
        t = Track(person, contract, course, self.today, cur, None)
        cycle = cur["cycle"] if cur else INITIAL
        t.attempts = list(rec.attempts.get((uid, course.id, cycle), []))
        t.results = {a["id"]: rec.results[a["id"]] for a in t.attempts if a["id"] in rec.results}
        t.pledges = rec.pledges
        earlier = [r for r in rec.passes.get((uid, course.id), []) if r["cycle"] != cycle and r["id"] in rec.pledges]
        t.previous_pass = earlier[-1] if earlier else None
        t.need = self._need(t, person, course, cur)
        if t.new_cycle:   # a renewal not written yet: the pass of the current cycle is the earlier one
            pledged = [r for r in rec.passes.get((uid, course.id), []) if r["id"] in rec.pledges]
            t.previous_pass = pledged[-1] if pledged else None
        return t

    def registered_on(self, person: dict, contract: str) -> _dt.date:
        """The day (JST) the person's stay on the contract began (else their registration in force),
        never after today: what an initial deadline counts from, so it does not move with the day
        it is asked (a lead's view on 11/24 and on 11/30 show the same date)."""
        since = self.records.on_contract_since
        at = since.get((person["user_id"], contract)) or since.get((person["user_id"], ""))
        day = workdays.local(workdays.parse(at)).date() if at else self.today
        return min(day, self.today)

    def _need(self, t: Track, person: dict, course: Course, cur: dict | None) -> Need | None:
        start = person.get("start_date") or ""
        if cur is None:
            return Need(INITIAL, start, initial_due(start, self.registered_on(person, t.contract), course, self.today),
                        "registration", None)
        if t.complete:
            p = t.passed
            until = date_of(p["valid_until"])
            if until and self.today >= until - _dt.timedelta(days=course.renew_days):
                return Need(renew_cycle(p["id"]), "", max(until, self.today), "renewal", cur["id"])
            return None
        if cur["cycle"] == INITIAL and start and start != cur["basis"] and date_of(start) >= self.today:
            return Need(INITIAL, start, date_of(start), "start_date_changed", cur["id"])
        return None


def initial_due(start: str, registered: _dt.date, course: Course, today: _dt.date) -> _dt.date:
    """The start date when it is not before the registration; otherwise (none, or the person started
    before being registered) the registration day + due_days. Fixed once registered: the notices
    pass, the first interaction and every view compute the same date whenever they run.

    Never a date already past when the deadline is first set, though: when mamoru went live, or the
    training was switched on, long after the roster was registered, the people on it get a deadline
    ahead of them (the start date still ahead, else today + due_days), not an overdue notice on day one."""
    d = date_of(start)
    due = d if d and d >= registered else registered + _dt.timedelta(days=course.due_days)
    if due < today:
        return d if d and d >= today else today + _dt.timedelta(days=course.due_days)
    return due


def tracks_of(db: sqlite_utils.Database, user_id: str, now: _dt.datetime | None = None) -> list[Track]:
    p = people.get_person(db, user_id)
    return Context(db, now, user_id).tracks(p) if p else []


def everyone(ctx: Context, contract: str | None = None) -> list[Track]:
    """The tracks of every active person (optionally of one contract), by user id."""
    out = []
    for p in pstore.active(ctx.db):
        for t in ctx.tracks(p):
            if contract is None or t.contract == contract:
                out.append(t)
    return out


def ensure(db: sqlite_utils.Database, t: Track, *, actor: str, via: str, now: _dt.datetime) -> dict | None:
    """Write the track's needed assignment (idempotent); returns the assignment in force."""
    if t.need is None:
        return t.assignment
    n = t.need
    aid, _ = store.assign(db, user_id=t.user_id, contract=t.contract, course_id=t.course.id,
                          course_version=t.course.version, cycle=n.cycle, basis=n.basis, due_date=n.due.isoformat(),
                          reason=n.reason, prev_id=n.prev_id, actor=actor, via=via, at=workdays.iso(now))
    return store.assignment(db, aid)


def assign_owed(db: sqlite_utils.Database, *, actor: str, via: str, now: _dt.datetime | None = None,
                contract: str | None = None, allows=lambda uid: True) -> int:
    """Write every need of the active people in scope (a contract, and whom `allows` admits), by the
    rule the notices pass writes them with; returns how many were written. Idempotent: a written need
    is no longer a need, and the same need twice is recorded once (storage.training.assign)."""
    names = set(pstore.names_of(db, contract)) if contract else None     # a contract renamed: still its people
    written = 0
    with store.transaction(db):          # read and write in one transaction, as the notices pass does
        ctx = Context(db, now)
        for t in everyone(ctx):
            if t.need is None or (names is not None and t.contract not in names) or not allows(t.user_id):
                continue
            ensure(db, t, actor=actor, via=via, now=ctx.now)
            written += 1
    return written
