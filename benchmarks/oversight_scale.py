"""Oversight at scale (run by hand): the status report, the audit export and `audit verify` over a year.

A database (a temporary SQLite file) is generated with 1,000 workers (default) on three contracts
(吉川市 50 %, 草加市 30 %, 長野市 20 %), in teams of 25 under their leads, one officer, and a year of
records ending on END (default 2026-11-30):

- roster changes (`handlers.people.run_users`, the `mamoru users` handler): registrations before the
  year, joiners during it (8 %), leavers (6 %), lead changes (3 %);
- every working day, for every worker and lead on the roster: the 始業時 and 終業時 checklists
  (はい 90 %, いいえ 3.5 % with a reason when the item asks one, unanswered 6.5 %, a few corrections),
  the reminder to whoever left items unanswered and the leads' digests as the notices pass logs them
  (claimed, then sent, with the message text), and 離席 for 5 % of person-days (`storage.checklists`,
  `storage.notices`); with --ask-dms also the scheduled DM itself, to everyone twice a day, as a
  deployment logs it (it more than doubles the database: see below);
- training: assignment, attempt, ten answers, result and pledge for each person, a second attempt
  for 15 %, the yearly renewal (`storage.training`);
- about two incidents a month per 1,000 workers, with their conversation steps and timelines
  (reported, acknowledged, measure, city_reported, closed, some reopened) and their alerts
  (`storage.incidents`);
- about one question a working day routed to a lead and answered (`handlers.routing`), feedback.

Records go through the storage functions the handlers use (the handlers themselves for roster,
routing and feedback), one write transaction per day, so every record is chained and sealed at
COMMIT exactly as production writes are (storage/audit.py).

Then, each step in a fresh subprocess (peak memory = that child's peak resident set size,
`ru_maxrss` from os.wait4, i.e. getrusage(RUSAGE_CHILDREN) for that one child; the baseline row is a
child that only opens the database as the commands do):

  (a) the status report of 吉川市 (`mamoru report status`: handlers.report.draft.build, .docx, .md)
      for the last quarter (three months) and for the whole year;
  (b) `mamoru audit export --from START --to END` (handlers.audit.verify, then write_export to a file)
      over the year: wall time, peak memory, output size, records;
  (c) `mamoru audit verify` (handlers.audit.verify: seal, then store.verify): wall time.

    .venv/bin/python benchmarks/oversight_scale.py [--workers 1000] [--days 365] [--ask-dms] [--keep DIR] [--db FILE]

--db FILE measures an existing generated database (skips generation); --keep DIR keeps the
generated one there.

Measured 2026-12-04 after notices store each distinct text once (migration 15) and verify checks
block MACs (migration 16, blocks of 4,096 rows; storage/audit.py), same shared machine (load average
3.5–5 on 2 cores, the whole test suite running beside it for part of the time):

  generation 473 s; database 906 MB (was 1,267): checklist_confirmations 287 MB (+ its indexes
  196 MB), audit_chain 253 MB (+ its index 73 MB), notice_log 38 MB + notice_texts 8 MB (was 410 MB;
  of that, 154 MB were the sent rows' copies of the text, which this generator wrote but
  handlers.notices.mark_sent never did: the generator now writes them as production does, and
  the dedup of the claims' texts saved the other ~215 MB); chain 1,886,227 records, 0 pending
  (a) report 吉川市, quarter 2.27 s, year 10.99 s (76 MB)
  (b) audit export, the year 101.7 s (verify 14.6 s + write 87.1 s), 1,870,454 records, 1,522 MB
  (c) audit verify 14.2 s in the run above (the test suite beside it), then run alone twice with the
      suite still going (load 4.3): 9.3 s and 7.1 s, 69 MB, checked by blocks (was 36.5 s on the
      previous run's database at load 3 in the same session, 100–104 s at load 6.5–8.7)
  Migrating the 1,267 MB database of the previous run (migrations 15 and 16: a full row-by-row
  verification, then the blocks) took 70–78 s once, on open.

Measured 2026-12-04 after issue 13 (keyed chain, no copy of each record in the chain), same machine
but shared with six other jobs (load average 6.5–8.7 on 2 cores: every step ran about 5 times slower
than the 2026-12-01 reference below, compare the report rows):

  generation 871 s; database 1,267 MB (was 2,726): notice_log 410 MB, checklist_confirmations 287 MB
  (+ its indexes 196 MB), audit_chain 250 MB (+ its index 73 MB); chain 1,865,649 records, 0 pending
  (a) report 吉川市, quarter 4.03 s, year 18.95 s (59 MB)
  (b) audit export, the year 329 s (verify 110 s + write 219 s), 1,849,876 records
  (c) audit verify 120 s, 321 MB; after the verify rework of the same day (SQL lays out each HMAC's
      message, a second reader checks the records' digests in a thread): 100–104 s, 34 MB, still on
      the loaded machine. The chain's own cost per record is two HMACs and one JSON object.

Measured 2026-12-01 on a 2-core machine (Linux, Python 3.11, 23 GB RAM), default run (3 min 53 s in all):

  generation 165 s; 1,000 workers, 40 leads, 1 officer, 2025-12-01 .. 2026-11-30; database 2,726 MB;
  chain 1,865,649 records (checklist_confirmations 1,534,038, notice_log 231,628, …)
  step                                        wall     peak RSS  detail
  baseline (open the database, imports)        0.10 s   39 MB
  (a) report 吉川市, 2026-09-01..2026-11-30      1.01 s   59 MB    build 0.94 s, docx 0.07 s, md <1 ms; 203,084 expected
  (a) report 吉川市, 2025-12-01..2026-11-30      3.65 s   59 MB    build 3.59 s, docx 0.06 s, md <1 ms; 811,237 expected
  (b) audit export, the year                  46.67 s   37 MB    verify 15.5 s + write 31.2 s; 1,849,876 records, 1,820 MB jsonl
  (c) audit verify                            14.42 s   37 MB    1,865,649 chain records

With --ask-dms (6 min 37 s in all): generation 268 s; database 7,271 MB; chain 2,792,591 records
(notice_log 1,158,570: every DM is two rows, claimed and sent, each with the whole message text, and
the chain keeps a copy of each row); report 0.99 s / 4.51 s, 59 MB; audit export 89.05 s, 42 MB (verify
32.5 s + write 56.6 s; 2,776,818 records, 3,923 MB); audit verify 30.80 s, 41 MB.

Before the fix in handlers/report/figures.py (same commit series), the report read the period's
confirmations through storage.checklists.between, the checklist export's query, whose 離席 join
(`c.source = 'away:' || a.id`) has no usable index, and held them all as dicts: 40 days of 1,000
workers took 38.5 s and 376 MB for the build (now 0.96 s); at that rate a quarter of this database
would take about 11 minutes and the year about 45 (not run). `mamoru export checklists` still uses
that query (5 working days of 吉川市 on this database: 22 s).
"""
from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

END = _dt.date(2026, 11, 30)
NOW = "2026-12-01T09:00:00+09:00"      # MAMORU_NOW of every measured step (the report's "today")
CONTRACTS = (("吉川市", "yoshikawa", 0.5), ("草加市", "soka", 0.3), ("長野市", "nagano", 0.2))
REPORTED = "吉川市"
TEAM = 25
SURNAMES = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤", "吉田", "山田", "佐々木",
            "山口", "松本", "井上", "木村", "林", "斎藤", "清水")
GIVEN = ("太郎", "花子", "一郎", "由美", "健", "恵", "翔", "彩", "誠", "直子", "大輔", "陽子", "拓也", "美穂", "亮")
QUESTIONS = ("自宅で作業してもいいですか", "USBメモリを使ってもいいですか", "私物のスマホで写真を撮ってもいいですか",
             "ICカードを同僚に貸してもいいですか", "資料を持ち帰ってもいいですか", "外注先にデータを渡してもいいですか",
             "離席するときにロックは必要ですか", "メールで個人情報を送ってもいいですか")


# ---- generation -----------------------------------------------------------------------------

@dataclass
class Person:
    uid: str
    name: str
    role: str
    contract: str
    lead: str | None
    registered: _dt.date
    start: _dt.date
    leave: _dt.date | None = None
    lead_changes: list = field(default_factory=list)     # [(date, new lead)]
    trained: bool = True


def _t(d: _dt.date, hm: str, sec: int = 0) -> _dt.datetime:
    from handlers import workdays

    h, m = hm.split(":")
    return _dt.datetime.combine(d, _dt.time(int(h), int(m), sec), workdays.JST)


def _iso(dt: _dt.datetime) -> str:
    from handlers import workdays

    return workdays.iso(dt)


def _utc(dt: _dt.datetime) -> str:
    return dt.astimezone(_dt.timezone.utc).isoformat(timespec="seconds")


def plan_people(rnd: random.Random, workers: int, start: _dt.date, end: _dt.date) -> tuple[list[Person], Person]:
    before = start - _dt.timedelta(days=14)
    span = (end - start).days
    officer = Person("UOFF0001", "対策 責任者", "officer", "", None, before, start)
    out: list[Person] = []
    n_lead = n_worker = 0
    for ci, (contract, _, share) in enumerate(CONTRACTS):
        n = round(workers * share) if ci < len(CONTRACTS) - 1 else workers - sum(
            round(workers * s) for _, _, s in CONTRACTS[:-1])
        leads = []
        for k in range((n + TEAM - 1) // TEAM):
            n_lead += 1
            leads.append(Person(f"UL{n_lead:04d}", f"{rnd.choice(SURNAMES)} {rnd.choice(GIVEN)}", "lead", contract,
                                None, before, start))
        out += leads
        for k in range(n):
            n_worker += 1
            uid = f"UW{n_worker:05d}"
            p = Person(uid, f"{rnd.choice(SURNAMES)} {rnd.choice(GIVEN)}", "worker", contract, leads[k // TEAM].uid,
                       before, start)
            x = rnd.random()
            if x < 0.08 and span > 30:                 # joins during the year
                p.registered = start + _dt.timedelta(days=rnd.randint(7, span - 14))
                p.start = p.registered + _dt.timedelta(days=7)
            elif x < 0.14 and span > 40:               # leaves during the year
                p.leave = start + _dt.timedelta(days=rnd.randint(30, span - 7))
            if rnd.random() < 0.03 and len(leads) > 1 and span > 30:
                other = rnd.choice([lead.uid for lead in leads if lead.uid != p.lead])
                when = p.start + _dt.timedelta(days=rnd.randint(1, max(1, (end - p.start).days - 1)))
                if when < end and (p.leave is None or when < p.leave):
                    p.lead_changes.append((when, other))
            p.trained = rnd.random() > 0.02
            out.append(p)
    return out, officer


class Generator:
    def __init__(self, db, rnd: random.Random, workers: int, start: _dt.date, end: _dt.date, ask_dms: bool = False):
        from handlers.checklist import content as ccontent

        self.db, self.rnd, self.start, self.end, self.ask_dms = db, rnd, start, end, ask_dms
        self.people, self.officer = plan_people(rnd, workers, start, end)
        self.by_uid = {p.uid: p for p in self.people}
        self.lead_of = {p.uid: p.lead for p in self.people}
        self.checklists = [ccontent.get("start"), ccontent.get("end")]
        self.leave_cl = ccontent.get("leave")
        self.slugs = {c: [s] for c, s, _ in CONTRACTS}
        self._cited: dict = {}
        self._texts: dict = {}
        self.training: dict[_dt.date, list] = {}
        self.counts: dict[str, int] = {}
        self.incident_days: dict[_dt.date, int] = {}

    # -- helpers --
    def users(self, argv: list[str], when: _dt.datetime) -> None:
        from handlers import people

        status, reply = people.run_users(self.db, "cli", argv, "cli", now=when)
        if status != 0:
            raise RuntimeError(f"users {argv}: {reply.text}")

    def cited(self, contract: str, item) -> list[str]:
        from handlers.checklist import core

        k = (contract, item.id, item.clauses)
        if k not in self._cited:
            cl = core.cited(self.db, item, self.slugs[contract])
            self._cited[k] = [cl["id"]] if cl else []
        return self._cited[k]

    def ask_text(self, contract: str, c, d: _dt.date, kind: str) -> str:
        from handlers import workdays
        from handlers.checklist import core

        k = (contract, c.id, d, kind)
        if k not in self._texts:
            if kind == "ask":
                opening = "おはようございます。" if c.schedule.kind == "start_of_day" else "お疲れさまです。"
                opening += f"{c.title}のチェックリストです（{workdays.format_date(d)}）。"
            else:
                opening = f"{c.title}のチェックリスト（{workdays.format_date(d)}）の確認期限を過ぎました。ご確認をお願いします。"
            if len(self._texts) > 64:
                self._texts.clear()
            self._texts[k] = core.checklist_reply(self.db, c, d, self.slugs[contract], opening=opening).text
        return self._texts[k]

    def notice(self, key: str, user_id: str, kind: str, text: str, detail: str, when: _dt.datetime) -> None:
        from storage import notices as nstore

        at = _utc(when)
        nstore.claim(self.db, key=key, user_id=user_id, kind=kind, text=text, detail=detail, pass_at=_iso(when),
                     via="scheduler", at=at, lease_cutoff=_utc(when - _dt.timedelta(minutes=10)))
        # as handlers.notices.mark_sent does: the text is the claim's, never repeated on the sent row
        nstore.record(self.db, key=key, event="sent", user_id=user_id, kind=kind, text=None, detail="",
                      pass_at=_iso(when), via="scheduler", at=_utc(when + _dt.timedelta(seconds=1)))

    # -- the roster --
    def roster_events(self, d: _dt.date) -> None:
        before = self.start - _dt.timedelta(days=14)
        if d == before:
            for contract, slug, _ in CONTRACTS:
                self.users(["contract", contract, "--doc", slug], _t(d, "08:00"))
            self.users(["add", self.officer.uid, "--name", self.officer.name, "--role", "officer"], _t(d, "08:10"))
        for p in self.people:
            if p.registered == d:
                argv = ["add", p.uid, "--name", p.name, "--role", p.role, "--contract", p.contract,
                        "--start-date", p.start.isoformat()]
                if p.lead:
                    argv += ["--lead", p.lead]
                self.users(argv, _t(d, "09:30" if p.role == "lead" else "10:00"))
                self.plan_training(p, d)
            for when, lead in p.lead_changes:
                if when == d:
                    self.users(["add", p.uid, "--lead", lead], _t(d, "11:00"))
                    self.lead_of[p.uid] = lead
            if p.leave == d:
                self.users(["remove", p.uid], _t(d, "12:00"))

    def participants(self, d: _dt.date) -> list[Person]:
        return [p for p in self.people if p.registered <= d and p.start <= d and (p.leave is None or d <= p.leave)]

    # -- training --
    def plan_training(self, p: Person, reg: _dt.date) -> None:
        if not p.trained:
            self.training.setdefault(reg, []).append(("assign_only", p, "initial", reg + _dt.timedelta(days=7)))
            return
        day = reg + _dt.timedelta(days=self.rnd.randint(1, 5))
        self.training.setdefault(day, []).append(("course", p, "initial", reg + _dt.timedelta(days=7), reg))

    def _course(self, contract: str):
        from handlers.training import content as tcontent
        from handlers.training import quiz

        k = ("course", contract)
        if k not in self._cited:
            course = tcontent.course_for(self.db, contract)
            pl = quiz.pledge_of(course)
            text = quiz.pledge_text(self.db, contract, pl)
            self._cited[k] = (course, pl, text, quiz.text_hash(text), tcontent.load().questions(course))
        return self._cited[k]

    def do_training(self, d: _dt.date) -> None:
        from storage import training as tstore

        for job in self.training.pop(d, []):
            kind, p = job[0], job[1]
            course, pl, text, sha, bank = self._course(p.contract)
            if p.leave is not None and d >= p.leave:
                continue
            if kind == "assign_only":
                tstore.assign(self.db, user_id=p.uid, contract=p.contract, course_id=course.id,
                              course_version=course.version, cycle=job[2], basis="", due_date=job[3].isoformat(),
                              reason="registration", prev_id=None, actor="scheduler", via="scheduler",
                              at=_iso(_t(d, "10:05")))
                continue
            _, _, cycle, due, assigned_on = job
            aid, _ = tstore.assign(self.db, user_id=p.uid, contract=p.contract, course_id=course.id,
                                   course_version=course.version, cycle=cycle, basis="", due_date=due.isoformat(),
                                   reason="registration" if cycle == "initial" else "renewal", prev_id=None,
                                   actor="scheduler", via="scheduler", at=_iso(_t(assigned_on, "10:05")))
            tries = 2 if self.rnd.random() < 0.15 else 1
            for number in range(1, tries + 1):
                t0 = _t(d, "14:00") + _dt.timedelta(hours=number - 1)
                qs = self.rnd.sample(bank, min(course.questions_per_attempt, len(bank)))
                questions = [{"id": q.id, "prompt": q.prompt, "choices": list(q.choices), "answer": q.answer_index}
                             for q in qs]
                at_id, _ = tstore.create_attempt(self.db, assignment_id=aid, user_id=p.uid, course_id=course.id,
                                                 cycle=cycle, number=number, questions=questions,
                                                 pass_percent=course.pass_percent, via="slack_button", at=_iso(t0))
                passed = number == tries
                correct = 0
                for idx, q in enumerate(questions):
                    ok = self.rnd.random() < (0.95 if passed else 0.55)
                    choice = q["answer"] if ok else (q["answer"] + 1) % len(q["choices"])
                    correct += ok
                    tstore.record_answer(self.db, attempt_id=at_id, user_id=p.uid, idx=idx, question_id=q["id"],
                                         choice=choice, choice_text=q["choices"][choice], correct=ok,
                                         via="slack_button", at=_iso(t0 + _dt.timedelta(seconds=20 * (idx + 1))))
                total = len(questions)
                passed = correct * 100 >= course.pass_percent * total
                until = (d + _dt.timedelta(days=course.valid_days)).isoformat() if passed else None
                done = t0 + _dt.timedelta(seconds=20 * total + 5)
                rid, _ = tstore.record_result(self.db, attempt_id=at_id, user_id=p.uid, course_id=course.id,
                                              cycle=cycle, correct=correct, total=total,
                                              pass_percent=course.pass_percent, passed=passed, valid_until=until,
                                              via="slack_button", at=_iso(done))
                if passed:
                    tstore.record_pledge(self.db, result_id=rid, user_id=p.uid, pledge_id=pl.id,
                                         pledge_version=pl.version, text_sha256=sha, text=text, via="slack_button",
                                         at=_iso(done + _dt.timedelta(minutes=2)))
                    renew_on = d + _dt.timedelta(days=course.valid_days - course.renew_days)
                    if renew_on <= self.end:
                        when = renew_on + _dt.timedelta(days=self.rnd.randint(1, 20))
                        self.training.setdefault(when, []).append(
                            ("course", p, f"renew-{rid}", d + _dt.timedelta(days=course.valid_days), renew_on))
                    break

    # -- a working day --
    def checklist_day(self, d: _dt.date, members: list[Person]) -> None:
        from storage import checklists as cstore

        rnd = self.rnd
        missing_by_lead: dict[tuple[str, str], list[str]] = {}
        for c in self.checklists:
            send, deadline = c.schedule.send.strftime("%H:%M"), c.schedule.deadline
            for p in members:
                if p.leave == d and c.schedule.kind == "end_of_day":
                    continue
                uid = p.uid
                if self.ask_dms:
                    self.notice(f"notice:checklist:{d}:ask:{c.id}:{uid}", uid, "checklist_ask",
                                self.ask_text(p.contract, c, d, "ask"), f"{c.id} {d}", _t(d, send))
                missing = 0
                for n, item in enumerate(c.checks):
                    x = rnd.random()
                    when = _t(d, send) + _dt.timedelta(minutes=3 + n, seconds=rnd.randint(0, 59))
                    if x >= 0.935:
                        missing += 1
                        continue
                    ans = "yes" if x < 0.90 else "no"
                    rid = cstore.answer(self.db, user_id=uid, contract=p.contract, checklist_id=c.id,
                                        item_id=item.id, answer=ans, needs_reason=ans == "no" and item.reason_required,
                                        work_date=d.isoformat(), clause_ids=self.cited(p.contract, item),
                                        source=f"button:{c.id}:{d}", via="slack_button", at=_iso(when))
                    if ans == "no":
                        if item.reason_required and rnd.random() < 0.8:
                            cstore.add_reason(self.db, confirmation_id=rid, user_id=uid,
                                              reason=rnd.choice(("ICカードを自宅に忘れたため", "確認が間に合わなかったため",
                                                                 "会議で席を外していたため")), declined=False,
                                              via="slack_modal", at=_iso(when + _dt.timedelta(minutes=2)))
                        if rnd.random() < 0.1:      # corrected later that day
                            cstore.answer(self.db, user_id=uid, contract=p.contract, checklist_id=c.id,
                                          item_id=item.id, answer="yes", needs_reason=False, work_date=d.isoformat(),
                                          clause_ids=self.cited(p.contract, item), source=f"button:{c.id}:{d}",
                                          via="slack_button", at=_iso(when + _dt.timedelta(minutes=40)))
                if missing:
                    self.notice(f"notice:checklist:{d}:remind:{c.id}:{uid}", uid, "checklist_remind",
                                self.ask_text(p.contract, c, d, "remind"), f"{c.id} {d}",
                                _dt.datetime.combine(d, deadline, _t(d, "00:00").tzinfo))
                    lead = self.lead_of.get(uid) or uid
                    missing_by_lead.setdefault((c.id, lead), []).append(p.name)
            # the leads' digests, after the grace time
            grace = _dt.datetime.combine(d, deadline, _t(d, "00:00").tzinfo) + _dt.timedelta(
                minutes=c.schedule.grace_minutes)
            for (cid, lead), names in sorted(missing_by_lead.items()):
                if cid != c.id:
                    continue
                text = (f"{c.title}のチェックリスト（{d}）で確認が済んでいない方: {len(names)} 名\n"
                        + "\n".join(f"・{n}さん" for n in names))
                self.notice(f"notice:digest:{d}:{grace:%H%M}:{lead}", lead, "digest", text, f"digest {d}", grace)
        # leaving the desk
        for p in members:
            if rnd.random() < 0.05:
                t0 = _t(d, "12:00") + _dt.timedelta(minutes=rnd.randint(0, 59))
                aid = cstore.start_away(self.db, user_id=p.uid, via="slack_dm", at=_iso(t0))
                item = self.leave_cl.checks[0]
                cstore.record(self.db, user_id=p.uid, contract=p.contract, checklist_id=self.leave_cl.id,
                              item_id=item.id, answer="yes", work_date=d.isoformat(),
                              clause_ids=self.cited(p.contract, item), source=f"away:{aid}",
                              dedupe=f"{p.uid}|{self.leave_cl.id}|{d}|{item.id}|away:{aid}", via="slack_dm",
                              at=_iso(t0))
                cstore.end_away(self.db, user_id=p.uid, start_id=aid, via="slack_dm",
                                at=_iso(t0 + _dt.timedelta(minutes=rnd.randint(5, 60))))

    def incident(self, d: _dt.date, members: list[Person]) -> None:
        from storage import incidents as istore

        rnd = self.rnd
        p = rnd.choice([m for m in members if m.role == "worker"] or members)
        t0 = _t(d, "10:00") + _dt.timedelta(minutes=rnd.randint(0, 400))
        kind = rnd.choice(("ic_card", "device", "mail", "leak", "malware", "near_miss", "other"))
        sid = istore.new_session(self.db, user_id=p.uid, kind="report", incident_id=None, preset={}, via="slack_dm",
                                 at=_iso(t0))
        answers = {"type": kind, "occurred_at": _iso(t0 - _dt.timedelta(hours=1)), "place": "執務室",
                   "what": "業務用の資料", "count": str(rnd.randint(1, 30)), "detail": "状況を確認中です。"}
        for n, (q, v) in enumerate(answers.items()):
            istore.append_step(self.db, session_id=sid, op="answer", question=q, value=v, via="slack_dm",
                               at=_iso(t0 + _dt.timedelta(minutes=n + 1)))
        istore.append_step(self.db, session_id=sid, op="submit", via="slack_dm",
                           at=_iso(t0 + _dt.timedelta(minutes=8)))
        lead = self.lead_of.get(p.uid) or self.officer.uid
        at = _iso(t0 + _dt.timedelta(minutes=8))
        inc = istore.insert_incident(self.db, year=d.year, session_id=sid, reporter_id=p.uid, lead_ids=[lead],
                                     notified=[lead, self.officer.uid], type=kind, contract=p.contract,
                                     answers=answers, clause_ids=["yoshikawa:a16.p1"], masked=[], escalate=True,
                                     flow_version=1, via="slack_dm", at=at)
        istore.add_event(self.db, incident_id=inc["id"], kind="reported", actor=p.uid, via="slack_dm", at=at)
        for u in (lead, self.officer.uid):
            self.notice(f"notice:incident:alert:{inc['ref']}:{u}", u, "incident_alert",
                        f"事故の報告がありました（{inc['ref']}）。", inc["ref"], t0 + _dt.timedelta(minutes=9))
        self.later.append((d + _dt.timedelta(days=0), inc["id"], "acknowledged", lead, t0 + _dt.timedelta(minutes=20)))
        self.later.append((d + _dt.timedelta(days=1), inc["id"], "measure", lead, t0 + _dt.timedelta(days=1)))
        if rnd.random() < 0.6:
            self.later.append((d + _dt.timedelta(days=2), inc["id"], "city_reported", self.officer.uid,
                               t0 + _dt.timedelta(days=2)))
        if rnd.random() < 0.8:
            k = rnd.randint(3, 20)
            self.later.append((d + _dt.timedelta(days=k), inc["id"], "closed", self.officer.uid,
                               t0 + _dt.timedelta(days=k)))
            if rnd.random() < 0.06:
                self.later.append((d + _dt.timedelta(days=k + 2), inc["id"], "reopened", self.officer.uid,
                                   t0 + _dt.timedelta(days=k + 2)))
                self.later.append((d + _dt.timedelta(days=k + 5), inc["id"], "closed", self.officer.uid,
                                   t0 + _dt.timedelta(days=k + 5)))

    def incident_events(self, d: _dt.date) -> None:
        from storage import incidents as istore

        keep = []
        for day, iid, kind, actor, when in self.later:
            if day != d:
                keep.append((day, iid, kind, actor, when))
                continue
            detail = {"text": "再発防止策として手順を周知しました。"} if kind == "measure" else {}
            istore.add_event(self.db, incident_id=iid, kind=kind, actor=actor, detail=detail,
                             via="slack_button", at=_iso(when))
        self.later = keep

    def routed(self, d: _dt.date, members: list[Person]) -> None:
        from handlers import routing
        from storage import questions as qstore

        n = max(0, round(len(members) / 1000 + self.rnd.random() - 0.5))
        for _ in range(n):
            p = self.rnd.choice(members)
            q = f"{self.rnd.choice(QUESTIONS)}（{d:%m月%d日}）"
            routing.route_question(self.db, p.uid, q, [], "asked", via="slack_dm", now=_t(d, "11:00"))
            rid = qstore.open_by_asker_norm(self.db, p.uid, routing.normalize_question(q))["id"]
            if self.rnd.random() < 0.85:
                responder = self.lead_of.get(p.uid) or self.officer.uid
                routing.answer_routed(self.db, responder, rid, "契約の定めにより、事前の承認が必要です。", [],
                                      via="slack_button", now=_t(d, "15:00"))
            if self.rnd.random() < 0.5:
                routing.record_feedback(self.db, p.uid, q, "yoshikawa:a11.p1.i1", self.rnd.random() < 0.8,
                                        "slack_button", now=_t(d, "11:05"))

    def run(self, progress=print) -> None:
        from handlers import workdays
        from storage.db import transaction

        self.later: list = []
        span = (self.end - self.start).days + 1
        n_inc = max(1, round(24 * span / 365 * len([p for p in self.people if p.role == "worker"]) / 1000))
        working = [self.start + _dt.timedelta(days=k) for k in range(span)
                   if workdays.is_working_day(self.start + _dt.timedelta(days=k), [])]
        for d in self.rnd.sample(working, min(n_inc, len(working))):
            self.incident_days[d] = self.incident_days.get(d, 0) + 1
        d = self.start - _dt.timedelta(days=14)
        t0 = time.perf_counter()
        while d <= self.end:
            self.roster_events(d)
            with transaction(self.db):
                self.do_training(d)
                if d >= self.start and workdays.is_working_day(d, []):
                    members = self.participants(d)
                    self.checklist_day(d, members)
                    for _ in range(self.incident_days.get(d, 0)):
                        self.incident(d, members)
                self.incident_events(d)
            if d >= self.start and workdays.is_working_day(d, []):
                self.routed(d, self.participants(d))
            if d.day == 1:
                progress(f"  … {d}  {time.perf_counter() - t0:6.0f} s")
            d += _dt.timedelta(days=1)


def generate(path: Path, workers: int, days: int, seed: int, ask_dms: bool = False) -> dict:
    from knowledge import library
    from storage.db import open_db

    start = END - _dt.timedelta(days=days - 1)
    t0 = time.perf_counter()
    db = open_db(path)
    db.execute("PRAGMA cache_size = -262144")      # 256 MB of page cache for the generator's own writes
    library.ensure_builtin(db)
    t_kb = time.perf_counter() - t0
    g = Generator(db, random.Random(seed), workers, start, END, ask_dms)
    t1 = time.perf_counter()
    g.run(progress=lambda s: print(s, file=sys.stderr, flush=True))
    t_gen = time.perf_counter() - t1
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    tables = {r[0]: r[1] for r in db.execute(
        "SELECT table_name, COUNT(*) FROM audit_chain GROUP BY table_name ORDER BY 2 DESC")}
    pending = db.execute("SELECT COUNT(*) FROM audit_chain WHERE hash IS NULL").fetchone()[0]
    db.conn.close()
    return {"start": start.isoformat(), "end": END.isoformat(), "seconds": t_gen, "kb_seconds": t_kb,
            "chain": sum(tables.values()), "pending": pending, "tables": tables,
            "workers": len([p for p in g.people if p.role == "worker"]),
            "leads": len([p for p in g.people if p.role == "lead"]), "bytes": os.path.getsize(path)}


# ---- the measured steps (each in its own process) ---------------------------------------------

def _open():
    """As the commands open it (bot.commands.roster._db / bot.commands.audit._db)."""
    from bot.commands.roster import _db

    return _db()


def _hwm_mb() -> float | None:
    """This process's peak resident set size (VmHWM), to cross-check ru_maxrss."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def step(name: str, args) -> dict:
    if name == "generate":
        return generate(Path(args.db), args.workers, args.days, args.seed, args.ask_dms)
    t_open = time.perf_counter()
    db = _open()
    from handlers import access, audit
    from handlers.report import draft

    out: dict = {"open_s": time.perf_counter() - t_open}
    if name == "baseline":
        return out
    if name == "report":
        d0, d1 = _dt.date.fromisoformat(args.date_from), _dt.date.fromisoformat(args.date_to)
        t = time.perf_counter()
        r = draft.build(db, args.contract, d0, d1)
        out["build_s"] = time.perf_counter() - t
        t = time.perf_counter()
        data = draft.docx(r)
        out["docx_s"] = time.perf_counter() - t
        out["docx_bytes"] = len(data)
        t = time.perf_counter()
        md = draft.markdown(r)
        out["md_s"] = time.perf_counter() - t
        out["md_bytes"] = len(md.encode("utf-8"))
        c = r["figures"]["checklists"]
        out["summary"] = draft.summary(r)
        out["expected"] = c["expected"]
        return out
    if name == "verify":
        t = time.perf_counter()
        ok, text, v = audit.verify(db)
        out["verify_s"] = time.perf_counter() - t
        out["ok"], out["length"], out["problems"], out["checked"] = ok, v.length, v.problem_count, v.checked
        return out
    if name == "export":             # as bot.commands.audit.cmd_export does, to a file
        date_from = audit.parse_date(args.date_from, "--from")
        date_to = audit.parse_date(args.date_to, "--to")
        t = time.perf_counter()
        _, _, v = audit.verify(db)
        out["verify_s"] = time.perf_counter() - t
        access.scope(db, "cli")
        t = time.perf_counter()
        with open(args.output, "w", encoding="utf-8", newline="") as f:
            manifest = audit.write_export(db, f, "jsonl", date_from, date_to, viewer_id="cli", verification=v)
        out["write_s"] = time.perf_counter() - t
        out["records"] = manifest["records"]
        out["bytes"] = os.path.getsize(args.output)
        out["ok"] = v.ok
        return out
    raise SystemExit(f"unknown step {name}")


def run_child(db_path: Path, name: str, *extra: str) -> dict:
    """Run one step in a fresh interpreter; its peak RSS from os.wait4 (this child alone)."""
    env = dict(os.environ, MAMORU_DB=str(db_path), MAMORU_NOW=NOW, PYTHONIOENCODING="utf-8")
    if name == "generate":
        env.pop("MAMORU_NOW")
    for k in ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_API_URL"):
        env.pop(k, None)
    with tempfile.NamedTemporaryFile("r", suffix=".json", delete=False) as f:
        result = f.name
    t0 = time.perf_counter()
    p = subprocess.Popen([sys.executable, __file__, "--step", name, "--result", result, *extra], env=env, cwd=ROOT)
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit(f"step {name} failed (exit {p.returncode})")
    out = json.loads(Path(result).read_text("utf-8"))
    os.remove(result)
    out["process_s"] = wall
    out["maxrss_mb"] = usage.ru_maxrss / 1024      # Linux: KiB
    return out


def _quarter(start: _dt.date, end: _dt.date) -> tuple[_dt.date, _dt.date]:
    """The last three calendar months ending at `end` (within the generated range)."""
    m = end.month - 2
    y = end.year + (m - 1) // 12
    m = (m - 1) % 12 + 1
    return max(start, _dt.date(y, m, 1)), end


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workers", type=int, default=1000)
    ap.add_argument("--days", type=int, default=365)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--ask-dms", action="store_true",
                    help="also log the scheduled checklist DM to everyone, twice a day (as a deployment does)")
    ap.add_argument("--keep", help="keep the generated database in this directory")
    ap.add_argument("--db", help="measure this already generated database (no generation)")
    ap.add_argument("--step", help=argparse.SUPPRESS)
    ap.add_argument("--result", help=argparse.SUPPRESS)
    ap.add_argument("--contract", default=REPORTED, help=argparse.SUPPRESS)
    ap.add_argument("--from", dest="date_from", help=argparse.SUPPRESS)
    ap.add_argument("--to", dest="date_to", help=argparse.SUPPRESS)
    ap.add_argument("--output", help=argparse.SUPPRESS)
    args = ap.parse_args()
    sys.stdout.reconfigure(line_buffering=True)

    if args.step:
        out = step(args.step, args)
        out["hwm_mb"] = _hwm_mb()
        Path(args.result).write_text(json.dumps(out, ensure_ascii=False), "utf-8")
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        if not os.environ.get("MAMORU_AUDIT_KEY"):   # the chain's key, outside the database file (kept with --keep)
            home = Path(args.keep) if args.keep else (Path(args.db).parent if args.db else Path(tmp))
            home.mkdir(parents=True, exist_ok=True)
            os.environ["MAMORU_AUDIT_KEY"] = str(home / "oversight.audit.key")
        if args.db:
            path = Path(args.db)
            conn = sqlite3.connect(path)
            row = conn.execute("SELECT MIN(work_date), MAX(work_date) FROM checklist_confirmations").fetchone()
            conn.close()
            start, end = _dt.date.fromisoformat(row[0]), _dt.date.fromisoformat(row[1])
            print(f"database {path} ({os.path.getsize(path) / 1e6:.0f} MB), records {start} .. {end}")
        else:
            base = Path(args.keep) if args.keep else Path(tmp)
            base.mkdir(parents=True, exist_ok=True)
            path = base / "oversight.db"
            for p in base.glob("oversight.db*"):
                p.unlink()
            print(f"generating {args.workers} workers × {args.days} days into {path} …", flush=True)
            g = run_child(path, "generate", "--db", str(path), "--workers", str(args.workers), "--days",
                          str(args.days), "--seed", str(args.seed), *(["--ask-dms"] if args.ask_dms else []))
            start, end = _dt.date.fromisoformat(g["start"]), _dt.date.fromisoformat(g["end"])
            print(f"generation: {g['seconds']:.0f} s (knowledge base {g['kb_seconds']:.1f} s before it, peak RSS "
                  f"{g['maxrss_mb']:.0f} MB); "
                  f"{g['workers']} workers, {g['leads']} leads, 1 officer, {start} .. {end}; "
                  f"database {g['bytes'] / 1e6:.0f} MB; chain {g['chain']:,} records ({g['pending']} pending)")
            print("  chained records: " + ", ".join(f"{t} {n:,}" for t, n in g["tables"].items()))
        q0, q1 = _quarter(start, end)
        print("wall = the step itself inside its child (interpreter start and opening the database excluded);\n"
              "peak RSS = that child's peak resident set size, ru_maxrss from os.wait4 (getrusage of that one child),\n"
              "interpreter and imports included (see the baseline row); VmHWM = the same read by the child from\n"
              "/proc/self/status, as a cross-check")
        rows = []
        b = run_child(path, "baseline")
        rows.append(("baseline (open the database, imports)", b["open_s"], b, ""))
        whole = "year" if (end - start).days + 1 >= 365 else f"{(end - start).days + 1} days"
        for label, d0, d1 in (("quarter", q0, q1), (whole, start, end)):
            r = run_child(path, "report", "--contract", REPORTED, "--from", d0.isoformat(), "--to", d1.isoformat())
            rows.append((f"(a) report status {REPORTED} {label} {d0}..{d1}",
                         r["build_s"] + r["docx_s"] + r["md_s"], r,
                         f"build {r['build_s']:.2f} s, docx {r['docx_s']:.2f} s ({r['docx_bytes'] / 1e3:.0f} kB), "
                         f"md {r['md_s']:.3f} s ({r['md_bytes'] / 1e3:.0f} kB); "
                         f"{r['expected']:,} expected confirmations"))
        out = Path(tmp) / "export.jsonl"
        e = run_child(path, "export", "--from", start.isoformat(), "--to", end.isoformat(), "--output", str(out))
        rows.append((f"(b) audit export --from {start} --to {end}", e["verify_s"] + e["write_s"], e,
                     f"verify {e['verify_s']:.1f} s + write {e['write_s']:.1f} s; {e['records']:,} records, "
                     f"{e['bytes'] / 1e6:.0f} MB jsonl; chain ok {e['ok']}"))
        out.unlink(missing_ok=True)
        v = run_child(path, "verify")
        rows.append(("(c) audit verify", v["verify_s"], v,
                     f"{v['length']:,} chain records, ok {v['ok']}, problems {v['problems']}, "
                     f"checked by {v.get('checked', 'rows')}"))
        print(f"{'step':<52} {'wall':>9} {'peak RSS':>9} {'VmHWM':>7}  detail")
        for label, s, r, detail in rows:
            hwm = f"{r['hwm_mb']:.0f}MB" if r.get("hwm_mb") else "-"
            print(f"{label:<52} {s:>8.2f}s {r['maxrss_mb']:>7.0f}MB {hwm:>7}  {detail}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
