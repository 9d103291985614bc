"""`mamoru kb gaps [--json]`: where the rules' coverage falls short (unhelpful answers, routed questions).

Adds itself to the existing `kb` command group; if there is none, it registers `mamoru gaps`.
"""
from __future__ import annotations

import argparse
import json


def cmd_gaps(args) -> int:
    from bot.config import Settings
    from handlers import routing
    from storage.db import open_db

    db = open_db(Settings.from_env().db_path)
    rows = routing.gaps(db)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print(routing.gaps_text(db, rows))
    return 0


def _kb_subparsers(subparsers):
    kb = subparsers.choices.get("kb") if hasattr(subparsers, "choices") else None
    if kb is None:
        return None
    for action in kb._actions:  # argparse keeps a group's subcommands in a _SubParsersAction
        if isinstance(action, argparse._SubParsersAction):
            return action
    return None


def register(subparsers) -> None:
    target = _kb_subparsers(subparsers) or subparsers
    p = target.add_parser("gaps", help="規定の不足の候補（役に立たなかった回答・担当者への質問）を一覧する")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_gaps)
