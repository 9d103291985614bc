"""`mamoru users add|list|remove|contract`: the roster, from the server's terminal (actor "cli").

The words after `users` go to handlers.people.run_users, the same parser `/mamoru users …` uses
in Slack, so both accept and refuse exactly the same things.
"""
from __future__ import annotations

import argparse
import sys


def _db():
    from bot.config import Settings
    from knowledge import library
    from storage.db import open_db

    db = open_db(Settings.from_env().db_path)
    library.ensure_builtin(db)   # a contract's documents are resolved against the loaded ones
    return db


def cmd_users(args) -> int:
    from handlers import people

    words = ["help"] if args.users_help else list(args.words)
    status, reply = people.run_users(_db(), people.CLI_ACTOR, words, via="cli")
    print(reply.text, file=sys.stdout if status == 0 else sys.stderr)
    return status


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "users", add_help=False, help="利用者の登録・一覧・解除（users help で使い方）",
        description="利用者（作業従事者・作業責任者・情報セキュリティ対策責任者・管理者）と案件を管理します。")
    p.add_argument("-h", "--help", dest="users_help", action="store_true")   # answered in Japanese
    p.add_argument("words", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_users)
