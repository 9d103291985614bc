"""An auditor's check of every report and export against the raw SQLite file.

The month is built only through the users command and the terminal chat (tests/audit_month.py).
The expected figures are computed here from the database file with sqlite3 and the checklist TOML
files, by the documented definitions (handlers/report/figures.py), without calling mamoru's code:
- a person is a member on a day when their latest `people` row written before the end of that day
  (JST) is active, a worker or lead, and names the contract;
- they owe a scheduled checklist that day when it is a working day (not a weekend, a public holiday,
  12/29–1/3, or one of their days off in that row), they have started, and the checklist's deadline
  is not before their registration began;
- each yes/no item owed is one expected confirmation; the latest answer that work date decides.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import re
import tomllib

import jpholiday
import pytest
from conftest import ROOT, run_mamoru

import audit_month as am
from raw_tables import RawTables, deadline_at, end_of
from storage.db import open_db

JST = am.JST


class Raw(RawTables):
    """The figures from the raw file (no mamoru code)."""

    def owed(self, u: str, d: _dt.date, until: _dt.datetime | None = None) -> list[str]:
        """The checklists u owed on d (by `until`: a deadline still to come is not owed yet)."""
        r, since = self.state(u, end_of(d))
        closure = (d.month == 12 and d.day >= 29) or (d.month == 1 and d.day <= 3)
        if d.weekday() >= 5 or jpholiday.is_holiday(d) or closure or d.isoformat() in json.loads(r[5] or "[]"):
            return []
        if r[4] and r[4] > d.isoformat():
            return []
        return [cl for cl, s in self.sched.items()
                if deadline_at(d, s) >= since and (until is None or deadline_at(d, s) <= until)]

    def tally(self, d0: _dt.date, last: _dt.date, who, until: _dt.datetime | None = None) -> dict[str, dict]:
        person: dict[str, dict] = {}
        d = d0
        while d <= last:
            for u in who(d):
                for cl in self.owed(u, d, until):
                    for it, _ in self.sched[cl]["items"]:
                        a = self.latest.get((u, cl, it, d.isoformat()))
                        p = person.setdefault(u, {"yes": 0, "expected": 0, "no": 0, "missing": []})
                        p["yes"] += a == "yes"
                        p["no"] += a == "no"
                        p["expected"] += 1
                        if a != "yes":
                            p["missing"].append((d.isoformat(), cl, it))
            d += _dt.timedelta(days=1)
        return person

    def sorted_records(self, d0: _dt.date, last: _dt.date, who, contract: str = am.C) -> dict[str, dict]:
        """Every record of the period, per person, by what it is (the export's 集計 columns): the answer
        standing for an expected item (はい / いいえ), an earlier answer to it the same day (訂正), an
        answer to a scheduled item nobody expected of them that day (予定外の回答), an on-demand
        checklist's answer (随時の確認), an event (報告)."""
        expected = set()
        d = d0
        while d <= last:
            for u in who(d):
                for cl in self.owed(u, d):
                    expected |= {(u, cl, it, d.isoformat()) for it, _ in self.sched[cl]["items"]}
            d += _dt.timedelta(days=1)
        rows = self.conn.execute("SELECT id, user_id, checklist_id, item_id, work_date, answer FROM checklist_confirmations"
                                 " WHERE contract = ? AND work_date BETWEEN ? AND ? ORDER BY id",
                                 [contract, d0.isoformat(), last.isoformat()]).fetchall()
        last_id = {(u, cl, it, wd): i for i, u, cl, it, wd, _ in rows}
        out: dict[str, dict] = {}
        for i, u, cl, it, wd, ans in rows:
            k = (u, cl, it, wd)
            if ans == "event":
                col = "報告"
            elif cl not in self.sched:
                col = "随時の確認"
            elif k not in expected:
                col = "予定外の回答"
            elif last_id[k] != i:
                col = "訂正"
            else:
                col = {"yes": "はい", "no": "いいえ"}[ans]
            p = out.setdefault(u, dict.fromkeys(["はい", "いいえ", "訂正", "予定外の回答", "随時の確認", "報告"], 0))
            p[col] += 1
        return out


@pytest.fixture(scope="module")
def world(tmp_path_factory, audit_key):
    import os

    path = tmp_path_factory.mktemp("audit") / "m.db"
    old = {k: os.environ.get(k) for k in ("MAMORU_DB", "MAMORU_FILES_DIR", "MAMORU_NOW")}
    os.environ["MAMORU_DB"] = str(path)
    os.environ["MAMORU_FILES_DIR"] = str(path.parent / "files")
    db = open_db(path)
    w = am.build(db)
    w.path = path
    w.raw = Raw(path)
    yield w
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


def _t(s: str) -> _dt.datetime:
    return am.at(_dt.date.fromisoformat(s[:10]), s[11:])


# ---- the status report ---------------------------------------------------------------------------

def test_the_status_report_counts_what_the_raw_file_holds(world):
    from handlers.report import figures

    raw = world.raw
    f = figures.compute(world.db, am.C, am.D0, am.D1, _dt.date(2026, 12, 2))
    want = raw.tally(am.D0, am.D1, lambda d: raw.members(d))
    got = {u: {k: v[k] for k in ("yes", "expected", "no")} for u, v in f["checklists"]["per_person"].items() if v["expected"]}
    assert got == {u: {k: v[k] for k in ("yes", "expected", "no")} for u, v in want.items()}
    c = f["checklists"]
    assert (c["confirmed"], c["expected"], c["no"]) == tuple(sum(v[k] for v in want.values())
                                                            for k in ("yes", "expected", "no"))
    # the people the scenario is about
    assert "UX" not in got                                     # another contract
    assert want["UA5"]["expected"] == 4 + 7 * 9               # joined Monday 11/16 13:00: that day's end-of-day on
    assert want["UB5"]["expected"] == 7 * 11                   # left 11/18 12:00: 11/2–11/17 minus 11/3
    assert want["UA2"]["expected"] == 7 * 18                   # 19 working days (11/3, 11/23 holidays), 11/12 off
    assert want["UB2"]["expected"] == 7 * 18                   # 11/20 off
    assert want["UA1"]["expected"] == 7 * 19
    assert f["members_at_end"] == len(raw.members(am.D1)) == 11
    # UA3's end-of-day at 23:58 on 11/30 is November's; UA4's 00:01 on 12/1 is not
    assert raw.latest[("UA3", "end", "logoff", "2026-11-30")] == "yes"
    assert ("2026-11-30", "end", "logoff") not in want["UA3"]["missing"]
    dec = figures.compute(world.db, am.C, _dt.date(2026, 12, 1), _dt.date(2026, 12, 31), _dt.date(2026, 12, 1))
    assert dec["checklists"]["per_person"]["UA4"]["yes"] == 3
    # items most often missed
    missed: dict = {}
    for v in want.values():
        for _, cl, it in v["missing"]:
            missed[(cl, it)] = missed.get((cl, it), 0) + 1
    assert {(m["checklist"], m["item"]): m["missed"] for m in c["items_missed"]} == missed
    # incidents: two reported in November, one closed
    i = f["incidents"]
    assert (i["reported"], i["open"], i["closed_in_period"]) == (2, 1, 1)


def test_the_report_text_and_draft_say_the_same_figures(world):
    raw = world.raw
    want = raw.tally(am.D0, am.D1, lambda d: raw.members(d))
    yes, exp, no = (sum(v[k] for v in want.values()) for k in ("yes", "expected", "no"))
    text = world.say("UO", "/mamoru report 吉川市 2026-11", _t("2026-12-02T10:00"))
    assert f"チェックリスト: 確認率 {yes / exp * 100:.1f}%（{yes} / {exp} 件）" in text
    assert "事故: 期間中の報告 2 件、対応中 1 件" in text
    r = run_mamoru(["report", "status", "--contract", am.C, "--from", "2026-11-01", "--to", "2026-11-30",
                    "--format", "md", "-o", "-"], world.path, env={"MAMORU_NOW": "2026-12-02T10:00+09:00"})
    assert r.returncode == 0, r.stderr
    md = r.stdout
    assert (f"チェックリストの確認 {yes} / {exp} 件（確認率 {yes / exp * 100:.1f}%、いいえ {no} 件、"
            f"未回答 {exp - yes - no} 件、2026年11月30日(月) まで）") in md
    assert "報告対象期間: 2026年11月1日(日) 〜 2026年11月30日(月)" in md
    # what a person typed in an incident report, and another contract's people, stay out of the report
    assert "住民票" not in md and "<!channel>" not in md and am.NAMES["UX"] not in md
    assert "期間中に報告された事故 2 件、期間中に完了したもの 1 件、期間末に対応中のもの 1 件" in md


def _summary(rows: list[list[str]], heading: str) -> dict[str, list[str]]:
    at = next(n for n, r in enumerate(rows) if r and r[0] == heading)
    cols = rows[at + 1]
    out = {}
    for r in rows[at + 2:]:
        if not r or not r[0]:
            break
        out[r[0]] = dict(zip(cols, r))
    return out


@pytest.fixture(scope="module")
def november_csv(world) -> list[list[str]]:
    """November's checklist export as the officer runs it on 12/2 (CSV rows), made once for the tests that read it."""
    out = world.path.parent / "export.csv"
    r = run_mamoru(["export", "checklists", "--contract", am.C, "--from", "2026-11-01", "--to", "2026-11-30",
                    "--format", "csv", "-o", str(out)], world.path, env={"MAMORU_NOW": "2026-12-02T10:00+09:00"})
    assert r.returncode == 0, r.stderr
    return list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))


def test_the_checklist_export_lists_every_record_and_totals_that_add_up(world, november_csv):
    raw = world.raw
    rows = november_csv
    head = rows[0]
    records = [dict(zip(head, x)) for x in rows[1:] if x and x[0].isdigit()]
    n = raw.conn.execute("SELECT COUNT(*) FROM checklist_confirmations WHERE contract = ? AND work_date"
                         " BETWEEN '2026-11-01' AND '2026-11-30'", [am.C]).fetchone()[0]
    assert len(records) == n
    assert {x["利用者ID"] for x in records} <= set(am.TEAM_A + am.TEAM_B + ["UL1", "UL2"])
    # UA3's 23:58 answer is in November, UA4's 00:01 one is not
    assert any(x["利用者ID"] == "UA3" and x["日時"] == "2026年11月30日(月) 23:58" for x in records)
    assert not any(x["日付"] == "2026-12-01" for x in records)
    want = raw.tally(am.D0, am.D1, lambda d: raw.members(d))
    per = _summary(rows, "集計（担当者別）")
    assert set(per) == set(want)
    for u, v in want.items():
        p = per[u]
        assert (int(p["確認すべき項目"]), int(p["未回答"])) == (v["expected"], v["expected"] - v["yes"] - v["no"]), u


COUNTS = ["はい", "いいえ", "訂正", "期限前の回答", "予定外の回答", "随時の確認", "報告"]


def _check_totals(per: dict[str, dict], want: dict[str, dict], sorted_: dict[str, dict], n_records: int) -> None:
    """The auditor's sums, per person: 確認すべき項目 = はい + いいえ + 未回答, 合計 = the person's records,
    split with nothing counted twice; each figure as computed from the raw file."""
    assert set(per) == set(want) | set(sorted_)
    for u, p in per.items():
        p = {k: int(p[k]) for k in ["確認すべき項目", "未回答", "合計", *COUNTS]}
        v = want.get(u, {"expected": 0, "yes": 0, "no": 0})
        s = sorted_.get(u, {})
        assert p["確認すべき項目"] == p["はい"] + p["いいえ"] + p["未回答"], (u, p)
        assert p["合計"] == sum(p[k] for k in COUNTS), (u, p)
        assert (p["確認すべき項目"], p["はい"], p["いいえ"]) == (v["expected"], v["yes"], v["no"]), (u, p, v)
        assert {k: p[k] for k in COUNTS if k != "期限前の回答"} == \
            {k: s.get(k, 0) for k in COUNTS if k != "期限前の回答"}, (u, p, s)
        assert p["期限前の回答"] == 0                      # a month that is over: every checklist was due
    assert sum(int(p["合計"]) for p in per.values()) == n_records


def test_the_checklist_export_totals_add_up_and_keep_corrections_and_days_off_apart(world, november_csv):
    """UB2 answered on 11/20, the day off given with `users add --days-off`: those seven answers are
    予定外の回答, not はい (the export said 確認すべき項目 126, 未回答 5, はい 128)."""
    raw = world.raw
    rows = november_csv
    records = [x for x in rows[1:] if x and x[0].isdigit()]
    want = raw.tally(am.D0, am.D1, lambda d: raw.members(d))
    sorted_ = raw.sorted_records(am.D0, am.D1, lambda d: raw.members(d))
    per = _summary(rows, "集計（担当者別）")
    _check_totals(per, want, sorted_, len(records))
    ub2 = {k: int(per["UB2"][k]) for k in ("確認すべき項目", "未回答", "はい", "予定外の回答")}
    off = raw.conn.execute("SELECT COUNT(*) FROM checklist_confirmations WHERE user_id = 'UB2'"
                           " AND work_date = '2026-11-20'").fetchone()[0]
    assert off == 7 and ub2 == {"確認すべき項目": 126, "未回答": 5, "はい": 121, "予定外の回答": 7}
    # per item: the same two sums, and the items add up to the people
    at = next(n for n, x in enumerate(rows) if x and x[0] == "集計（項目別）")
    items = {}
    for x in rows[at + 2:]:
        if not x or not x[0]:
            break
        items[(x[0], x[1])] = dict(zip(rows[at + 1], x))
    assert len(items) == 7
    for it in items.values():
        n = {k: int(it[k]) for k in ["確認すべき項目", "未回答", "合計", *COUNTS]}
        assert n["確認すべき項目"] == n["はい"] + n["いいえ"] + n["未回答"], it
        assert n["合計"] == sum(n[k] for k in COUNTS), it
    for k in ["確認すべき項目", "未回答", "合計", *COUNTS]:
        assert sum(int(x[k]) for x in items.values()) == sum(int(p[k]) for p in per.values()), k
    # the record sheet still lists every answer, the day-off ones included
    assert sum(1 for x in records if x[3] == "UB2" and x[1] == "2026-11-20") == 7


def _workbook(printed: str) -> dict[str, list[list]]:
    from openpyxl import load_workbook

    path = re.search(r"添付ファイルを保存しました: (\S+\.xlsx)", printed).group(1)
    wb = load_workbook(path, read_only=True)
    return {ws.title: [["" if c is None else str(c) for c in r] for r in ws.iter_rows(values_only=True)]
            for ws in wb.worksheets}


@pytest.mark.parametrize("viewer,team", [("UL1", am.TEAM_A + ["UL1"]), ("UL2", am.TEAM_B + ["UL2"]),
                                         ("UO", am.TEAM_A + am.TEAM_B + ["UL1", "UL2"])])
def test_the_records_workbook_a_lead_asks_for_holds_their_team_only(world, viewer, team):
    raw = world.raw
    ask = "先月のチェックリストの記録をエクセルでほしい"
    printed = world.say(viewer, ask if viewer != "UO" else f"{am.C} {ask}", _t("2026-12-02T10:00"))
    book = _workbook(printed)
    head, *body = book["記録"]
    records = [dict(zip(head, x)) for x in body]
    n = raw.conn.execute(f"SELECT COUNT(*) FROM checklist_confirmations WHERE contract = ? AND work_date"
                         f" BETWEEN '2026-11-01' AND '2026-11-30' AND user_id IN ({','.join('?' * len(team))})",
                         [am.C, *team]).fetchone()[0]
    assert len(records) == n
    assert f"{n} 件、{len(team)} 名" in printed
    assert {x["利用者ID"] for x in records} == set(team)
    want = raw.tally(am.D0, am.D1, lambda d: [u for u in raw.members(d) if u in team])
    per = _summary(book["集計"], "集計（担当者別）")
    assert {u: (int(p["確認すべき項目"]), int(p["未回答"])) for u, p in per.items()} == \
        {u: (v["expected"], v["expected"] - v["yes"] - v["no"]) for u, v in want.items()}
    sorted_ = {u: v for u, v in raw.sorted_records(am.D0, am.D1, lambda d: raw.members(d)).items() if u in team}
    _check_totals(per, want, sorted_, n)
    others = set(am.NAMES.values()) - {am.NAMES[u] for u in team} - {am.NAMES[viewer]}
    flat = "\n".join("\t".join(r) for s in book.values() for r in s) + printed
    assert not [name for name in others if name in flat]


# ---- the weekly digest ------------------------------------------------------------------------------

@pytest.mark.parametrize("lead,team", [("UL1", am.TEAM_A), ("UL2", am.TEAM_B)])
def test_the_weekly_digest_counts_each_member_of_the_team_for_their_own_days(world, lead, team):
    """The week of 11/16–11/22: UA5 joined on Monday afternoon, UB5 left on Wednesday noon, UB2
    had Friday off. Everyone counts for the days they owed, the one who left included."""
    from handlers import weekly

    raw = world.raw
    printed = world.say(lead, "先週のまとめ", _t("2026-11-24T10:00"))
    w0, w1 = _dt.date(2026, 11, 16), _dt.date(2026, 11, 22)
    want = raw.tally(w0, w1, lambda d: [u for u in raw.members(d) if u in team])
    f = weekly.figures(world.db, lead, w0, w1, _t("2026-11-24T10:00"))
    assert {r["user_id"]: (r["yes"], r["expected"], r["no"]) for r in f["people"] if r["expected"]} == \
        {u: (v["yes"], v["expected"], v["no"]) for u, v in want.items()}
    yes, exp, no = (sum(v[k] for v in want.values()) for k in ("yes", "expected", "no"))
    assert f"（確認 {yes}／対象 {exp}、いいえ {no}、未回答 {exp - yes - no}）" in printed
    for u, v in want.items():
        if v["yes"] < v["expected"]:
            assert (f"・{am.NAMES[u]}さん {round(v['yes'] / v['expected'] * 100)}%（{v['yes']}/{v['expected']}、"
                    f"いいえ {v['no']}、未回答 {v['expected'] - v['yes'] - v['no']}）") in printed
    others = [am.NAMES[u] for u in am.NAMES if u not in team and u != lead]
    assert not [n for n in others if n in printed]
    if lead == "UL2":
        assert want["UB5"]["expected"] == 14 and want["UB2"]["expected"] == 28
    else:
        assert want["UA5"]["expected"] == 4 + 7 * 4


# ---- today's team view and the incident list ------------------------------------------------------

@pytest.mark.parametrize("lead,team", [("UL1", am.TEAM_A), ("UL2", am.TEAM_B)])
def test_the_team_view_at_night_shows_who_still_owes_which_item(world, lead, team):
    raw = world.raw
    d = am.D1
    printed = world.say(lead, "/mamoru team", _t("2026-11-30T23:59:30"))     # UA3 answered at 23:58:30
    here = [u for u in raw.members(d) if u in team]
    assert f"（{len(here)} 名）" in printed
    for u in here:
        line = next(x for x in printed.splitlines() if x.startswith(f"・{am.NAMES[u]}さん: "))
        for cl in raw.owed(u, d):
            left = [label for it, label in raw.sched[cl]["items"] if raw.latest.get((u, cl, it, d.isoformat())) is None]
            title = raw.sched[cl]["title"]
            if left:
                assert f"{title} 期限切れ・未確認: {'、'.join(left)}" in line, line
            else:
                assert f"{title} 確認済み" in line, line
    others = [am.NAMES[u] for u in am.NAMES if u not in team and u != lead]
    assert not [n for n in others if n in printed]


@pytest.mark.parametrize("viewer,refs", [("UL1", ["INC-2026-0001"]), ("UL2", ["INC-2026-0002"]),
                                         ("UA1", ["INC-2026-0001"]), ("UA2", []),
                                         ("UO", ["INC-2026-0001", "INC-2026-0002"])])
def test_the_incident_list_shows_only_what_the_viewer_may_see_and_no_typed_details(world, viewer, refs):
    raw = world.raw
    printed = world.say(viewer, "インシデント一覧", _t("2026-11-25T11:00"))
    assert sorted(set(re.findall(r"INC-\d{4}-\d{4}", printed))) == refs
    for ref in refs:
        at, reporter = raw.conn.execute("SELECT at, reporter_id FROM incidents WHERE ref = ?", [ref]).fetchone()
        t = _dt.datetime.fromisoformat(at).astimezone(JST)
        line = next(x for x in printed.splitlines() if ref in x)
        assert f"{t.month}月{t.day}日" in line and f"{t:%H:%M}" in line and am.NAMES[reporter] in line
    assert "住民票" not in printed and "<!channel>" not in printed


@pytest.mark.parametrize("when,d0", [("2026-12-01T00:30", "2026-11-30"), ("2026-12-01T12:00", "2026-11-30")])
def test_this_weeks_digest_and_this_months_report_count_nothing_not_yet_due(world, when, d0):
    """「今週のまとめ」 just after midnight on Tuesday 12/1 (and at noon): Tuesday's 始業時 (due 10:00) and
    終業時 (due 18:00) are owed only once their deadline has come; UA4's 00:01 answer counts with it."""
    from handlers.report import figures

    raw = world.raw
    now = _t(when)
    printed = world.say("UL1", "今週のまとめ", now)
    want = raw.tally(_dt.date.fromisoformat(d0), now.date(), lambda d: [u for u in raw.members(d) if u in am.TEAM_A],
                     until=now)
    yes, exp, no = (sum(v[k] for v in want.values()) for k in ("yes", "expected", "no"))
    assert f"（確認 {yes}／対象 {exp}、いいえ {no}、未回答 {exp - yes - no}）" in printed
    if when.endswith("00:30"):
        assert exp == 7 * 5 and want["UA4"]["yes"] == 7            # Monday only
    else:
        assert exp == 7 * 5 + 3 * 5 and want["UA4"]["yes"] == 10   # and Tuesday's 始業時 (UA4 at 00:01)
    import os

    os.environ["MAMORU_NOW"] = now.isoformat()
    try:
        f = figures.compute(world.db, am.C, _dt.date(2026, 12, 1), _dt.date(2026, 12, 31))
    finally:
        os.environ.pop("MAMORU_NOW", None)
    dec = raw.tally(_dt.date(2026, 12, 1), now.date(), lambda d: raw.members(d), until=now)
    assert {u: (v["yes"], v["expected"]) for u, v in f["checklists"]["per_person"].items() if v["expected"]} == \
        {u: (v["yes"], v["expected"]) for u, v in dec.items()}
    assert f["checklists"]["expected"] == (0 if when.endswith("00:30") else 3 * len(raw.members(now.date())))


def test_this_months_records_say_they_run_to_today(world):
    """「今月のチェックリストの記録」 at 00:30 on 12/1: the workbook covers 12/1 only (not 〜12/31), with UA4's
    00:01 answer and none of November's."""
    raw = world.raw
    printed = world.say("UL1", "今月のチェックリストの記録をエクセルでほしい", _t("2026-12-01T00:30"))
    assert "2026年12月1日(火)〜2026年12月1日(火)（ご指定の月、本日まで）" in printed and "12月31日" not in printed
    head, *body = _workbook(printed)["記録"]
    n = raw.conn.execute("SELECT COUNT(*) FROM checklist_confirmations WHERE work_date = '2026-12-01'"
                         " AND user_id = 'UA4'").fetchone()[0]
    assert len(body) == n == 3 and f"{n} 件、1 名" in printed


# ---- training: the export's 状況 and a deadline that does not move --------------------------------

def _due_days() -> int:
    data = tomllib.loads((ROOT / "knowledge" / "quiz" / "course-yoshikawa.toml").read_text(encoding="utf-8"))
    return int(data.get("due_days", 7))


def _registered_on(raw: Raw, uid: str) -> _dt.date:
    """The JST day of the person's registration in force on the contract (raw people rows)."""
    since = None
    for u, _, contracts, _, _, _, active, t, _ in raw.rows:
        if u != uid:
            continue
        on = active and am.C in json.loads(contracts)
        since = (since or t) if on else None
    return _dt.datetime.fromisoformat(since).astimezone(JST).date()


def test_a_deadline_not_yet_assigned_does_not_move_while_it_is_ahead_and_is_never_set_in_the_past(world):
    """No notices pass ran in the month, and this runs before the training exports below (they assign what is
    owed first): UA3, UA4, UA5 and the lead have no assignment. UA5, registered on
    11/16, sees the same deadline (the registration day + due_days, 11/23) on 11/18 and on 11/22. The others,
    registered in October, would have a deadline already past: until one is written they are shown the
    day asked + due_days (a roster loaded long before mamoru went live does not start overdue). Every
    written assignment follows the same rule on the day it was written."""
    raw = world.raw
    days = _due_days()

    def shown(when: str) -> dict:
        printed = world.say("UL1", "研修 状況", _t(when))
        out = {}
        for uid in am.TEAM_A + ["UL1"]:
            line = next(x for x in printed.splitlines() if x.startswith(f"・{am.NAMES[uid]}さん: "))
            m = re.search(r"期限 (\d{4})年(\d+)月(\d+)日", line)
            out[uid] = _dt.date(*map(int, m.groups())) if m else None
        return out

    assigned = {u for (u,) in raw.conn.execute("SELECT DISTINCT user_id FROM training_assignments")}
    assert not {"UA3", "UA4", "UA5", "UL1"} & assigned
    early, late = shown("2026-11-18T10:00"), shown("2026-11-22T10:00")
    assert early["UA5"] == late["UA5"] == _registered_on(raw, "UA5") + _dt.timedelta(days=days) == _dt.date(2026, 11, 23)
    on_24 = shown("2026-11-24T10:00")
    for uid in ["UA3", "UA4", "UL1"]:
        assert _registered_on(raw, uid) + _dt.timedelta(days=days) < _dt.date(2026, 11, 24), uid
        assert on_24[uid] == _dt.date(2026, 12, 1), uid                  # never a deadline already past
    written_rows = raw.conn.execute("SELECT user_id, due_date, at FROM training_assignments WHERE contract = ?"
                                    " AND reason = 'registration'", [am.C]).fetchall()
    assert len(written_rows) >= 3
    for uid, due, at in written_rows:
        written = _dt.datetime.fromisoformat(at).astimezone(JST).date()
        by_registration = _registered_on(raw, uid) + _dt.timedelta(days=days)
        want = by_registration if by_registration >= written else written + _dt.timedelta(days=days)
        assert due == want.isoformat(), uid


def test_the_training_records_a_lead_asks_for_list_the_whole_team_as_stored(world):
    """UL2's 「研修の記録を出して」 on 12/2: one row per attempt of the team (score, result, pledge) and one per
    assignment not attempted, each a stored record. No notices pass ran in the month, so UB2, UB4 and the lead
    had no assignment and the workbook left them out; it assigns what is owed first, so nobody is missing."""
    raw = world.raw
    scope = am.TEAM_B + ["UL2"]
    printed = world.say("UL2", "研修の記録を出して", _t("2026-12-02T10:00"))
    head, *body = _workbook(printed)["研修の記録"]
    rows = [dict(zip(head, x)) for x in body]
    want = raw.conn.execute(
        "SELECT a.user_id, r.correct, r.passed, p.at FROM training_assignments a LEFT JOIN training_attempts t"
        " ON t.assignment_id = a.id LEFT JOIN training_results r ON r.attempt_id = t.id"
        " LEFT JOIN training_pledges p ON p.result_id = r.id WHERE a.contract = ? AND a.user_id IN"
        f" ({','.join('?' * len(scope))}) ORDER BY a.user_id, a.id, t.number", [am.C, *scope]).fetchall()
    assert [(x["利用者ID"], x["正答数"], x["判定"], bool(x["誓約日時"])) for x in rows] == \
        [(u, "" if c is None else str(c), "" if ok is None else "合格" if ok else "不合格", bool(p)) for u, c, ok, p in want]
    assert {w[0] for w in want} == {u for u in raw.members(_dt.date(2026, 12, 2)) if u in scope}    # nobody missing
    assert {w[0] for w in want if w[1] is None} == {"UB2", "UB4", "UL2"}                            # not attempted
    assert f"{len(want)} 件、{len({w[0] for w in want})} 名" in printed


def test_the_training_export_says_overdue_for_every_attempt_not_pledged_past_its_deadline(world):
    """UB1 failed and never retook, UB3 passed without pledging: both past their deadline on 12/2, so
    「不合格・期限超過」「誓約待ち・期限超過」 (they said 「不合格」「誓約待ち」 while an untried assignment said
    「未受講・期限超過」); UA2's failed first attempt of a cycle she finished stays 「不合格」."""
    raw = world.raw
    out = world.path.parent / "training.csv"
    r = run_mamoru(["export", "training", "--contract", am.C, "--format", "csv", "-o", str(out)], world.path,
                   env={"MAMORU_NOW": "2026-12-02T10:00+09:00"})
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    today = "2026-12-02"
    want = []
    for a_id, uid, due in raw.conn.execute("SELECT id, user_id, due_date FROM training_assignments WHERE contract = ?"
                                           " ORDER BY user_id, id", [am.C]).fetchall():
        tries = raw.conn.execute(
            "SELECT t.number, r.passed, p.id FROM training_attempts t LEFT JOIN training_results r ON r.attempt_id = t.id"
            " LEFT JOIN training_pledges p ON p.result_id = r.id WHERE t.assignment_id = ? ORDER BY t.number",
            [a_id]).fetchall()
        finished = any(ok and pl for _, ok, pl in tries)
        late = "・期限超過" if due < today and not finished else ""
        for n, ok, pl in tries:
            want.append((uid, str(n), ("修了" if pl else "誓約待ち" + late if ok else "不合格" + late if ok is not None
                                      else "受講中" + late)))
        if not tries:
            want.append((uid, "", "未受講" + late))
    assert [(x["利用者ID"], x["回"], x["状況"]) for x in rows] == want
    assert {x["利用者ID"] for x in rows} >= set(raw.members(_dt.date(2026, 12, 2)))     # nobody missing
    got = {(x["利用者ID"], x["回"]): x["状況"] for x in rows}
    assert got[("UB1", "1")] == "不合格・期限超過" and got[("UB3", "1")] == "誓約待ち・期限超過"
    assert got[("UA2", "1")] == "不合格" and got[("UA2", "2")] == "修了"


def test_the_chain_head_line_uses_the_pinned_clock(world):
    """The report's 「記録の連鎖の先頭 … 時点」 said the machine's time (the chain row's sealing time, from
    SQLite's clock) while everything else in it said MAMORU_NOW's."""
    out = world.path.parent / "report.md"
    r = run_mamoru(["report", "status", "--contract", am.C, "--from", "2026-11-01", "--to", "2026-11-30",
                    "--format", "md", "-o", str(out)], world.path, env={"MAMORU_NOW": "2026-12-02T10:00+09:00"})
    assert r.returncode == 0, r.stderr
    assert "作成: mamoru の記録から 2026年12月2日(水) 10:00 に下書き" in out.read_text(encoding="utf-8")
    printed = world.say("UO", "/mamoru report 吉川市 2026-11", _t("2026-12-02T10:30"))
    seq, = world.raw.conn.execute("SELECT MAX(seq) FROM audit_chain WHERE hash IS NOT NULL").fetchone()
    for text, when in ((r.stdout, "2026年12月2日(水) 10:00"), (printed, "2026年12月2日(水) 10:30")):
        line = next(x for x in text.splitlines() if "記録の連鎖の先頭" in x)
        assert f"連番 {seq}、" in line and f"（{when} 時点）" in line, line
