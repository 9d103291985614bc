"""Oversight reports: the periodic status report (draft.py, figures from records in figures.py),
its scheduled delivery, and the end of a contract (close.py).

Scheduled: a notices source "report". When a contract's report period ends (monthly by default,
or per `mamoru report schedule 案件 --every month|quarter|off`), the officers and the contract's
leads get one DM each with the figures in the message and the draft (.docx) attached, once per
period: key `notice:report:<contract>:<from>:<to>:<user>`. Sent on the first working day after the
period, during working hours.
"""
from __future__ import annotations

import datetime as _dt
from typing import Iterable

import sqlite_utils

from handlers import notices, people, workdays
from handlers.replies import Attachment, Reply
from storage import people as pstore
from storage import reports as store

SOURCE = "report"


def every(db: sqlite_utils.Database, contract: str) -> str:
    s = store.schedule(db, contract)
    if s:
        return s["every"]
    from handlers.report import content

    layout = content.for_docs(db, people.contract_docs(db, contract))
    return layout.default_every if layout else "month"


def last_period(d: _dt.date, every_: str) -> tuple[_dt.date, _dt.date]:
    """The latest period that ended before day d."""
    first = d.replace(day=1)
    if every_ == "quarter":
        q = (first.month - 1) // 3 * 3 + 1
        first = first.replace(month=q)
        prev_end = first - _dt.timedelta(days=1)
        return prev_end.replace(month=(prev_end.month - 1) // 3 * 3 + 1, day=1), prev_end
    prev_end = first - _dt.timedelta(days=1)
    return prev_end.replace(day=1), prev_end


def recipients(db: sqlite_utils.Database, contract: str) -> list[str]:
    out = [p["user_id"] for p in pstore.active(db, role="officer")
           if not p["contracts"] or contract in p["contracts"]]
    out += [p["user_id"] for p in pstore.active(db, role="lead") if contract in p["contracts"]]
    return sorted(set(out))


def _due(db: sqlite_utils.Database, now: _dt.datetime) -> Iterable[notices.Notice]:
    from handlers.report import draft

    now = workdays.local(now)
    for c in pstore.contracts(db):
        name = c["name"]
        ev = every(db, name)
        if ev == "off":
            continue
        d0, d1 = last_period(now.date(), ev)
        since = store.contract_since(db, name)
        if since and d1 < workdays.local(workdays.parse(since)).date():
            continue          # the period ended before the contract existed: nothing to report
        first_day = workdays.next_working_day(d1)
        if now.date() < first_day:
            continue
        to = [u for u in recipients(db, name) if workdays.is_working_time(now, (people.get_person(db, u) or {}).get("days_off"))]
        keys = {u: f"{notices.PREFIX}{SOURCE}:{name}:{d0.isoformat()}:{d1.isoformat()}:{u}" for u in to}
        to = [u for u in to if not notices.is_sent(db, keys[u])]
        if not to:
            continue
        r = draft.build(db, name, d0, d1, today=now.date())
        att = Attachment(draft.filename(r, "docx"), draft.docx(r), f"{r['title']}（下書き）",
                         f"`/mamoru report {name} {d0.isoformat()} {d1.isoformat()}` で改めてお受け取りいただけます。")
        for u in to:
            text = (f"{people.display_name(db, u)}さん、案件「{name}」の報告対象期間（{workdays.format_date(d0)}〜"
                    f"{workdays.format_date(d1)}）が終わりました。記録から状況報告の下書きを作成しましたので、"
                    f"内容をご確認のうえ、【要確認】の箇所をご記入ください。\n\n{draft.summary(r)}"
                    + (f"\n\n根拠: {r['basis']}" if r["basis"] else ""))
            yield notices.Notice(keys[u], u, Reply(text), "report", f"report {name} {d0}..{d1}", file=att)


notices.register_source(SOURCE, _due)
from handlers.report import commands  # noqa: E402,F401  (`/mamoru report`: the report on request)
from handlers.report import roster  # noqa: E402,F401  (`/mamoru roster`: the roster on request)
from handlers.report import records  # noqa: E402,F401  (the checklist and training records as a workbook, typed)
from handlers.report import home  # noqa: E402,F401  (App Home: the report and roster one tap away)
