"""「チェックリストまだ出してない」「昨日の分のチェック忘れてた」「金曜の終業チェック出してなかった」
(capabilities.INTENTS "checklist.missed").

Today: today's checklist opens (what 「チェックリスト」 does). A past day is NOT filled in afterwards:
the records are the evidence of that day's confirmation (the buttons of an old day are refused as
expired too, core.expired). The person is told which day, that it cannot be recorded now and stays
未提出 in the records, and exactly who was told when it went overdue — read from the notice log
(their own reminder, the lead's digest naming them), never assumed; a day with no checklist due
(weekend, holiday, their day off, before their start) is said to be one. Then today's checklist,
if one is open now.
"""
from __future__ import annotations

import datetime as _dt

import sqlite_utils

from handlers import notices, people, said_dates, workdays
from handlers.checklist import core, plan, state
from handlers.replies import Reply, Turn
from storage import notices as nstore


def _when(row: dict) -> str:
    """When a notice went out: the time of the pass that found it due (the sending follows at once)."""
    return row.get("pass_at") or row["at"]


def _named_under(digest: str, heading: str, name: str) -> bool:
    """Whether the digest lists the person under this checklist's own heading (「始業時（期限 10:00） — 2 名」
    and its 「・名前さん: …」 lines), not only elsewhere (under 研修の期限超過)."""
    under = False
    for line in digest.splitlines():
        if line.startswith(heading):
            under = True
        elif under and line.startswith("・"):
            if line.startswith(f"・{name}さん:"):
                return True
        else:
            under = False
    return False


def told_when_overdue(db: sqlite_utils.Database, person: dict, d: _dt.date, checklist) -> list[str]:
    """Sentences saying who was told that the person's `checklist` of day `d` was overdue, from the
    notices actually sent (empty when nobody was)."""
    uid, name = person["user_id"], person["name"]
    said = []
    remind = nstore.sent_with_text(db, f"{notices.PREFIX}checklist:{d.isoformat()}:remind:{checklist.id}:{uid}")
    if remind:
        said.append(f"期限を過ぎた後に、ご本人あてにリマインドをお送りしています（{workdays.format_jst(_when(remind[0]))}）。")
    told = [r for r in nstore.sent_with_text(db, f"{notices.PREFIX}digest:{d.isoformat()}:")
            if _named_under(r["text"], f"{checklist.title}（期限", name) and r["user_id"] != uid]
    if told:
        who = "、".join(dict.fromkeys(f"{people.display_name(db, r['user_id'])}さん" for r in told))
        first = min(told, key=lambda r: r["at"])
        said.append(f"期限を過ぎた時点で、{who}に未確認としてお知らせ済みです（{workdays.format_jst(_when(first))}）。")
    else:
        said.append("この日、作業責任者への未確認のお知らせは送られていません。")
    return said


def missed(db: sqlite_utils.Database, user_id: str, meaning, via: str, now: _dt.datetime | None = None) -> Turn:
    from handlers.checklist import _which   # (the package imports this module)

    gate = core._gate(db, user_id)
    if gate:
        return gate
    now = plan.at_or_now(now)
    today = now.date()
    which = _which(meaning.plain)
    said = next((a for a in meaning.args if a), "")
    try:
        d = said_dates.days(said, today, ahead=False)[0] if said else today
    except said_dates.Unreadable as e:
        return Turn().add(Reply(str(e)))
    if d >= today:
        if d > today:
            return Turn().add(Reply(f"{workdays.format_date(d)}はまだ先の日です。その日のチェックリストは当日にお送りします。"))
        return core.open_checklist(db, user_id, which, via, now)
    person = people.get_person(db, user_id)
    day = state.day(db, d)
    slots = [s for s in plan.slots(plan.settings(db), person, d) if not which or s.checklist.title.startswith(which)]
    if not slots:
        why = plan.day_off_reason(person, d) or "定時のチェックリストがない日です"
        text = (f"{workdays.format_date(d)}は{why}。{which + '時の' if which else ''}定時のチェックリストはありませんでした"
                "（未提出の記録にはなりません）。")
        return _with_today(db, user_id, Turn().add(Reply(text)), via, now)
    lines = []
    left_any = False
    from handlers.report.figures import registered_since

    for s in slots:
        left = day.missing(user_id, s.checklist)
        title = f"{workdays.format_date(d)}の{s.checklist.title}のチェックリスト"
        since = registered_since(db, user_id, now)     # as the lead's digest reads it (team.digest_part)
        if since is not None and (s.deadline_at or s.send_at) < since:
            lines.append(f"{title}の期限の時点では、まだ mamoru に登録される前でした（チェックリストはお送りしておらず、"
                         "未提出の記録にもなりません）。")
            continue
        if not left:
            lines.append(f"{title}は、すべて回答済みです（記録に問題はありません）。")
            continue
        left_any = True
        lines.append(f"{title}は、未回答の項目（{'、'.join(i.label for i in left)}）が残っています。")
        lines += told_when_overdue(db, person, d, s.checklist)
    if left_any:
        lines.append("チェックリストの記録は、その日に確認したことの証跡のため、後から記録することはできません。"
                     "この日の分は、記録上「未提出」のまま残ります。事情がある場合は、作業責任者にご相談ください。")
    return _with_today(db, user_id, Turn().add(Reply("\n".join(lines))), via, now)


def _with_today(db, user_id: str, turn: Turn, via: str, now: _dt.datetime) -> Turn:
    """Today's checklist after the answer about a past day, when one is open now (sent and not all answered)."""
    person = people.get_person(db, user_id)
    today = state.day(db, now.date())
    open_now = [s for s in plan.slots(plan.settings(db), person, now.date())
                if s.send_at <= now and today.missing(user_id, s.checklist)]
    if open_now:
        t = core.open_checklist(db, user_id, "", via, now)
        turn.replies += t.replies
        turn.outgoing += t.outgoing
        turn.refresh |= t.refresh
    return turn
