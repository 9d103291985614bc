"""`mamoru roster show|changes`: a contract's roster, and what changed on it since a date.

    mamoru roster show --contract 吉川市 [--json] [--as U123]
    mamoru roster changes --contract 吉川市 [--since 2026-10-01] [--until 2026-12-31] [--json] [--as U123]

Read from the append-only `people` records (handlers.audit). --as answers as that person would be
answered: leads see their team only, workers are refused (the refusal is recorded).
"""
from __future__ import annotations

import json
import sys


def _db():
    from bot.config import Settings
    from knowledge import library
    from storage.db import open_db

    db = open_db(Settings.from_env().db_path)
    library.ensure_builtin(db)
    return db


def open_contract(db, contract: str, viewer: str, what: str):
    """(contract name, scope) or (None, exit status) after printing why not."""
    from handlers import access
    refused = access.require(db, viewer, what=what, via="cli", need="team")
    if refused:
        print(refused.text, file=sys.stderr)
        return None, 1
    from handlers import contracts

    try:
        contract = contracts.known(db, contract)
    except contracts.UnknownContract as e:
        print(str(e), file=sys.stderr)
        return None, 1
    return contract, access.scope(db, viewer)


def cmd_roster(args) -> int:
    from handlers import access, audit

    db = _db()
    viewer = args.as_user or "cli"
    if args.roster_cmd == "show":
        contract, s = open_contract(db, args.contract, viewer, "名簿")
        if contract is None:
            return s
        rows = audit.roster(db, contract, viewer_id=viewer)
        if args.json:
            print(json.dumps(rows, ensure_ascii=False, indent=2))
        else:
            print(audit.roster_text(db, contract, rows, access.scope_note(s)))
        return 0
    try:
        since = audit.parse_date(args.since, "--since") if args.since else None
        until = audit.parse_date(args.until, "--until") if args.until else None
        audit.check_period(since, until, ("--since", "--until"))
    except ValueError as e:
        print(str(e), file=sys.stderr)
        return 2
    contract, s = open_contract(db, args.contract, viewer, "名簿の変更履歴")
    if contract is None:
        return s
    changes = audit.roster_changes(db, contract, since, until, viewer_id=viewer)
    if args.json:
        print(json.dumps(changes, ensure_ascii=False, indent=2))
    else:
        print(audit.changes_text(db, contract, changes, since, until, access.scope_note(s)))
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("roster", help="案件の名簿と、その変更の履歴")
    sub = p.add_subparsers(dest="roster_cmd", required=True)
    s = sub.add_parser("show", help="案件の名簿（作業従事者・作業責任者・情報セキュリティ対策責任者）")
    c = sub.add_parser("changes", help="名簿の変更（追加・削除・役割や作業責任者の変更）")
    c.add_argument("--since", help="この日以降（例: 2026-10-01、日本時間）")
    c.add_argument("--until", help="この日まで（この日を含む）")
    for q in (s, c):
        q.add_argument("--contract", required=True, help="案件名（例: 吉川市）")
        q.add_argument("--json", action="store_true")
        q.add_argument("--as", dest="as_user", help="この方の閲覧範囲で表示する（Slack ユーザー ID）")
    p.set_defaults(func=cmd_roster)
