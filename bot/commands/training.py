"""`mamoru training …` and `mamoru export training …`.

    mamoru training status [--contract 吉川市] [--overdue] [--at 2026-12-01T10:00+09:00] [--json]
                                        everyone's training: course, state, deadline, score, pledge
    mamoru training contract 吉川市 [--pass-percent 90] [--questions 12] [--valid-days 365]
                                 [--remind-days 7,3,1] [--due-days 7] [--renew-days 30] [--reset]
                                        a contract's course numbers (recorded: who, when, from where)
    mamoru training courses [--json]    the courses, their banks and numbers, and the pledge
    mamoru export training [--contract 吉川市] [--format csv|xlsx] [-o FILE]

The export is the training record the city asks for (実施記録の提示): one row per attempt — person,
course, date, score, pass or fail, validity, pledge date and version — and one per assignment not
yet attempted. Training owed but not yet assigned (a person registered since the last notices pass)
is assigned first, by the notices pass's rule, so the export lists everyone and only stored records.
CSV is UTF-8 with a BOM (Excel opens the Japanese correctly); xlsx has one sheet.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from bot import tables


def _db():
    from bot.cli import _db as open_with_kb

    return open_with_kb()


def _now(args):
    from handlers import workdays
    from handlers.training import state

    return workdays.parse(args.at) if getattr(args, "at", None) else state.clock()


def cmd_status(args) -> int:
    from handlers.training import views

    try:
        now = _now(args)
    except ValueError:
        print(f"--at「{args.at}」は日時として読めません（例: 2026-12-01T10:00+09:00）。", file=sys.stderr)
        return 2
    db = _db()
    if args.json:
        rows = views.status_json(db, now, args.contract)
        if args.overdue:
            rows = [r for r in rows if r["overdue"]]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    print(views.status_text(db, "cli", now, contract=args.contract, overdue_only=args.overdue))
    return 0


def cmd_courses(args) -> int:
    from handlers.training import content, quiz

    db = _db()
    c = content.load()
    if args.json:
        print(json.dumps([{"id": x.id, "title": x.title, "version": x.version, "documents": list(x.documents),
                           "contracts": list(x.contracts), "banks": list(x.banks),
                           "questions_in_banks": len(c.questions(x)), "questions_per_attempt": x.questions_per_attempt,
                           "pass_percent": x.pass_percent, "valid_days": x.valid_days, "renew_days": x.renew_days,
                           "due_days": x.due_days, "remind_days": list(x.remind_days), "pledge": x.pledge,
                           "file": x.file} for x in c.courses.values()], ensure_ascii=False, indent=2))
        return 0
    for x in c.courses.values():
        print(f"{x.id}\t{x.title}（{x.file}）")
        print(f"  問題集: {'、'.join(x.banks)}（{len(c.questions(x))} 問）、一回 {x.questions_per_attempt} 問、"
              f"合格点 {x.pass_percent}%、有効期間 {x.valid_days} 日、リマインド {'・'.join(map(str, x.remind_days))} 日前")
        cite = quiz.basis_citation(db, x)
        if cite:
            print(f"  根拠: {cite}")
    for p in c.pledges.values():
        print(f"誓約書: {p.id}\t{p.title}（第{p.version}版、{p.file}）")
    return 0


def _int_list(value: str) -> list[int]:
    out = []
    for w in value.replace("、", ",").split(","):
        if w.strip():
            if not w.strip().isdigit():
                raise ValueError(f"「{value}」は日数の並びとして読めません（例: 7,3,1）。")
            out.append(int(w))
    return out


def cmd_contract(args) -> int:
    from handlers import workdays
    from handlers.training import content
    from storage import training as store

    db = _db()
    from handlers import contracts

    try:
        name = contracts.known(db, args.name)      # NFKC, and a typo refused with the closest names
    except contracts.UnknownContract as e:
        print(str(e), file=sys.stderr)
        return 1
    current = store.settings(db).get(name, {})
    new = {} if args.reset else dict(current)
    try:
        for opt, key in (("pass_percent", "pass_percent"), ("questions", "questions_per_attempt"),
                         ("valid_days", "valid_days"), ("due_days", "due_days"), ("renew_days", "renew_days")):
            v = getattr(args, opt)
            if v is not None:
                new[key] = v
        if args.remind_days is not None:
            new["remind_days"] = _int_list(args.remind_days)
        checked = content.check_settings(new, f"案件「{name}」")
    except (ValueError, content.ContentError) as e:
        print(str(e), file=sys.stderr)
        return 2
    new = {k: (list(v) if isinstance(v, tuple) else v) for k, v in checked.items()}
    course = content.course_for(db, name, {})
    if course is None:
        print(f"案件「{name}」の文書に対応する研修コースがありません（`mamoru training courses` で一覧できます）。",
              file=sys.stderr)
        return 1
    if "questions_per_attempt" in new and new["questions_per_attempt"] > len(content.load().questions(course)):
        print(f"出題数 {new['questions_per_attempt']} は、問題集の問題数（{len(content.load().questions(course))}）を"
              "超えています。", file=sys.stderr)
        return 2
    if new != current or args.reset:
        with store.transaction(db):
            store.append_settings(db, contract=name, settings=new, actor="cli", via="cli", at=workdays.iso(_now(args)))
        print(f"案件「{name}」の研修の設定を記録しました。")
    else:
        print(f"案件「{name}」の研修の設定に変更はありません。")
    c = content.course_for(db, name)
    print(f"  研修: {c.title}、一回 {c.questions_per_attempt} 問、合格点 {c.pass_percent}%、有効期間 {c.valid_days} 日、"
          f"リマインド {'・'.join(map(str, c.remind_days))} 日前、作業開始日が未設定のときの期限 {c.due_days} 日後、"
          f"更新の案内 有効期限の {c.renew_days} 日前")
    return 0


def cmd_training(args) -> int:
    return {"status": cmd_status, "contract": cmd_contract, "courses": cmd_courses}[args.training_cmd](args)


def register(subparsers) -> None:
    p = subparsers.add_parser("training", help="研修（受講状況、案件ごとの設定、コース）")
    sub = p.add_subparsers(dest="training_cmd", required=True)
    s = sub.add_parser("status", help="全員の研修の状況（研修、状況、期限、得点、誓約）")
    s.add_argument("--contract", help="案件名で絞る")
    s.add_argument("--overdue", action="store_true", help="期限を過ぎている方だけ")
    s.add_argument("--at", help="この日時の時点として表示する（例: 2026-12-01T10:00+09:00）")
    s.add_argument("--json", action="store_true")
    c = sub.add_parser("contract", help="案件ごとの研修の設定（合格点、出題数、有効期間、リマインド）")
    c.add_argument("name", help="案件名（例: 吉川市）")
    c.add_argument("--pass-percent", type=int, help="合格点（正答率、1〜100）")
    c.add_argument("--questions", type=int, help="一回に出題する問題の数")
    c.add_argument("--valid-days", type=int, help="合格の有効期間（日）")
    c.add_argument("--due-days", type=int, help="作業開始日が未設定か過ぎているときの期限（割り当てから何日後）")
    c.add_argument("--renew-days", type=int, help="有効期限の何日前に更新の研修を割り当てるか")
    c.add_argument("--remind-days", help="期限の何日前にリマインドするか（カンマ区切り、例: 7,3,1）")
    c.add_argument("--reset", action="store_true", help="コースのファイルの設定に戻す")
    k = sub.add_parser("courses", help="研修コース、問題集、誓約書の一覧")
    k.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_training)


# ---- mamoru export training -------------------------------------------------------------------

def cmd_export(args) -> int:
    from handlers.training import state, views

    db = _db()
    rows, written = views.export(db, args.contract, actor="cli", via="cli")
    stamp = state.clock().strftime("%Y%m%d")
    out_name = args.output or f"training_{stamp}{'_' + args.contract if args.contract else ''}.{args.format}"
    people = len({r["利用者ID"] for r in rows})
    scope = f"案件「{args.contract}」の" if args.contract else ""
    if args.format == "csv" and out_name == "-":
        tables.write_csv("-", [(None, views.COLUMNS, rows)])
        return 0
    out = tables.output_path(args.output, out_name)
    tables.write(out, args.format, {"研修の記録": [(None, views.COLUMNS, rows)]})
    print(f"{scope}研修の記録 {len(rows)} 件（{people} 名）を {out} に書き出しました。")
    if written:
        print(views.written_text(written))
    return 0


def register_export(kinds) -> None:
    p = kinds.add_parser("training", help="研修の記録（受講者、研修、日時、得点、合否、誓約日）")
    p.add_argument("--contract", help="案件名で絞る")
    p.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    p.add_argument("-o", "--output", help="書き出すファイルかフォルダ（既定: MAMORU_FILES_DIR、なければデータベースと同じ場所の files/ に training_<日付>.<形式>。CSV は - で標準出力）")
    p.set_defaults(func=cmd_export)
