"""Roster in: a file with the columns of `mamoru export roster` (CSV or xlsx) becomes the roster.

The file is the roster as the officer wants it. Rows are matched to people by their Slack user id,
else by e-mail (a person already on record, else Slack's users.lookupByEmail through `lookup`).
For every contract named in the file (or given with `contracts=`):
  - a row without 終了日 puts the person on the contract with that name, role, lead and start date;
  - a person on the contract now who has no such row leaves it (an emptied 終了日 counts as a row).
Rows with 終了日 are past periods: read, checked, and change nothing. A row identical to what
`export roster` writes changes nothing, so export → edit → import changes only what was edited.

plan(db, rows, ...) -> Plan          (checks every row; nothing written)
apply(db, plan, actor, via, at)       (one transaction: all of it or none of it)
read_file(data, filename) -> rows     (CSV in UTF-8 or Shift_JIS, or the first sheet of an xlsx)
"""
from __future__ import annotations

import csv
import datetime as _dt
import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable

import sqlite_utils

from handlers import audit, contracts as contract_names, office_text, people, workdays
from storage import people as store

COLUMNS = audit.ROSTER_COLUMNS
NAME, ROLE, CONTRACT, LEAD, START, END, USER_ID, EMAIL = COLUMNS
REQUIRED = (NAME, ROLE, CONTRACT)
ROSTER_ROLES = {"officer", "lead", "worker"}
MAX_ROWS = 20_000


class ImportError_(ValueError):
    """The file as a whole cannot be read (no header, wrong format); the message says why."""


@dataclass
class Row:
    line: int          # the row number as Excel shows it (header included)
    cells: dict


@dataclass
class Entry:
    """One person as the file wants them (merged over their rows)."""
    user_id: str
    name: str
    role: str
    email: str | None
    lead_id: str | None
    contracts: dict[str, str]       # contract -> start date as written (may be "")
    lines: list[int] = field(default_factory=list)


@dataclass
class Change:
    kind: str            # "added" | "changed" | "removed"
    user_id: str
    name: str
    contract: str
    details: list[str] = field(default_factory=list)

    def line(self) -> str:
        label = {"added": "追加", "changed": "変更", "removed": "削除"}[self.kind]
        extra = f"（{'、'.join(self.details)}）" if self.details else ""
        return f"【{label}】{self.name}さん（{self.user_id}）案件「{self.contract}」{extra}"


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    entries: dict[str, Entry] = field(default_factory=dict)
    removals: dict[str, set[str]] = field(default_factory=dict)     # user_id -> contracts to leave
    unchanged: int = 0
    rows: int = 0

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    def summary(self) -> str:
        return (f"{self.rows} 行を確認しました: 追加 {self.count('added')} 件、変更 {self.count('changed')} 件、"
                f"削除 {self.count('removed')} 件、変更なし {self.unchanged} 件。")

    def lines_ja(self, limit: int = 200) -> list[str]:
        out = [self.summary()]
        if self.errors:
            out.append(f"取り込めない行が {len(self.errors)} 件あります（何も書き込んでいません）:")
            out += [f"・{e}" for e in self.errors[:limit]]
            if len(self.errors) > limit:
                out.append(f"・ほか {len(self.errors) - limit} 件")
        out += [f"・{c.line()}" for c in self.changes[:limit]]
        if len(self.changes) > limit:
            out.append(f"・ほか {len(self.changes) - limit} 件")
        out += self.notes
        return out


# ---- reading the file -----------------------------------------------------------------------

def _norm_header(v) -> str:
    t = unicodedata.normalize("NFKC", str(v or "")).strip()
    return re.sub(r"\s+", "", t).lower()


_HEADERS = {_norm_header(c): c for c in COLUMNS}
_HEADERS.update({_norm_header(k): v for k, v in {"ユーザーID": USER_ID, "SlackID": USER_ID, "user_id": USER_ID,
                                                   "メール": EMAIL, "email": EMAIL, "e-mail": EMAIL}.items()})


def _cell(v) -> str:
    if v is None:
        return ""
    if isinstance(v, _dt.datetime):
        return v.date().isoformat()
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _rows_from_table(table: list[list]) -> list[Row]:
    for i, raw in enumerate(table[:50]):
        heads = [_HEADERS.get(_norm_header(v)) for v in raw]
        if NAME in heads and ROLE in heads:
            break
    else:
        raise ImportError_("見出しの行（氏名・役割・所属案件…）が見つかりません。`mamoru export roster` で書き出した"
                           "ファイルの列の並びでご用意ください。")
    missing = [c for c in REQUIRED if c not in heads]
    if missing:
        raise ImportError_(f"列「{'、'.join(missing)}」がありません。")
    if USER_ID not in heads and EMAIL not in heads:
        raise ImportError_(f"列「{USER_ID}」か「{EMAIL}」のどちらかが必要です（どなたの行かを特定するため）。")
    out = []
    for j, raw in enumerate(table[i + 1:], start=i + 2):
        cells = {h: _cell(v) for h, v in zip(heads, raw) if h}
        if any(cells.values()):
            out.append(Row(j, cells))
    if len(out) > MAX_ROWS:
        raise ImportError_(f"行が多すぎます（{len(out)} 行、上限 {MAX_ROWS} 行）。ファイルを分けてください。")
    return out


def read_file(data: bytes, filename: str) -> list[Row]:
    """The data rows under the header row; ImportError_ (Japanese) when the file cannot be read."""
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as e:  # noqa: BLE001 - any unreadable workbook gets the same answer
            raise ImportError_(f"Excel ファイルとして読めません（{type(e).__name__}）。xlsx 形式で保存してください。") from None
        ws = wb.worksheets[0]
        return _rows_from_table([list(r) for r in ws.iter_rows(values_only=True)])
    for enc in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportError_("文字コードが読めません。UTF-8 か Shift_JIS の CSV で保存してください。")
    # what `export roster` marked as text (a name 「=…」 written 「'=…」) is read as the text itself
    return _rows_from_table([[office_text.csv_text(c) for c in r] for r in csv.reader(io.StringIO(text))])


# ---- checking --------------------------------------------------------------------------------

def _date(v: str) -> str | None:
    t = unicodedata.normalize("NFKC", v or "").strip()
    if not t:
        return ""
    m = (re.match(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\s+0?0:00(?::00)?)?$", t)
         or re.match(r"^(\d{4})年(\d{1,2})月(\d{1,2})日", t))
    if not m:
        return None
    try:
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        return None


def plan(db: sqlite_utils.Database, rows: list[Row], *, lookup: Callable[[str], str | None] | None = None,
         contracts: list[str] | None = None) -> Plan:
    """Check every row and work out what would change; nothing is written."""
    p = Plan(rows=len(rows))
    errs = p.errors
    everyone = {x["user_id"]: x for x in store.everyone(db)}
    by_email = {(x.get("email") or "").lower(): x["user_id"] for x in everyone.values() if x.get("email")}
    active_names: dict[str, list[str]] = {}
    for x in everyone.values():
        if x["active"]:
            active_names.setdefault(x["name"], []).append(x["user_id"])
    seen_contracts: dict[str, str] = {}
    resolved: list[tuple[Row, str, str, str, str | None, str, str, str]] = []
    ids_in_file: dict[str, str] = {}          # e-mail -> user id, for leads named by e-mail

    def contract_of(raw: str, line: int) -> str | None:
        n = contract_names.normalise(raw)
        if n in seen_contracts:
            return seen_contracts[n]
        if store.contract(db, n) is None:     # contracts come from `contract add` only, never from a file
            errs.append(f"{line} 行目: {contract_names.unknown_message(db, n)}")
            return None
        seen_contracts[n] = n
        return n

    for r in rows:
        c = r.cells
        bad = []
        name = people.normalise_name(c.get(NAME, ""))
        if not name:
            bad.append("氏名がありません")
        try:
            role = people._role(c.get(ROLE, "")) if c.get(ROLE) else None
            if role is None:
                bad.append("役割がありません")
            elif role not in ROSTER_ROLES:
                bad.append(f"役割「{c.get(ROLE)}」は名簿に載りません（作業従事者・作業責任者・情報セキュリティ対策責任者）")
        except people.UsageError as e:
            role = None
            bad.append(str(e).rstrip("。"))
        email = None
        if c.get(EMAIL):
            try:
                email = people._email(c[EMAIL])
            except people.UsageError as e:
                bad.append(str(e).rstrip("。"))
        uid = None
        if c.get(USER_ID):
            try:
                uid = people._user_id(c[USER_ID], "Slack ユーザーID")
            except people.UsageError as e:
                bad.append(str(e).rstrip("。"))
        elif email:
            uid = by_email.get(email)
            if uid is None and lookup is not None:
                try:
                    uid = lookup(email)
                except Exception as e:  # noqa: BLE001 - one failed lookup is one bad row
                    bad.append(f"メールアドレス {email} を Slack で確認できませんでした（{e}）")
                    uid = ""
                if uid is None:
                    bad.append(f"メールアドレス {email} の方が Slack のワークスペースに見つかりません")
            elif uid is None:
                bad.append(f"メールアドレス {email} の方は登録されていません（Slack につないだ状態で取り込むと Slack で"
                           "確認します。または Slack ユーザーID の列に ID を書いてください）")
        else:
            bad.append("Slack ユーザーIDもメールアドレスもありません")
        start = _date(c.get(START, ""))
        if start is None:
            bad.append(f"開始日「{c.get(START)}」は日付として読めません（例: 2026-12-01）")
        end = _date(c.get(END, ""))
        if end is None:
            bad.append(f"終了日「{c.get(END)}」は日付として読めません（例: 2026-12-31）")
        contract = contract_of(c.get(CONTRACT, ""), r.line) if c.get(CONTRACT) else None
        if not c.get(CONTRACT):
            bad.append("所属案件がありません")
        if bad:
            errs.append(f"{r.line} 行目（{name or '氏名なし'}）: " + "、".join(bad) + "。")
            continue
        if contract is None or not uid:
            continue
        if email:
            ids_in_file[email] = uid
        resolved.append((r, uid, name, role, email, contract, start or "", end or ""))

    # who is who in the file: names of leads, duplicates
    file_names: dict[str, set[str]] = {}
    for r, uid, name, role, *_ in resolved:
        file_names.setdefault(name, set()).add(uid)

    def lead_of(raw: str, line: int) -> str | None | bool:
        v = people.normalise_name(raw)
        if not v:
            return None
        if re.match(r"^<?@?[UW][A-Z0-9]{2,}>?$", v):
            return people._user_id(v)
        if "@" in v:
            try:
                e = people._email(v)
            except people.UsageError:
                e = v.lower()
            uid = ids_in_file.get(e) or by_email.get(e)
            if uid:
                return uid
            errs.append(f"{line} 行目: 作業責任者「{raw}」（メールアドレス）の方が見つかりません。")
            return False
        cands = set(file_names.get(v, set())) | set(active_names.get(v, []))
        if len(cands) == 1:
            return cands.pop()
        if not cands:
            errs.append(f"{line} 行目: 作業責任者「{raw}」という方は名簿にも登録にもありません（作業責任者の行を加えるか、"
                        "Slack ユーザーIDで書いてください）。")
        else:
            errs.append(f"{line} 行目: 作業責任者「{raw}」に当たる方が複数います（{'、'.join(sorted(cands))}）。"
                        "Slack ユーザーIDで書いてください。")
        return False

    seen_rows: dict[tuple[str, str], int] = {}
    for r, uid, name, role, email, contract, start, end in resolved:
        lead = lead_of(r.cells.get(LEAD, ""), r.line) if role == "worker" else None
        if lead is False:
            continue
        if lead == uid:
            errs.append(f"{r.line} 行目（{name}）: ご本人を自分の作業責任者にはできません。")
            continue
        if end:
            if start and end < start:
                errs.append(f"{r.line} 行目（{name}）: 終了日が開始日より前です。")
            continue            # a past period: it changes nothing
        key = (uid, contract)
        if key in seen_rows:
            errs.append(f"{r.line} 行目（{name}）: {seen_rows[key]} 行目と同じ方・同じ案件の行が重複しています"
                        f"（{uid}、{contract}）。")
            continue
        seen_rows[key] = r.line
        e = p.entries.get(uid)
        if e is None:
            p.entries[uid] = Entry(uid, name, role, email, lead, {contract: start}, [r.line])
            continue
        differ = [what for what, a, b in (("氏名", e.name, name), ("役割", e.role, role), ("作業責任者", e.lead_id, lead),
                                           ("メールアドレス", e.email, email)) if a != b]
        if differ:
            errs.append(f"{r.line} 行目（{name}）: {e.lines[0]} 行目と同じ方（{uid}）ですが、{'・'.join(differ)}が"
                        "食い違っています。")
            continue
        e.contracts[contract] = start
        e.lines.append(r.line)
    emails: dict[str, str] = {}
    for e in p.entries.values():
        if e.email:
            other = emails.setdefault(e.email, e.user_id)
            if other != e.user_id:
                errs.append(f"{e.lines[0]} 行目: メールアドレス {e.email} が別の方（{other}）と重複しています。")
            owner = by_email.get(e.email)
            if owner and owner != e.user_id:
                errs.append(f"{e.lines[0]} 行目: メールアドレス {e.email} は既に {owner} の方に登録されています。")
    scope = list(dict.fromkeys([*(contract_names.normalise(c) for c in (contracts or [])), *seen_contracts.values()]))
    errs += _lead_errors(p, everyone, scope)
    errs += _team_errors(p, everyone, scope)
    if errs:
        return p

    # what changes: each contract in scope, compared with the roster as `export roster` writes it
    for contract in scope:
        current = {r["user_id"]: r for r in audit.roster(db, contract) if r["end"] is None} \
            if store.contract(db, contract) else {}
        for uid, e in p.entries.items():
            if contract not in e.contracts:
                continue
            now = current.get(uid)
            if now is None:
                p.changes.append(Change("added", uid, e.name, contract, [people.ROLES[e.role]]))
                continue
            details = []
            if now["name"] != e.name:
                details.append(f"氏名: {now['name']} → {e.name}")
            if now["role"] != e.role:
                details.append(f"役割: {people.ROLES[now['role']]} → {people.ROLES[e.role]}")
            if e.role == "worker" and (now.get("lead_id") or None) != e.lead_id:
                details.append(f"作業責任者: {people.display_name(db, now.get('lead_id')) if now.get('lead_id') else 'なし'}"
                               f" → {_lead_label(db, p, e.lead_id)}")
            want = e.contracts[contract]
            if want and want != now["start"]:
                details.append(f"開始日: {now['start'] or '未設定'} → {want}")
            if (now.get("email") or None) != e.email and e.email:
                details.append(f"メールアドレス: {now.get('email') or 'なし'} → {e.email}")
            if details:
                p.changes.append(Change("changed", uid, e.name, contract, details))
            else:
                p.unchanged += 1
        for uid, now in current.items():
            if uid in p.entries and contract in p.entries[uid].contracts:
                continue
            person = everyone.get(uid)
            if person and person["role"] == "officer" and not person["contracts"]:
                p.notes.append(f"{now['name']}さん（{uid}）はすべての案件の情報セキュリティ対策責任者として登録されているため、"
                               f"案件「{contract}」の名簿から外していません（`users add {uid} --role …` で変更できます）。")
                continue
            p.removals.setdefault(uid, set()).add(contract)
            p.changes.append(Change("removed", uid, now["name"], contract))
    for lead in {e.lead_id for e in p.entries.values() if e.lead_id}:
        if lead not in p.entries and not people.get_person(db, lead):
            p.notes.append(f"作業責任者 {lead} はまだ登録されていません（作業責任者の行を加えるか `users add {lead}` で"
                           "登録してください）。")
    return p


def _after(p: Plan, everyone: dict[str, dict], scope: list[str], uid: str) -> dict | None:
    """A person as the import leaves them: their rows in the file for the contracts in scope, their
    record for the other contracts; None when neither knows them."""
    e, old = p.entries.get(uid), everyone.get(uid)
    old = old if old and old["active"] else None
    if e is None and old is None:
        return None
    kept = [c for c in (old["contracts"] if old else []) if c not in scope]
    return {"user_id": uid, "name": e.name if e else old["name"], "role": e.role if e else old["role"],
            "contracts": kept + [c for c in (e.contracts if e else {}) if c not in kept]}


def _lead_errors(p: Plan, everyone: dict[str, dict], scope: list[str]) -> list[str]:
    """A worker whose lead would be on none of their contracts after the import, as `users add`
    refuses it (people.other_contract_lead): the lead would receive another contract's information."""
    out = []
    for e in p.entries.values():
        if e.role == "worker" and e.lead_id:
            why = people.other_contract_lead(_after(p, everyone, scope, e.lead_id),
                                             _after(p, everyone, scope, e.user_id)["contracts"])
            if why:
                out.append(f"{e.lines[0]} 行目（{e.name}）: {why}")
    return out


def _team_errors(p: Plan, everyone: dict[str, dict], scope: list[str]) -> list[str]:
    """A lead the import moves apart from people who keep naming them (people.team_left_apart's rule):
    the lead moved or dropped from the shared contract, or the person kept only on contracts out of
    the file's scope. Named once per lead; a worker's own row with a lead of another contract is
    _lead_errors' to name, and a pair already apart before the import is left as it is."""
    teams: dict[str, list[dict]] = {}
    for uid, old in everyone.items():
        e = p.entries.get(uid)
        if not old["active"] or not old["lead_id"] or (e and e.role == "worker" and e.lead_id != old["lead_id"]):
            continue        # a new lead is _lead_errors' check
        lead, person = _after(p, everyone, scope, old["lead_id"]), _after(p, everyone, scope, uid)
        before = everyone.get(old["lead_id"])
        if (people.lead_apart(lead, person["contracts"])
                and not people.lead_apart(before if before and before["active"] else None, old["contracts"])
                and not (e and e.role == "worker" and people.other_contract_lead(lead, person["contracts"]))):
            teams.setdefault(lead["user_id"], []).append(person)
    out = []
    for lead_id, team in teams.items():
        lead, e = _after(p, everyone, scope, lead_id), p.entries.get(lead_id)
        where = f"{e.lines[0]} 行目（{e.name}）: " if e else ""
        out.append(where + people.apart_text(lead, team) + "取り込めません。先にこれらの方に、ご本人と同じ案件の作業責任者を"
                   "指定してください（ファイルの作業責任者の列、または `users add ユーザーID --lead 作業責任者のユーザーID`）。")
    return out


def _lead_label(db, p: Plan, uid: str | None) -> str:
    if not uid:
        return "なし"
    e = p.entries.get(uid)
    return e.name if e else people.display_name(db, uid)


# ---- writing ---------------------------------------------------------------------------------

def apply(db: sqlite_utils.Database, p: Plan, *, actor: str, via: str, at: str | None = None) -> int:
    """Write the plan in one transaction; returns the number of people records written."""
    if p.errors:
        raise ValueError("a plan with errors cannot be applied")
    at = at or workdays.iso()
    touched = {c.user_id for c in p.changes}
    written = 0
    with store.transaction(db):
        # leads first, so a worker's lead is on record before the worker names them
        order = sorted(touched, key=lambda u: (0 if u in p.entries and p.entries[u].role != "worker" else 1, u))
        for uid in order:
            old = store.current(db, uid)
            e = p.entries.get(uid)
            contracts = list(old["contracts"]) if old and old["active"] else []
            contracts = [c for c in contracts if c not in p.removals.get(uid, set())]
            global_officer = bool(old and old["active"] and old["role"] == "officer" and not old["contracts"])
            if e and not (global_officer and e.role == "officer"):   # the officer of every contract stays so
                contracts += [c for c in e.contracts if c not in contracts]
            if e is None:
                leaving_all = not contracts and old["role"] in ("worker", "lead")
                store.append(db, user_id=uid, change="remove" if leaving_all else "import", name=old["name"],
                             role=old["role"], contracts=contracts, lead_id=old["lead_id"],
                             start_date=old["start_date"], days_off=old["days_off"], active=not leaving_all,
                             actor=actor, via=via, at=at)
                written += 1
                continue
            store.append(db, user_id=uid, change="import" if old and old["active"] else "add", name=e.name,
                         role=e.role, contracts=contracts, lead_id=e.lead_id if e.role == "worker" else
                         (old["lead_id"] if old else None), start_date=_start_for(db, uid, e, p, old),
                         days_off=old["days_off"] if old else [], active=True, actor=actor, via=via, at=at,
                         email=e.email if e.email else (old.get("email") if old else None))
            written += 1
    return written


def _start_for(db, uid: str, e: Entry, p: Plan, old: dict | None) -> str | None:
    """The start date to record: the one the file changed or gave for a contract the person joins,
    else the one on record (a start the roster only showed as the joining day is left unset)."""
    for ch in p.changes:
        if ch.user_id == uid and ch.kind in ("added", "changed") and e.contracts.get(ch.contract):
            if ch.kind == "added" or any(d.startswith("開始日") for d in ch.details):
                return e.contracts[ch.contract]
    return old["start_date"] if old else None
