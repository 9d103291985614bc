"""One day's checklist state for everyone, read in a few queries (a notices pass for thousands of
people must not query per person), cached while nothing it depends on has changed."""
from __future__ import annotations

import datetime as _dt
import threading
from dataclasses import dataclass, field

import sqlite_utils

from handlers import people
from handlers.checklist import plan
from handlers.checklist.content import Checklist
from storage import checklists as store
from storage import people as pstore


@dataclass
class Answer:
    id: int
    answer: str
    at: str
    via: str
    needs_reason: bool
    reason: str | None
    declined: bool
    reason_recorded: bool


@dataclass
class Day:
    date: _dt.date
    settings: dict
    people: dict[str, dict]
    answers: dict[tuple[str, str, str], Answer] = field(default_factory=dict)   # latest per (user, checklist, item)
    away: dict[str, dict] = field(default_factory=dict)                       # open leaving-desk record per user
    _slugs: dict[str, list[str]] = field(default_factory=dict)
    _slots: dict[str, list] = field(default_factory=dict)
    _plans: dict[tuple, list] = field(default_factory=dict)
    _recips: dict[str, list[str]] | None = None
    _teams: dict[str, list[dict]] | None = None

    def person(self, user_id: str) -> dict | None:
        return self.people.get(user_id)

    def participants(self) -> list[dict]:
        return [p for p in self.people.values() if plan.is_participant(p)]

    def slots(self, person: dict) -> list[plan.Slot]:
        """The person's scheduled checklists that day (computed once per person and day)."""
        uid = person["user_id"]
        if uid not in self._slots:
            if not plan.is_participant(person) or not plan.works_on(person, self.date):
                self._slots[uid] = []
            else:
                key = tuple(person["contracts"])
                if key not in self._plans:
                    self._plans[key] = [plan.Slot(c, name, sched, self.date) for c, name, sched
                                        in plan.person_checklists(self.settings, person) if sched.scheduled]
                self._slots[uid] = self._plans[key]
        return self._slots[uid]

    def answer(self, user_id: str, checklist_id: str, item_id: str) -> Answer | None:
        return self.answers.get((user_id, checklist_id, item_id))

    def missing(self, user_id: str, checklist: Checklist) -> list:
        """The yes/no items of the checklist the person has not answered today."""
        return [i for i in checklist.checks if (user_id, checklist.id, i.id) not in self.answers]

    def noes(self, user_id: str, checklist: Checklist) -> list[tuple]:
        """(item, Answer) for the items whose latest answer today is いいえ."""
        out = []
        for i in checklist.checks:
            a = self.answers.get((user_id, checklist.id, i.id))
            if a and a.answer == "no":
                out.append((i, a))
        return out

    def slugs(self, db: sqlite_utils.Database, contract: str | None) -> list[str]:
        """The documents binding a contract (cited first), looked up once per contract."""
        key = contract or ""
        if key not in self._slugs:
            self._slugs[key] = people.contract_docs(db, contract) if contract else []
        return self._slugs[key]

    def _index(self) -> None:
        if self._recips is not None:
            return
        fallback = _fallbacks(self.people)
        self._recips, self._teams = {}, {}
        for p in self.participants():
            r = recipients_from(self.people, p, fallback)
            self._recips[p["user_id"]] = r
            for u in r:
                self._teams.setdefault(u, []).append(p)

    def recipients(self, person: dict) -> list[str]:
        """Who hears about this person's checklists: their lead, else the officers, else the admins."""
        self._index()
        if person["user_id"] in self._recips:
            return self._recips[person["user_id"]]
        return recipients_from(self.people, person)

    def team_of(self, lead_id: str) -> list[dict]:
        """The participants whose checklists this person hears about (see recipients)."""
        self._index()
        return list(self._teams.get(lead_id, []))


def _fallbacks(everyone: dict[str, dict]) -> dict[str, list[str]]:
    return {role: sorted(u for u, p in everyone.items() if p["role"] == role) for role in ("officer", "admin")}


def recipients_from(everyone: dict[str, dict], person: dict, fallback: dict[str, list[str]] | None = None) -> list[str]:
    lead = everyone.get(person.get("lead_id") or "")
    if lead and lead["role"] in people.APPROVERS and lead["user_id"] != person["user_id"]:
        return [lead["user_id"]]
    fallback = fallback or _fallbacks(everyone)
    for role in ("officer", "admin"):
        ids = [u for u in fallback[role] if u != person["user_id"]]
        if ids:
            return ids
    return []


_cache: dict = {}
_cache_lock = threading.Lock()


def day(db: sqlite_utils.Database, d: _dt.date) -> Day:
    """Everyone's state on day `d` (latest answer per item, open leaving-desk records, people)."""
    version = store.version(db)
    key = (id(db.conn), d, version)
    with _cache_lock:
        hit = _cache.get("day")
        if hit and hit[0] == key:
            return hit[1]
    everyone = {p["user_id"]: p for p in pstore.active(db)}
    result = Day(d, plan.settings(db), everyone)
    for r in store.day_answers(db, d.isoformat()):
        result.answers[(r["user_id"], r["checklist_id"], r["item_id"])] = Answer(
            r["id"], r["answer"], r["at"], r["via"], bool(r["needs_reason"]), r["reason"], bool(r["declined"]),
            r["reason_id"] is not None)
    for a in store.open_away(db):
        result.away[a["user_id"]] = a
    with _cache_lock:
        _cache["day"] = (key, result)
    return result
