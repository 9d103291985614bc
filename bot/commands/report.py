"""`mamoru report status|schedule`: the periodic status report drafted from records.

    mamoru report status --contract 吉川市 --from 2026-10-01 --to 2026-12-31 [--format docx|md] [-o FILE]
    mamoru report schedule 吉川市 --every month|quarter|off
"""
from __future__ import annotations

import sys


def cmd_report(args) -> int:
    from bot.commands.roster import _db, open_contract
    from handlers import audit, workdays
    from handlers.report import draft
    from storage import reports

    db = _db()
    if args.report_cmd == "schedule":
        contract, _ = open_contract(db, args.contract, "cli", "報告の予定")
        if contract is None:
            return 1
        reports.set_schedule(db, contract=contract, every=args.every, actor="cli", via="cli", at=workdays.iso())
        label = {"month": "毎月", "quarter": "四半期ごと", "off": "送らない"}[args.every]
        print(f"案件「{contract}」の状況報告の下書きを{label}お送りする設定にしました。")
        return 0
    try:
        d0 = audit.parse_date(args.date_from, "--from")
        d1 = audit.parse_date(args.date_to, "--to")
        audit.check_period(d0, d1)
    except ValueError as e:
        print(str(e), file=sys.stderr)
        return 2
    contract, _ = open_contract(db, args.contract, "cli", "状況報告")
    if contract is None:
        return 1
    import datetime as _dt

    r = draft.build(db, contract, _dt.date.fromisoformat(d0), _dt.date.fromisoformat(d1))
    if args.format == "md" and (not args.output or args.output == "-"):
        sys.stdout.write(draft.markdown(r))
        return 0
    from bot import tables

    path = tables.output_path(args.output, draft.filename(r, args.format))
    data = draft.docx(r) if args.format == "docx" else draft.markdown(r).encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)
    print(f"状況報告の下書きを書き出しました（{path}）。\n{draft.summary(r)}")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("report", help="状況報告（保全状況報告書）の下書き")
    sub = p.add_subparsers(dest="report_cmd", required=True)
    s = sub.add_parser("status", help="期間の状況報告を記録から下書きする")
    s.add_argument("--contract", required=True)
    s.add_argument("--from", dest="date_from", required=True)
    s.add_argument("--to", dest="date_to", required=True)
    s.add_argument("--format", choices=("docx", "md"), default="docx")
    s.add_argument("--output", "-o", help="書き出すファイルかフォルダ（既定: MAMORU_FILES_DIR、なければデータベースと同じ場所の files/）")
    c = sub.add_parser("schedule", help="状況報告の下書きを送る周期（案件ごと）")
    c.add_argument("contract")
    c.add_argument("--every", choices=("month", "quarter", "off"), required=True)
    p.set_defaults(func=cmd_report)
