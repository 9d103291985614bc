"""App Home for leads and the officer: the report and the roster one tap away (occasional tasks get
buttons, not commands to remember). A button per contract the person may ask for, up to a few."""
from __future__ import annotations

import sqlite_utils

from handlers import capabilities, home
from handlers.replies import Button, Turn
from handlers.report import commands as rc
from handlers.report import roster

A_REPORT = "report_request"      # value: the contract
A_ROSTER = "roster_request"      # value: the contract
MAX_CONTRACTS = 5


def section(db: sqlite_utils.Database, person: dict | None, user_id: str) -> dict | None:
    if person is None or person["role"] not in ("lead", "officer", "admin"):
        return None
    contracts = rc.allowed_contracts(db, user_id) or []
    if not contracts:
        return None
    shown = contracts[:MAX_CONTRACTS]
    buttons = []
    for c in shown:
        buttons.append(Button(f"状況報告の数値と下書き（{c}）"[:75], A_REPORT, c))
        buttons.append(Button(f"名簿と変更（{c}）"[:75], A_ROSTER, c))
    text = ("ボタンで、直近に終わった報告対象期間の状況報告の数値と、名簿とその変更をお見せします。Slack では Word の下書きと"
            "届出の形の名簿（Excel）も DM でお送りします。期間を指定するときは `/mamoru report 案件 開始日 終了日` をお使いください。")
    if len(contracts) > len(shown):
        text += f"\nほか {len(contracts) - len(shown)} 件の案件は `/mamoru report 案件名` でご依頼ください。"
    return {"text": text, "buttons": buttons}


def _press(fn):
    def press(db: sqlite_utils.Database, user_id: str, value: str, via: str) -> Turn:
        return fn(db, user_id, value, via) or Turn()
    return press


capabilities.register_action(A_REPORT, _press(rc.report_command))
capabilities.register_action(A_ROSTER, _press(roster.roster_command))
home.register_section("oversight", "状況報告と名簿", section, 70)
