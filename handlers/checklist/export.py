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
PERSON_COLUMNS = ["利用者ID", "氏名", "確認すべき項目", "未回答", "はい", "いいえ", "報告", "合計"]
ITEM_COLUMNS = ["チェックリスト", "項目ID", "項目", "はい", "いいえ", "報告", "合計"]


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


def _count(target: dict, answer: str) -> None:
    target[{"yes": "はい", "no": "いいえ", "event": "報告"}[answer]] += 1
    target["合計"] += 1


def expected(db: sqlite_utils.Database, date_from: _dt.date, date_to: _dt.date, contract: str | None = None,
             today: _dt.date | None = None) -> dict[str, dict]:
    """Everyone who had checklists to confirm in the period (registered then, scheduled that day),
    with how many items they were to confirm and how many stayed unanswered (the latest answer of
    the day counts, as in the status report) — a person who confirmed nothing is listed too."""
    from handlers.report import figures

    states = figures.States(db)
    last = min(date_to, today or workdays.now().date())
    members_on = (lambda d: states.members(contract, d)) if contract else states.active_on
    tally = figures.checklist_tally(db, date_from, last, members_on, states) if last >= date_from else {"per_person": {}}
    return {uid: {"expected": t["expected"], "unanswered": t["expected"] - t["yes"] - t["no"]}
            for uid, t in tally["per_person"].items() if t["expected"]}


def totals(records: list[dict], due: dict[str, dict] | None = None,
           names: dict[str, str] | None = None) -> tuple[list[dict], list[dict]]:
    """(per person, per item) counts of はい / いいえ / 報告; with `due` (expected()), every person
    expected in the period has a row, with zeros when they recorded nothing."""
    per_person: dict[str, dict] = {}
    per_item: dict[tuple, dict] = {}

    def person_row(uid: str, name: str) -> dict:
        d = (due or {}).get(uid, {})
        return per_person.setdefault(uid, {"利用者ID": uid, "氏名": name, "確認すべき項目": d.get("expected", 0),
                                           "未回答": d.get("unanswered", 0), "はい": 0, "いいえ": 0, "報告": 0, "合計": 0})
    for uid in due or {}:
        person_row(uid, (names or {}).get(uid, uid))
    for r in records:
        p = person_row(r["利用者ID"], r["氏名"])
        _count(p, r["_answer"])
        i = per_item.setdefault((r["_checklist"], r["項目ID"]), {
            "チェックリスト": r["チェックリスト"], "項目ID": r["項目ID"], "項目": r["項目"], "はい": 0, "いいえ": 0,
            "報告": 0, "合計": 0})
        _count(i, r["_answer"])
    order = {c.id: n for n, c in enumerate(content.checklists())}

    def position(k: tuple) -> tuple:
        c = content.get(k[0])
        ids = [i.id for i in c.items] if c else []
        return (order.get(k[0], 99), ids.index(k[1]) if k[1] in ids else 99, k)

    items = sorted(per_item.items(), key=lambda kv: position(kv[0]))
    return [per_person[k] for k in sorted(per_person)], [v for _, v in items]
