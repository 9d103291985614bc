"""The checklist and training records as a workbook, asked for in a DM or the terminal chat:
「今月のチェックリストの記録をエクセルでほしい」「研修の記録を出して」「吉川市 12/1 12/31 のチェックリストの記録」.

An officer answering to the city, or a lead, had these only from the server (`mamoru export checklists`,
`mamoru export training`); typed in Slack, the request was searched as a rule question. The workbook is the
one the export writes (the same columns and totals: handlers.checklist.export, handlers.training.views), with
only the people the asker may see (handlers.access.scope: a lead their team, the officer and admins everyone);
workers are refused and the refusal recorded. It goes to the asker's own DM, never to a channel.
"""
from __future__ import annotations

import datetime as _dt
import time

import sqlite_utils

from handlers import access, capabilities, people, workbook, workdays
from handlers.replies import Attachment, Outgoing, Reply, Turn
from handlers.report import commands as rc

KINDS = {"checklist": "チェックリストの記録", "training": "研修の記録"}


def _usage(contract: str) -> str:
    return (f"使い方: 「{contract} 今月のチェックリストの記録」「{contract} 2026-12-01 2026-12-31 のチェックリストの記録」"
            f"「{contract} 研修の記録」。")


def _kind(word: str) -> str:
    return "training" if word.startswith(("研修", "けんしゅう")) else "checklist"


def _period(db, contract: str, req: rc.Request, today: _dt.date) -> tuple[_dt.date, _dt.date, str]:
    """The dates asked for, else this month up to today (what an officer means by 「記録」 without dates)."""
    if req.days or req.months:
        d0, d1, how = rc._period(db, contract, req.days, req.months, today)
        if d0 <= today < d1:         # 「今月」: the records run to today, and the workbook says so
            return d0, today, f"{how}、本日まで"
        return d0, d1, how
    return today.replace(day=1), today, "今月（本日まで）"


def _checklists(db, s: access.Scope, contract: str, d0: _dt.date, d1: _dt.date) -> tuple[dict, int, int]:
    from handlers.checklist import export

    records = [r for r in export.rows(db, d0, d1, contract) if s.allows(r["利用者ID"])]
    due = {u: v for u, v in export.expected(db, d0, d1, contract).items() if s.allows(u)}
    per_person, per_item = export.totals(records, due, {u: people.display_name(db, u) for u in due})
    return export.sheets(records, per_person, per_item), len(records), len(per_person)


def _training(db, s: access.Scope, contract: str, via: str) -> tuple[dict, int, int, str]:
    from handlers.training import views

    # the training owed by the people in scope is assigned first (as the export command does)
    rows, written = views.export(db, contract, actor=s.viewer_id, via=via, allows=s.allows)
    return ({"研修の記録": [(None, views.COLUMNS, rows)]}, len(rows), len({r["利用者ID"] for r in rows}),
            views.written_text(written))


def records(db: sqlite_utils.Database, viewer: str, meaning, via: str) -> Turn | None:
    rest, word = meaning.args[0], meaning.args[1]
    kind = _kind(word)
    req = rc.open_request(db, viewer, rest, via, KINDS[kind], _usage)
    if not isinstance(req, rc.Request):
        return req
    now = workdays.now()
    name = req.contract
    scope = access.scope(db, viewer)     # only the people the asker may see: the same filter for rows, totals and note
    if kind == "checklist":
        try:
            d0, d1, how = _period(db, name, req, now.date())
        except ValueError as e:
            return rc._reply(f"{e}\n{_usage(name)}")
        sheets, n, persons = _checklists(db, scope, name, d0, d1)
        assigned = ""
        span = f"{workdays.format_date(d0)}〜{workdays.format_date(d1)}（{how}）"
        filename = f"チェックリスト記録_{name}_{d0:%Y%m%d}-{d1:%Y%m%d}.xlsx"
        cli = f"mamoru export checklists --from {d0.isoformat()} --to {d1.isoformat()} --contract {name} --format xlsx"
    else:
        sheets, n, persons, assigned = _training(db, scope, name, via)
        span = f"{workdays.format_jst(now)} 時点"
        filename = f"研修記録_{name}_{now:%Y%m%d}.xlsx"
        cli = f"mamoru export training --contract {name} --format xlsx"
    what = f"案件「{name}」の{KINDS[kind]}"
    note = access.scope_note(scope)
    text = f"{what}（{span}）: {n} 件、{persons} 名。" + (f"\n{note}" if note else "")
    if assigned:
        text += f"\n{assigned}"
    att = Attachment(filename, workbook.xlsx_bytes(sheets), what, f"管理者に `{cli}` での書き出しをご依頼ください。")
    out = Outgoing(viewer, Reply(f"{what}（Excel、{span}）をお送りします。"),
                   key=f"records:{kind}:{name}:{viewer}:{time.time_ns()}", file=att)
    tail = "Excel のファイルを添付します（端末ではファイルとして保存します）。" if via in ("terminal", "cli") \
        else "Excel のファイルを DM でお送りします。"
    return Turn().add(Reply(f"{text}\n{tail}", ephemeral=True), [out])


capabilities.register_intent("records", records)
