"""The report's figures, computed from records only (no figure is written anywhere by hand).

Definitions (documented for the officer and checked by tests/test_report.py):
- members: the contract's roster (handlers.audit.roster) on a day = the people whose latest
  `people` row at the end of that day (JST) is active, a worker or lead, and lists the contract.
- roster changes: handlers.audit.roster_changes within the period (joined, left, lead, role…);
  officer changes are the changes whose person is (or was) an officer.
- incidents: the incidents of the contract (incidents.contract) reported up to the period's end;
  "reported" = reported within the period; the state at the period's end is read from the timeline
  entries up to then (closed = a 'closed' entry after the last 'reopened').
- training, at the period's end (or today, for a period not yet over), for each member (worker/lead):
  修了 = a passed result with its pledge signed by then, for an assignment of this contract, still
  valid (valid_until empty or on/after that day); 期限切れ = not 修了 and the latest such assignment
  written by then is due before that day; otherwise 未修了. "completed in the period" = pledges
  signed within it.
- incident types are shown by their Japanese label (knowledge/incident/flow.toml), never their id.
- checklists: for every member and every day of the period up to today on which they had scheduled
  checklists (handlers.checklist.plan.slots with their state that day), each yes/no item is one
  expected confirmation; its latest answer that day is はい (confirmed), いいえ, or none (未回答).
  A checklist whose deadline (else send time) came before the person's registration is not expected,
  nor one whose deadline has not come yet (today's, for a period not over).
  The completion rate is confirmed / expected; "missed" = いいえ + 未回答, per item and per person.
"""
from __future__ import annotations

import datetime as _dt
from collections import Counter, defaultdict

import sqlite_utils

from handlers import audit, workdays
from storage import incidents as istore
from storage import people as pstore
from storage import reports as rstore
from storage import training as tstore

MEMBER_ROLES = ("worker", "lead")


def _end_of(d: _dt.date) -> _dt.datetime:
    return _dt.datetime.combine(d + _dt.timedelta(days=1), _dt.time(0), workdays.JST)


def _start_of(d: _dt.date) -> _dt.datetime:
    return _dt.datetime.combine(d, _dt.time(0), workdays.JST)


def _before(at: str, limit: _dt.datetime) -> bool:
    return workdays.parse(at) < limit


class States:
    """Each person's state at the end of any day, from their append-only history."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self.history = {p["user_id"]: pstore.history(db, p["user_id"]) for p in pstore.everyone(db)}
        # each row's time, parsed once (a year's report asks for every member on every day)
        self._times = {uid: [workdays.parse(r["at"]) for r in rows] for uid, rows in self.history.items()}

    def at(self, user_id: str, limit: _dt.datetime) -> dict | None:
        cur = None
        for row, t in zip(self.history.get(user_id, []), self._times.get(user_id, [])):
            if t < limit:
                cur = row
        return cur

    def active_on(self, d: _dt.date) -> list[dict]:
        """Active workers and leads at the end of day d, by user id (kept: the weekly digest asks
        the same day once per recipient)."""
        cache = self.__dict__.setdefault("_days", {})
        if d not in cache:
            if len(cache) > 400:
                cache.clear()
            limit = _end_of(d)
            out = []
            for uid in sorted(self.history):
                p = self.at(uid, limit)
                if p and p["active"] and p["role"] in MEMBER_ROLES:
                    out.append(p)
            cache[d] = out
        return cache[d]

    def members(self, contract: str, d: _dt.date) -> list[dict]:
        names = self.__dict__.setdefault("_names", {})
        if contract not in names:      # a day before a rename: the history row holds the earlier name
            names[contract] = set(pstore.names_of(self.db, contract))
        return [p for p in self.active_on(d) if names[contract] & set(p["contracts"])]

    def registered_since(self, user_id: str, limit: _dt.datetime) -> _dt.datetime | None:
        """When the person's registration in force at `limit` began (their latest (re)activation)."""
        since = None
        for row, t in zip(self.history.get(user_id, []), self._times.get(user_id, [])):
            if t >= limit:
                break
            if not row["active"]:
                since = None
            elif since is None:
                since = t
        return since


def registered_since(db: sqlite_utils.Database, user_id: str, limit: _dt.datetime) -> _dt.datetime | None:
    """States.registered_since for one person, read from their own history only (the daily digest)."""
    since = None
    for row in pstore.history(db, user_id):
        t = workdays.parse(row["at"])
        if t >= limit:
            break
        since = None if not row["active"] else (since or t)
    return since


def roster_figures(db, contract: str, d0: _dt.date, d1: _dt.date) -> dict:
    changes = audit.roster_changes(db, contract, d0.isoformat(), d1.isoformat())
    kinds = Counter(c["kind"] for c in changes)
    officer = [c for c in changes if c.get("role") == "officer" or "officer" in (c.get("before"), c.get("after"))]
    return {"changes": changes, "joined": kinds["joined"], "left": kinds["left"], "lead_changed": kinds["lead"],
            "role_changed": kinds["role"], "officer_changes": len(officer), "count": len(changes),
            "sentences": [audit.change_sentence(db, c) for c in changes]}


def incident_figures(db, contract: str, d0: _dt.date, d1: _dt.date) -> dict:
    start, end = _start_of(d0), _end_of(d1)
    events = istore.events_by_incident(db)
    rows = []
    names = set(pstore.names_of(db, contract))          # incidents reported before a rename count too
    for i in istore.index(db):
        if i["contract"] not in names or not _before(i["at"], end):
            continue
        ev = [e for e in events.get(i["id"], []) if _before(e["at"], end)]
        last_closed = max((e["id"] for e in ev if e["kind"] == "closed"), default=0)
        last_reopened = max((e["id"] for e in ev if e["kind"] == "reopened"), default=0)
        closed = last_closed > last_reopened
        closed_at = next((e["at"] for e in ev if e["id"] == last_closed), None) if closed else None
        reported_in = not _before(i["at"], start)
        if not reported_in and closed and closed_at and _before(closed_at, start):
            continue   # closed before the period: nothing to report
        rows.append({"ref": i["ref"], "type": i["type"], "at": i["at"], "reported_in_period": reported_in,
                     "acknowledged": any(e["kind"] in ("acknowledged", "closed") for e in ev),
                     "city_reported": any(e["kind"] == "city_reported" for e in ev), "closed": closed,
                     "closed_at": closed_at})
    return {"incidents": rows, "reported": sum(r["reported_in_period"] for r in rows),
            "open": sum(not r["closed"] for r in rows),
            "closed_in_period": sum(bool(r["closed"] and r["closed_at"] and not _before(r["closed_at"], start))
                                    for r in rows)}


def training_figures(db, contract: str, d0: _dt.date, d1: _dt.date, members: list[dict],
                     today: _dt.date | None = None) -> dict:
    # A period not yet over is judged as of today: a deadline next week is not 期限切れ yet.
    as_of = min(d1, today or workdays.now().date())
    start, end = _start_of(d0), _end_of(as_of)
    names = set(pstore.names_of(db, contract))
    assignments = {a["id"]: a for a in tstore.assignments(db) if a["contract"] in names}
    attempts = {t["id"]: t for t in tstore.attempts(db) if t["assignment_id"] in assignments}
    results = {r["id"]: r for r in tstore.results(db) if r["attempt_id"] in attempts}
    pledges = [p for p in tstore.pledges(db) if p["result_id"] in results and _before(p["at"], end)]
    done, overdue, pending = [], [], []
    for m in members:
        uid = m["user_id"]
        ok = [p for p in pledges if p["user_id"] == uid and results[p["result_id"]]["passed"]
              and (not results[p["result_id"]]["valid_until"] or results[p["result_id"]]["valid_until"][:10] >= as_of.isoformat())]
        if ok:
            done.append(uid)
            continue
        mine = [a for a in assignments.values() if a["user_id"] == uid and _before(a["at"], end)]
        latest = max(mine, key=lambda a: a["id"]) if mine else None
        if latest and latest["due_date"] < as_of.isoformat():
            overdue.append({"user_id": uid, "name": m["name"], "due_date": latest["due_date"]})
        else:
            pending.append(uid)
    completed = sorted({p["user_id"] for p in pledges if not _before(p["at"], start)})
    return {"members": len(members), "done": len(done), "overdue": overdue, "overdue_count": len(overdue),
            "pending": len(pending), "completed_in_period": len(completed), "completed_ids": completed}


def checklist_tally(db, d0: _dt.date, last: _dt.date, members_on, states: "States | None" = None,
                    now: _dt.datetime | None = None, keys: dict[str, set] | None = None) -> dict:
    """Expected and confirmed checklist items of the people `members_on(day)` lists, day by day.
    With `states`, a checklist whose deadline came before the person was registered is not
    expected of them (someone added on Wednesday afternoon owes nothing for Wednesday morning).
    On the day in progress (today, at `now`, default the clock), a checklist whose deadline has not
    come yet is not counted at all: at 00:30 nobody has missed the day's 始業時 yet.

    Shared by the status report (a contract's members) and the lead's weekly digest (a team), so
    both count the same way: each yes/no item of each scheduled checklist is one expected
    confirmation, its latest answer that day decides.

    With `keys` (a dict), keys["expected"] receives (user_id, checklist_id, item_id, work date) of
    every expected item and keys["pending"] those of the day in progress not due yet: the checklist
    export sorts each record by them (handlers.checklist.export.totals).
    """
    from handlers.checklist import content, plan

    want_expected = keys.setdefault("expected", set()) if keys is not None else None
    want_pending = keys.setdefault("pending", set()) if keys is not None else None

    settings = plan.settings(db)
    expected = yes = no = 0
    item_missed: Counter = Counter()
    person = defaultdict(lambda: {"expected": 0, "yes": 0, "no": 0})
    per_day: dict[str, dict] = {}
    if now is None:         # the clock when `last` is today; a day over otherwise (a past period, a test's day)
        clock = workdays.now()
        now = clock if clock.date() == last else _end_of(last)
    now = workdays.local(now)
    d = d0
    while d <= last:
        slots: dict[tuple, list] = {}   # the day's checklists depend on these fields of a person only
        # one day's answers at a time (a year of them is never held in memory); the latest per item wins
        latest: dict[tuple, str] = {}
        for uid, checklist_id, item_id, answer in rstore.checklist_answers_of_day(db, d.isoformat()):
            latest[(uid, checklist_id, item_id)] = answer
        day_iso = d.isoformat()             # one string a day, shared by the keys handed back
        day = per_day.setdefault(day_iso, {"expected": 0, "yes": 0})
        for p in members_on(d):
            k = (p.get("active", True), p["role"], tuple(p.get("contracts") or ()), p.get("start_date"),
                 tuple(p.get("days_off") or ()))
            if k not in slots:
                slots[k] = plan.slots(settings, p, d)
            since = states.registered_since(p["user_id"], _end_of(d)) if states is not None else None
            for slot in slots[k]:
                checklist = slot.checklist
                due_at = slot.deadline_at or slot.send_at
                if since is not None and due_at is not None and due_at < since:
                    continue
                if due_at is not None and due_at > now:
                    if want_pending is not None:
                        want_pending.update((p["user_id"], checklist.id, item.id, day_iso)
                                            for item in checklist.checks)
                    continue                       # not due yet (today, or a day still to come)
                for item in checklist.checks:
                    if want_expected is not None:
                        want_expected.add((p["user_id"], checklist.id, item.id, day_iso))
                    a = latest.get((p["user_id"], checklist.id, item.id))
                    expected += 1
                    day["expected"] += 1
                    person[p["user_id"]]["expected"] += 1
                    if a == "yes":
                        yes += 1
                        day["yes"] += 1
                        person[p["user_id"]]["yes"] += 1
                    else:
                        if a == "no":
                            no += 1
                            person[p["user_id"]]["no"] += 1
                        item_missed[(checklist.id, item.id)] += 1
        d += _dt.timedelta(days=1)
    labels = {}
    for c in content.checklists():
        for i in c.items:
            labels[(c.id, i.id)] = f"{c.title}「{i.label}」"
    top = [{"checklist": k[0], "item": k[1], "label": labels.get(k, f"{k[0]}/{k[1]}"), "missed": n}
           for k, n in sorted(item_missed.items(), key=lambda kv: (-kv[1], kv[0]))]
    return {"expected": expected, "confirmed": yes, "no": no, "unanswered": expected - yes - no,
            "rate": (yes / expected) if expected else None, "items_missed": top, "per_person": dict(person),
            "per_day": per_day, "through": last.isoformat()}


def checklist_figures(db, contract: str, d0: _dt.date, d1: _dt.date, states: States,
                      today: _dt.date | None = None) -> dict:
    today = today or workdays.now().date()
    return checklist_tally(db, d0, min(d1, today), lambda d: states.members(contract, d), states)


def compute(db: sqlite_utils.Database, contract: str, d0: _dt.date, d1: _dt.date,
            today: _dt.date | None = None) -> dict:
    states = States(db)
    members_end = states.members(contract, min(d1, today or workdays.now().date()))
    return {
        "contract": contract, "from": d0.isoformat(), "to": d1.isoformat(),
        "members_at_end": len(members_end),
        "roster": roster_figures(db, contract, d0, d1),
        "incidents": incident_figures(db, contract, d0, d1),
        "training": training_figures(db, contract, d0, d1, members_end, today),
        "checklists": checklist_figures(db, contract, d0, d1, states, today),
    }
