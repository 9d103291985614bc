"""The lead's weekly digest: last week on one screen, with a chart of the team's days.

One DM to everyone who oversees someone, as the daily digest decides it (a lead: their team; the
officers, else the admins: the leads and anyone without an active lead) on the first working day of
each week, at or after the weekly time (`MAMORU_WEEKLY_DIGEST_TIME`, default 09:00, `off` to
stop it), during the lead's working hours. It covers the previous Monday–Sunday:

- checklist completion per person, lowest first (the figures of handlers.report.figures, so the
  digest and the status report never disagree: someone removed during the week counts for the days
  they were still registered), and the items most often missed, with clauses;
- training due within 7 days or overdue (handlers.training.state), with the course's clause;
- incidents of the team not closed, with their state;
- questions routed to the lead (or asked by the team) still unanswered.

The message carries every figure; a PNG of the completion rate day by day is attached when
anything was due (handlers.charts). Key: `notice:weekly:<Monday of the week covered>:<lead>`,
so a lead gets one digest per week whatever the number of passes, processes or restarts.
A week with no working day of its own to send in (the year-end closure) is skipped.
"""
from __future__ import annotations

import datetime as _dt
import functools
import os
from typing import Iterable

import sqlite_utils

from handlers import capabilities, charts, notices, people, workdays
from handlers.replies import Attachment, Reply
from storage import incidents as istore
from storage import people as pstore
from storage import questions as qstore

SOURCE = "weekly"
TIME_ENV = "MAMORU_WEEKLY_DIGEST_TIME"
DEFAULT_TIME = _dt.time(9, 0)
DUE_SOON_DAYS = 7
TARGET = 0.9                 # the chart's line: below it a day's bar is drawn orange
MAX_QUESTION_CHARS = 60


def send_time() -> _dt.time | None:
    """The time of day the digest goes out, or None when switched off."""
    raw = (os.environ.get(TIME_ENV) or "").strip()
    if not raw:
        return DEFAULT_TIME
    if raw.lower() in ("off", "none", "0", "false"):
        return None
    try:
        return _dt.time.fromisoformat(raw)
    except ValueError:
        notices.log.warning("%s=%r is not HH:MM; using %s", TIME_ENV, raw, DEFAULT_TIME)
        return DEFAULT_TIME


def week_before(d: _dt.date) -> tuple[_dt.date, _dt.date]:
    """The Monday–Sunday week that ended before the week of day d."""
    monday = d - _dt.timedelta(days=d.weekday())
    return monday - _dt.timedelta(days=7), monday - _dt.timedelta(days=1)


def send_day(d: _dt.date) -> _dt.date | None:
    """The first working day of d's week (None when the week has none)."""
    monday = d - _dt.timedelta(days=d.weekday())
    first = monday if workdays.is_working_day(monday) else workdays.next_working_day(monday)
    return first if first <= monday + _dt.timedelta(days=6) else None


def key(d0: _dt.date, lead_id: str) -> str:
    return f"{notices.PREFIX}{SOURCE}:{d0.isoformat()}:{lead_id}"


def _pct(rate: float | None) -> str:
    return "-" if rate is None else f"{round(rate * 100)}%"


# ---- figures --------------------------------------------------------------------------------

class Records:
    """What every lead's digest reads, loaded once per pass (not once per lead), and only when a
    digest is due: who oversees whom is cheap, the rest is read on first use."""

    def __init__(self, db: sqlite_utils.Database, now: _dt.datetime):
        from handlers.checklist import state as cstate
        from handlers.report import figures as rf

        self.db, self.now = db, now
        # who oversees whom, as the daily digest decides it: the lead, else the officers, else the
        # admins (a worker registered without a lead, or whose lead left, is not forgotten)
        self.people = {p["user_id"]: p for p in pstore.active(db)}
        fallback = cstate._fallbacks(self.people)
        self.overseen: dict[str, set[str]] = {}
        for p in self.people.values():
            if p["role"] in rf.MEMBER_ROLES:
                for r in cstate.recipients_from(self.people, p, fallback):
                    self.overseen.setdefault(r, set()).add(p["user_id"])
        # people removed since, by whom their last registration had them overseen: the week's tally
        # counts them for the days they were still registered (the status report does), while the
        # digest's recipients stay those who oversee someone active
        self.former: dict[str, set[str]] = {}
        for p in pstore.everyone(db):
            if not p["active"] and p["role"] in rf.MEMBER_ROLES:
                for r in cstate.recipients_from(self.people, p, fallback):
                    self.former.setdefault(r, set()).add(p["user_id"])

    @functools.cached_property
    def states(self):
        from handlers.report import figures as rf

        return rf.States(self.db)

    @functools.cached_property
    def training(self):
        from handlers.training import state as tstate

        return tstate.Context(self.db, self.now)

    @functools.cached_property
    def incidents(self) -> list[dict]:
        return istore.index(self.db)

    @functools.cached_property
    def open_questions(self) -> list[dict]:
        return qstore.all_routed(self.db, answered=False)


def figures(db: sqlite_utils.Database, lead_id: str, d0: _dt.date, d1: _dt.date, now: _dt.datetime,
            records: Records | None = None) -> dict:
    """Everything the digest says, from records only."""
    from handlers.report import figures as rf

    now = workdays.local(now)
    rec = records or Records(db, now)
    states = rec.states
    team_now_ids = rec.overseen.get(lead_id, set())
    counted = team_now_ids | rec.former.get(lead_id, set())     # who left counts for their own days
    tally = rf.checklist_tally(db, d0, min(d1, now.date()),
                               lambda d: [p for p in states.active_on(d) if p["user_id"] in counted], states, now)
    team_now = [rec.people[u] for u in sorted(team_now_ids)]
    team_ids = set(team_now_ids) | set(tally["per_person"])
    rows = []
    for uid in sorted(team_ids):
        c = tally["per_person"].get(uid, {"expected": 0, "yes": 0, "no": 0})
        rows.append({"user_id": uid, "name": people.display_name(db, uid), **c,
                     "unanswered": c["expected"] - c["yes"] - c["no"],
                     "rate": c["yes"] / c["expected"] if c["expected"] else None})
    rows.sort(key=lambda r: (r["rate"] is None, r["rate"] if r["rate"] is not None else 0, r["user_id"]))

    training = [t for p in team_now for t in rec.training.tracks(p)
                if not t.complete and (t.overdue or t.days_left <= DUE_SOON_DAYS)]
    training.sort(key=lambda t: (t.due, t.user_id))

    from handlers.incident import rights

    may_see = rights.viewer(db, lead_id)    # a team member's incident of a contract the lead is not on is not theirs
    incidents = [i for i in rec.incidents
                 if not i["closed"] and (lead_id in i["lead_ids"] or i["reporter_id"] in team_ids) and may_see(i)]
    from handlers import routing

    # ...nor a team member's question about a contract the lead is not on (sent to the officers)
    questions = [q for q in rec.open_questions
                 if lead_id in q["recipients"] or q["assignee_id"] == lead_id
                 or (q["asker_id"] in team_ids and routing.may_answer(db, lead_id, q))]

    return {"lead_id": lead_id, "from": d0.isoformat(), "to": d1.isoformat(), "team": len(team_ids),
            "checklist": tally, "people": rows, "training": training, "incidents": incidents,
            "questions": questions}


# ---- the message ----------------------------------------------------------------------------

def _checklist_lines(db, f: dict, slugs: list[str]) -> list[str]:
    from handlers.checklist import content, core

    t = f["checklist"]
    if not t["expected"]:
        return ["■ チェックリスト: この期間に、確認が必要な日はありませんでした。"]
    lines = [f"■ チェックリストの確認率: {_pct(t['rate'])}（確認 {t['confirmed']}／対象 {t['expected']}、"
             f"いいえ {t['no']}、未回答 {t['unanswered']}）"]
    short = [r for r in f["people"] if r["expected"] and r["yes"] < r["expected"]]
    full = [r for r in f["people"] if r["expected"] and r["yes"] == r["expected"]]
    if short:
        lines.append("確認率の低い方から:")
        lines += [f"・{r['name']}さん {_pct(r['rate'])}（{r['yes']}/{r['expected']}、いいえ {r['no']}、"
                  f"未回答 {r['unanswered']}）" for r in short]
    if full:
        lines.append(f"すべて確認済み: {len(full)} 名（{'、'.join(r['name'] + 'さん' for r in full)}）")
    idle = [r for r in f["people"] if not r["expected"]]
    if idle:
        lines.append(f"確認の対象日がなかった方: {'、'.join(r['name'] + 'さん' for r in idle)}")
    missed = t["items_missed"][:3]
    if missed:
        lines.append("見落としの多かった項目:")
        for m in missed:
            cl = content.get(m["checklist"])
            item = cl.item(m["item"]) if cl else None
            cite = f"（{core.citation(db, item, slugs)}）" if item else ""
            lines.append(f"・{m['label']} {m['missed']} 件{cite}")
    return lines


def _training_lines(db, f: dict) -> list[str]:
    from handlers.training import quiz, views

    if not f["training"]:
        return []
    lines = [f"■ 研修（期限まで{DUE_SOON_DAYS}日以内・期限超過）: {len(f['training'])} 件"]
    lines += [views.person_line(t) for t in f["training"]]
    cites = list(dict.fromkeys(c for c in (quiz.basis_citation(db, t.course) for t in f["training"]) if c))
    if cites:
        lines.append("根拠: " + "、".join(cites))
    return lines


def _incident_lines(db, f: dict) -> list[str]:
    from handlers.incident import common, notify

    if not f["incidents"]:
        return []
    lines = [f"■ 対応中の事故・インシデント: {len(f['incidents'])} 件"]
    for i in f["incidents"]:
        lines.append(f"・{i['ref']} {notify.type_label(i)}　{workdays.format_jst(i['at'])}　"
                     f"報告: {common.name(db, i['reporter_id'])}さん　{notify.status_of(db, i)}")
    rule = common.report_rule(db, common.slugs_for_contract(db, f["incidents"][0]["contract"]))
    if rule:
        lines.append(f"根拠: {rule['citation']}")
    return lines


def _question_lines(db, f: dict) -> list[str]:
    if not f["questions"]:
        return []
    lines = [f"■ 未回答のご質問: {len(f['questions'])} 件"]
    for q in f["questions"]:
        text = " ".join(q["question"].split())
        if len(text) > MAX_QUESTION_CHARS:
            text = text[: MAX_QUESTION_CHARS - 1] + "…"
        lines.append(f"・{workdays.format_jst(q['at'])} {people.display_name(db, q['asker_id'])}さん「{text}」")
    lines.append("ホームタブまたは届いたメッセージの「回答する」からお答えいただけます。")
    return lines


def text(db: sqlite_utils.Database, f: dict, week: str = "先週", chart_sent: bool = True) -> str:
    d0, d1 = _dt.date.fromisoformat(f["from"]), _dt.date.fromisoformat(f["to"])
    lead = f["lead_id"]
    slugs = people.contract_slugs(db, lead)
    head = (f"{people.display_name(db, lead)}さん、{week}（{workdays.format_date(d0)}〜{workdays.format_date(d1)}）の"
            f"チーム（{f['team']} 名）の週次のまとめです。")
    parts = [head, "\n".join(_checklist_lines(db, f, slugs))]
    for lines in (_training_lines(db, f), _incident_lines(db, f), _question_lines(db, f)):
        if lines:
            parts.append("\n".join(lines))
    if not (f["training"] or f["incidents"] or f["questions"]):
        parts.append("研修の期限が近い方、対応中の事故、未回答のご質問はありません。")
    if f["checklist"]["expected"] and chart_sent:
        parts.append("日ごとの確認率はグラフの画像でお送りします。詳しくは `/mamoru team` またはホームタブでご確認いただけます。")
    return "\n\n".join(parts)


# ---- on request -----------------------------------------------------------------------------

def on_request(db: sqlite_utils.Database, user_id: str, meaning, via: str, now: _dt.datetime | None = None):
    """「先週のまとめ見せて」「今週のまとめ」: the digest now, for whoever oversees someone; this week runs from
    its Monday to today."""
    from handlers import access
    from handlers.replies import Turn

    refused = access.require(db, user_id, what="チームの週次のまとめ", via=people._via(via), need="team")
    if refused:
        return Turn().add(refused)
    now = workdays.local(now or workdays.now())
    this_week = any(w in (meaning.plain or "") for w in ("今週", "こんしゅう"))
    if this_week:
        d0 = now.date() - _dt.timedelta(days=now.weekday())
        d1 = now.date()
    else:
        d0, d1 = week_before(now.date())
    f = figures(db, user_id, d0, d1, now)
    return Turn().add(Reply(text(db, f, "今週" if this_week else "先週", chart_sent=False)))


def chart(f: dict) -> bytes | None:
    """The team's completion rate per day of the week (None when nothing was due)."""
    t = f["checklist"]
    if not t["expected"]:
        return None
    d0 = _dt.date.fromisoformat(f["from"])
    cols = []
    for n in range(7):
        d = d0 + _dt.timedelta(days=n)
        day = t["per_day"].get(d.isoformat(), {"expected": 0, "yes": 0})
        value = day["yes"] / day["expected"] if day["expected"] else None
        note = f"{day['yes']}/{day['expected']}" if day["expected"] else ""
        cols.append(charts.Column(f"{d.month}/{d.day} {d:%a}", value, note))
    title = f"Team checklist completion by day, {f['from']} - {f['to']} (line: {round(TARGET * 100)}%)"
    return charts.bar_chart(cols, title, TARGET)


# ---- the notices source ---------------------------------------------------------------------

def recipients(records: Records) -> list[str]:
    """Everyone who oversees someone active: leads, and the officers (else admins) for the people
    without an active lead."""
    return sorted(u for u, team in records.overseen.items() if team)


def _due(db: sqlite_utils.Database, now: _dt.datetime) -> Iterable[notices.Notice]:
    at = send_time()
    now = workdays.local(now)
    first = send_day(now.date())
    if at is None or first is None or now.date() < first or now.time() < at:
        return []
    d0, d1 = week_before(now.date())
    out = []
    records = Records(db, now)
    for lead_id in recipients(records):
        k = key(d0, lead_id)
        lead = records.people[lead_id]
        if not workdays.is_working_time(now, lead.get("days_off")) or notices.is_sent(db, k):
            continue
        f = figures(db, lead_id, d0, d1, now, records)
        png = chart(f)
        att = Attachment(f"weekly_{d0.isoformat()}_{lead_id}.png", png,
                         f"チームの日ごとの確認率（{d0.month}/{d0.day}〜{d1.month}/{d1.day}）",
                         "数値はこのメッセージに記載のとおりです（グラフはそれを図にしたものです）。") if png else None
        out.append(notices.Notice(k, lead_id, Reply(text(db, f)), "weekly", f"weekly {d0}..{d1}", file=att))
    return out


notices.register_source(SOURCE, _due)
capabilities.register_intent("weekly", on_request)
