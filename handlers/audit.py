"""Oversight from records: chain verification and export for an auditor, the roster and its changes.

Slack-agnostic, like every handler; the `mamoru audit|roster|export roster|backup` commands and,
later, the status report call these.

    verify(db, expect_head=None) -> (ok, text, Verification)   # seals pending rows first
    write_export(db, out, fmt, date_from, date_to, viewer_id="cli") -> manifest dict
    roster(db, contract, viewer_id="cli") -> list[dict]          # one row per membership period
    roster_changes(db, contract, since=None, until=None, viewer_id="cli") -> list[dict]
    roster_text / changes_text / verify_text                       # polite Japanese, with citations

The roster is read from `people`, which is append-only: each row is a person's whole state after
one change (who made it, when, from where), so every change of the roster is already a record.
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import json
import sqlite3
from typing import IO, Iterable

import sqlite_utils

from handlers import access, office_text, people, workbook, workdays
from knowledge import oversight
from storage import audit as store
from storage import people as pstore

ROSTER_ROLES = ("officer", "lead", "worker")          # admins are not on a contract's roster
ROSTER_COLUMNS = ("氏名", "役割", "所属案件", "作業責任者", "開始日", "終了日", "Slack ユーザーID", "メールアドレス")
# Clauses asking for the 届出 of who works on the contract, and letting the city audit
# (knowledge/oversight/clauses.toml).
ROSTER_CLAUSES = oversight.clauses("roster")
AUDIT_CLAUSES = oversight.clauses("audit")

CHANGE_LABELS = {"joined": "追加", "left": "削除", "role": "役割の変更", "lead": "作業責任者の変更",
                 "name": "氏名の変更", "start_date": "開始日の変更"}
LEFT_REASONS = {"removed": "登録解除", "contract": "案件から外れた", "role": "役割の変更（管理者）"}


# ---- citations ------------------------------------------------------------------------------

def citations(db: sqlite_utils.Database, clause_ids: Iterable[str], slugs: Iterable[str] | None = None, *,
              about: str | None = None) -> list[str]:
    """Citations of the clauses from the given documents, one a document; when they hold none of them, the
    clause of theirs on the same subject (`about`: a list of knowledge/oversight/clauses.toml, by its concepts),
    else none; with no documents given, the first loaded."""
    from knowledge import basis, oversight

    slugs = list(slugs or [])
    concepts, why = oversight.about(about) if about else ((), "")
    mine, seen = [], set()
    for c in basis.clauses(db, clause_ids, slugs, concepts=concepts, text=why, limit=None if slugs else 1):
        if c["doc_slug"] not in seen:
            mine.append(c["citation"])
            seen.add(c["doc_slug"])
    return mine


def _all_contract_slugs(db: sqlite_utils.Database) -> list[str]:
    out: list[str] = []
    for c in pstore.contracts(db):
        out.extend(s for s in people.contract_docs(db, c["name"]) if s not in out)
    return out


# ---- the roster -----------------------------------------------------------------------------

def _member(row: dict | None, names: set[str]) -> bool:
    """On the contract's roster: active, not an admin, and bound to it under any of its names (a
    renamed contract's earlier rows hold the earlier name; an officer with no contracts listed is
    the officer of every contract)."""
    if not row or not row["active"] or row["role"] not in ROSTER_ROLES:
        return False
    return bool(names & set(row["contracts"])) or (row["role"] == "officer" and not row["contracts"])


def _day(at: str) -> str:
    return workdays.parse(at).astimezone(workdays.JST).date().isoformat()


def _walk(db: sqlite_utils.Database, contract: str) -> tuple[list[dict], list[dict]]:
    """(periods, changes) for one contract from every person's history."""
    periods: list[dict] = []
    changes: list[dict] = []
    names = set(pstore.names_of(db, contract))
    for person in pstore.everyone(db):
        prev: dict | None = None
        open_period: dict | None = None
        last_end: str | None = None
        for row in pstore.history(db, person["user_id"]):
            was, now = _member(prev, names), _member(row, names)
            base = {"record_id": row["id"], "at": row["at"], "user_id": row["user_id"], "name": row["name"],
                    "role": row["role"], "actor": row["actor"], "via": row["via"]}
            if now and not was:
                start = row["start_date"] if row["start_date"] and (last_end is None or row["start_date"] > last_end) \
                    else _day(row["at"])
                changes.append(dict(base, kind="joined", before=None, after=None, lead_id=row["lead_id"],
                                    start_date=start))
                open_period = {"user_id": row["user_id"], "start": start, "end": None, "since_record": row["id"],
                               "until_record": None}
                periods.append(open_period)
            elif was and not now:
                why = ("removed" if not row["active"] else "role" if row["role"] not in ROSTER_ROLES else "contract")
                changes.append(dict(base, kind="left", before=None, after=None, reason=why, role=prev["role"]))
                last_end = _day(row["at"])
                if open_period is not None:
                    open_period.update(end=last_end, until_record=row["id"])
                    open_period = None
            elif was and now:
                for kind, key in (("role", "role"), ("lead", "lead_id"), ("name", "name"),
                                  ("start_date", "start_date")):
                    if prev[key] != row[key]:
                        changes.append(dict(base, kind=kind, before=prev[key], after=row[key]))
            if open_period is not None:
                open_period.update(name=row["name"], role=row["role"], lead_id=row["lead_id"], email=row.get("email"))
                if row["start_date"] and (last_end is None or row["start_date"] > last_end):
                    open_period["start"] = row["start_date"]   # a start date set or moved later counts
            prev = row
    changes.sort(key=lambda c: (c["record_id"], list(CHANGE_LABELS).index(c["kind"])))
    return periods, changes


def _scoped(db: sqlite_utils.Database, viewer_id: str, rows: list[dict]) -> list[dict]:
    return access.visible(db, viewer_id, rows, key="user_id")


def roster(db: sqlite_utils.Database, contract: str, viewer_id: str = people.CLI_ACTOR) -> list[dict]:
    """One row per membership period on the contract, as a 届出 lists them, that the viewer may see.

    Keys: user_id, name, role, role_label, contract, lead_id, lead_name, start, end (ISO dates; end
    None while on the roster), since_record / until_record (people row ids).
    """
    periods, _ = _walk(db, contract)
    out = []
    for p in periods:
        out.append(dict(p, contract=contract, role_label=people.ROLES[p["role"]],
                        lead_name=people.display_name(db, p["lead_id"]) if p["lead_id"] and p["role"] == "worker"
                        else None))
    out.sort(key=lambda r: (ROSTER_ROLES.index(r["role"]), r["end"] is not None, r["start"] or "", r["name"],
                            r["user_id"]))
    return _scoped(db, viewer_id, out)


def _bound(value: str | None, end: bool) -> _dt.datetime | None:
    """A date (the whole day in JST) or a datetime with offset, as an aware datetime."""
    if not value:
        return None
    v = value.strip()
    if len(v) == 10:
        d = _dt.date.fromisoformat(v) + _dt.timedelta(days=1 if end else 0)
        return _dt.datetime.combine(d, _dt.time(0), workdays.JST)
    return workdays.parse(v)


def parse_date(value: str, what: str) -> str:
    """A YYYY-MM-DD date (or full ISO datetime) as typed; ValueError with a Japanese reason."""
    v = (value or "").strip().replace("/", "-")
    try:
        if len(v) == 10:
            return _dt.date.fromisoformat(v).isoformat()
        workdays.parse(v)
        return v
    except ValueError:
        raise ValueError(f"{what}「{value}」は日付として読めません（例: 2026-10-01）。") from None


def check_period(start: str | None, end: str | None, names: tuple[str, str] = ("--from", "--to")) -> None:
    """ValueError (in Japanese) when a period's end, as parse_date gave it, falls on a day before its start."""
    if start and end and end[:10] < start[:10]:
        raise ValueError(f"{names[1]} は {names[0]} と同じか、それより後の日付にしてください。")


def roster_changes(db: sqlite_utils.Database, contract: str, since: str | None = None, until: str | None = None,
                   viewer_id: str = people.CLI_ACTOR) -> list[dict]:
    """What changed on the contract's roster, in record order: joined, left, role, lead, name,
    start_date. `since`/`until`: dates (whole JST days, inclusive) or ISO datetimes."""
    _, changes = _walk(db, contract)
    lo, hi = _bound(since, False), _bound(until, True)
    out = [c for c in changes
           if (lo is None or workdays.parse(c["at"]) >= lo) and (hi is None or workdays.parse(c["at"]) < hi)]
    return _scoped(db, viewer_id, out)


def _who(db, uid: str | None) -> str:
    return f"{people.display_name(db, uid)}（{uid}）" if uid else "なし"


def change_sentence(db: sqlite_utils.Database, c: dict) -> str:
    who = f"{c['name']}さん（{c['user_id']}）"
    if c["kind"] == "joined":
        extra = [f"開始日: {workdays.format_date(c['start_date'])}"] if c.get("start_date") else []
        if c.get("lead_id") and c["role"] == "worker":
            extra.insert(0, f"作業責任者: {_who(db, c['lead_id'])}")
        return f"{who}が{people.ROLES[c['role']]}として加わりました" + (f"（{'、'.join(extra)}）" if extra else "")
    if c["kind"] == "left":
        return f"{who}（{people.ROLES[c['role']]}）が外れました（{LEFT_REASONS[c['reason']]}）"
    if c["kind"] == "role":
        return f"{who}の役割が{people.ROLES[c['before']]}から{people.ROLES[c['after']]}に変わりました"
    if c["kind"] == "lead":
        return f"{who}の作業責任者が{_who(db, c['before'])}から{_who(db, c['after'])}に変わりました"
    if c["kind"] == "name":
        return f"{c['user_id']} の氏名が「{c['before']}」から「{c['after']}」に変わりました"
    return (f"{who}の開始日が{workdays.format_date(c['before']) if c['before'] else '未設定'}から"
            f"{workdays.format_date(c['after']) if c['after'] else '未設定'}に変わりました")


def _actor(db, actor: str) -> str:
    return "管理者（サーバーのコマンド）" if actor == people.CLI_ACTOR else _who(db, actor)


def _rule_line(db, contract: str) -> str:
    cites = citations(db, ROSTER_CLAUSES, people.contract_docs(db, contract), about="roster")
    return f"根拠: {'、'.join(cites)}" if cites else ""


def changes_text(db: sqlite_utils.Database, contract: str, changes: list[dict], since: str | None,
                 until: str | None, note: str = "") -> str:
    span = "".join([f"{workdays.format_date(since) if since and len(since) == 10 else workdays.format_jst(since)} から"
                    if since else "", f"{workdays.format_date(until) if len(until) == 10 else workdays.format_jst(until)} まで"
                    if until else ""]) or "これまで"
    lines = [f"案件「{contract}」の名簿の変更（{span}）: {len(changes)} 件です。" if changes
             else f"案件「{contract}」の名簿に変更はありません（{span}）。"]
    for c in changes:
        lines.append(f"・{workdays.format_jst(c['at'])} 【{CHANGE_LABELS[c['kind']]}】{change_sentence(db, c)}"
                     f"（変更者: {_actor(db, c['actor'])}、経路: {c['via']}、記録: people #{c['record_id']}）")
    if note:
        lines.append(note)
    rule = _rule_line(db, contract)
    if rule:
        lines.append(f"従事者と責任者は名簿として届け出る決まりです（{rule}）。")
    return "\n".join(lines)


def roster_cells(r: dict) -> list[str]:
    return [r["name"], r["role_label"], r["contract"], r["lead_name"] or "",
            r["start"] or "", r["end"] or "", r["user_id"], r.get("email") or ""]


def roster_text(db: sqlite_utils.Database, contract: str, rows: list[dict], note: str = "") -> str:
    current = [r for r in rows if r["end"] is None]
    lines = [f"案件「{contract}」の名簿（現在 {len(current)} 名、過去の在籍を含め {len(rows)} 行）:"]
    for r in rows:
        cells = roster_cells(r)
        lines.append(f"・{cells[0]}（{r['user_id']}）{cells[1]} / 作業責任者: {cells[3] or '-'} / "
                     f"開始日: {workdays.format_date(r['start']) if r['start'] else '-'} / "
                     f"終了日: {workdays.format_date(r['end']) if r['end'] else '-'}")
    if not rows:
        lines.append("（名簿に載る方はいません）")
    if note:
        lines.append(note)
    rule = _rule_line(db, contract)
    if rule:
        lines.append(rule)
    return "\n".join(lines)


def write_roster(db: sqlite_utils.Database, contract: str, rows: list[dict], fmt: str, out: IO[bytes]) -> None:
    """The roster as a CSV (UTF-8 with BOM, for Excel) or an xlsx workbook (one sheet, 届出の形)."""
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(ROSTER_COLUMNS)
        for r in rows:
            w.writerow(office_text.csv_row(roster_cells(r)))     # a name typed 「=…」 stays a name in Excel
        out.write(buf.getvalue().encode("utf-8-sig"))
        return
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "名簿"
    workbook.append_row(ws, [f"作業従事者等名簿（{contract}）"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([f"作成日時: {workdays.format_jst(workdays.now())}（mamoru の登録記録から作成）"])
    rule = _rule_line(db, contract)
    ws.append([rule] if rule else [])
    ws.append([])
    ws.append(list(ROSTER_COLUMNS))
    header_row = ws.max_row
    for cell in ws[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
    for r in rows:
        cells = roster_cells(r)
        workbook.append_row(ws, [cells[0], cells[1], cells[2], cells[3],
                                 _dt.date.fromisoformat(r["start"]) if r["start"] else None,
                                 _dt.date.fromisoformat(r["end"]) if r["end"] else None, cells[6], cells[7]])
        for c in ws[ws.max_row][4:6]:
            c.number_format = "yyyy/mm/dd"
    for col, width in zip("ABCDEFGH", (16, 26, 14, 16, 13, 13, 16, 28)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    wb.save(out)


# ---- verification ---------------------------------------------------------------------------

def describe(db: sqlite_utils.Database, p: store.Problem) -> str:
    """One problem in Japanese: which record and what happened to it."""
    where = []
    if p.table:
        where.append(f"表 {p.table}")
    if p.row_id is not None:
        where.append(f"行ID {p.row_id}")
    if p.seq is not None:
        where.append(f"連番 {p.seq}")
    place = "、".join(where)
    d = p.detail
    what = {
        "wrong_key": (f"記録の連鎖の鍵（{d.get('key_path')}）が、この連鎖を封印した鍵と違います（鍵ID {d.get('key_id')}、"
                      f"連鎖の鍵ID {d.get('expected_key_id')}）。MAMORU_AUDIT_KEY で正しい鍵を指定してください"),
        "not_keyed": "記録の連鎖が鍵付きの形式に変換されていません",
        "source_changed": "記録が連鎖に登録された後に書き換えられています",
        "source_missing": "記録が削除されています",
        "hash_mismatch": "連鎖のハッシュが鍵で計算した値と一致しません。連鎖の記録が書き換えられたか、鍵を持たない者が作った記録です",
        "gap": f"連鎖の記録（連番 {d.get('missing_from')}〜{d.get('missing_to')}）が削除されています",
        "truncated": f"連鎖の末尾の記録（連番 {d.get('missing_from')}〜{d.get('missing_to')}）が削除されています",
        "witness_missing": (f"以前に確認した連鎖の先頭（連番 {p.seq}、{workdays.format_jst(d['at']) if d.get('at') else ''}）が"
                            "連鎖にありません。それ以降の記録が削除されたか、連鎖が作り直されています"),
        "unsealed": "mamoru が封印していない連鎖の記録があります（mamoru 以外の手段で挿入されています）",
        "duplicate": f"同じ記録が連鎖に二重に登録されています（最初の登録は連番 {d.get('first_seq')}）",
        "unknown_table": "連鎖の対象ではない表の記録が連鎖に挿入されています",
        "table_missing": "連鎖の対象の表そのものがありません",
        "unchained": "連鎖に登録されていない記録があります（トリガーを外して挿入されたか、連鎖の記録が削除されています）",
        "trigger_missing": "この表の記録を連鎖に登録するトリガーが削除または変更されています",
        "guard_missing": f"連鎖を守るトリガー（{d.get('trigger')}）が削除されています",
        "head_not_found": f"指定された先頭ハッシュ {d.get('hash', '')[:16]}… が連鎖にありません（その後に連鎖が作り直されています）",
        "block_changed": (f"連鎖のブロック（連番 {(d.get('seqs') or ['?'])[0]}〜{(d.get('seqs') or ['?', '?'])[1]}）の"
                          "鍵付きハッシュが、その記録と一致しません。個々の記録は正しいため、ブロックのハッシュ"
                          "（audit_blocks）が書き換えられています"),
        "purge_list_changed": ("削除の記録がありません。その削除の記録が対象としていた記録の一覧だけが残っています"
                               if d.get("record_missing") else
                               "削除の記録と、それが対象とする記録の一覧（件数・ハッシュ）が一致しません。削除の記録または"
                               "その一覧が書き換えられています"),
    }.get(p.kind, p.kind)
    if p.kind == "source_missing" and d.get("purge_id") is not None:
        what += (f"（削除の記録 行ID {d['purge_id']} が対象としていた記録ですが、その削除の記録が書き換えられているか"
                 "削除されているため、正しい削除とは確認できません）")
    if p.kind in ("gap", "truncated") and d.get("unchained_row"):
        u = d["unchained_row"]
        what += f"。連鎖から外れた記録: 表 {u['table']}、行ID {u['row_id']}"
    return f"{place}: {what}" if place else what


def verify_text(db: sqlite_utils.Database, v: store.Verification) -> str:
    cites = citations(db, AUDIT_CLAUSES, _all_contract_slugs(db), about="audit")
    rule = (f"記録は市の監査・検査に提示できるよう、改ざんされていないことを確認しています（根拠: {'、'.join(cites)}）。"
            if cites else "")
    head = (f"連鎖の先頭: 連番 {v.head['seq']}、ハッシュ {v.head['hash']}" if v.head else "連鎖はまだ空です。")
    per_table = "、".join(f"{t} {n} 件" for t, n in sorted(v.tables.items()) if n)
    if v.ok:
        lines = [f"記録の連鎖を確認しました。問題はありません（連鎖の記録 {v.length} 件）。", head]
        if per_table:
            lines.append(f"表ごとの記録: {per_table}")
        if v.witnessed:
            lines.append(f"以前に確認した先頭（連番 {v.witnessed['seq']}）も連鎖に含まれています。")
    else:
        first = v.first
        lines = [f"記録の連鎖に問題が見つかりました（{v.problem_count} 件）。",
                 f"最初に壊れている記録: {describe(db, first)}"]
        if len(v.problems) > 1:
            lines.append("ほかの問題:")
            lines += [f"・{describe(db, p)}" for p in v.problems[1:11]]
            if v.problem_count > 11:
                lines.append(f"・ほか {v.problem_count - 11} 件")
        lines.append(head)
        lines.append("データベースが書き換えられた可能性があります。バックアップと照合し、情報セキュリティ対策責任者に"
                     "報告してください。")
    lines += deletion_lines(db)
    if rule:
        lines.append(rule)
    return "\n".join(lines)


def deletion_lines(db: sqlite_utils.Database) -> list[str]:
    """Every deletion record, always shown: the rows a purge covers keep only their hashes, so a
    deletion record nobody remembers making is what an auditor should ask about (and compare with
    an earlier export or backup, which still holds those rows)."""
    recs = store.deletion_records(db)
    if not recs:
        return []
    lines = [f"削除の記録（案件終了時の個人の記録の削除）: {len(recs)} 件。覆われた行は削除され、鍵付きのハッシュのみ残っています。"
             "身に覚えのない削除の記録があれば、以前の書き出しやバックアップと照合してください。"]
    for r in recs:
        lines.append(f"・削除の記録 {r['id']}: {workdays.format_jst(r['at'])}、実施者 {r['actor_name']}、"
                     f"対象 {r['scope']}、{r['covered_count']} 行")
    return lines


def verify(db: sqlite_utils.Database, *, expect_head: str | None = None, seal: bool = True, witness: bool = True
           ) -> tuple[bool, str, store.Verification]:
    """Check everything in one snapshot, with the key; an intact head is witnessed outside the file
    (next to the key), so deleting the newest records later is seen. `seal` is kept for callers:
    mamoru seals its own records at COMMIT and nothing else."""
    from storage.auditkey import KeyError_

    try:
        v = store.verify(db, expect_head=expect_head)
    except KeyError_ as e:
        v = store.Verification(False, 0, 0, 0, None, {}, [store.Problem("wrong_key", detail={"message": str(e)})], 1)
        return False, f"記録の連鎖を確認できません: {e}", v
    if v.ok and witness:
        try:
            store.witness_head(db, "verify")
        except OSError:
            pass
    if v.ok and v.checked == "rows":
        try:   # checked row by row because block MACs were missing: add them, the next verify is fast
            if store.blocks_missing(db):
                store.complete_blocks(db)
        except (sqlite3.Error, KeyError_):   # a read-only copy, say: verify stays row by row
            pass
    return v.ok, verify_text(db, v), v


# ---- export for an auditor ------------------------------------------------------------------

EXPORT_HEADER = ("連番", "表", "行ID", "記録日時", "連鎖日時", "前のハッシュ", "内容のハッシュ", "ハッシュ", "内容")
HASH_RECIPE = ("HMAC-SHA256 with the deployment's audit key (MAMORU_AUDIT_KEY, never in the database): "
               "payload_hash = HMAC(key, 'row|{table}|{row_id}|' + payload as UTF-8); "
               "hash = HMAC(key, prev_hash bytes + payload_hash bytes + '|{seq}|{table}|{row_id}|{chained_at}' as UTF-8); "
               "shown in hex; prev_hash of the first record = 32 zero bytes. Check with `mamoru audit verify` where the key is")


def _when(value) -> _dt.datetime | None:
    """An aware datetime from a stored ISO 8601 text (no offset: Japan time); None if unreadable."""
    if not isinstance(value, str):
        return None
    try:
        t = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=workdays.JST)


def write_export(db: sqlite_utils.Database, out: IO[str], fmt: str, date_from: str | None, date_to: str | None,
                 viewer_id: str = people.CLI_ACTOR, verification: store.Verification | None = None) -> dict:
    """Every chained record of the period (by the record's own `at`) that the viewer may see, with
    its chain links, then a summary holding the chain's head hash. Returns the summary.

    jsonl: one {"type": "record", …} per line (`payload` is the record as JSON text, exactly as
    hashed; null for a purged record), the last line {"type": "manifest", …}.
    csv: EXPORT_HEADER columns; the last row's 連番 is 要約, its ハッシュ the head hash and its 内容 the
    manifest as JSON. Only rows up to the head taken at the start are written (a consistent cut).
    """
    s = access.scope(db, viewer_id)
    top = store.head(db)
    head_seq = top["seq"] if top else 0
    lo, hi = _bound(date_from, False), _bound(date_to, True)
    writer = csv.writer(out, lineterminator="\r\n") if fmt == "csv" else None
    if writer:
        writer.writerow(EXPORT_HEADER)
    count, last, tables = 0, None, {}
    for seq, table, row_id, payload, chained_at, p_hash, prev_hash, h, rec_at in store.rows_with_time(db, head_seq):
        t = _when(rec_at) or _when(chained_at)
        if t is not None and ((lo and t < lo) or (hi and t >= hi)):
            continue
        if not s.everyone:
            try:
                record = json.loads(payload) if payload else {}
            except ValueError:
                record = {}
            if not (access.record_subjects(record) & s.members):
                continue
        count += 1
        tables[table] = tables.get(table, 0) + 1
        last = {"seq": seq, "hash": h}
        shown_at = rec_at if isinstance(rec_at, str) else chained_at
        if writer:
            writer.writerow(office_text.csv_row([seq, table, row_id, shown_at, chained_at, prev_hash, p_hash, h,
                                                 payload]))   # never marked in practice: JSON, hex, ISO times
        else:
            out.write(json.dumps({"type": "record", "seq": seq, "table": table, "row_id": row_id,
                                  "record_at": shown_at, "chained_at": chained_at, "prev_hash": prev_hash,
                                  "payload_hash": p_hash, "hash": h, "payload": payload}, ensure_ascii=False) + "\n")
    manifest = {
        "type": "manifest", "generated_at": workdays.iso(), "from": date_from, "to": date_to,
        "timezone": "Asia/Tokyo", "records": count, "tables": tables,
        "scope": "all" if s.everyone else ("team" if s.role == "lead" else "self"), "viewer": viewer_id,
        "chain": {"length": head_seq, "head_seq": top["seq"] if top else None, "head_hash": top["hash"] if top else None,
                  "head_at": top["at"] if top else None},
        "last_in_range": last,
        "verified": verification.ok if verification else None,
        "problems": verification.problem_count if verification else None,
        "first_problem": verification.first.as_dict() if verification and verification.first else None,
        "hash_recipe": HASH_RECIPE,
    }
    if writer:
        writer.writerow(office_text.csv_row(["要約", "", "", manifest["generated_at"], "", "", "",
                                             manifest["chain"]["head_hash"] or "", json.dumps(manifest, ensure_ascii=False)]))
    else:
        out.write(json.dumps(manifest, ensure_ascii=False) + "\n")
    return manifest


def export_summary(db: sqlite_utils.Database, manifest: dict, where: str, note: str = "") -> str:
    span = f"{manifest['from'] or '最初'} 〜 {manifest['to'] or '現在'}"
    c = manifest["chain"]
    lines = [f"監査用の記録を書き出しました（{where}、期間 {span}、{manifest['records']} 件）。"]
    if c["head_hash"]:
        lines.append(f"連鎖の先頭: 連番 {c['head_seq']}、ハッシュ {c['head_hash']}")
        lines.append("この先頭ハッシュは控えておいてください。後日 `mamoru audit verify --head ハッシュ` で、"
                     "それ以降も記録が書き換えられていないことを確認できます。")
    if manifest["verified"] is False:
        lines.append(f"注意: 記録の連鎖に問題が {manifest['problems']} 件あります（`mamoru audit verify` で詳細を確認できます）。")
    if note:
        lines.append(note)
    cites = citations(db, AUDIT_CLAUSES, _all_contract_slugs(db), about="audit")
    if cites:
        lines.append(f"市の監査・検査に提示するための書き出しです（根拠: {'、'.join(cites)}）。")
    return "\n".join(lines)
