"""`mamoru export <kind> …`: records written out for an audit; each capability adds its kind.

A kind module exposes register_export(kinds) and adds one parser to `kinds` (an argparse
subparsers object), setting `func` like every other command. List it in EXPORT_KINDS.
"""
from __future__ import annotations

import importlib

EXPORT_KINDS: list[str] = [
    "bot.commands.checklists",
    "bot.commands.export_roster",
    "bot.commands.training",
]


def register(sub) -> None:
    p = sub.add_parser("export", help="監査用に記録を書き出す")
    kinds = p.add_subparsers(dest="export_kind", required=True, metavar="KIND")
    for name in EXPORT_KINDS:
        importlib.import_module(name).register_export(kinds)
