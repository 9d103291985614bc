"""The roster on request: `/mamoru roster [案件] [YYYY-MM-DD]` (「名簿」 in a DM or the terminal).

The reply lists the contract's roster as a 届出 needs it (handlers.audit.roster, scoped: a lead
sees their team) and what changed on it since the date given (default: the start of the last
completed report period, so "what changed since the last report"); in Slack the roster also goes
to the person's DM as an .xlsx in the 届出's shape. Workers are refused, and the refusal is
recorded (handlers.access).
"""
from __future__ import annotations

import io
import time

import sqlite_utils

from handlers import access, audit, capabilities, workdays
from handlers.replies import Attachment, Outgoing, Reply, Turn
from handlers.report import commands as rc

WORDS = ["roster", "名簿"]
WHAT = "名簿"


def _usage(contract: str) -> str:
    return (f"使い方: `/mamoru roster {contract}`（名簿と、直近の報告対象期間の初めからの変更）、"
            f"`/mamoru roster {contract} 2026-10-01`（その日からの変更）。")


def roster_command(db: sqlite_utils.Database, viewer: str, rest: str, via: str) -> Turn | None:
    req = rc.open_request(db, viewer, rest, via, WHAT, _usage)
    if not isinstance(req, rc.Request):
        return req
    name = req.contract
    today = workdays.now().date()
    given = req.days or [m[0] for m in req.months]
    since = given[0] if given else rc.last_completed_period(db, name, today)[0]
    scope = access.scope(db, viewer)
    note = access.scope_note(scope)
    rows = audit.roster(db, name, viewer_id=viewer)
    changes = audit.roster_changes(db, name, since.isoformat(), None, viewer_id=viewer)
    text = audit.roster_text(db, name, rows, note) + "\n\n" + audit.changes_text(db, name, changes, since.isoformat(),
                                                                                    None)
    if via in ("terminal", "cli"):
        return rc._reply(text + f"\n届出用のファイルは `mamoru export roster --contract {name}` で書き出せます。")
    buf = io.BytesIO()
    audit.write_roster(db, name, rows, "xlsx", buf)
    att = Attachment(f"名簿_{name}_{today.strftime('%Y%m%d')}.xlsx", buf.getvalue(), f"作業従事者等名簿（{name}）",
                     f"管理者に `mamoru export roster --contract {name}` での書き出しをご依頼ください。")
    out = Outgoing(viewer, Reply(f"案件「{name}」の名簿（届出の形、Excel）をお送りします（{workdays.format_jst(workdays.now())} 時点）。"),
                   key=f"roster:file:{name}:{viewer}:{time.time_ns()}", file=att)
    return Turn().add(Reply(text + "\n届出の形の名簿（Excel）を DM でお送りします。", ephemeral=True), [out])


capabilities.register_command(WORDS, roster_command)
capabilities.register_intent("roster", lambda db, u, m, via: roster_command(db, u, m.args[0], via))
