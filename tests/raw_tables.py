"""The raw tables as an auditor reads them, with sqlite3 and the checklist TOML files only (no mamoru code):
who was registered when, and the latest answer of each item and day. Shared by the audit of a built month
(tests/test_audit_month.py) and the generated histories (tests/test_records_property.py), which add their
own ways of counting on top."""
from __future__ import annotations

import datetime as _dt
import json
import sqlite3
import tomllib

from conftest import ROOT

JST = _dt.timezone(_dt.timedelta(hours=9))
CONTRACT = "吉川市"


def end_of(d: _dt.date) -> _dt.datetime:
    """Midnight JST after day d."""
    return _dt.datetime.combine(d + _dt.timedelta(days=1), _dt.time(0, 0), JST)


def deadline_at(d: _dt.date, schedule: dict) -> _dt.datetime:
    return _dt.datetime.combine(d, schedule["deadline"], JST)


def schedules() -> dict[str, dict]:
    """The scheduled (start/end of day) checklists: deadline, grace minutes, title and yes/no items."""
    out = {}
    for f in (ROOT / "knowledge" / "checklists").glob("*.toml"):
        data = tomllib.loads(f.read_text(encoding="utf-8"))
        s = data["schedule"]
        if s["kind"] in ("start_of_day", "end_of_day"):
            out[data["id"]] = {"deadline": _dt.time.fromisoformat(s["deadline"]), "grace": s.get("grace_minutes", 0),
                               "title": data["title"],
                               "items": [(i["id"], i["label"]) for i in data["items"] if i.get("kind", "check") == "check"]}
    return out


class RawTables:
    def __init__(self, path):
        self.conn = sqlite3.connect(path)
        self.rows = self.conn.execute("SELECT user_id, role, contracts, lead_id, start_date, days_off, active, at, name"
                                      " FROM people ORDER BY id").fetchall()
        self.latest = {}
        for u, cl, it, wd, ans in self.conn.execute("SELECT user_id, checklist_id, item_id, work_date, answer"
                                                    " FROM checklist_confirmations ORDER BY id"):
            self.latest[(u, cl, it, wd)] = ans
        self.sched = schedules()

    def state(self, uid: str, limit: _dt.datetime):
        """(row, registered since) of the person at `limit`."""
        cur, since = None, None
        for r in self.rows:
            if r[0] != uid or _dt.datetime.fromisoformat(r[7]) >= limit:
                continue
            cur = r
            since = None if not r[6] else (since or _dt.datetime.fromisoformat(r[7]))
        return cur, since

    def uids(self):
        return sorted({r[0] for r in self.rows})

    def members(self, d: _dt.date, contract: str | None = CONTRACT) -> list[str]:
        """Workers and leads registered on the contract (any, with None) at the end of day d."""
        out = []
        for u in self.uids():
            r, _ = self.state(u, end_of(d))
            if r and r[6] and r[1] in ("worker", "lead") and (contract is None or contract in json.loads(r[2])):
                out.append(u)
        return out
