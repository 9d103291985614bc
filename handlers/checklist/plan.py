"""Who answers which checklist when: per-contract settings, schedules, working days.

A contract uses every shipped checklist unless its settings name some (`checklists`); each
scheduled checklist (始業時, 終業時) has a send time, a deadline and a grace time, from its file,
overridden per contract (`times`). A person takes part in the scheduled checklists when they are
registered as worker or lead, have a contract, have started (start date), and it is a working
day for them (weekends, Japanese public holidays, the year-end closure and their own days off
are not: handlers.workdays). The first of their contracts that uses a checklist decides its times.

The clock: `now()` is handlers.workdays.now(), unless MAMORU_NOW holds an ISO 8601 time
(`2026-12-01T09:05+09:00`), which then stands still — for demonstrations and end-to-end tests of
a running `mamoru serve` on a chosen day.
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import sqlite_utils

from handlers import workdays
from handlers.checklist import content
from handlers.checklist.content import Checklist, Schedule
from storage import checklists as store

PARTICIPANT_ROLES = ("worker", "lead")


def now() -> _dt.datetime:
    return workdays.now()


def at_or_now(when: _dt.datetime | None) -> _dt.datetime:
    return workdays.local(when) if when is not None else now()


@dataclass
class Slot:
    """One checklist for one person on one day (the same Slot may serve everyone on a contract)."""
    checklist: Checklist
    contract: str | None
    schedule: Schedule
    date: _dt.date

    def __post_init__(self):
        tz = workdays.tz()

        def at(t):
            return _dt.datetime.combine(self.date, t, tz) if t is not None else None

        self.send_at = at(self.schedule.send)
        self.deadline_at = at(self.schedule.deadline)
        self.grace_end_at = at(self.schedule.grace_end())


def settings(db: sqlite_utils.Database) -> dict[str, dict]:
    return store.settings(db)


def contract_schedule(settings_map: dict, contract: str | None, checklist: Checklist) -> Schedule | None:
    """The checklist's schedule under a contract (None if the contract does not use it)."""
    s = settings_map.get(contract or "") or {}
    chosen = s.get("checklists")
    if chosen is not None and checklist.id not in chosen:
        return None
    t = (s.get("times") or {}).get(checklist.id) or {}
    base = checklist.schedule
    if not base.scheduled or not t:
        return base
    return Schedule(base.kind,
                    content.parse_time(t.get("send"), "send") or base.send,
                    content.parse_time(t.get("deadline"), "deadline") or base.deadline,
                    int(t.get("grace_minutes", base.grace_minutes)))


def person_checklists(settings_map: dict, person: dict | None) -> list[tuple[Checklist, str | None, Schedule]]:
    """Every checklist the person may answer (scheduled and on demand), with the contract it comes from.

    Someone registered without a contract may still use the on-demand ones (離席, ICカード).
    """
    if person is None:
        return []
    out = []
    contracts = list(person.get("contracts") or [])
    for c in content.checklists():
        for name in contracts:
            sched = contract_schedule(settings_map, name, c)
            if sched is not None:
                out.append((c, name, sched))
                break
        else:
            if not contracts and not c.schedule.scheduled:
                out.append((c, None, c.schedule))
    return out


def checklist_for(settings_map: dict, person: dict | None, checklist_id: str) -> tuple[Checklist, str | None, Schedule] | None:
    return next((t for t in person_checklists(settings_map, person) if t[0].id == checklist_id), None)


def is_participant(person: dict | None) -> bool:
    return bool(person and person.get("active", True) and person["role"] in PARTICIPANT_ROLES and person["contracts"])


def works_on(person: dict, d: _dt.date) -> bool:
    if person.get("start_date") and person["start_date"] > d.isoformat():
        return False
    return workdays.is_working_day(d, person.get("days_off") or [])


def day_off_reason(person: dict, d: _dt.date) -> str | None:
    """Why the person has no scheduled checklist on `d` (None when they have)."""
    if not is_participant(person):
        return "定時のチェックリストの対象ではありません"
    if person.get("start_date") and person["start_date"] > d.isoformat():
        return f"作業開始日（{workdays.format_date(person['start_date'])}）より前です"
    name = workdays.holiday_name(d)
    if name:
        return f"{name}です"
    if d.isoformat() in (person.get("days_off") or []):
        return "お休みの日として登録されています"
    return None


def slots(settings_map: dict, person: dict | None, d: _dt.date) -> list[Slot]:
    """The scheduled checklists the person answers on `d` (empty on their days off)."""
    if not is_participant(person) or not works_on(person, d):
        return []
    return [Slot(c, name, sched, d) for c, name, sched in person_checklists(settings_map, person) if sched.scheduled]


def digest_times(settings_map: dict, contracts: set[str]) -> set[_dt.time]:
    """When the grace time of a scheduled checklist ends, for these contracts."""
    out = set()
    for c in content.checklists():
        if not c.schedule.scheduled:
            continue
        for name in contracts:
            sched = contract_schedule(settings_map, name, c)
            if sched is not None and sched.grace_end() is not None:
                out.add(sched.grace_end())
    return out
