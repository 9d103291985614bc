"""`mamoru contract close|purge`: the end of a contract.

    mamoru contract close 吉川市 [--yes]
        Lists the workers and leads to be removed and the open items (incidents, training,
        unanswered questions); --yes removes them, one recorded change each.
    mamoru contract purge 吉川市 --export-dir DIR [--yes]
        Writes the audit export and the roster into DIR, then (with --yes) deletes the contract's
        personal records and leaves a deletion record (日時、実施者名、内容) that cannot be purged.
        Without --yes: says what would be deleted. Refused while anyone is still on the contract.
"""
from __future__ import annotations

import sys


def cmd_contract(args) -> int:
    from bot.commands.roster import _db, open_contract
    from handlers.report import close

    db = _db()
    contract, _ = open_contract(db, args.contract, "cli", "案件の終了")
    if contract is None:
        return 1
    if args.contract_cmd == "close":
        if args.yes:
            close.remove_all(db, contract, "cli", "cli")
            print(close.close_text(db, contract) + "\n登録を解除し、それぞれ名簿の変更として記録しました。")
        else:
            print(close.close_text(db, contract) + "\n実行するには --yes を付けてください。")
        return 0
    if not args.yes:
        subjects = close.purge_subjects(db, contract, "cli")
        print(f"案件「{contract}」の {len(subjects)} 名分の個人の記録を、{args.export_dir} への書き出しの後に削除します。"
              "実行するには --yes を付けてください。")
        return 0
    status, text = close.purge(db, contract, args.export_dir, "cli", "cli")
    print(text, file=sys.stdout if status == 0 else sys.stderr)
    return status


def register(subparsers) -> None:
    p = subparsers.add_parser("contract", help="案件の終了（登録の解除、個人の記録の削除）")
    sub = p.add_subparsers(dest="contract_cmd", required=True)
    c = sub.add_parser("close", help="登録の解除と未完了の事項の確認")
    c.add_argument("contract")
    c.add_argument("--yes", action="store_true")
    g = sub.add_parser("purge", help="書き出しの後、個人の記録を削除する（削除の記録が残ります）")
    g.add_argument("contract")
    g.add_argument("--export-dir", required=True)
    g.add_argument("--yes", action="store_true")
    p.set_defaults(func=cmd_contract)
