"""`mamoru contract add|list|rename|remove|close|purge`: contracts, from start to end.

    mamoru contract add 吉川市 [--municipality 吉川市] [--doc yoshikawa]…
    mamoru contract list [--json]
    mamoru contract rename 吉川 吉川市        (people and settings move; records keep their name)
    mamoru contract remove 吉川              (only while nothing refers to it)

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


def _manage(db, args) -> int:
    import json

    from handlers import contracts, workdays

    at = workdays.iso(None)
    if args.contract_cmd == "list":
        if args.json:
            print(json.dumps(contracts.listing(db), ensure_ascii=False, indent=2))
        else:
            print(contracts.listing_text(db))
        return 0
    if args.contract_cmd == "add":
        status, text = contracts.add(db, args.contract, municipality=args.municipality,
                                     docs=list(dict.fromkeys(args.doc or [])), actor="cli", via="cli", at=at)
    elif args.contract_cmd == "rename":
        status, text = contracts.rename(db, args.contract, args.new_name, actor="cli", via="cli", at=at)
    else:
        status, text = contracts.remove(db, args.contract, actor="cli", via="cli", at=at)
    print(text, file=sys.stdout if status == 0 else sys.stderr)
    return status


def cmd_contract(args) -> int:
    from bot.commands.roster import _db, open_contract
    from handlers.report import close

    db = _db()
    if args.contract_cmd in ("add", "list", "rename", "remove"):
        return _manage(db, args)
    contract, _ = open_contract(db, args.contract, "cli", "案件の終了")
    if contract is None:
        return 1
    if args.contract_cmd == "close":
        if args.yes:
            done, refused = close.remove_all(db, contract, "cli", "cli")
            print(close.close_text(db, contract) + f"\n{len(done)} 名の登録を解除し、それぞれ名簿の変更として記録しました。")
            if refused:     # said, not skipped: the contract is not closed while someone is still on it
                print("次の方はこの案件の登録を解除できませんでした。理由を解消してから、もう一度実行してください。\n"
                      + "\n".join(f"・{r}" for r in refused), file=sys.stderr)
                return 1
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
    p = subparsers.add_parser("contract", help="案件の登録・一覧・名前の変更・取り消し・終了")
    sub = p.add_subparsers(dest="contract_cmd", required=True)
    a = sub.add_parser("add", help="案件を登録する")
    a.add_argument("contract", help="案件名（例: 吉川市）")
    a.add_argument("--municipality", help="自治体名（省略時は案件名）")
    a.add_argument("--doc", action="append", help="この案件の文書のスラッグ（mamoru kb list）。複数可")
    ls = sub.add_parser("list", help="登録されている案件")
    ls.add_argument("--json", action="store_true")
    r = sub.add_parser("rename", help="案件の名前を変える（登録者と設定を引き継ぎます）")
    r.add_argument("contract")
    r.add_argument("new_name")
    rm = sub.add_parser("remove", help="使われていない案件を取り消す")
    rm.add_argument("contract")
    c = sub.add_parser("close", help="登録の解除と未完了の事項の確認")
    c.add_argument("contract")
    c.add_argument("--yes", action="store_true")
    g = sub.add_parser("purge", help="書き出しの後、個人の記録を削除する（削除の記録が残ります）")
    g.add_argument("contract")
    g.add_argument("--export-dir", required=True)
    g.add_argument("--yes", action="store_true")
    p.set_defaults(func=cmd_contract)
