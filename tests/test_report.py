"""The status report from a scripted month: every figure checked against the raw tables."""
from __future__ import annotations

import datetime as _dt
import io
import json
import os
import random
import sqlite3
import subprocess
import tomllib
from pathlib import Path

import jpholiday
import pytest
from conftest import MAMORU, ROOT, run_mamoru

from handlers import notices, people
from storage import checklists as cstore
from storage import incidents as istore
from storage import training as tstore
from storage.db import open_db, transaction
from conftest import add_contracts

C = "吉川市"
D0, D1 = _dt.date(2026, 10, 1), _dt.date(2026, 10, 31)


def _t(d: _dt.date, hm: str = "10:00") -> str:
    return f"{d.isoformat()}T{hm}:00+09:00"


def _now(d: _dt.date, hm: str = "08:00") -> _dt.datetime:
    return _dt.datetime.fromisoformat(_t(d, hm))


def _users(db, argv, d, hm="08:00"):
    status, reply = people.run_users(db, "cli", argv, "cli", now=_now(d, hm))
    assert status == 0, reply.text


def script(db, seed=7):
    rnd = random.Random(seed)
    before = _dt.date(2026, 9, 20)
    add_contracts(db, C, at=_now(before).isoformat())
    _users(db, ["add", "UO1", "--name", "対策太郎", "--role", "officer"], before)
    for lead in ("UL1", "UL2"):
        _users(db, ["add", lead, "--name", f"責任{lead}", "--role", "lead", "--contract", C, "--start-date", "2026-09-20"], before)
    workers = [f"UW{n}" for n in range(1, 7)]
    for n, w in enumerate(workers):
        _users(db, ["add", w, "--name", f"作業{w}", "--role", "worker", "--contract", C, "--lead", ("UL1", "UL2")[n % 2],
                    "--start-date", "2026-09-20"], before)
    _users(db, ["add", "UW3", "--lead", "UL2"], _dt.date(2026, 10, 14))          # a lead change
    _users(db, ["remove", "UW6"], _dt.date(2026, 10, 16), "12:00")               # a worker leaves
    items = {"start": ["badge", "ic_card", "no_personal_device"], "end": ["locked", "media", "desk"]}
    d = D0
    with transaction(db):
        while d <= D1:
            for w in workers + ["UL1", "UL2"]:
                for cl, its in items.items():
                    for it in its:
                        x = rnd.random()
                        if x < 0.15:
                            continue
                        cstore.answer(db, user_id=w, contract=C, checklist_id=cl, item_id=it,
                                      answer="no" if x < 0.25 else "yes", needs_reason=False, work_date=d.isoformat(),
                                      clause_ids=[], source="", via="slack_button", at=_t(d, "09:10"))
            d += _dt.timedelta(days=1)
        # training: UW1, UW2 pass and pledge in the period; UW3 assigned, overdue; UW4 assigned, not yet due
        for n, w in enumerate(["UW1", "UW2", "UW3", "UW4"]):
            due = "2026-10-10" if w != "UW4" else "2026-11-30"
            aid, _ = tstore.assign(db, user_id=w, contract=C, course_id="yoshikawa", course_version="1", cycle="initial",
                                   basis="", due_date=due, reason="registration", prev_id=None, actor="scheduler",
                                   via="scheduler", at=_t(_dt.date(2026, 9, 25)))
            if w in ("UW1", "UW2"):
                at_id, _ = tstore.create_attempt(db, assignment_id=aid, user_id=w, course_id="yoshikawa", cycle="initial",
                                                 number=1, questions=[], pass_percent=80, via="slack_button",
                                                 at=_t(_dt.date(2026, 10, 5 + n)))
                rid, _ = tstore.record_result(db, attempt_id=at_id, user_id=w, course_id="yoshikawa", cycle="initial",
                                              correct=9, total=10, pass_percent=80, passed=True,
                                              valid_until="2027-10-05", via="slack_button", at=_t(_dt.date(2026, 10, 5 + n)))
                tstore.record_pledge(db, result_id=rid, user_id=w, pledge_id="p", pledge_version="1", text_sha256="x",
                                     text="誓約", via="slack_button", at=_t(_dt.date(2026, 10, 5 + n), "11:00"))
        # incidents: one opened and closed, one still open, one of another contract
        for n, (who, contract, close) in enumerate([("UW1", C, True), ("UW2", C, False), ("UW2", "草加市", False)]):
            at = _t(_dt.date(2026, 10, 8 + n))
            sid = istore.new_session(db, user_id=who, kind="report", incident_id=None, preset={}, via="slack_dm", at=at)
            inc = istore.insert_incident(db, year=2026, session_id=sid, reporter_id=who, lead_ids=["UL1"], notified=[],
                                         type="lost_card", contract=contract, answers={}, clause_ids=[], masked=[],
                                         escalate=True, flow_version=1, via="slack_dm", at=at)
            istore.add_event(db, incident_id=inc["id"], kind="reported", actor=who, via="slack_dm", at=at)
            if close:
                istore.add_event(db, incident_id=inc["id"], kind="closed", actor="UO1", via="slack_button",
                                 at=_t(_dt.date(2026, 10, 20)))


@pytest.fixture
def month(db_path):
    db = open_db(db_path)
    from knowledge import library

    library.ensure_builtin(db)
    script(db)
    return db


def daily_checks() -> dict[str, list[str]]:
    """The yes/no items of the start- and end-of-day checklists, read from the TOML files themselves."""
    checks = {}
    for f in (ROOT / "knowledge" / "checklists").glob("*.toml"):
        data = tomllib.loads(f.read_text(encoding="utf-8"))
        if data["schedule"]["kind"] in ("start_of_day", "end_of_day"):
            checks[data["id"]] = [i["id"] for i in data["items"] if i.get("kind", "check") == "check"]
    return checks


def deadlines() -> dict[str, _dt.time]:
    """The deadline of each start- and end-of-day checklist, read from the TOML files themselves."""
    out = {}
    for f in (ROOT / "knowledge" / "checklists").glob("*.toml"):
        data = tomllib.loads(f.read_text(encoding="utf-8"))
        if data["schedule"]["kind"] in ("start_of_day", "end_of_day"):
            out[data["id"]] = _dt.time.fromisoformat(data["schedule"]["deadline"])
    return out


def latest_answers(conn: sqlite3.Connection) -> dict[tuple, str]:
    """(user, checklist, item, work date) -> the latest answer, from the raw table."""
    latest = {}
    for u, cl, it, wd, ans in conn.execute("SELECT user_id, checklist_id, item_id, work_date, answer FROM"
                                           " checklist_confirmations ORDER BY id"):
        latest[(u, cl, it, wd)] = ans
    return latest


def _expected(path: Path, today: _dt.date) -> dict:
    """The figures, from the raw tables, without mamoru's code."""
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT user_id, role, contracts, active, at FROM people ORDER BY id").fetchall()

    def state(uid, d):
        end = _dt.datetime.combine(d + _dt.timedelta(days=1), _dt.time(0), _dt.timezone(_dt.timedelta(hours=9)))
        cur = None
        for u, role, cs, active, at in rows:
            if u == uid and _dt.datetime.fromisoformat(at) < end:
                cur = (role, json.loads(cs), active)
        return cur

    uids = sorted({r[0] for r in rows})

    def members(d):
        return [u for u in uids if (s := state(u, d)) and s[2] and s[0] in ("worker", "lead") and C in s[1]]

    checks, latest = daily_checks(), latest_answers(conn)
    exp = yes = no = 0
    d = D0
    while d <= min(D1, today):
        working = d.weekday() < 5 and not jpholiday.is_holiday(d)
        if working:
            for u in members(d):
                for cl, its in checks.items():
                    for it in its:
                        exp += 1
                        a = latest.get((u, cl, it, d.isoformat()))
                        yes += a == "yes"
                        no += a == "no"
        d += _dt.timedelta(days=1)
    incidents = conn.execute("SELECT COUNT(*) FROM incidents WHERE contract = ? AND substr(at, 1, 7) = '2026-10'",
                             [C]).fetchone()[0]
    closed = conn.execute("SELECT COUNT(DISTINCT i.id) FROM incidents i JOIN incident_events e ON e.incident_id = i.id"
                          " WHERE i.contract = ? AND e.kind = 'closed'", [C]).fetchone()[0]
    end_members = members(D1)
    done = {r[0] for r in conn.execute("SELECT p.user_id FROM training_pledges p JOIN training_results r ON r.id = p.result_id"
                                       " WHERE r.passed = 1")} & set(end_members)
    overdue = {r[0] for r in conn.execute("SELECT user_id FROM training_assignments WHERE due_date < ?",
                                          [D1.isoformat()])} & set(end_members) - done
    joined_left = conn.execute("SELECT COUNT(*) FROM people WHERE change = 'remove' AND substr(at, 1, 7) = '2026-10'").fetchone()[0]
    return {"expected": exp, "yes": yes, "no": no, "incidents": incidents, "closed": closed, "open": incidents - closed,
            "members": len(end_members), "done": len(done), "overdue": len(overdue), "left": joined_left}


def test_every_figure_of_a_scripted_month_comes_from_the_records(month, db_path):
    from handlers.report import draft, figures

    today = _dt.date(2026, 11, 2)
    f = figures.compute(month, C, D0, D1, today)
    e = _expected(db_path, today)
    c = f["checklists"]
    assert (c["expected"], c["confirmed"], c["no"]) == (e["expected"], e["yes"], e["no"])
    assert c["expected"] > 0 and 0 < c["confirmed"] < c["expected"] and c["no"] > 0
    assert c["unanswered"] == e["expected"] - e["yes"] - e["no"]
    assert sum(m["missed"] for m in c["items_missed"]) == e["expected"] - e["yes"]
    i = f["incidents"]
    assert (i["reported"], i["closed_in_period"], i["open"]) == (e["incidents"], e["closed"], e["open"])
    t = f["training"]
    assert (t["members"], t["done"], t["overdue_count"]) == (e["members"], e["done"], e["overdue"])
    assert t["completed_in_period"] == e["done"]
    r = f["roster"]
    assert r["left"] == e["left"] == 1 and r["lead_changed"] == 1
    md = draft.markdown(draft.build(month, C, D0, D1, today))
    assert f"確認率 {c['confirmed'] / c['expected'] * 100:.1f}%" in md
    assert f"期間中に報告された事故 {e['incidents']} 件" in md and "【要確認】" in md and "【記録から下書き】" in md
    assert "第16条第1項" in md and "【変更あり】" in md


def test_report_command_writes_docx_and_md(month, db_path, tmp_path):
    month.conn.close()
    out = tmp_path / "r.docx"
    r = run_mamoru(["report", "status", "--contract", C, "--from", "2026-10-01", "--to", "2026-10-31", "-o", str(out)],
                   db_path)
    assert r.returncode == 0, r.stderr
    from docx import Document

    text = "\n".join(p.text for p in Document(out).paragraphs)
    assert "報告対象期間: 2026年10月1日(木) 〜 2026年10月31日(土)" in text and "【要確認】" in text
    r = run_mamoru(["report", "status", "--contract", C, "--from", "2026-10-01", "--to", "2026-10-31", "--format", "md"],
                   db_path)
    assert r.returncode == 0 and "名簿の変更" in r.stdout
    assert run_mamoru(["report", "status", "--contract", "無い市", "--from", "2026-10-01", "--to", "2026-10-31"],
                      db_path).returncode == 1


def test_report_without_o_goes_to_the_files_folder_beside_the_database(month, db_path):
    month.conn.close()
    env = {k: v for k, v in os.environ.items() if k != "MAMORU_FILES_DIR"}
    before = set(ROOT.iterdir())
    r = subprocess.run([MAMORU, "report", "status", "--contract", C, "--from", "2026-10-01", "--to", "2026-10-31"],
                       capture_output=True, text=True, env={**env, "MAMORU_DB": str(db_path)}, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    written = list((db_path.parent / "files").glob("*.docx"))
    assert len(written) == 1 and str(written[0]) in r.stdout     # the path a person can open is printed
    assert set(ROOT.iterdir()) == before                          # never the current directory


def test_every_report_layout_cites_existing_clauses(kb_db):
    from handlers.report import content
    from storage import kb

    ls = content.layouts()
    assert set(ls) >= {"hozen", "yoshikawa", "soka", "nagano"}
    assert len(ls["hozen"].sections) == 12
    for layout in ls.values():
        for s in layout.sections:
            assert s.clauses and all(kb.clause(kb_db, cid) for cid in s.clauses), (layout.file, s.no)
    # the shipped 保全状況報告書 form's sections match the layout's titles
    form = next(f for f in kb.forms_of(kb_db, "hozen") if "保全状況報告書" in f["title"])
    for s in ls["hozen"].sections[:5]:
        assert f"{s.no} {s.title}" in form["text"]


def test_the_scheduled_report_goes_once_per_period_with_the_draft(month):
    import handlers.report as rep

    now = _now(_dt.date(2026, 11, 2), "10:00")
    due = list(rep._due(month, now))
    assert sorted(n.user_id for n in due) == ["UL1", "UL2", "UO1"]
    n = due[0]
    assert n.file is not None and n.file.filename.endswith(".docx") and n.file.content[:2] == b"PK"
    assert "確認率" in n.reply.text and "2026年10月1日" in n.reply.text
    outs = [o for o in notices.run_pass(month, now) if o.key.startswith("notice:report:")]
    assert len(outs) == 3
    assert all(o.file is not None and o.file.content[:2] == b"PK" for o in outs)   # the draft travels with the DM
    assert notices.deliver(month, outs, lambda o: True, now=now)["sent"] == 3
    assert not [o for o in notices.run_pass(month, now + _dt.timedelta(hours=1)) if o.key.startswith("notice:report:")]
    # quarterly: nothing at the start of November, due again after December
    from storage import reports

    reports.set_schedule(month, contract=C, every="quarter", actor="cli", via="cli", at=rep.workdays.iso(now))
    assert rep.last_period(_dt.date(2027, 1, 5), "quarter") == (_dt.date(2026, 10, 1), _dt.date(2026, 12, 31))


def test_the_draft_names_the_contracts_own_officer(month):
    from handlers.report import draft

    add_contracts(month, "草加市", at=_now(D1).isoformat())
    _users(month, ["add", "UO2", "--name", "草加対策", "--role", "officer", "--contract", "草加市"], D1)
    assert draft.build(month, C, D0, D1)["officer"] == "対策太郎"          # the one with no contract listed oversees all
    _users(month, ["add", "UO3", "--name", "吉川対策", "--role", "officer", "--contract", C], D1)
    assert draft.build(month, C, D0, D1)["officer"] == "吉川対策"
    assert draft.build(month, "草加市", D0, D1)["officer"] == "草加対策"


def test_report_words_followed_by_a_question_are_answered_as_a_question(month):
    from handlers import conversation

    refusals = lambda: month.execute("SELECT COUNT(*) FROM access_refusals").fetchone()[0]  # noqa: E731
    before = refusals()
    for who in ("UO1", "UW1"):
        turn = conversation.message(month, who, "状況報告 いつまで", "terminal")
        assert turn.answer is not None and not turn.replies                # a rule search, no refusal
    assert refusals() == before
    turn = conversation.message(month, "UO1", "状況報告 無い市", "terminal")
    assert "案件「無い市」は登録されていません" in turn.replies[0].text
    turn = conversation.message(month, "UW1", "状況報告 吉川市", "terminal")
    assert turn.answer is None and refusals() == before + 1                 # a worker asking for the report


def test_roster_on_request_with_changes_and_the_xlsx(month):
    from openpyxl import load_workbook

    from handlers import conversation

    turn = conversation.message(month, "UO1", "名簿 吉川市 2026-10-01", "slack_dm")
    text = turn.replies[0].text
    assert "案件「吉川市」の名簿" in text and "名簿の変更（2026年10月1日(木) から）: 2 件" in text
    assert "【作業責任者の変更】" in text and "【削除】" in text
    [out] = turn.outgoing
    assert out.user_id == "UO1" and out.file.filename.endswith(".xlsx")
    ws = load_workbook(io.BytesIO(out.file.content)).active
    names = {row[0] for row in ws.iter_rows(values_only=True) if row and row[0]}
    assert {"作業UW1", "責任UL1", "対策太郎"} <= names
    # a lead sees their own team; the terminal names the export command instead of a file
    lead = conversation.message(month, "UL1", "roster 2026-10-01", "terminal")
    assert "mamoru export roster --contract 吉川市" in lead.replies[0].text and not lead.outgoing
    assert "作業UW1" in lead.replies[0].text and "作業UW2" not in lead.replies[0].text   # UW2 is UL2's
    before = month.execute("SELECT COUNT(*) FROM access_refusals").fetchone()[0]
    refused = conversation.message(month, "UW1", "名簿", "slack_dm")
    assert "名簿は作業責任者" in refused.replies[0].text and "このお断りは記録されました" in refused.replies[0].text
    assert month.execute("SELECT COUNT(*) FROM access_refusals").fetchone()[0] == before + 1
    assert conversation.message(month, "UW1", "名簿 は提出が必要？", "slack_dm").answer is not None


def test_home_offers_the_report_and_roster_to_leads_and_the_officer(month):
    from handlers import conversation, home

    def section(uid):
        return next((s for s in home.home(month, uid)["sections"] if s["id"] == "oversight"), None)

    assert section("UW1") is None                                      # workers: nothing to ask for
    s = section("UL1")
    labels = [b.label if hasattr(b, "label") else b["label"] for b in s["buttons"]]
    assert labels == ["状況報告の数値と下書き（吉川市）", "名簿と変更（吉川市）"]
    report_button = s["buttons"][0]
    turn = conversation.press(month, "UL1", report_button.action, report_button.value, "slack_button")
    assert "案件「吉川市」の状況報告の数値です" in turn.replies[0].text
    [out] = turn.outgoing
    assert out.file.filename.endswith(".docx") and out.file.content[:2] == b"PK"
    roster_button = s["buttons"][1]
    turn = conversation.press(month, "UL1", roster_button.action, roster_button.value, "slack_button")
    assert "案件「吉川市」の名簿" in turn.replies[0].text and turn.outgoing[0].file.filename.endswith(".xlsx")
