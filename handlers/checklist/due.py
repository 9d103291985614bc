"""The checklist notice source (handlers.notices): what is due at `now`, from stored state only.

Keys (the same situation always gives the same key, so each is sent once):
- `notice:checklist:<date>:ask:<checklist>:<user>` — the scheduled DM, from the send time until
  the deadline, to each participant who has not answered every item yet;
- `notice:checklist:<date>:remind:<checklist>:<user>` — once, from the deadline to the end of the
  day, to whoever still has items unanswered (it carries the buttons too);
- `notice:checklist:<date>:noreason:<confirmation>:<lead>` — a "no" whose reason has not come
  REASON_WAIT after the press: the lead is told without it (the reason, if it comes later, follows).
The lead's digest is handlers.digest's source; the checklist adds its part there.
"""
from __future__ import annotations

import datetime as _dt
from typing import Iterable

import sqlite_utils

from handlers import notices, people, workdays
from handlers.checklist import content, core, plan, state
from handlers.replies import Reply
from storage import checklists as store

SOURCE = "checklist"
REASON_WAIT = _dt.timedelta(minutes=30)


def _prefix(d: _dt.date) -> str:
    return f"{notices.PREFIX}{SOURCE}:{d.isoformat()}:"


def due(db: sqlite_utils.Database, now: _dt.datetime) -> Iterable[notices.Notice]:
    now = workdays.local(now)
    d = now.date()
    if workdays.holiday_name(d):      # weekends, public holidays, the year-end closure: nobody
        return []
    day = state.day(db, d)
    sent = store.sent_keys(db, _prefix(d))
    out: list[notices.Notice] = []
    messages: dict[tuple, Reply] = {}

    def message(kind: str, slot: plan.Slot, left: list) -> Reply:
        slugs = day.slugs(db, slot.contract)
        key = (kind, slot.checklist.id, slot.contract, slot.deadline_at, tuple(i.id for i in left))
        if key not in messages:
            c = slot.checklist
            if kind == "ask":
                opening = "おはようございます。" if c.schedule.kind == "start_of_day" else "お疲れさまです。"
                opening += f"{c.title}のチェックリストです（{workdays.format_date(d)}）。"
                deadline = slot.deadline_at
            else:
                opening = (f"{c.title}のチェックリスト（{workdays.format_date(d)}）の確認期限 {core._hm(slot.deadline_at)} を"
                           f"過ぎました。まだ回答されていない項目が {len(left)} 件あります。ご確認をお願いします。")
                deadline = None
            messages[key] = core.checklist_reply(db, c, d, slugs, deadline=deadline, opening=opening, items=left)
        return messages[key]

    for p in day.participants():
        uid = p["user_id"]
        for slot in day.slots(p):
            left = day.missing(uid, slot.checklist)
            if not left:
                continue
            if slot.send_at <= now < slot.deadline_at:
                kind = "ask"
            elif now >= slot.deadline_at:
                kind = "remind"
            else:
                continue
            key = f"{_prefix(d)}{kind}:{slot.checklist.id}:{uid}"
            if key in sent:
                continue
            out.append(notices.Notice(key, uid, message(kind, slot, left), f"checklist_{kind}", f"{slot.checklist.id} {d}"))
    for conf in store.awaiting_reason(db, work_date=d.isoformat()):
        if now - workdays.parse(conf["at"]) < REASON_WAIT:
            continue
        person = day.person(conf["user_id"])
        if person is None:
            continue
        for o in core.notify_no(db, person, conf, None, day.slugs(db, conf["contract"]), late=True):
            key = f"{_prefix(d)}noreason:{conf['id']}:{o.user_id}"
            if key not in sent:
                out.append(notices.Notice(key, o.user_id, o.reply, "checklist_no_reason", f"confirmation {conf['id']}"))
    return out


def still_due(db: sqlite_utils.Database, key: str, now: _dt.datetime) -> bool:
    """Right before sending: still unanswered (ask, remind) / still without a reason (noreason)."""
    parts = key.split(":")
    if len(parts) != 6:
        return True
    _, _, date, kind, ref, who = parts
    if kind in ("ask", "remind"):
        c = content.get(ref)
        if c is None:
            return False
        answered = {r["item_id"] for r in store.day_answers(db, date, who) if r["checklist_id"] == c.id}
        return any(i.id not in answered for i in c.checks) and people.get_person(db, who) is not None
    if kind == "noreason":
        return any(str(r["id"]) == ref for r in store.awaiting_reason(db, work_date=date))
    return True
