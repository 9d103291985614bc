"""The `mamoru` command: a review tool's `kb show ID --json` is answered without importing the
rest (bot/kb_show.py); everything else goes to bot.cli."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from bot import kb_show

    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(encoding="utf-8")
        except (AttributeError, ValueError):
            pass
    done = kb_show.fast(argv)
    if done is not None:
        return done
    from bot import cli

    return cli.main(argv)
