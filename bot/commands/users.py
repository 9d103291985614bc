"""`mamoru users add|list|remove|contract|import`: the roster, from the server's terminal (actor "cli").

The words after `users` go to handlers.people.run_users, the same parser `/mamoru users …` uses
in Slack, so both accept and refuse exactly the same things. `users import FILE [--dry-run]
[--contract 案件名]` reads a roster file (handlers.roster_import); with Slack credentials set,
e-mail addresses are resolved through Slack (users.lookupByEmail).
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


def slack_lookup(settings):
    """users.lookupByEmail through the bot's client, or None without a bot token."""
    if not settings.bot_token:
        return None
    from slack_sdk.errors import SlackApiError

    from bot.slack.send import make_client

    client = make_client(settings.bot_token, settings.api_url)

    def lookup(email: str) -> str | None:
        try:
            return client.users_lookupByEmail(email=email)["user"]["id"]
        except SlackApiError as e:
            if e.response.get("error") == "users_not_found":
                return None
            raise RuntimeError(e.response.get("error") or "error") from None

    return lookup


def cmd_import(words: list[str]) -> int:
    from bot.config import Settings
    from handlers import roster_import

    p = argparse.ArgumentParser(prog="mamoru users import", add_help=False)
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true")
    p.add_argument("--contract", action="append", default=[])
    try:
        a = p.parse_args(words)
    except SystemExit:
        print("使い方: mamoru users import ファイル（.xlsx または .csv） [--dry-run] [--contract 案件名]…\n"
              "列は `mamoru export roster` と同じです（氏名・役割・所属案件・作業責任者・開始日・終了日・"
              "Slack ユーザーID・メールアドレス）。", file=sys.stderr)
        return 2
    try:
        with open(a.file, "rb") as f:
            data = f.read()
    except OSError as e:
        print(f"ファイル {a.file} を開けません（{e.strerror}）。", file=sys.stderr)
        return 2
    db = _db()
    try:
        rows = roster_import.read_file(data, a.file)
    except roster_import.ImportError_ as e:
        print(f"{a.file}: {e}", file=sys.stderr)
        return 1
    settings = Settings.from_env()
    plan = roster_import.plan(db, rows, lookup=slack_lookup(settings), contracts=a.contract)
    text = "\n".join(plan.lines_ja())
    if plan.errors:
        print(text, file=sys.stderr)
        return 1
    if a.dry_run:
        print(text + "\n（--dry-run のため、何も書き込んでいません。）")
        return 0
    if not plan.changes:
        print(text + "\n変更はありません。")
        return 0
    n = roster_import.apply(db, plan, actor="cli", via="cli")
    print(text + f"\n取り込みました（{n} 名分の登録を記録しました。名簿の変更は `mamoru roster changes` で確認できます）。")
    return 0


def cmd_users(args) -> int:
    from handlers import people

    words = ["help"] if args.users_help else list(args.words)
    if words and words[0] == "import":
        return cmd_import(words[1:])
    status, reply = people.run_users(_db(), people.CLI_ACTOR, words, via="cli")
    print(reply.text, file=sys.stdout if status == 0 else sys.stderr)
    return status


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "users", add_help=False, help="利用者の登録・一覧・解除・名簿の取り込み（users help で使い方）",
        description="利用者（作業従事者・作業責任者・情報セキュリティ対策責任者・管理者）と案件を管理します。")
    p.add_argument("-h", "--help", dest="users_help", action="store_true")   # answered in Japanese
    p.add_argument("words", nargs=argparse.REMAINDER)
    p.set_defaults(func=cmd_users)
