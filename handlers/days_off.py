"""A worker's own days off, said in a DM or the terminal chat (capabilities.INTENTS "off.add", "off.cancel",
"off.list"): 「明日休みます」「12/10 休みます」「来週の月曜は有給です」「12/24〜12/26 休みます」, 「明日やっぱり出勤します」,
「休みの予定」.

Only admins could register a day off (`mamoru users add … --days-off`), so a worker on leave got the checklist
reminder and, an hour later, was reported to their lead as overdue. Said here, the day is saved in the person's
record like any change (the people history and the audit chain; actor: the worker), the checklist is neither
sent nor escalated that day (handlers.checklist.plan.day_off_reason, handlers.notices), and the lead is told by
DM. A half day (午前休・午後休・半休) is not a day off: the checklist comes as usual, and the worker is told so.
"""
from __future__ import annotations

import datetime as _dt
import re
import unicodedata

import sqlite_utils

from handlers import capabilities, people, workdays
from handlers.replies import Outgoing, Reply, Turn
from storage import people as pstore

MAX_AHEAD_DAYS = 92        # about three months: further ahead is a plan, not something to register now
MAX_RANGE_DAYS = 31

_WEEKDAY = "月火水木金土日"
_HALF = re.compile(r"午前休|午後休|半休|半日|はんにち|午前中だけ|午後だけ|午前だけ|早退|遅刻|遅れ")


class DateError(ValueError):
    pass


def _one_date(word: str, today: _dt.date) -> _dt.date:
    w = unicodedata.normalize("NFKC", word).replace("／", "/")
    if w in ("今日", "きょう", "本日"):
        return today
    if w in ("明日", "あした", "あす"):
        return today + _dt.timedelta(days=1)
    if w in ("明後日", "あさって"):
        return today + _dt.timedelta(days=2)
    m = re.fullmatch(r"(\d{1,2})[/月](\d{1,2})日?", w)
    if m:
        month, day = int(m.group(1)), int(m.group(2))
        for year in (today.year, today.year + 1):      # 1/5 said in December is next January
            try:
                d = _dt.date(year, month, day)
            except ValueError:
                raise DateError(f"「{word}」は日付として読めません。") from None
            if d >= today - _dt.timedelta(days=31):
                return d
        return d
    m = re.fullmatch(r"(\d{1,2})日", w)
    if m:
        day = int(m.group(1))
        d = today
        for _ in range(2):     # this month, or next month when the day has passed
            try:
                c = d.replace(day=day)
            except ValueError:
                raise DateError(f"「{word}」は日付として読めません。") from None
            if c >= today:
                return c
            d = (d.replace(day=1) + _dt.timedelta(days=32)).replace(day=1)
        return c
    m = re.fullmatch(r"(来週|らいしゅう|今週|こんしゅう)?(?:の)?([月火水木金土日])(?:曜日?|よう)?", w)
    if m:
        target = _WEEKDAY.index(m.group(2))
        if m.group(1) in ("来週", "らいしゅう"):
            monday = today - _dt.timedelta(days=today.weekday()) + _dt.timedelta(days=7)
            return monday + _dt.timedelta(days=target)
        if m.group(1) in ("今週", "こんしゅう"):
            return today - _dt.timedelta(days=today.weekday()) + _dt.timedelta(days=target)
        return today + _dt.timedelta(days=(target - today.weekday()) % 7 or 7)   # the next one (not today)
    raise DateError(f"「{word}」は日付として読めません。")


def parse_days(said: str, today: _dt.date) -> list[_dt.date]:
    """The days of 「明日」「12/10」「来週の月曜」「12/24〜12/26」; DateError with a Japanese reason."""
    said = re.sub(r"まで$", "", said)
    parts = re.split(r"〜|~|～|から|(?<=\d)-(?=\d)", said, maxsplit=1)
    first = _one_date(parts[0], today)
    last = _one_date(parts[1], today) if len(parts) > 1 and parts[1] else first
    if last < first:
        raise DateError("終わりの日が始めの日より前になっています。")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise DateError(f"一度に登録できるのは {MAX_RANGE_DAYS} 日までです。長いお休みは作業責任者にご相談ください。")
    return [first + _dt.timedelta(days=n) for n in range((last - first).days + 1)]


def _who_to_tell(db, person: dict) -> list[str]:
    from handlers.checklist import core

    return [u for u in core.recipients(db, person) if u != person["user_id"]]


def _save(db, person: dict, days_off: list[str], actor: str, via: str, now: _dt.datetime) -> None:
    with pstore.transaction(db):
        pstore.append(db, user_id=person["user_id"], change="update", name=person["name"], role=person["role"],
                      contracts=person["contracts"], lead_id=person["lead_id"], start_date=person["start_date"],
                      days_off=sorted(set(days_off)), active=True, actor=actor, via=people._via(via),
                      at=workdays.iso(now))


def _notices(db, person: dict, text: str, key: str) -> list[Outgoing]:
    return [Outgoing(u, Reply(text), key=f"days_off:{key}:{u}") for u in _who_to_tell(db, person)]


def _told(db, out: list[Outgoing]) -> str:
    return (f"{'、'.join(people.display_name(db, o.user_id) + 'さん' for o in out)}にお知らせしました。" if out
            else "（お知らせできる作業責任者が登録されていません。）")


def _dates_text(days: list[_dt.date]) -> str:
    if len(days) > 2 and all((b - a).days == 1 for a, b in zip(days, days[1:])):
        return f"{workdays.format_date(days[0])}〜{workdays.format_date(days[-1])}"
    return "、".join(workdays.format_date(d) for d in days)


def _person_or_turn(db, user_id: str) -> tuple[dict | None, Turn | None]:
    person = people.get_person(db, user_id)
    if person is None:
        return None, Turn().add(people.registration_info(
            db, user_id, opening="お休みの登録は、mamoru に登録された方だけがご利用いただけます。"))
    return person, None


def add(db: sqlite_utils.Database, user_id: str, meaning, via: str) -> Turn | None:
    person, turn = _person_or_turn(db, user_id)
    if turn:
        return turn
    now = workdays.now()
    today = now.date()
    if _HALF.search(meaning.plain):
        return Turn().add(Reply("半日のお休み（午前休・午後休）は、お休みの日として登録していません。その日もチェックリストは"
                                "いつもどおりお送りしますので、勤務している時間にご回答ください。"
                                "お休みの連絡は、いつもの方法で作業責任者にお伝えください。"))
    try:
        days = parse_days(meaning.args[0], today)
    except DateError as e:
        return Turn().add(Reply(f"{e} 例：「明日休みます」「12/10 休みます」「12/24〜12/26 休みます」。"))
    if days[0] < today:
        return Turn().add(Reply(f"{_dates_text(days)}は過ぎた日のため、お休みとして登録できません。"
                                "過ぎた日の記録の訂正は作業責任者にご相談ください。"))
    if (days[-1] - today).days > MAX_AHEAD_DAYS:
        return Turn().add(Reply(f"お休みの登録は {MAX_AHEAD_DAYS} 日先までです（{_dates_text(days)}）。近くなってから、もう一度お知らせください。"))
    closed = [d for d in days if workdays.holiday_name(d)]
    working = [d for d in days if d not in closed]
    if not working:
        why = "、".join(f"{workdays.format_date(d)}は{workdays.holiday_name(d)}" for d in closed)
        return Turn().add(Reply(f"{why}のため、もともとチェックリストはありません。お休みとしての登録は不要です。"))
    already = set(person["days_off"])
    new = [d for d in working if d.isoformat() not in already]
    if not new:
        return Turn().add(Reply(f"{_dates_text(working)}は、すでにお休みとして登録されています。"))
    _save(db, person, [*already, *(d.isoformat() for d in new)], user_id, via, now)
    out = _notices(db, person, f"{person['name']}さんが、{_dates_text(new)}をお休みとして登録しました"
                               "（その日のチェックリストは送られず、未回答としても扱われません）。",
                   f"add:{person['user_id']}:{','.join(d.isoformat() for d in new)}")
    skipped = ("（" + "、".join(f"{workdays.format_date(d)}は{workdays.holiday_name(d)}" for d in closed) + "のため登録していません）") \
        if closed else ""
    text = (f"{_dates_text(new)}をお休みとして登録しました{skipped}。その日はチェックリストをお送りしません。\n"
            f"{_told(db, out)}\n取り消す場合は「{_short(new[0], today)}やっぱり出勤します」とお送りください。")
    return Turn().add(Reply(text), out, user_id)


def _short(d: _dt.date, today: _dt.date) -> str:
    return "明日" if d == today + _dt.timedelta(days=1) else ("今日" if d == today else f"{d.month}/{d.day}")


def cancel(db: sqlite_utils.Database, user_id: str, meaning, via: str) -> Turn | None:
    person, turn = _person_or_turn(db, user_id)
    if turn:
        return turn
    now = workdays.now()
    try:
        days = parse_days(next((a for a in meaning.args if a), ""), now.date())
    except DateError as e:
        return Turn().add(Reply(f"{e} 例：「明日やっぱり出勤します」「12/10の休み取り消し」。"))
    held = set(person["days_off"])
    gone = [d for d in days if d.isoformat() in held and d >= now.date()]
    if not gone:
        return Turn().add(Reply(f"{_dates_text(days)}は、お休みとして登録されていません。"))
    _save(db, person, sorted(held - {d.isoformat() for d in gone}), user_id, via, now)
    out = _notices(db, person, f"{person['name']}さんが、{_dates_text(gone)}のお休みの登録を取り消しました（その日はチェックリストをお送りします）。",
                   f"cancel:{person['user_id']}:{','.join(d.isoformat() for d in gone)}:{now:%Y%m%d%H%M}")
    return Turn().add(Reply(f"{_dates_text(gone)}のお休みの登録を取り消しました。その日はいつもどおりチェックリストをお送りします。\n"
                            f"{_told(db, out)}"), out, user_id)


def listing(db: sqlite_utils.Database, user_id: str, meaning, via: str) -> Turn | None:
    person, turn = _person_or_turn(db, user_id)
    if turn:
        return turn
    today = workdays.now().date()
    ahead = sorted(d for d in person["days_off"] if d >= today.isoformat())
    if not ahead:
        return Turn().add(Reply("これからのお休みは登録されていません。登録するには「明日休みます」「12/10 休みます」のようにお送りください。"))
    return Turn().add(Reply("お休みとして登録されている日: " + "、".join(workdays.format_date(d) for d in ahead) + "。"))


capabilities.register_intent("off.add", add)
capabilities.register_intent("off.cancel", cancel)
capabilities.register_intent("off.list", listing)
