"""Generated histories: every figure mamoru reports equals the count from the raw tables.

A seeded generator writes a random month — a contract created before or during it, people
registered before and during it (some in the afternoon), a role change, a lead change, someone
leaving, checklist answers with corrections and answers on days nobody owed, training assigned,
passed, pledged or overdue, incidents opened and closed (and another contract's) — and a random
"today" (mid-month or after it). Then the status report's figures, the daily digest, the weekly
digest and the checklist export are compared with counts written here independently, in plain
SQL over the raw tables and the checklist TOML files, without mamoru's code.
"""
from __future__ import annotations

import datetime as _dt
import json
import random
import re

import jpholiday
import pytest

from handlers import people
from knowledge import library
from storage import checklists as cstore
from storage import incidents as istore
from storage import people as pstore
from storage import training as tstore
from storage.db import open_db, transaction
from conftest import add_contracts
from raw_tables import RawTables, deadline_at, end_of, schedules

C, OTHER = "吉川市", "草加市"
JST = _dt.timezone(_dt.timedelta(hours=9))
SEEDS = range(12)
TYPES = ["ic_card", "device", "mail", "leak", "malware", "other", "near_miss"]


def at(d: _dt.date, hm: str) -> _dt.datetime:
    return _dt.datetime.combine(d, _dt.time.fromisoformat(hm), JST)


def users(db, argv, when: _dt.datetime):
    status, reply = people.run_users(db, "cli", argv, "cli", now=when)
    assert status == 0, (argv, reply.text)


# ---- the generator ------------------------------------------------------------------------------

def generate(db, rnd: random.Random) -> dict:
    month = rnd.choice([9, 10, 11])
    d0 = _dt.date(2026, month, 1)
    d1 = _dt.date(2026, month + 1, 1) - _dt.timedelta(days=1)
    born = d0 + _dt.timedelta(days=rnd.choice([-20, -3, 0, 6, 12]))         # the contract, maybe mid-month
    hm = lambda: f"{rnd.randint(7, 19):02d}:{rnd.choice(['00', '15', '40'])}"  # noqa: E731
    today = rnd.choice([d0 + _dt.timedelta(days=rnd.randint(3, 25)), d1 + _dt.timedelta(days=2)])
    today = max(today, born + _dt.timedelta(days=1))
    now = at(today, "23:00")                                                 # nothing is recorded after now
    users(db, ["add", "UO", "--name", "対策", "--role", "officer"], at(born, "07:00"))
    add_contracts(db, C, OTHER, at=at(born, "07:30").isoformat())
    for lead in ("UL1", "UL2"):
        users(db, ["add", lead, "--name", f"責任{lead}", "--role", "lead", "--contract", C], at(born, "07:30"))
    with transaction(db):   # as an older database holds it: `users add` now refuses a lead of another contract
        pstore.append(db, user_id="UX", change="add", name="他案件", role="worker", contracts=[OTHER], lead_id="UL1",
                      start_date=None, days_off=[], active=True, actor="cli", via="cli",
                      at=at(born, "07:40").isoformat(timespec="seconds"))
    workers = [f"UW{n}" for n in range(rnd.randint(3, 6))]
    joined = {}
    for w in list(workers):
        day = born + _dt.timedelta(days=rnd.randint(0, 25))
        joined[w] = at(day, hm())
        if joined[w] > now:
            workers.remove(w)
            continue
        argv = ["add", w, "--name", f"作業{w}", "--role", "worker", "--contract", C, "--lead", rnd.choice(["UL1", "UL2"])]
        if rnd.random() < 0.4:
            argv += ["--start-date", (day + _dt.timedelta(days=rnd.randint(0, 6))).isoformat()]
        users(db, argv, joined[w])
    w, w2 = rnd.choice(workers or ["UW9"]), rnd.choice(workers or ["UW9"])
    if not workers:
        workers.append("UW9")
        joined["UW9"] = at(born, "08:00")
        users(db, ["add", "UW9", "--name", "作業UW9", "--role", "worker", "--contract", C, "--lead", "UL1"], joined["UW9"])
    later = lambda w: min(joined[w] + _dt.timedelta(days=rnd.randint(1, 12), hours=rnd.randint(0, 5)), now - _dt.timedelta(hours=1))  # noqa: E731
    changes = [(later(w), ["add", w, "--role", "lead"]),                     # a role change
               (later(w2), ["add", w2, "--lead", rnd.choice(["UL1", "UL2"])])]   # a lead change
    if rnd.random() < 0.7:
        w3 = rnd.choice(workers)
        changes.append((later(w3), ["remove", w3]))                          # someone leaves
    for when, argv in sorted(changes, key=lambda c: c[0]):
        users(db, argv, when)
    with transaction(db):
        d = d0 - _dt.timedelta(days=3)
        while d <= min(d1, today):
            for u in workers + ["UL1", "UL2", "UX"]:
                for cl, s in schedules().items():
                    for it, _ in s["items"]:
                        for _ in range(rnd.choice([0, 1, 1, 1, 2])):         # none, one, or a correction
                            cstore.answer(db, user_id=u, contract=OTHER if u == "UX" else C, checklist_id=cl,
                                          item_id=it, answer=rnd.choice(["yes", "yes", "yes", "no"]),
                                          needs_reason=False, work_date=d.isoformat(), clause_ids=[], source="",
                                          via="slack_button", at=at(d, rnd.choice(["09:20", "17:50"])).isoformat())
            d += _dt.timedelta(days=1)
        for u in workers:
            if rnd.random() < 0.3:
                continue
            assigned = joined[u]
            due = (assigned + _dt.timedelta(days=rnd.randint(-5, 20))).date()
            aid, _ = tstore.assign(db, user_id=u, contract=C, course_id="yoshikawa", course_version="1", cycle="initial",
                                   basis="", due_date=due.isoformat(), reason="registration", prev_id=None,
                                   actor="scheduler", via="scheduler", at=assigned.isoformat())
            if rnd.random() < 0.5:
                t = min(assigned + _dt.timedelta(days=rnd.randint(0, 15)), now - _dt.timedelta(minutes=10))
                att, _ = tstore.create_attempt(db, assignment_id=aid, user_id=u, course_id="yoshikawa", cycle="initial",
                                               number=1, questions=[], pass_percent=80, via="slack_button", at=t.isoformat())
                passed = rnd.random() < 0.8
                rid, _ = tstore.record_result(db, attempt_id=att, user_id=u, course_id="yoshikawa", cycle="initial",
                                              correct=9 if passed else 5, total=10, pass_percent=80, passed=passed,
                                              valid_until=(t.date() + _dt.timedelta(days=365)).isoformat() if passed else None,
                                              via="slack_button", at=t.isoformat())
                if passed and rnd.random() < 0.8:
                    tstore.record_pledge(db, result_id=rid, user_id=u, pledge_id="p", pledge_version="1",
                                         text_sha256="x", text="誓約", via="slack_button",
                                         at=(t + _dt.timedelta(minutes=5)).isoformat())
        for n in range(rnd.randint(0, 5)):
            t = at(d0 + _dt.timedelta(days=rnd.randint(-10, 28)), hm())
            if t > now:
                continue
            who = rnd.choice(workers)
            sid = istore.new_session(db, user_id=who, kind="report", incident_id=None, preset={}, via="slack_dm",
                                     at=t.isoformat())
            inc = istore.insert_incident(db, year=2026, session_id=sid, reporter_id=who, lead_ids=["UL1"], notified=[],
                                         type=rnd.choice(TYPES), contract=rnd.choice([C, C, OTHER]), answers={},
                                         clause_ids=[], masked=[], escalate=True, flow_version=1, via="slack_dm",
                                         at=t.isoformat())
            istore.add_event(db, incident_id=inc["id"], kind="reported", actor=who, via="slack_dm", at=t.isoformat())
            for kind in rnd.sample(["closed", "reopened", "closed"], rnd.randint(0, 3)):
                t = t + _dt.timedelta(days=rnd.randint(0, 9))
                if t <= now:
                    istore.add_event(db, incident_id=inc["id"], kind=kind, actor="UO", via="slack_button",
                                     at=t.isoformat())
    return {"d0": d0, "d1": d1, "today": today, "now": now}


# ---- the raw-table counts (no mamoru code below this line) ------------------------------------------

class Raw(RawTables):
    def owed(self, u: str, d: _dt.date) -> list[str]:
        """The checklists the person owed on day d (working day, started, registered before the deadline)."""
        r, since = self.state(u, end_of(d))
        if d.weekday() >= 5 or jpholiday.is_holiday(d) or d.isoformat() in json.loads(r[5] or "[]"):
            return []
        if r[4] and r[4] > d.isoformat():
            return []
        return [cl for cl, s in self.sched.items() if deadline_at(d, s) >= since]

    def tally(self, d0: _dt.date, last: _dt.date, who) -> dict[str, list[int]]:
        """Per person: [confirmed, expected, いいえ] over the days, the latest answer of each item."""
        person: dict[str, list[int]] = {}
        d = d0
        while d <= last:
            for u in who(d):
                for cl in self.owed(u, d):
                    for it, _ in self.sched[cl]["items"]:
                        a = self.latest.get((u, cl, it, d.isoformat()))
                        p = person.setdefault(u, [0, 0, 0])
                        p[0] += a == "yes"
                        p[1] += 1
                        p[2] += a == "no"
            d += _dt.timedelta(days=1)
        return person

    def training(self, as_of: _dt.date, members: list[str], d0: _dt.date) -> dict:
        end = end_of(as_of).isoformat()
        pledged = self.conn.execute(
            "SELECT p.user_id, p.at FROM training_pledges p JOIN training_results r ON r.id = p.result_id"
            " JOIN training_attempts t ON t.id = r.attempt_id JOIN training_assignments a ON a.id = t.assignment_id"
            " WHERE a.contract = ? AND r.passed = 1 AND (r.valid_until IS NULL OR r.valid_until >= ?)",
            [C, as_of.isoformat()]).fetchall()
        done = {u for u, t in pledged if _dt.datetime.fromisoformat(t) < end_of(as_of)} & set(members)
        overdue = set()
        for u in set(members) - done:
            rows = [(i, due, t) for i, due, t in self.conn.execute(
                "SELECT id, due_date, at FROM training_assignments WHERE user_id = ? AND contract = ? ORDER BY id", [u, C])
                if _dt.datetime.fromisoformat(t) < end_of(as_of)]
            if rows and rows[-1][1] < as_of.isoformat():
                overdue.add(u)
        completed = {u for u, t in self.conn.execute(
            "SELECT p.user_id, p.at FROM training_pledges p JOIN training_results r ON r.id = p.result_id"
            " JOIN training_attempts t ON t.id = r.attempt_id JOIN training_assignments a ON a.id = t.assignment_id"
            " WHERE a.contract = ?", [C]) if at(d0, "00:00") <= _dt.datetime.fromisoformat(t) < end_of(as_of)}
        return {"done": len(done), "overdue": len(overdue), "pending": len(members) - len(done) - len(overdue),
                "completed": len(completed), "end": end}

    def incidents(self, d0: _dt.date, d1: _dt.date) -> dict:
        start, end = at(d0, "00:00"), end_of(d1)
        reported = open_ = closed_in = 0
        for iid, t in self.conn.execute("SELECT id, at FROM incidents WHERE contract = ?", [C]):
            if _dt.datetime.fromisoformat(t) >= end:
                continue
            ev = [(k, _dt.datetime.fromisoformat(a)) for k, a in self.conn.execute(
                "SELECT kind, at FROM incident_events WHERE incident_id = ? ORDER BY id", [iid])
                if _dt.datetime.fromisoformat(a) < end]
            state = None
            for k, a in ev:
                if k == "closed":
                    state = a
                elif k == "reopened":
                    state = None
            inside = _dt.datetime.fromisoformat(t) >= start
            if not inside and state is not None and state < start:
                continue
            reported += inside
            open_ += state is None
            closed_in += state is not None and state >= start
        return {"reported": reported, "open": open_, "closed_in_period": closed_in}


# ---- the property -------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_every_figure_equals_the_count_from_the_raw_tables(tmp_path, monkeypatch, seed):
    from handlers import weekly
    from handlers.checklist import export, team
    from handlers.report import draft, figures

    monkeypatch.delenv("MAMORU_NOW", raising=False)
    path = tmp_path / "m.db"
    db = open_db(path)
    library.ensure_builtin(db)
    g = generate(db, random.Random(seed))
    d0, d1, today, now = g["d0"], g["d1"], g["today"], g["now"]
    monkeypatch.setenv("MAMORU_NOW", now.isoformat())
    raw = Raw(path)
    as_of = min(d1, today)

    # the status report
    f = figures.compute(db, C, d0, d1, today)
    per = raw.tally(d0, as_of, lambda d: raw.members(d))
    c = f["checklists"]
    assert {u: [v["yes"], v["expected"], v["no"]] for u, v in c["per_person"].items() if v["expected"]} == \
        {u: v for u, v in per.items() if v[1]}
    assert (c["confirmed"], c["expected"], c["no"]) == tuple(sum(v[i] for v in per.values()) for i in range(3))
    members = raw.members(as_of)
    assert f["members_at_end"] == len(members)
    t, rt = f["training"], raw.training(as_of, members, d0)
    assert (t["done"], t["overdue_count"], t["pending"], t["completed_in_period"]) == \
        (rt["done"], rt["overdue"], rt["pending"], rt["completed"])
    i = f["incidents"]
    assert {k: i[k] for k in ("reported", "open", "closed_in_period")} == raw.incidents(d0, d1)
    md = draft.markdown(draft.build(db, C, d0, d1, today))
    assert not re.search(r"（(?:" + "|".join(TYPES) + r")）", md)          # no internal code in the document

    # the checklist export: everyone expected appears, with zeros when they recorded nothing, and the
    # totals add up: はい / いいえ are the answer standing for each expected item (the latest of its day),
    # so 確認すべき項目 = はい + いいえ + 未回答; an earlier answer to it is 訂正, an answer to a scheduled
    # item nobody owed that day (weekend, holiday, before registration or the start date) 予定外の回答,
    # and 合計 = every record of the person = the sum of those columns
    due = export.expected(db, d0, d1, C, today)
    assert {u: (v["expected"], v["unanswered"]) for u, v in due.items() if v["expected"]} == \
        {u: (v[1], v[1] - v[0] - v[2]) for u, v in per.items() if v[1]}
    records = export.rows(db, d0, d1, C)
    rows, _ = export.totals(records, due)
    got = {r["利用者ID"]: r for r in rows}
    owed = set()
    d = d0
    while d <= as_of:
        for u in raw.members(d):
            owed |= {(u, cl, it, d.isoformat()) for cl in raw.owed(u, d) for it, _ in raw.sched[cl]["items"]}
        d += _dt.timedelta(days=1)
    for u in set(per) | {r["利用者ID"] for r in records}:
        mine = raw.conn.execute("SELECT id, checklist_id, item_id, work_date, answer FROM checklist_confirmations"
                                " WHERE user_id = ? AND contract = ? AND work_date BETWEEN ? AND ? ORDER BY id",
                                [u, C, d0.isoformat(), d1.isoformat()]).fetchall()
        last = {(cl, it, wd): i for i, cl, it, wd, _ in mine}
        standing = [a for i, cl, it, wd, a in mine if (u, cl, it, wd) in owed and last[(cl, it, wd)] == i]
        corrections = sum((u, cl, it, wd) in owed and last[(cl, it, wd)] != i for i, cl, it, wd, _ in mine)
        unowed = sum((u, cl, it, wd) not in owed for _, cl, it, wd, _ in mine)
        r = got[u]
        assert (r["はい"], r["いいえ"]) == (standing.count("yes"), standing.count("no")) == \
            (per.get(u, [0, 0, 0])[0], per.get(u, [0, 0, 0])[2]), u
        assert (r["訂正"], r["予定外の回答"], r["合計"]) == (corrections, unowed, len(mine)), u
        assert r["確認すべき項目"] == r["はい"] + r["いいえ"] + r["未回答"], r
        assert r["合計"] == sum(r[k] for k in ("はい", "いいえ", "訂正", "期限前の回答", "予定外の回答", "随時の確認",
                                              "報告")), r

    # the weekly digest of each lead: the week before `today`, their team now (and who left it, for
    # the days they were still registered)
    monday = today - _dt.timedelta(days=today.weekday())
    w0, w1 = monday - _dt.timedelta(days=7), monday - _dt.timedelta(days=1)
    for lead in ("UL1", "UL2"):
        cur = {u: raw.state(u, now)[0] for u in raw.uids()}
        team_now = {u for u, r in cur.items() if r and r[1] in ("worker", "lead") and r[3] == lead}
        wf = weekly.figures(db, lead, w0, w1, now)
        want = raw.tally(w0, min(w1, today), lambda d: [u for u in raw.members(d, None) if u in team_now])
        assert {r["user_id"]: [r["yes"], r["expected"], r["no"]] for r in wf["people"] if r["expected"]} == \
            {u: v for u, v in want.items() if v[1]}

    # the daily digest of each lead at 23:00 on `today`: who still owes an item of a checklist past its grace
    for lead in ("UL1", "UL2"):
        text = team.digest_part(db, lead, now) or ""
        listed = set(re.findall(r"・(.+?)さん: (.+)", text))
        cur = {u: raw.state(u, now)[0] for u in raw.uids()}
        want = set()
        for u, r in cur.items():
            if not (r and r[6] and r[1] in ("worker", "lead") and r[3] == lead):
                continue
            for cl in raw.owed(u, today):
                left = [label for it, label in raw.sched[cl]["items"] if (u, cl, it, today.isoformat()) not in raw.latest]
                if left:
                    want.add((r[8], "、".join(left)))
        assert listed == want
