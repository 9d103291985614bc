"""`mamoru doctor [--json]`: is this deployment ready and healthy, and what to fix (in Japanese).

Checks the configuration, the Slack tokens (auth.test) and the scopes manifest.yml asks for (the
x-oauth-scopes header), the database (writable, intact, permissions, migrations), the key file's
permissions, the scheduler's jobs, the free disk, and the age of the last backup (bot/health.py).
Exit 0 when nothing needs fixing (notes may remain), 1 otherwise. It reads no personal data and
changes nothing (the database is not even migrated).
"""
from __future__ import annotations

import json
import sys


def cmd_doctor(args) -> int:
    from dataclasses import asdict

    from bot import health
    from bot.config import Settings
    from handlers import workdays

    settings = Settings.from_env()
    now = workdays.now()
    checks = health.doctor_checks(settings, now=now)
    if args.json:
        print(json.dumps({"ok": not any(c.level == "fail" for c in checks), "checks": [asdict(c) for c in checks]},
                         ensure_ascii=False, indent=2))
    else:
        print(health.doctor_text(checks, now))
    return 1 if any(c.level == "fail" for c in checks) else 0


def register(subparsers) -> None:
    p = subparsers.add_parser("doctor", help="設定・トークンと権限・データベース・スケジューラ・空き容量・バックアップを点検する")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_doctor)
