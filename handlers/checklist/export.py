"""Checklist records for an audit: every confirmation of a period, with totals per person and per item."""
from __future__ import annotations

import datetime as _dt
import unicodedata

import sqlite_utils

from handlers import people, workdays
from handlers.checklist import content
from storage import checklists as store
from storage import kb as kb_store

VIA_LABELS = people.VIA_LABELS
ANSWER_LABELS = {"yes": "はい", "no": "いいえ", "event": "報告"}

# 記録時の案件名 (last, so no column people already use moves): the name a record was written under,
# when its contract has been renamed since; 案件 is the name now (handlers.contracts.current_names).
COLUMNS = ["記録ID", "日付", "日時", "利用者ID", "氏名", "案件", "チェックリスト", "項目ID", "項目", "回答", "理由",
           "理由の記録日時", "経路", "記録元", "訂正元の記録ID", "離席の戻り", "根拠", "記録時の案件名"]
# The totals an auditor checks (集計の見方 below): per person and per item,
# 確認すべき項目 = はい + いいえ + 未回答 (はい / いいえ: the answer that stands for each expected item,
# the latest of its day), and 合計 = every record = はい + いいえ + 訂正 + 期限前の回答 + 予定外の回答
# + 随時の確認 + 報告. The record sheet keeps every answer, corrections included.
COUNT_COLUMNS = ["確認すべき項目", "未回答", "はい", "いいえ", "訂正", "期限前の回答", "予定外の回答", "随時の確認",
                 "報告", "合計"]
PERSON_COLUMNS = ["利用者ID", "氏名", *COUNT_COLUMNS]
ITEM_COLUMNS = ["チェックリスト", "項目ID", "項目", *COUNT_COLUMNS]
LEGEND_COLUMNS = ["列", "数え方"]
LEGEND = [
    {"列": "確認すべき項目", "数え方": "期間中（本日までで期限の来たもの）、その日に予定されたチェックリストの各項目（休日・お休みの日・登録前や開始日前・退任後を除く）。確認すべき項目 = はい + いいえ + 未回答"},
    {"列": "はい／いいえ", "数え方": "確認すべき項目それぞれについて、その日の最後の回答（訂正後の回答）"},
    {"列": "未回答", "数え方": "確認すべき項目のうち、その日に回答がなかったもの"},
    {"列": "訂正", "数え方": "確認すべき項目に同じ日に2回以上回答したときの、後の回答で置き換えられた回答（記録には残ります）"},
    {"列": "期限前の回答", "数え方": "本日のチェックリストで、まだ期限が来ていないため集計に含めていない回答"},
    {"列": "予定外の回答", "数え方": "その日に確認すべき項目ではなかった回答（休日・お休みの日・登録前や開始日前・退任後など）"},
    {"列": "随時の確認", "数え方": "離席時など、予定ではなくその都度の確認"},
    {"列": "報告", "数え方": "ICカードの受け取り・返却・紛失などの出来事の記録"},
    {"列": "合計", "数え方": "記録の件数（記録シートの行数）。合計 = はい + いいえ + 訂正 + 期限前の回答 + 予定外の回答 + 随時の確認 + 報告"},
]


def sheets(records: list[dict], per_person: list[dict], per_item: list[dict]) -> dict[str, list]:
    """The workbook (or CSV sections) an auditor gets, from the CLI export or a lead's DM alike: every record,
    the totals, and how each total is counted (LEGEND)."""
    return {"記録": [(None, COLUMNS, records)],
            "集計": [("集計（担当者別）", PERSON_COLUMNS, per_person),
                     ("集計（項目別）", ITEM_COLUMNS, per_item)],
            "列の説明": [("集計の列の数え方", LEGEND_COLUMNS, LEGEND)]}


def parse_date(value: str, what: str) -> _dt.date:
    v = unicodedata.normalize("NFKC", value or "").strip().replace("/", "-")
    try:
        return _dt.date.fromisoformat(v)
    except ValueError:
        raise ValueError(f"{what}「{value}」は日付として読めません（例: 2026-12-01）。")


def rows(db: sqlite_utils.Database, date_from: _dt.date, date_to: _dt.date, contract: str | None = None) -> list[dict]:
    """One dict per confirmation (COLUMNS as keys), in date then record order."""
    from handlers import contracts

    out = []
    names: dict[str, str] = {}
    cites: dict[str, str] = {}
    called = contracts.current_names(db)   # a contract renamed since: its name now, and the recorded one
    for r in store.between(db, date_from.isoformat(), date_to.isoformat(), contract):
        c = content.get(r["checklist_id"])
        item = c.item(r["item_id"]) if c else None
        if r["user_id"] not in names:
            names[r["user_id"]] = people.display_name(db, r["user_id"])
        cite = []
        for cid in r["clause_ids"]:
            if cid not in cites:
                cl = kb_store.clause(db, cid)
                cites[cid] = cl["citation"] if cl else cid
            cite.append(cites[cid])
        reason = ""
        if r.get("reason") is not None:
            reason = "（理由の入力は見送られました）" if r["declined"] else r["reason"]
        elif r["answer"] == "no" and r["needs_reason"]:
            reason = "（理由未回答）"
        now, recorded = contracts.now_called(called, r["contract"])
        out.append({
            "記録ID": r["id"], "日付": r["work_date"], "日時": workdays.format_jst(r["at"]), "利用者ID": r["user_id"],
            "氏名": names[r["user_id"]], "案件": now, "記録時の案件名": recorded, "チェックリスト": c.title if c else r["checklist_id"],
            "項目ID": r["item_id"], "項目": item.text if item else r["item_id"],
            "回答": ANSWER_LABELS.get(r["answer"], r["answer"]), "理由": reason,
            "理由の記録日時": workdays.format_jst(r["reason_at"]) if r.get("reason_at") else "",
            "経路": VIA_LABELS.get(r["via"], r["via"]), "記録元": r["source"],
            "訂正元の記録ID": r["prev_id"] or "",
            "離席の戻り": (workdays.format_jst(r["away_end_at"]) if r.get("away_end_at")
                        else ("（戻り未記録）" if r.get("away_start_at") else "")),
            "根拠": "、".join(cite), "_at": r["at"], "_answer": r["answer"], "_checklist": r["checklist_id"],
        })
    return out


def expected(db: sqlite_utils.Database, date_from: _dt.date, date_to: _dt.date, contract: str | None = None,
             today: _dt.date | None = None) -> dict[str, dict]:
    """Everyone who had checklists to confirm in the period (registered then, scheduled that day),
    with how many items they were to confirm and how many stayed unanswered (the latest answer of
    the day counts, as in the status report) — a person who confirmed nothing is listed too.

    Each entry also carries the items themselves: "keys", the expected (checklist, item, work date),
    and "pending", today's not due yet; totals() sorts each record by them. Someone whose only
    checklists today are not due yet has an entry with expected 0 (totals() lists them only if
    they recorded something)."""
    from handlers.report import figures

    states = figures.States(db)
    last = min(date_to, today or workdays.now().date())
    members_on = (lambda d: states.members(contract, d)) if contract else states.active_on
    keys: dict[str, set] = {}
    tally = figures.checklist_tally(db, date_from, last, members_on, states, keys=keys) \
        if last >= date_from else {"per_person": {}}
    out: dict[str, dict] = {}
    for kind in ("expected", "pending"):
        for uid, *rest in keys.get(kind, ()):
            e = out.setdefault(uid, {"expected": 0, "unanswered": 0, "keys": set(), "pending": set()})
            e["keys" if kind == "expected" else "pending"].add(tuple(rest))
    for uid, t in tally["per_person"].items():
        if uid in out:
            out[uid].update(expected=t["expected"], unanswered=t["expected"] - t["yes"] - t["no"])
    return out


def _blank() -> dict:
    return {c: 0 for c in COUNT_COLUMNS}


def totals(records: list[dict], due: dict[str, dict] | None = None,
           names: dict[str, str] | None = None) -> tuple[list[dict], list[dict]]:
    """(per person, per item) totals that add up (COUNT_COLUMNS, LEGEND). With `due` (expected()),
    every person expected in the period has a row, with zeros when they recorded nothing, and each
    record is sorted: the latest answer of an expected item → はい / いいえ, an earlier one → 訂正,
    today's not yet due → 期限前の回答, a scheduled item not expected that day → 予定外の回答, an
    on-demand checklist (離席時) → 随時の確認, an event (ICカード) → 報告. Without `due`, nothing
    is expected: the latest answer of each item and day counts as はい / いいえ, earlier ones as 訂正."""
    per_person: dict[str, dict] = {}
    per_item: dict[tuple, dict] = {}
    sorting, due = due is not None, due or {}
    on_demand = {c.id for c in content.checklists() if not c.schedule.scheduled}

    def person_row(uid: str, name: str) -> dict:
        if uid not in per_person:
            per_person[uid] = {"利用者ID": uid, "氏名": name, **_blank()}
        return per_person[uid]

    def item_row(checklist_id: str, item_id: str) -> dict:
        if (checklist_id, item_id) not in per_item:
            c = content.get(checklist_id)
            item = c.item(item_id) if c else None
            per_item[(checklist_id, item_id)] = {"チェックリスト": c.title if c else checklist_id, "項目ID": item_id,
                                                 "項目": item.text if item else item_id, **_blank()}
        return per_item[(checklist_id, item_id)]

    for uid, d in due.items():
        if d.get("expected"):
            person_row(uid, (names or {}).get(uid, uid))
        for cl, it, _ in d.get("keys", ()):
            item_row(cl, it)["確認すべき項目"] += 1
    # the answer that stands for each item and day: the last record (rows are in record order within a day)
    last: dict[tuple, int] = {}
    for r in records:
        last[(r["利用者ID"], r["_checklist"], r["項目ID"], r["日付"])] = r["記録ID"]
    for r in records:
        uid, cl, it, day = r["利用者ID"], r["_checklist"], r["項目ID"], r["日付"]
        mine = due.get(uid, {})
        if r["_answer"] == "event":
            col = "報告"
        elif cl in on_demand:
            col = "随時の確認"
        elif sorting and (cl, it, day) in mine.get("pending", ()):
            col = "期限前の回答"
        elif sorting and (cl, it, day) not in mine.get("keys", ()):
            col = "予定外の回答"
        elif last[(uid, cl, it, day)] != r["記録ID"]:
            col = "訂正"
        else:
            col = ANSWER_LABELS[r["_answer"]]
        for target in (person_row(uid, r["氏名"]), item_row(cl, it)):
            target[col] += 1
            target["合計"] += 1
    for p in per_person.values():
        p["確認すべき項目"] = due.get(p["利用者ID"], {}).get("expected", 0)
    for t in [*per_person.values(), *per_item.values()]:
        t["未回答"] = t["確認すべき項目"] - t["はい"] - t["いいえ"]
    order = {c.id: n for n, c in enumerate(content.checklists())}

    def position(k: tuple) -> tuple:
        c = content.get(k[0])
        ids = [i.id for i in c.items] if c else []
        return (order.get(k[0], 99), ids.index(k[1]) if k[1] in ids else 99, k)

    items = sorted(per_item.items(), key=lambda kv: position(kv[0]))
    return [per_person[k] for k in sorted(per_person)], [v for _, v in items]
