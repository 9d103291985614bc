"""The terminal chat: the same handlers as Slack, typed at a prompt."""
from __future__ import annotations

import sys

import sqlite_utils

from bot.render_text import answer_text
from handlers import ask

BANNER = ("mamoru（守る）へようこそ。情報セキュリティの決まりについて、普段の言葉で質問してください。\n"
          "例：「離席するときは画面ロックが必要？」「私物のUSBメモリを使っていい？」  終了するには「終了」または Ctrl+D")
QUIT = {"終了", "exit", "quit", "q", "bye", "おわり", "終わり"}


def run(db: sqlite_utils.Database, user_id: str = "terminal", *, stdin=None, stdout=None) -> int:
    stdin = stdin or sys.stdin
    out = stdout or sys.stdout
    print(BANNER, file=out, flush=True)
    interactive = stdin.isatty()
    while True:
        if interactive:
            print("\n> ", end="", file=out, flush=True)
        line = stdin.readline()
        if not line:
            break
        text = line.strip()
        if not text:
            continue
        if text.lower() in QUIT:
            break
        print(answer_text(ask.answer(db, text)), file=out, flush=True)
        if not interactive:
            print("", file=out)
    print("ご利用ありがとうございました。", file=out, flush=True)
    return 0
