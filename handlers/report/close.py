"""The end of a contract: what closing it means (workers removed, open items), and the purge of
its personal records after an export, leaving a deletion record (日時、実施者名、内容 —
吉川市 情報セキュリティ特記仕様書 第15条第5項) that itself cannot be purged."""
from __future__ import annotations

import hashlib
import json
import os
import re

import sqlite_utils

from handlers import audit, people, workdays
from knowledge import oversight
from storage import audit as astore
from storage import incidents as istore
from storage import notices as nstore
from storage import questions as qstore
from storage import reports as store
from storage import people as pstore

DELETION_CLAUSES = oversight.clauses("deletion")      # knowledge/oversight/clauses.toml


def _on_contract(p: dict, contract: str | set[str]) -> bool:
    """On the contract; given a set (a contract's names before a rename too), on any of them."""
    names = {contract} if isinstance(contract, str) else contract
    return bool(names & set(p.get("contracts") or []))


def to_remove(db: sqlite_utils.Database, contract: str) -> list[dict]:
    """Active workers and leads on the contract (officers and admins stay: they close it)."""
    return [p for p in pstore.active(db) if p["role"] in ("worker", "lead") and _on_contract(p, contract)]


def open_items(db: sqlite_utils.Database, contract: str) -> dict:
    from handlers.training import state as tstate

    members = {p["user_id"] for p in pstore.everyone(db) if _on_contract(p, contract)}
    names = set(pstore.names_of(db, contract))      # incidents reported before a rename too
    incidents = [i for i in istore.index(db) if i["contract"] in names and not i["closed"]]
    ctx = tstate.Context(db)
    training = [t for t in tstate.everyone(ctx, contract) if not t.complete]
    questions = [q for q in qstore.all_routed(db, answered=False) if q["asker_id"] in members]
    return {"incidents": incidents, "training": training, "questions": questions}


def close_text(db: sqlite_utils.Database, contract: str, removed: bool = False) -> str:
    ws = to_remove(db, contract)
    items = open_items(db, contract)
    lines = [f"案件「{contract}」の終了手続きです。"]
    if ws:
        lines.append(f"{'登録を解除した' if removed else '登録を解除する'}方（{len(ws)} 名）:")
        lines += [f"・{p['name']}さん（{p['user_id']}、{people.ROLES[p['role']]}）" for p in ws]
    else:
        lines.append("この案件に登録されている作業従事者・作業責任者はいません。")
    lines.append(f"未完了の事項: 対応中の事故 {len(items['incidents'])} 件、未修了の教育 {len(items['training'])} 件、"
                 f"未回答の質問 {len(items['questions'])} 件。")
    from handlers.report.draft import type_label

    lines += [f"・事故 {i['ref']}（{type_label(i['type'])}）: 対応中" for i in items["incidents"]]
    lines += [f"・教育: {t.person['name']}さん（{t.course.title}）" for t in items["training"]]
    lines += [f"・質問: {people.display_name(db, q['asker_id'])}さん「{q['question'][:40]}」" for q in items["questions"]]
    cites = audit.citations(db, DELETION_CLAUSES, people.contract_docs(db, contract), about="deletion")
    if cites:
        lines.append(f"契約の終了時には、情報の返却・廃棄と、その日時・実施者名・内容の記録が求められています（根拠: {'、'.join(cites)}）。")
    return "\n".join(lines)


def remove_all(db: sqlite_utils.Database, contract: str, actor: str, via: str) -> tuple[list[str], list[str]]:
    """Take everyone off the contract, one recorded change each (removed, or the contract dropped
    from their list when they work on others too). Returns (user ids taken off, why each other one
    stays: a worker also on another contract whose lead is only on this one keeps it until given a
    lead of that other contract)."""
    done, refused = [], []
    # workers first: a lead staying on another contract is refused while workers here still name them
    for p in sorted(to_remove(db, contract), key=lambda p: p["role"] != "worker"):
        others = [c for c in p["contracts"] if c != contract]
        argv = ["add", p["user_id"], "--contract", ",".join(others)] if others else ["remove", p["user_id"]]
        status, reply = people.run_users(db, actor, argv, via)
        if status == 0:
            done.append(p["user_id"])
        else:
            refused.append(f"{p['name']}さん（{p['user_id']}）: {reply.text}")
    return done, refused


def purge_subjects(db: sqlite_utils.Database, contract: str, actor: str) -> list[dict]:
    """The people whose records a purge deletes: ever on the contract, on no other contract now,
    not active, and not the person purging."""
    out = []
    names = set(pstore.names_of(db, contract))      # on it under an earlier name counts
    for p in pstore.everyone(db):
        ever = any(_on_contract(h, names) for h in pstore.history(db, p["user_id"]))
        if ever and not p["active"] and p["user_id"] != actor and p["role"] in ("worker", "lead"):
            out.append(p)
    return out


def write_export(db: sqlite_utils.Database, contract: str, export_dir: str) -> list[dict]:
    """The audit export (every chained record, jsonl) and the roster (csv) into export_dir."""
    os.makedirs(export_dir, exist_ok=True)
    safe = re.sub(r'[\\/:*?<>|"]', "_", contract)
    stamp = f"{workdays.now():%Y%m%d%H%M%S}"
    files = []
    _, _, v = audit.verify(db)
    p1 = os.path.join(export_dir, f"監査記録_{safe}_{stamp}.jsonl")
    with open(p1, "w", encoding="utf-8") as f:
        audit.write_export(db, f, "jsonl", None, None, verification=v)
    p2 = os.path.join(export_dir, f"名簿_{safe}_{stamp}.csv")
    with open(p2, "wb") as f:
        audit.write_roster(db, contract, audit.roster(db, contract), "csv", f)
    for p in (p1, p2):
        data = open(p, "rb").read()
        files.append({"file": os.path.basename(p), "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    return files


def _compact(db: sqlite_utils.Database) -> str | None:
    """Checkpoint (TRUNCATE) and VACUUM, checked; the message when a reader blocks them, else None."""
    try:
        astore.compact(db)
    except astore.CompactError as e:
        return ("個人の記録は削除し、削除の記録も残しましたが、データベースのファイルからの消去（チェックポイントと"
                f"VACUUM）を完了できませんでした（{e}）。削除した内容がファイルの空き領域に残っている可能性があります。"
                "mamoru（serve）など、データベースを開いているプログラムを止めてから、同じコマンドをもう一度"
                "実行してください。")
    return None


def purge(db: sqlite_utils.Database, contract: str, export_dir: str, actor: str, via: str) -> tuple[int, str]:
    """(status, message). Refuses while anyone is still on the contract or the chain is broken."""
    if to_remove(db, contract):
        return 1, (f"案件「{contract}」にはまだ登録されている方がいます。先に `mamoru contract close {contract} --yes` で"
                   "登録を解除してください。")
    ok, _, _ = audit.verify(db)
    if not ok:
        return 1, "記録の連鎖に問題があるため、削除できません（`mamoru audit verify` で確認してください）。"
    subjects = purge_subjects(db, contract, actor)
    ids = [p["user_id"] for p in subjects]
    needles = ids + sorted({h["name"] for p in subjects for h in pstore.history(db, p["user_id"])})
    rows = store.personal_rows(db, ids, contract)
    extra = store.notice_keys_naming(db, needles)
    if extra:
        rows["notice_log"] = sorted(set(rows.get("notice_log", [])) | set(extra))
    texts = nstore.texts_to_purge(db, rows.get("notice_log", []), needles)
    if texts:   # the texts naming them or sent only to them, after the rows pointing at them
        rows["notice_texts"] = texts
    # free text anywhere (other contracts' records too) naming them goes with them, under the deletion record
    for table, cols in (("routed_questions", ["question"]), ("routed_answers", ["answer"]),
                        ("incident_events", ["detail"]), ("incident_steps", ["value"]),
                        ("checklist_reasons", ["reason"]), ("feedback", ["question"]),
                        ("access_refusals", ["what"])):
        if not db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [table]).fetchone():
            continue
        hit = store.text_mentions(db, table, cols, needles)
        if hit:
            rows[table] = sorted(set(rows.get(table, [])) | set(hit))
    # an incident of another contract whose answers name them is evidence that stays: recorded as such
    named = store.text_mentions(db, "incidents", ["answers"], needles)
    kept = [r[0] for r in db.execute(f"SELECT ref FROM incidents WHERE id IN ({','.join('?' * len(named))})"
                                     " AND id NOT IN (SELECT value FROM json_each(?))",
                                     [*named, json.dumps(rows.get("incidents", []))])] if named else []
    # children first (routed answers of questions found by text, too)
    if rows.get("routed_questions"):
        q = rows["routed_questions"]
        ans = [r[0] for r in db.execute(f"SELECT id FROM routed_answers WHERE routed_id IN ({','.join('?' * len(q))})", q)]
        rows["routed_answers"] = sorted(set(rows.get("routed_answers", [])) | set(ans))
    order = ["incident_events", "incidents", "incident_steps", "incident_sessions", "training_pledges",
             "training_results", "training_answers", "training_attempts", "training_assignments", "checklist_reasons",
             "checklist_confirmations", "checklist_away", "routed_answers", "routed_questions", "feedback",
             "registration_decisions", "registration_requests", "notice_log", "notice_texts", "access_refusals",
             "slack_events",
             "people"]
    ordered = {t: rows[t] for t in order if t in rows}
    if not any(ordered.values()):   # purged before, or nothing was ever recorded: write nothing
        done = astore.deletion_records(db, f"contract:{contract}")
        last = (f"（前回の削除の記録: 記録ID {done[-1]['id']}、{workdays.format_jst(done[-1]['at'])}、"
                f"実施者名 {done[-1]['actor_name']}）") if done else ""
        failed = _compact(db)      # a purge whose file could not be compacted before: finish the job now
        if failed:
            return 1, failed
        return 0, f"案件「{contract}」に削除する個人の記録はありません{last}。書き出しも削除の記録も作成していません。"
    files = write_export(db, contract, export_dir)
    if not all(f["bytes"] > 0 for f in files):
        return 1, "書き出しを確認できなかったため、削除していません。"
    actor_name = "管理者（サーバーのコマンド）" if actor == people.CLI_ACTOR else people.display_name(db, actor)
    content = {"contract": contract, "what": "契約終了に伴う個人の記録の削除", "people": len(ids), "export": files}
    if kept:
        content["mentions_kept"] = {"incidents": kept, "why": "他の案件の事故報告が削除対象の方に言及しています（証跡として保持）"}
    rec = astore.purge(db, ordered, scope=f"contract:{contract}", actor=actor, actor_name=actor_name,
                       content=content, via=via, at=workdays.iso())
    # nothing personal may stay in free pages or the write-ahead log: checked, or no success is reported
    failed = _compact(db)
    if failed:
        return 1, failed
    n = sum(rec["content"]["deleted"].values())
    cites = audit.citations(db, DELETION_CLAUSES, people.contract_docs(db, contract), about="deletion")
    return 0, "\n".join([
        f"案件「{contract}」の個人の記録を削除しました（{len(ids)} 名分、{n} 行）。",
        f"削除の記録: 日時 {workdays.format_jst(rec['at'])}、実施者名 {rec['actor_name']}、"
        f"内容 {rec['content']['what']}（記録ID {rec['id']}）。この記録は削除できません。",
        "書き出し: " + "、".join(f"{f['file']}（sha256 {f['sha256'][:16]}…）" for f in files),
        *([f"根拠: {'、'.join(cites)}"] if cites else [])])
