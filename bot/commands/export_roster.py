"""`mamoru export roster --contract 吉川市 [--format xlsx|csv] [--output FILE] [--as U123]`.

The roster in the shape a 届出 needs: 氏名, 役割, 所属案件, 作業責任者, 開始日, 終了日 (one row per
period on the contract; 終了日 empty while still on it). xlsx by default, written to
名簿_<案件>_<YYYYMMDD>.<format> in the files folder (bot.tables.files_dir) unless --output (a file or
folder; `-` for stdout, csv only).
"""
from __future__ import annotations

import re
import sys


def cmd_export_roster(args) -> int:
    from bot.commands.roster import _db, open_contract
    from handlers import access, audit, workdays

    db = _db()
    viewer = args.as_user or "cli"
    contract, s = open_contract(db, args.contract, viewer, "名簿の書き出し")
    if contract is None:
        return s
    rows = audit.roster(db, contract, viewer_id=viewer)
    safe = re.sub(r'[\\/:*?<>|"]', "_", contract)
    from bot import tables

    path = args.output or ""
    if path == "-":
        if args.format != "csv":
            print("xlsx は標準出力には書き出せません。--output でファイル名を指定してください。", file=sys.stderr)
            return 2
        audit.write_roster(db, contract, rows, "csv", sys.stdout.buffer)
        sys.stdout.flush()
        where = "標準出力"
    else:
        path = str(tables.output_path(args.output, f"名簿_{safe}_{workdays.now():%Y%m%d}.{args.format}"))
        with open(path, "wb") as f:
            audit.write_roster(db, contract, rows, args.format, f)
        where = path
    current = sum(1 for r in rows if r["end"] is None)
    print(f"案件「{contract}」の名簿を書き出しました（{where}、{len(rows)} 行、現在の在籍 {current} 名）。"
          f"{access.scope_note(s)}", file=sys.stderr)
    return 0


def register_export(kinds) -> None:
    p = kinds.add_parser("roster", help="案件の名簿（届出の形: 氏名・役割・所属案件・作業責任者・開始日・終了日）")
    p.add_argument("--contract", required=True, help="案件名（例: 吉川市）")
    p.add_argument("--format", choices=("xlsx", "csv"), default="xlsx")
    p.add_argument("--output", "-o", help="書き出し先のファイルかフォルダ（省略時は MAMORU_FILES_DIR、なければデータベースと同じ場所の files/ に 名簿_案件_日付.xlsx、- で標準出力）")
    p.add_argument("--as", dest="as_user", help="この方の閲覧範囲で書き出す（Slack ユーザー ID）")
    p.set_defaults(func=cmd_export_roster)
