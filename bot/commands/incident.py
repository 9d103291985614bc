"""`mamoru incident …`: incident reports from the command line (the same handlers as Slack).

    mamoru incident list [--json]
    mamoru incident show INC-2026-0001
    mamoru incident export INC-2026-0001 --format docx|md [--output PATH | -o -]
    mamoru incident note INC-2026-0001 "内容" [--text 内容] [--kind note|measure|city|close|reopen] [--method 電話] [--at "今日10時"] [--by U123]
    mamoru incident ack INC-2026-0001 [--by U123]
    mamoru incident alert-channel [C0123ABCD | off]

The command line acts as the trusted actor "cli" (the server's operator, like `mamoru users`),
unless --by names the person on whose behalf an entry is recorded.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path


def _db():
    from bot.cli import _db as open_

    return open_()


def _print_turn(turn) -> int:
    from bot.render_text import turn_text

    text, _ = turn_text(turn)
    print(text)
    return 0


def cmd_incident(args) -> int:
    from handlers import capabilities, workdays
    from handlers.incident import notify, report, timeline
    from storage import incidents as store

    capabilities.load()
    db = _db()
    sub = args.incident_cmd
    if sub == "list":
        rows = store.incidents(db)
        if args.json:
            from handlers import contracts

            called = contracts.current_names(db)   # renamed since: the name now, and the one recorded
            print(json.dumps([{"ref": i["ref"], "type": i["type"], "type_label": notify.type_label(i),
                               "reporter_id": i["reporter_id"], "contract": called.get(i["contract"], i["contract"]),
                               "contract_as_recorded": i["contract"], "at": i["at"],
                               "status": notify.status(db, i), "notified": i["notified"]} for i in rows],
                             ensure_ascii=False, indent=2))
            return 0
        if not rows:
            print("事故・インシデントの報告はまだありません。")
            return 0
        for i in rows:
            print(f"{i['ref']}\t{notify.type_label(i)}\t{workdays.format_jst(i['at'])}\t{i['reporter_id']}\t"
                  f"{notify.status(db, i)}")
        return 0
    if sub == "alert-channel":
        return _print_turn(timeline.alert(db, "cli", args.channel or "", "cli"))
    ref = timeline.normalize_ref(args.ref)
    inc = store.by_ref(db, ref) if ref else None
    if inc is None:
        print(f"事故報告「{args.ref}」は見つかりませんでした（`mamoru incident list` で一覧を確認できます）。", file=sys.stderr)
        return 1
    if sub == "show":
        return _print_turn(timeline.show(db, "cli", inc["ref"], "cli"))
    if sub == "export":
        data = report.render(db, inc, args.format)
        if args.output == "-":
            if args.format != "md":
                print("Word 形式は標準出力に書き出せません。--output でファイル名を指定してください。", file=sys.stderr)
                return 2
            sys.stdout.write(data.decode("utf-8"))
            return 0
        from bot import tables

        out = tables.output_path(args.output, report.filename(inc, args.format))
        out.write_bytes(data)
        print(f"{inc['ref']} の報告書を書き出しました: {out}")
        return 0
    actor = args.by or "cli"
    if sub == "ack":
        turn = notify.ack(db, actor, inc["ref"], "cli")
        return _print_turn(turn)
    if sub == "note":
        kind = args.kind
        rest = " ".join([*args.text, *([args.text_opt] if args.text_opt else [])])
        if kind == "city":
            from handlers.incident import answers, rights
            from handlers.incident import common as C

            if not rights.can_manage(db, actor, inc):
                return _print_turn(timeline.typed(db, actor, inc["ref"], "city", "-", "cli")) or 1
            try:
                when = answers.read_when(args.at, C.now()) if args.at else None
            except answers.Invalid as e:
                print(str(e), file=sys.stderr)
                return 2
            turn = timeline.record(db, actor, inc, "city", "cli", text=rest, method=args.method or "その他", when=when)
        else:
            turn = timeline.typed(db, actor, inc["ref"], kind, rest, "cli")
        return _print_turn(turn)
    return 2


def register(subparsers) -> None:
    p = subparsers.add_parser("incident", help="事故・インシデントの報告（一覧、報告書、経過の記録）")
    sub = p.add_subparsers(dest="incident_cmd", required=True)
    ls = sub.add_parser("list", help="報告の一覧")
    ls.add_argument("--json", action="store_true")
    sh = sub.add_parser("show", help="報告の内容と経過")
    sh.add_argument("ref", help="受付番号（例: INC-2026-0001）")
    ex = sub.add_parser("export", help="報告書を書き出す（Word または Markdown）")
    ex.add_argument("ref", help="受付番号（例: INC-2026-0001）")
    ex.add_argument("--format", choices=["docx", "md"], default="docx")
    ex.add_argument("--output", "-o", help="書き出すファイルかフォルダ（既定: MAMORU_FILES_DIR、なければデータベースと同じ場所の files/ に 受付番号.docx / .md。`-` で標準出力〔md のみ〕）")
    nt = sub.add_parser("note", help="経過を記録する（メモ、対応・対策、市への報告、完了、再開）")
    nt.add_argument("ref")
    nt.add_argument("text", nargs="*", help="記録する内容（オプションより前に書くか、--text で指定）")
    nt.add_argument("--text", dest="text_opt", help="記録する内容")
    nt.add_argument("--kind", choices=["note", "measure", "city", "close", "reopen"], default="note")
    nt.add_argument("--method", help="市への報告の方法（--kind city）: 電話、メール、書面、対面など")
    nt.add_argument("--at", help="市へ報告した日時（--kind city）: 例「今日10時」「11/20 15:30」（既定: 現在）")
    nt.add_argument("--by", help="記録する人のユーザー ID（既定: コマンドライン）")
    ak = sub.add_parser("ack", help="確認しました（督促を止める）")
    ak.add_argument("ref")
    ak.add_argument("--by", help="確認した人のユーザー ID（既定: コマンドライン）")
    al = sub.add_parser("alert-channel", help="事故の通知チャンネル（概要のみ）を表示・設定する（off で解除）")
    al.add_argument("channel", nargs="?")
    p.set_defaults(func=cmd_incident)
