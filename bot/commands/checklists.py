"""`mamoru checklist …` and `mamoru export checklists …`.

    mamoru checklist list [--json]                       the shipped checklists, their items and rules
    mamoru checklist contract 吉川市 [--use start,end] [--time start=08:45] [--deadline start=09:30]
                              [--grace start=20] [--reset]           which checklists a contract uses, and when
    mamoru checklist status [--at 2026-12-01T10:30+09:00]            everyone's day (what /mamoru team shows)
    mamoru export checklists --from 2026-12-01 --to 2026-12-31 [--contract 吉川市] [--format csv|xlsx] [-o FILE]

The export holds every confirmation (who, item, answer, reason, time, how) and the totals per
person and per item: CSV in UTF-8 with a BOM (Excel opens the Japanese correctly) — the records,
then the two tables of totals, each after a title line — or an xlsx workbook with two sheets
(記録, 集計).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from bot import tables


def _db():
    from bot.cli import _db as open_with_kb

    return open_with_kb()


# ---- mamoru checklist -----------------------------------------------------------------------------

def _pairs(values: list[str] | None, what: str) -> dict[str, str]:
    from handlers.checklist import content

    out = {}
    for v in values or []:
        if "=" not in v:
            raise ValueError(f"{what}「{v}」は「チェックリスト=値」の形で指定してください（例: start=09:00）。")
        k, val = v.split("=", 1)
        c = content.find(k)
        if c is None:
            raise ValueError(f"チェックリスト「{k}」はありません（{'、'.join(x.id for x in content.checklists())}）。")
        out[c.id] = val.strip()
    return out


def cmd_list(args) -> int:
    from handlers.checklist import content, core

    db = _db()
    if args.json:
        print(json.dumps([{"id": c.id, "title": c.title, "schedule": {
            "kind": c.schedule.kind, "send": c.schedule.send and c.schedule.send.strftime("%H:%M"),
            "deadline": c.schedule.deadline and c.schedule.deadline.strftime("%H:%M"),
            "grace_minutes": c.schedule.grace_minutes}, "file": c.file,
            "items": [{"id": i.id, "label": i.label, "text": i.text, "kind": i.kind, "clauses": list(i.clauses),
                       "reason_required": i.reason_required, "action": i.action} for i in c.items]}
            for c in content.checklists()], ensure_ascii=False, indent=2))
        return 0
    kinds = {"start_of_day": "始業時に送信", "end_of_day": "終業時に送信", "on_demand": "必要なときに利用"}
    for c in content.checklists():
        s = c.schedule
        when = (f"{kinds[s.kind]} {s.send:%H:%M}、期限 {s.deadline:%H:%M}、猶予 {s.grace_minutes} 分"
                if s.scheduled else kinds[s.kind])
        print(f"{c.id}\t{c.title}\t{when}\t（{c.file}）")
        for i in c.items:
            print(f"  {i.id}\t{i.text}\t{core.citation(db, i, [])}")
    return 0


def cmd_contract(args) -> int:
    from handlers import workdays
    from handlers.checklist import content
    from storage import checklists as store

    db = _db()
    from handlers import contracts

    try:
        name = contracts.known(db, args.name)      # NFKC, and a typo refused with the closest names
    except contracts.UnknownContract as e:
        print(str(e), file=sys.stderr)
        return 1
    current = {k: v for k, v in store.settings(db).get(name, {}).items() if not k.startswith("_")}
    new = {} if args.reset else json.loads(json.dumps(current))
    try:
        if args.use:
            ids = []
            for w in ",".join(args.use).replace("、", ",").split(","):
                if not w.strip():
                    continue
                c = content.find(w)
                if c is None:
                    raise ValueError(f"チェックリスト「{w}」はありません（{'、'.join(x.id for x in content.checklists())}）。")
                ids.append(c.id)
            new["checklists"] = list(dict.fromkeys(ids))
        times = new.setdefault("times", {})
        for opt, field in (("time", "send"), ("deadline", "deadline"), ("grace", "grace_minutes")):
            for cid, val in _pairs(getattr(args, opt), f"--{opt}").items():
                c = content.get(cid)
                if not c.schedule.scheduled:
                    raise ValueError(f"{c.title}は定時のチェックリストではないため、時刻は設定できません。")
                if field == "grace_minutes":
                    if not val.isdigit():
                        raise ValueError(f"猶予「{val}」は分の数で指定してください（例: 30）。")
                    times.setdefault(cid, {})[field] = int(val)
                else:
                    content.parse_time(val, f"--{opt}")
                    times.setdefault(cid, {})[field] = val
        for cid, t in times.items():
            base = content.get(cid).schedule
            send = content.parse_time(t.get("send"), "send") or base.send
            deadline = content.parse_time(t.get("deadline"), "deadline") or base.deadline
            if deadline <= send:
                raise ValueError(f"{content.get(cid).title}の期限（{deadline:%H:%M}）は送信時刻（{send:%H:%M}）より後にしてください。")
        if not times:
            new.pop("times", None)
    except ValueError as e:
        print(str(e), file=sys.stderr)
        return 2
    if new != current or args.reset:
        with store.transaction(db):
            store.append_settings(db, contract=name, settings=new, actor="cli", via="cli", at=workdays.iso())
        print(f"案件「{name}」のチェックリストの設定を記録しました。")
    else:
        print(f"案件「{name}」のチェックリストの設定に変更はありません。")
    from handlers.checklist import plan

    st = store.settings(db)
    for c in content.checklists():
        sched = plan.contract_schedule(st, name, c)
        if sched is None:
            print(f"  {c.title}: 使わない")
        elif sched.scheduled:
            print(f"  {c.title}: {sched.send:%H:%M} 送信、期限 {sched.deadline:%H:%M}、猶予 {sched.grace_minutes} 分"
                  f"（作業責任者へのまとめ {sched.grace_end():%H:%M}）")
        else:
            print(f"  {c.title}: 必要なときに利用")
    return 0


def cmd_status(args) -> int:
    from handlers import workdays
    from handlers.checklist import plan, team

    db = _db()
    try:
        now = workdays.parse(args.at) if args.at else plan.now()
    except ValueError:
        print(f"--at「{args.at}」は日時として読めません（例: 2026-12-01T10:30+09:00）。", file=sys.stderr)
        return 2
    viewer = {"user_id": "cli", "role": "admin", "name": "コマンドライン"}
    print(team.team_text(db, viewer, now))
    return 0


def cmd_checklist(args) -> int:
    return {"list": cmd_list, "contract": cmd_contract, "status": cmd_status}[args.checklist_cmd](args)


def register(subparsers) -> None:
    p = subparsers.add_parser("checklist", help="チェックリスト（始業時・離席時・終業時・ICカード）")
    sub = p.add_subparsers(dest="checklist_cmd", required=True)
    lst = sub.add_parser("list", help="同梱のチェックリストと根拠の条項")
    lst.add_argument("--json", action="store_true")
    c = sub.add_parser("contract", help="案件ごとに使うチェックリストと時刻を設定する")
    c.add_argument("name", help="案件名（例: 吉川市）")
    c.add_argument("--use", action="append", help="使うチェックリスト（カンマ区切り、例: start,leave,end,ic_card）")
    c.add_argument("--time", action="append", help="送信時刻（例: start=08:45）")
    c.add_argument("--deadline", action="append", help="確認の期限（例: start=09:30）")
    c.add_argument("--grace", action="append", help="期限後、作業責任者へのまとめまでの猶予（分、例: start=20）")
    c.add_argument("--reset", action="store_true", help="既定（同梱のすべて、ファイルの時刻）に戻す")
    s = sub.add_parser("status", help="今日の全員の状況（/mamoru team と同じ内容）")
    s.add_argument("--at", help="この日時の時点として表示する（例: 2026-12-01T10:30+09:00）")
    p.set_defaults(func=cmd_checklist)


# ---- mamoru export checklists -------------------------------------------------------------------------

def cmd_export(args) -> int:
    from handlers import audit
    from handlers.checklist import export

    try:
        date_from = export.parse_date(args.date_from, "--from")
        date_to = export.parse_date(args.date_to, "--to")
        audit.check_period(date_from.isoformat(), date_to.isoformat())
    except ValueError as e:
        print(str(e), file=sys.stderr)
        return 2
    db = _db()
    records = export.rows(db, date_from, date_to, args.contract)
    due = export.expected(db, date_from, date_to, args.contract)
    from handlers import people as hpeople

    per_person, per_item = export.totals(records, due, {u: hpeople.display_name(db, u) for u in due})
    out = tables.output_path(args.output, f"checklists_{date_from}_{date_to}{'_' + args.contract if args.contract else ''}.{args.format}")
    tables.write(out, args.format, export.sheets(records, per_person, per_item))
    scope = f"案件「{args.contract}」の" if args.contract else ""
    print(f"{date_from}〜{date_to} の{scope}チェックリストの記録 {len(records)} 件（{len(per_person)} 名）を {out} に書き出しました。")
    return 0


def register_export(kinds) -> None:
    p = kinds.add_parser("checklists", help="チェックリストの記録（期間、案件別）")
    p.add_argument("--from", dest="date_from", required=True, help="開始日（例: 2026-12-01）")
    p.add_argument("--to", dest="date_to", required=True, help="終了日（この日を含む）")
    p.add_argument("--contract", help="案件名で絞る")
    p.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    p.add_argument("-o", "--output", help="書き出すファイルかフォルダ（既定: MAMORU_FILES_DIR、なければデータベースと同じ場所の files/ に checklists_<開始日>_<終了日>.<形式>）")
    p.set_defaults(func=cmd_export)
