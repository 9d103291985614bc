"""`mamoru backup PATH [--force]`: a consistent online copy of the database, then checked.

Safe while `mamoru serve` runs: SQLite's backup API copies one read snapshot (WAL mode lets the
bot keep writing), the copy becomes a single self-contained file at PATH, and is then opened
read-only and checked: PRAGMA quick_check and the whole audit chain (storage.audit.verify).
Exit 0 when the copy is sound, 1 when it is not (or PATH exists without --force).
"""
from __future__ import annotations

import os
import sys


def cmd_backup(args) -> int:
    from bot.config import Settings
    from handlers import audit
    from storage import audit as store
    from storage.db import open_db

    src = Settings.from_env().db_path
    dest = os.path.abspath(args.path)
    if os.path.isdir(dest):
        dest = os.path.join(dest, f"{os.path.splitext(os.path.basename(src))[0]}-backup.db")
    if os.path.exists(dest) and not args.force:
        print(f"{dest} は既にあります。上書きする場合は --force を付けてください。", file=sys.stderr)
        return 1
    if not os.path.isdir(os.path.dirname(dest)):
        print(f"バックアップ先のディレクトリ {os.path.dirname(dest)} がありません。先に作成してください。", file=sys.stderr)
        return 2
    if os.path.abspath(dest) == os.path.abspath(src):
        print("バックアップ先が元のデータベースと同じです。別の場所を指定してください。", file=sys.stderr)
        return 2
    db = open_db(src)
    r = store.backup(db, dest)
    v = r["verification"]
    size = f"{r['bytes'] / 1024 / 1024:.1f} MB" if r["bytes"] >= 1024 * 1024 else f"{r['bytes'] / 1024:.0f} KB"
    lines = [f"バックアップを作成しました: {dest}（{size}、コピー {r['copy_seconds']:.2f} 秒、確認まで {r['seconds']:.2f} 秒）"]
    ok = r["quick_check"] == "ok" and v.ok
    lines.append(f"整合性の確認（quick_check）: {r['quick_check']}")
    lines.append(audit.verify_text(db, v) if not ok else
                 f"記録の連鎖: 問題ありません（{v.length} 件、先頭 連番 {v.head['seq'] if v.head else '-'}、"
                 f"ハッシュ {v.head['hash'] if v.head else '-'}）。")
    print("\n".join(lines), file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


def register(subparsers) -> None:
    p = subparsers.add_parser("backup", help="データベースを稼働中のまま安全にコピーし、コピーを検証する")
    p.add_argument("path", help="コピー先のファイル（ディレクトリなら <DB名>-backup.db）")
    p.add_argument("--force", action="store_true", help="既にあるファイルを上書きする")
    p.set_defaults(func=cmd_backup)
