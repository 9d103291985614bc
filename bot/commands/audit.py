"""`mamoru audit verify|export`: the tamper-evident record, checked and written out for an auditor.

    mamoru audit verify [--head HASH] [--json]
        Seals what is pending, recomputes the chain and compares every chained record with its
        row; names the first broken record (table, row id, seq). Exit 0 intact, 1 broken.
        --head: a head hash kept from an earlier export; checks the chain still contains it.
    mamoru audit export [--from 2026-10-01] [--to 2026-12-31] [--format jsonl|csv] [--output FILE] [--as U123]
        Every chained record of the period (by its own time, JST days inclusive) with its chain
        links, then a summary with the chain's head hash (jsonl: last line; csv: last row).
        To stdout unless --output. --as: as that person would get it (handlers.access: a worker
        their own records, a lead their team's; refusals are recorded). Exit 1 if the chain is broken.
"""
from __future__ import annotations

import json
import sys


def _db():
    from bot.config import Settings
    from knowledge import library
    from storage.db import open_db

    db = open_db(Settings.from_env().db_path)
    library.ensure_builtin(db)   # the clauses cited in messages
    return db


def cmd_verify(args) -> int:
    from handlers import audit
    from storage import audit as store

    db = _db()
    ok, text, v = audit.verify(db, expect_head=args.head)
    if args.json:
        d = v.as_dict()
        d["first"] = v.first.as_dict() if v.first else None
        d["deletion_records"] = [{k: r[k] for k in ("id", "at", "actor", "actor_name", "scope", "covered_count",
                                                    "covered_sha256")} for r in store.deletion_records(db)]
        d["message"] = text
        print(json.dumps(d, ensure_ascii=False, indent=2))
    else:
        print(text, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


def cmd_export(args) -> int:
    from handlers import access, audit

    db = _db()
    try:
        date_from = audit.parse_date(args.date_from, "--from") if args.date_from else None
        date_to = audit.parse_date(args.date_to, "--to") if args.date_to else None
        audit.check_period(date_from, date_to)
    except ValueError as e:
        print(str(e), file=sys.stderr)
        return 2
    viewer = args.as_user or "cli"
    refused = access.require(db, viewer, what="監査用の記録の書き出し", via="cli", need="self")
    if refused:
        print(refused.text, file=sys.stderr)
        return 1
    _, _, v = audit.verify(db)
    s = access.scope(db, viewer)
    if args.output and args.output != "-":
        with open(args.output, "w", encoding="utf-8-sig" if args.format == "csv" else "utf-8", newline="") as f:
            manifest = audit.write_export(db, f, args.format, date_from, date_to, viewer_id=viewer, verification=v)
        where = args.output
    else:
        manifest = audit.write_export(db, sys.stdout, args.format, date_from, date_to, viewer_id=viewer,
                                      verification=v)
        sys.stdout.flush()
        where = "標準出力"
    print(audit.export_summary(db, manifest, where, access.scope_note(s)), file=sys.stderr)
    return 0 if v.ok else 1


def register(subparsers) -> None:
    p = subparsers.add_parser("audit", help="記録の改ざんの確認と監査用の書き出し")
    sub = p.add_subparsers(dest="audit_cmd", required=True)
    v = sub.add_parser("verify", help="記録の連鎖を確認し、最初に壊れている記録を示す")
    v.add_argument("--head", help="以前に控えた先頭ハッシュ（連鎖に含まれているかも確認する）")
    v.add_argument("--json", action="store_true")
    v.set_defaults(func=cmd_verify)
    e = sub.add_parser("export", help="期間の記録を連鎖のハッシュ付きで書き出す")
    e.add_argument("--from", dest="date_from", help="開始日（例: 2026-10-01、日本時間）")
    e.add_argument("--to", dest="date_to", help="終了日（この日を含む）")
    e.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    e.add_argument("--output", "-o", help="書き出し先のファイル（省略時は標準出力）")
    e.add_argument("--as", dest="as_user", help="この方の閲覧範囲で書き出す（Slack ユーザー ID）")
    e.set_defaults(func=cmd_export)
