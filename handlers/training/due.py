"""The training notice source (handlers.notices): what is due at `now`, from stored state only.

Keys (the same situation always gives the same key, so each is sent once):
- `notice:training:assign:<user>:<course>:<cycle>:<basis>` — the DM asking a newly registered
  person to begin (cycle "initial"), announcing a changed deadline (a new start date: basis is
  that date), or asking for the renewal of a pass about to expire (cycle "renew-<result id>").
  The assignment itself is written by `still_due`, right before the DM is sent: a dry run
  writes nothing, and a person who opened the training themselves first is not asked again.
  One written by an export first (views.export) still gets its DM, with the deadline written.
- `notice:training:remind:<assignment>:<days>` — REMIND days before the deadline (the course's
  remind_days, default 7, 3 and 1; only the nearest one reached is sent, and none that had
  already passed when the training was assigned);
- `notice:training:overdue:<assignment>` — once, to the person, the day after the deadline.
Leads hear about overdue training in their digest (handlers.digest, part "training"); the
officer sees everyone overdue on App Home and with 「研修 状況」.
Notices go out only during the recipient's working hours (handlers.workdays).
"""
from __future__ import annotations

import datetime as _dt
from typing import Iterable

import sqlite_utils

from handlers import notices, people, workdays
from handlers.replies import Button, Reply
from handlers.training import quiz, state
from handlers.training.state import Track
from storage import training as store

SOURCE = "training"
PREFIX = f"{notices.PREFIX}{SOURCE}:"


def cycle_key(cycle: str) -> str:
    return cycle.replace(":", "-")


def cycle_of(key_part: str) -> str:
    return key_part.replace("-", ":", 1) if key_part.startswith("renew-") else key_part


def assign_key(user_id: str, course_id: str, cycle: str, basis: str) -> str:
    return f"{PREFIX}assign:{user_id}:{course_id}:{cycle_key(cycle)}:{basis}"


def action_button(t: Track) -> Button:
    label = {"in_progress": "研修を続ける", "failed": "もう一度受ける", "pledge": "誓約書を確認する"}.get(t.state, "研修を始める")
    return Button(label, quiz.ACTION_START, t.course.id, "primary")


def _rule(db, t: Track) -> str:
    cite = quiz.basis_citation(db, t.course)
    return f"（根拠: {cite}）" if cite else ""


def assign_reply(db, t: Track, n: state.Need) -> tuple[Reply, str]:
    c, name = t.course, t.person["name"]
    due = workdays.format_date(n.due)
    how = ("このメッセージの「研修を始める」ボタン、ホームタブ、または「研修」と送信すると始められます。"
           "途中でやめても、続きから再開できます。")
    if n.reason == "renewal":
        until = t.previous_pass["valid_until"] if t.previous_pass else None
        text = (f"{name}さん、研修「{c.title}」の合格の有効期限（{workdays.format_date(until)}）が近づいています。"
                f"引き続き業務に従事していただくため、更新の研修を受講し、改めて誓約をお願いします{_rule(db, t)}。\n"
                f"期限: {due}\n全{c.questions_per_attempt}問、合格点は{c.pass_percent}%です。{how}")
        return Reply(text, buttons=[Button("研修を始める", quiz.ACTION_START, c.id, "primary")]), "training_renewal"
    if n.reason == "start_date_changed":
        text = (f"{name}さん、作業開始日が {workdays.format_date(n.basis)} に変わったため、研修「{c.title}」の期限を"
                f" {due} に変更しました。作業を始める前の受講と誓約をお願いします{_rule(db, t)}。")
        return Reply(text, buttons=[action_button(t)]), "training_due_changed"
    # (the registration day + due_days, or the day of this notice + due_days when that had passed: no 「…から」)
    when = "（作業開始日）" if n.basis and n.due.isoformat() == n.basis else ""
    text = (f"{name}さん、情報セキュリティ研修のご案内です。\n作業を始める前に、研修「{c.title}」を受講し、"
            f"秘密保持に関する誓約をしていただく必要があります{_rule(db, t)}。\n"
            f"期限: {due}{when}\n全{c.questions_per_attempt}問、合格点は{c.pass_percent}%です。{how}")
    return Reply(text, buttons=[Button("研修を始める", quiz.ACTION_START, c.id, "primary")]), "training_assigned"


def remind_reply(db, t: Track, days: int) -> Reply:
    what = {"in_progress": "研修が途中になっています。続きから再開できます。",
            "failed": "前回は合格点に届きませんでした。もう一度受講をお願いします。",
            "pledge": "研修には合格されています。あとは秘密保持に関する誓約をお願いします。"}.get(
        t.state, "まだ研修を受講されていません。作業を始める前の受講をお願いします。")
    return Reply(f"{t.person['name']}さん、研修「{t.course.title}」の期限（{workdays.format_date(t.due)}）まで、"
                 f"あと{days}日です。{what}{_rule(db, t)}", buttons=[action_button(t)])


def overdue_reply(db, t: Track) -> Reply:
    return Reply(f"{t.person['name']}さん、研修「{t.course.title}」の期限（{workdays.format_date(t.due)}）を過ぎています。"
                 f"契約により、作業の前に研修を受けることが求められています{_rule(db, t)}。至急、受講をお願いします。"
                 "期限を過ぎていることは作業責任者にもお知らせしています。", buttons=[action_button(t)])


def _reminder(t: Track) -> int | None:
    """The nearest reminder threshold reached now (None: none due)."""
    a = t.assignment
    left = t.days_left
    if left < 1:
        return None
    span = (t.due - workdays.parse(a["at"]).date()).days
    reached = [d for d in t.course.remind_days if left <= d < span]
    return min(reached) if reached else None


def due(db: sqlite_utils.Database, now: _dt.datetime) -> Iterable[notices.Notice]:
    now = workdays.local(now)
    ctx = state.Context(db, now)
    sent = store.sent_keys(db, PREFIX)
    out: list[notices.Notice] = []
    for t in state.everyone(ctx):
        p = t.person
        if not workdays.is_working_time(now, p["days_off"]):
            continue
        uid, a, n = p["user_id"], t.assignment, t.need
        if n is not None:
            key = assign_key(uid, t.course.id, n.cycle, n.basis)
            if key not in sent:
                reply, kind = assign_reply(db, t, n)
                out.append(notices.Notice(key, uid, reply, kind, f"{t.course.id} {n.cycle} due {n.due}"))
            continue
        if t.state == "not_started" and not t.attempts:
            # written without its DM reaching the person (a DM that failed, an export that assigned
            # first): offer it once. Who opened the training themselves has an attempt already.
            key = assign_key(uid, t.course.id, a["cycle"], a["basis"])
            if key not in sent:
                n2 = state.Need(a["cycle"], a["basis"], state.date_of(a["due_date"]), a["reason"], a["prev_id"])
                reply, kind = assign_reply(db, t, n2)
                out.append(notices.Notice(key, uid, reply, kind, f"{t.course.id} {a['cycle']} due {a['due_date']}"))
                continue
        if t.complete:
            continue
        if t.overdue:
            key = f"{PREFIX}overdue:{a['id']}"
            if key not in sent:
                out.append(notices.Notice(key, uid, overdue_reply(db, t), "training_overdue",
                                          f"assignment {a['id']} due {a['due_date']}"))
            continue
        d = _reminder(t)
        if d is not None:
            key = f"{PREFIX}remind:{a['id']}:{d}"
            if key not in sent:
                out.append(notices.Notice(key, uid, remind_reply(db, t, d), "training_reminder",
                                          f"assignment {a['id']} due {a['due_date']}"))
    return out


def _track(db, user_id: str, course_id: str, now) -> Track | None:
    p = people.get_person(db, user_id)
    if p is None:
        return None
    return next((t for t in state.Context(db, now, user_id).tracks(p) if t.course.id == course_id), None)


def still_due(db: sqlite_utils.Database, key: str, now: _dt.datetime) -> bool:
    """Right before sending: an assignment DM writes its assignment (once); a reminder or an overdue
    notice is sent only while that assignment is still the one in force and not complete."""
    parts = key[len(PREFIX):].split(":")
    kind = parts[0]
    if kind == "assign" and len(parts) == 5:
        _, uid, course_id, cyc, basis = parts
        cycle = cycle_of(cyc)
        with store.transaction(db):
            t = _track(db, uid, course_id, now)
            if t is None:
                return False
            if t.need is not None and (t.need.cycle, t.need.basis) == (cycle, basis):
                state.ensure(db, t, actor=state.SCHEDULER, via=state.SCHEDULER, now=now)
                return True
            a = t.assignment
            return bool(a and (a["cycle"], a["basis"]) == (cycle, basis) and t.state == "not_started"
                        and not t.attempts)
    if kind in ("remind", "overdue") and len(parts) >= 2:
        try:
            a = store.assignment(db, int(parts[1]))
        except ValueError:
            return False
        if a is None:
            return False
        t = _track(db, a["user_id"], a["course_id"], now)
        return bool(t and t.need is None and t.assignment and t.assignment["id"] == a["id"] and not t.complete)
    return True
