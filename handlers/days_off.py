"""A worker's own days off, said in a DM or the terminal (capabilities.INTENTS "days_off.add",
"days_off.remove", "days_off.working", "days_off.ask", "days_off.list"): 「明日休みます」「12/24〜12/26 休みます」
「来週の月曜は有給です」, 「明日やっぱり出勤します」「12/10の休み取り消し」, 「明日出勤します」, 「明日の休みは？」
「明日って休み？」「明日の休み」, 「休みの予定」「私の休み」.

Only a statement registers a day off. A question about one day, or the day named with no verb
(「明日の休み」), records nothing: it is answered with that day's state and the days off ahead, and when
the day could be registered a button 「お休みとして登録する」 does it in one tap (a worker on a phone who
meant 「明日休みます」 loses one tap; one who asked loses nothing, and the lead is never told of a day off
nobody meant). 「明日出勤します」 takes a day off back only when one is registered that day (without
やっぱり・取り消し); otherwise it is just a worker saying they come in, and is acknowledged with what
comes that day (the checklists, or why there are none), never with 「登録されていません」.

Until now only an admin could register one (`mamoru users add … --days-off`). The day is saved the
same way, on the person's roster record (handlers.people.change_days_off: a new row, the worker as
actor, the channel as via, sealed into the audit chain), so the checklist plan
(handlers.checklist.plan.day_off_reason) and the notices already leave that day alone: no checklist,
no reminder, no overdue notice to the lead. The lead (person.lead_id, else the contract's leads) is
told by DM of every change. A half day (午前休・午後休・半休) is not a day off: the checklist comes
as usual, which is said. Days are read in JST (handlers.said_dates); a past day, one more than
MAX_AHEAD_DAYS ahead, or a day that is no working day anyway (weekend, holiday, 12/29–1/3) records
nothing and says why.
"""
from __future__ import annotations

import datetime as _dt
import re

import sqlite_utils

from handlers import capabilities, people, said_dates, workdays
from handlers.replies import Button, Outgoing, Reply, Turn
from storage import people as pstore

MAX_AHEAD_DAYS = 90
ACTION_ADD = "days_off_add"          # 「お休みとして登録する」 under the answer to 「明日の休みは？」; value: ISO dates, comma-separated
NOT_REGISTERED = "まだ mamoru に登録されていないため、お休みの登録はできません。"
_HALF = re.compile(r"午前|午後|半日|半休|am休|pm休")


def _today(now: _dt.datetime) -> _dt.date:
    return workdays.local(now).date()


def _dates(ds) -> str:
    return "、".join(workdays.format_date(d) for d in ds)


def _short(d: _dt.date) -> str:
    return f"{d.month}/{d.day}"


def ahead(person: dict, today: _dt.date) -> list[_dt.date]:
    """The person's days off from `today` on, in order (their own page shows them too)."""
    return sorted(d for d in (_dt.date.fromisoformat(x) for x in person.get("days_off") or []) if d >= today)


def leads_of(db: sqlite_utils.Database, person: dict) -> list[str]:
    """Whom a worker's days off are told to: their lead, else the leads of their contracts."""
    lead = people.get_person(db, person.get("lead_id") or "") if person.get("lead_id") else None
    if lead and lead["user_id"] != person["user_id"]:
        return [lead["user_id"]]
    mine = set(person.get("contracts") or [])
    return [p["user_id"] for p in pstore.active(db, role="lead")
            if p["user_id"] != person["user_id"] and mine & set(p["contracts"] or [])]


def _told(db, out: list[Outgoing]) -> str:
    if not out:
        return "（お知らせできる作業責任者が登録されていないため、どなたにもお知らせしていません。）"
    return f"作業責任者の{'、'.join(people.display_name(db, o.user_id) + 'さん' for o in out)}にお知らせしました。"


def _said(db, user_id: str, meaning, via: str, now: _dt.datetime | None):
    """(person, today, dates) or a Turn saying why not (unregistered, a day that cannot be read)."""
    person = people.get_person(db, user_id)
    if person is None:
        return None, None, None, Turn().add(people.registration_info(db, user_id, opening=NOT_REGISTERED))
    now, ds, turn = _days_said(meaning, now)
    return person, now, ds, turn


def _days_said(meaning, now: _dt.datetime | None):
    """(now in JST, the days the message names, None) or (now, None, a Turn saying the day cannot be read)."""
    now = workdays.local(now) if now is not None else workdays.now()
    said = next((a for a in meaning.args if a), "")
    try:
        return now, said_dates.days(said, _today(now), ahead=True), None
    except said_dates.Unreadable as e:
        return now, None, Turn().add(Reply(str(e)))


def _out_of_range(ds: list[_dt.date], today: _dt.date, what: str) -> Reply | None:
    past = [d for d in ds if d < today]
    if past:
        return Reply(f"{_dates(past)}は過去の日のため、{what}できません（何も変更していません）。"
                     "チェックリストの記録は、その日の確認の証跡として残ります。")
    limit = today + _dt.timedelta(days=MAX_AHEAD_DAYS)
    far = [d for d in ds if d > limit]
    if far:
        return Reply(f"{_dates(far)}は {MAX_AHEAD_DAYS} 日より先のため、まだ{what}できません（何も変更していません）。"
                     f"{workdays.format_date(limit)}までの日についてお知らせください。")
    return None


def add(db: sqlite_utils.Database, user_id: str, meaning, via: str, now: _dt.datetime | None = None) -> Turn:
    """「明日休みます」: the day(s) registered as the person's days off; the lead told."""
    person, now, ds, turn = _said(db, user_id, meaning, via, now)
    if turn is not None:
        return turn
    if _HALF.search(meaning.plain):
        return Turn().add(Reply(_half_day(ds)))
    return _register(db, user_id, person, ds, via, now)


def _half_day(ds: list[_dt.date]) -> str:
    return (f"半日のお休み（午前休・午後休・半休）は、お休みの日としては登録していません。{_dates(ds)}のチェックリストは"
            "いつもどおりお送りしますので、勤務される時間にご回答ください。")


def _register(db, user_id: str, person: dict, ds: list[_dt.date], via: str, now: _dt.datetime) -> Turn:
    """The day(s) saved as the person's days off (past, far and closed days refused), the lead told."""
    today = _today(now)
    refused = _out_of_range(ds, today, "お休みとして登録")
    if refused:
        return Turn().add(refused)
    closed = [(d, workdays.holiday_name(d)) for d in ds if workdays.holiday_name(d)]
    working = [d for d in ds if not workdays.holiday_name(d)]
    closed_note = "、".join(f"{workdays.format_date(d)}は{why}" for d, why in closed)
    if not working:
        return Turn().add(Reply(f"{closed_note}のため、もともとチェックリストのない日です。お休みの登録は不要です"
                                "（何も登録していません）。"))
    added, _, rid = people.change_days_off(db, user_id, user_id, add=[d.isoformat() for d in working], via=via, now=now)
    already = [d for d in working if d.isoformat() not in added]
    new = [d for d in working if d.isoformat() in added]
    lines = []
    out: list[Outgoing] = []
    if new:
        name = person["name"]
        text = (f"{name}さん（{user_id}）が、次の日をお休みとして登録しました（{workdays.format_jst(now)}）。\n"
                + "\n".join(f"・{workdays.format_date(d)}" for d in new)
                + f"\n{'これらの日' if len(new) > 1 else 'この日'}は{name}さんにチェックリストをお送りせず、未確認のお知らせもありません。")
        out = [Outgoing(u, Reply(text), key=f"days_off:add:{rid}:{u}") for u in leads_of(db, person)]
        lines.append(f"{_dates(new)}をお休みとして登録しました。")
        lines.append(f"{'これらの日' if len(new) > 1 else 'この日'}はチェックリストをお送りしません"
                     "（リマインドや、作業責任者への未確認のお知らせもありません）。" + _told(db, out))
    if already:
        lines.append(f"{_dates(already)}は既にお休みとして登録されています（変更はありません）。")
    if closed:
        lines.append(f"なお、{closed_note}のため、もともとチェックリストのない日です（登録していません）。")
    first = (new or already)[0]
    lines.append(f"取り消す場合は「{_short(first)}の休み取り消し」と送ってください。登録したお休みは「休みの予定」で確認できます。")
    return Turn().add(Reply("\n".join(lines)), out, user_id)


def remove(db: sqlite_utils.Database, user_id: str, meaning, via: str, now: _dt.datetime | None = None) -> Turn:
    """「明日やっぱり出勤します」「12/10の休み取り消し」: the day(s) taken off the person's days off; the lead told."""
    person, now, ds, turn = _said(db, user_id, meaning, via, now)
    if turn is not None:
        return turn
    return _take_back(db, user_id, person, ds, via, now)


def _take_back(db, user_id: str, person: dict, ds: list[_dt.date], via: str, now: _dt.datetime) -> Turn:
    refused = _out_of_range(ds, _today(now), "お休みの登録を取り消し")
    if refused:
        return Turn().add(refused)
    _, removed, rid = people.change_days_off(db, user_id, user_id, remove=[d.isoformat() for d in ds], via=via, now=now)
    gone = [d for d in ds if d.isoformat() in removed]
    missing = [d for d in ds if d.isoformat() not in removed]
    lines, out = [], []
    if gone:
        name = person["name"]
        text = (f"{name}さん（{user_id}）が、{_dates(gone)}のお休みの登録を取り消しました（{workdays.format_jst(now)}）。"
                f"この日は{name}さんにいつもどおりチェックリストをお送りします。")
        out = [Outgoing(u, Reply(text), key=f"days_off:remove:{rid}:{u}") for u in leads_of(db, person)]
        lines.append(f"{_dates(gone)}のお休みの登録を取り消しました。この日はいつもどおりチェックリストをお送りします。"
                     + _told(db, out))
    if missing and (not gone or len(ds) <= 7):
        lines.append(f"{_dates(missing)}はお休みとして登録されていません（変更はありません）。")
    if not gone:
        lines.append("登録したお休みは「休みの予定」で確認できます。")
    return Turn().add(Reply("\n".join(lines)), out, user_id)


def working(db: sqlite_utils.Database, user_id: str, meaning, via: str, now: _dt.datetime | None = None) -> Turn:
    """「明日出勤します」: a registered day off that day is taken back (the worker changed their mind);
    otherwise they are only saying they come in, which is acknowledged with what comes that day."""
    person = people.get_person(db, user_id)
    now, ds, turn = _days_said(meaning, now)
    if turn is not None:
        return turn
    today = _today(now)
    registered = set(person.get("days_off") or []) if person else set()
    off = [d for d in ds if d.isoformat() in registered]
    if off:
        return _take_back(db, user_id, person, off, via, now)
    return Turn().add(Reply(_coming_in(db, person, ds, today)))


def _coming_in(db, person: dict | None, ds: list[_dt.date], today: _dt.date) -> str:
    """承知しました, and what that day brings: its checklists, or why there are none."""
    from handlers.checklist import plan     # (the checklist package reads days off; imported late)

    d = ds[0]
    if person is None or d < today or not plan.is_participant(person):
        return "承知しました。"
    when = _dates([d]) if len(ds) == 1 else f"{workdays.format_date(ds[0])}〜{workdays.format_date(ds[-1])}"
    titles = list(dict.fromkeys(s.checklist.title for day in ds for s in plan.slots(plan.settings(db), person, day)))
    if titles:
        return f"承知しました。{when}は、いつもどおり{'・'.join(titles)}のチェックリストをお送りします。"
    why = plan.day_off_reason(person, d)
    if why and len(ds) == 1:
        return (f"承知しました。なお、{when}は{why}。定時のチェックリストはお送りしませんので、必要なときは"
                "「チェックリスト」と送ってください。")
    return "承知しました。"


def about(db: sqlite_utils.Database, user_id: str, meaning, via: str, now: _dt.datetime | None = None) -> Turn:
    """「明日の休みは？」「明日って休み？」「明日の休み」: whether the day is a registered day off, and the
    others ahead. Nothing is recorded; a day that could be registered gets the button that does it."""
    person, now, ds, turn = _said(db, user_id, meaning, via, now)
    if turn is not None:
        return turn
    today = _today(now)
    registered = set(person.get("days_off") or [])
    on = [d for d in ds if d.isoformat() in registered]
    closed = [(d, workdays.holiday_name(d)) for d in ds if d.isoformat() not in registered and workdays.holiday_name(d)]
    free = [d for d in ds if d.isoformat() not in registered and not workdays.holiday_name(d)]
    lines: list[str] = []
    buttons: list[Button] = []
    if on:
        lines.append(f"{_dates(on)}はお休みとして登録されています"
                     + ("（チェックリストはお送りしません）。" if on[-1] >= today else "。"))
    if closed:
        lines.append("、".join(f"{workdays.format_date(d)}は{why}" for d, why in closed)
                     + "のため、もともとチェックリストのない日です（お休みの登録は不要です）。")
    if free:
        lines.append(f"{_dates(free)}はお休みとして登録されていません。")
        if _HALF.search(meaning.plain):
            lines.append(_half_day(free))
        elif _out_of_range(free, today, "") is None:
            lines.append(f"お休みにする場合は「お休みとして登録する」を押すか、「{_short(free[0])} 休みます」のように送ってください。")
            buttons.append(Button("お休みとして登録する", ACTION_ADD, ",".join(d.isoformat() for d in free), "primary"))
    rest = [d for d in ahead(person, today) if d not in ds]
    if rest:
        lines.append(f"ほかに登録されているお休み（今日以降）: {_dates(rest[:10])}" + (f" ほか {len(rest) - 10} 日" if len(rest) > 10 else ""))
    if on and on[-1] >= today:
        lines.append(f"取り消す場合は「{_short(on[0])}の休み取り消し」と送ってください。")
    return Turn().add(Reply("\n".join(lines), buttons))


def press_add(db: sqlite_utils.Database, user_id: str, value: str, via: str, now: _dt.datetime | None = None) -> Turn:
    """「お休みとして登録する」: the days the answer offered, registered as if said (checked again now)."""
    person = people.get_person(db, user_id)
    if person is None:
        return Turn().add(people.registration_info(db, user_id, opening=NOT_REGISTERED))
    try:
        ds = [_dt.date.fromisoformat(x) for x in (value or "").split(",") if x.strip()][:said_dates.MAX_RANGE_DAYS]
    except ValueError:
        ds = []
    if not ds:
        return Turn().add(Reply("このボタンの日付を読み取れませんでした。「12/10 休みます」のように送ってください。"))
    now = workdays.local(now) if now is not None else workdays.now()
    return _register(db, user_id, person, ds, via, now)


def upcoming(db: sqlite_utils.Database, user_id: str, meaning, via: str, now: _dt.datetime | None = None) -> Turn:
    """「休みの予定」: the person's days off from today on."""
    person = people.get_person(db, user_id)
    if person is None:
        return Turn().add(people.registration_info(db, user_id, opening=NOT_REGISTERED))
    today = _today(workdays.local(now) if now is not None else workdays.now())
    ds = ahead(person, today)
    if not ds:
        return Turn().add(Reply("今日以降のお休みは登録されていません。「明日休みます」「12/10 休みます」のように送ると、"
                                "お休みとして登録できます（その日はチェックリストをお送りしません）。"))
    lines = [f"登録されているお休み（今日以降、{len(ds)} 日）です。この日はチェックリストをお送りしません。"]
    lines += [f"・{workdays.format_date(d)}" for d in ds]
    lines.append(f"取り消す場合は「{_short(ds[0])}の休み取り消し」のように送ってください。")
    return Turn().add(Reply("\n".join(lines)))


capabilities.register_intent("days_off.add", add)
capabilities.register_intent("days_off.remove", remove)
capabilities.register_intent("days_off.working", working)
capabilities.register_intent("days_off.ask", about)
capabilities.register_intent("days_off.list", upcoming)
capabilities.register_action(ACTION_ADD, press_add)
