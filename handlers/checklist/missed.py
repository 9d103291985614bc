"""「チェックリスト出し忘れた」「昨日の分のチェック忘れてた」「金曜の終業チェック出してなかった」 (capabilities.INTENTS
"checklist.missed"): said about today, today's checklist is opened; said about a past day, nothing is recorded.

A confirmation is the evidence that the check was made that day, so a past day is never filled in afterwards
(a button of an old day's message is refused the same way: core.expired). The worker is told which checklists
of that day stay unanswered in the records, that their lead sees them there, and is shown today's checklist.
"""
from __future__ import annotations

import datetime as _dt
import re
import unicodedata

import sqlite_utils

from handlers import people, workdays
from handlers.checklist import core, plan, state
from handlers.replies import Reply, Turn

_WEEKDAY = "月火水木金土日"


def past_day(word: str, today: _dt.date) -> _dt.date | None:
    """The day 「昨日」「おととい」「金曜」「先週の金曜」「12/4」 points back to (None: not understood)."""
    w = unicodedata.normalize("NFKC", word or "").strip()
    if w in ("", "今日", "きょう", "本日", "今朝", "けさ"):
        return today
    if w in ("昨日", "きのう", "昨晩", "昨夜"):
        return today - _dt.timedelta(days=1)
    if w in ("おととい", "一昨日"):
        return today - _dt.timedelta(days=2)
    m = re.fullmatch(r"(先週|せんしゅう)?(?:の)?([月火水木金土日])(?:曜日?|よう)?", w)
    if m:
        target = _WEEKDAY.index(m.group(2))
        if m.group(1):
            return today - _dt.timedelta(days=today.weekday() + 7) + _dt.timedelta(days=target)
        return today - _dt.timedelta(days=(today.weekday() - target) % 7 or 7)     # the last one before today
    m = re.fullmatch(r"(\d{1,2})[/月](\d{1,2})日?", w)
    if m:
        try:
            d = _dt.date(today.year, int(m.group(1)), int(m.group(2)))
        except ValueError:
            return None
        return d if d <= today else d.replace(year=d.year - 1)
    return None


def missed(db: sqlite_utils.Database, user_id: str, said_day: str, via: str, now: _dt.datetime | None = None,
           which: str = "") -> Turn:
    gate = core._gate(db, user_id)
    if gate:
        return gate
    now = plan.at_or_now(now)
    today = core._today(now)
    d = past_day(said_day, today)
    if d is None or d >= today:
        return core.open_checklist(db, user_id, which, via, now)
    person = people.get_person(db, user_id)
    when = workdays.format_date(d)
    slots = [s for s in plan.slots(plan.settings(db), person, d)
             if not which or s.checklist.title.startswith(which)]       # 「終業チェック」: that one only
    if not slots:
        why = plan.day_off_reason(person, d) or "定時のチェックリストがない日です"
        head = f"{when}は{why}。その日に回答するチェックリストはありません。"
    else:
        day = state.day(db, d)
        left = [s.checklist.title for s in slots if day.missing(user_id, s.checklist)]
        if not left:
            head = f"{when}のチェックリスト（{'、'.join(s.checklist.title for s in slots)}）は、すべて回答済みです。"
        else:
            head = (f"{when}の{'、'.join(left)}のチェックリストは、後から回答を記録することはできません。"
                    "チェックリストの記録はその日に確認したことの証跡のため、未回答のまま記録に残ります"
                    "（作業責任者はチームの状況で確認できます）。事情がある場合は、作業責任者にお伝えください。")
    opened = core.open_checklist(db, user_id, "", via, now)
    first = opened.replies[0] if opened.replies else None
    if first is None:
        return Turn().add(Reply(head))
    return Turn().add(Reply(f"{head}\n\n{first.text}", buttons=first.buttons))
