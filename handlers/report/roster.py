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
from storage import people as pstore

WORDS = ["roster", "名簿"]
WHAT = "名簿"


def _usage(contract: str) -> str:
    return (f"使い方: `/mamoru roster {contract}`（名簿と、直近の報告対象期間の初めからの変更）、"
            f"`/mamoru roster {contract} 2026-10-01`（その日からの変更）。")


def roster_command(db: sqlite_utils.Database, viewer: str, rest: str, via: str) -> Turn | None:
    if "?" in rest or "？" in rest:
        return None          # 「名簿 は出す必要がある？」 is a rule question
    try:
        name, days, months = rc._parse(rest)
    except ValueError as e:
        return rc._reply(f"{e}\n{_usage('吉川市')}")
    if name and not days and not months and not rc._looks_like_contract(db, name):
        return None
    refused = access.require(db, viewer, what=WHAT, via=via, need="team")
    if refused:
        return Turn().add(refused)
    allowed = rc.allowed_contracts(db, viewer) or []
    if not name:
        if len(allowed) != 1:
            listed = "、".join(f"「{c}」" for c in allowed) or "なし"
            return rc._reply(f"どの案件の名簿を表示しますか（ご覧いただける案件: {listed}）。\n"
                             + _usage(allowed[0] if allowed else "吉川市"))
        name = allowed[0]
    if pstore.contract(db, name) is None:
        listed = "、".join(f"「{c}」" for c in allowed) or "なし"
        return rc._reply(f"案件「{name}」は登録されていません（ご覧いただける案件: {listed}）。")
    if name not in allowed:
        return rc._refuse_contract(db, viewer, name, via, WHAT)
    today = workdays.now().date()
    if days or months:
        since = (days or [m[0] for m in months])[0]
    else:
        from handlers import report

        ev = report.every(db, name)
        since = report.last_period(today, "quarter" if ev == "quarter" else "month")[0]
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
