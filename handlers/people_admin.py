"""The admin's way in to the roster from App Home: a section with 「利用者を追加」 (the Slack form),
the counts, and how to import a whole roster. The terminal has no forms: there the button says
which command to type instead."""
from __future__ import annotations

import sqlite_utils

from handlers import capabilities, home, people
from handlers.replies import Button, Reply, Turn
from storage import people as store


def _section(db: sqlite_utils.Database, person: dict | None, user_id: str) -> dict | None:
    if not person or person["role"] != "admin":
        return None
    everyone = store.active(db)
    contracts = store.contracts(db)
    pending = store.pending_requests(db)
    lines = [f"登録されている方: {len(everyone)} 名、案件: {len(contracts)} 件"
             + (f"、承認待ちの登録申請: {len(pending)} 件" if pending else "") + "。",
             "一人ずつは「利用者を追加」から、まとめては名簿のファイル（`mamoru export roster` と同じ列）を"
             "`mamoru users import` で取り込めます。"]
    return {"text": "\n".join(lines), "buttons": [Button("利用者を追加", people.ACTION_ADD_OPEN, "add", "primary")]}


def _terminal_add(db: sqlite_utils.Database, user_id: str, value: str, via: str) -> Turn:
    return Turn().add(Reply("端末ではフォームを開けません。`users add ユーザーID --name 氏名 --role worker --contract 案件名"
                            " --lead 作業責任者のユーザーID --start-date YYYY-MM-DD` と入力してください。", ephemeral=True))


home.register_section("people_admin", "利用者の管理", _section, 70)
capabilities.register_action(people.ACTION_ADD_OPEN, _terminal_add)
