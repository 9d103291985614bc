"""`mamoru notices run [--at 2026-12-01T18:00+09:00] [--dry-run] [--json]`: one notices pass by hand.

The same code the scheduler runs (handlers.notices.run_pass + deliver). In the terminal,
"sending" a notice means printing it and recording it as sent (via "cli"); `--dry-run` prints
what would be sent and records nothing.
"""
from __future__ import annotations

import json
import os
import sys


def cmd_notices(args) -> int:
    from bot.config import Settings
    from handlers import notices, workdays
    from storage.db import open_db

    if args.notices_cmd != "run":
        return 2
    try:
        now = workdays.parse(args.at) if args.at else workdays.now()
    except ValueError:
        print(f"--at「{args.at}」は日時として読めません（例: 2026-12-01T18:00+09:00）。", file=sys.stderr)
        return 2
    db = open_db(Settings.from_env().db_path)
    outs = notices.run_pass(db, now, dry_run=args.dry_run)
    if os.environ.get("SLACK_BOT_TOKEN") and outs and not args.dry_run:
        print("注意: このコマンドはお知らせを Slack には送らず、端末に表示して送信済みとして記録します。", file=sys.stderr)
    shown: list[dict] = []

    def show(o) -> bool:
        saved = None
        if o.file is not None and not args.dry_run:   # Slack would upload it: saved where a person can open it
            from bot.chat import save_attachment

            saved = str(save_attachment(o.file))
        if args.json:
            shown.append({"user_id": o.user_id, "key": o.key, "text": o.reply.text, "file": saved,
                          "buttons": [{"label": b.label, "action": b.action, "value": b.value} for b in o.reply.buttons]})
        else:
            print(notices.outgoing_text(db, o) + (f"\n添付ファイルを保存しました: {saved}" if saved else ""),
                  end="\n\n", flush=True)
        return True

    when = workdays.format_jst(now)
    if args.dry_run:
        for o in outs:
            show(o)
        summary = f"{when} の時点で送るお知らせは {len(outs)} 件です（ドライラン: 送信も記録もしていません）。"
        counts = {"due": len(outs)}
    else:
        counts = notices.deliver(db, outs, show, via="cli", now=now)
        summary = (f"{when} の時点のお知らせを {counts['sent']} 件送信しました（端末に表示し、送信済みとして記録しました）。"
                   + (f"送信前に不要になったもの {counts['dropped']} 件。" if counts["dropped"] else ""))
    if args.json:
        print(json.dumps({"at": workdays.iso(now), "dry_run": args.dry_run, "notices": shown, "counts": counts},
                         ensure_ascii=False, indent=2))
    else:
        print(summary if outs else f"{when} の時点で送るお知らせはありません。")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("notices", help="お知らせ（リマインダー・督促）")
    sub = p.add_subparsers(dest="notices_cmd", required=True)
    r = sub.add_parser("run", help="お知らせの確認と送信を一回行う（スケジューラーと同じ処理）")
    r.add_argument("--at", help="この日時の時点として実行する（例: 2026-12-01T18:00+09:00、既定は現在）")
    r.add_argument("--dry-run", action="store_true", help="送るものを表示するだけで、送信も記録もしない")
    r.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_notices)
