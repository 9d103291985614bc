"""People, roles and contracts: who may do what, and how someone gets registered.

Roles: worker (作業従事者), lead (作業責任者), officer (情報セキュリティ対策責任者), admin (管理者).
Only registered (active) people may take part in checklists, training and incidents; anyone
may ask rule questions. The roster is append-only (storage/people.py): every change is a new
record saying who changed what, when and from where.

Public API (all Slack-agnostic):
    get_person(db, user_id) -> dict | None
    is_registered_worker(db, user_id) -> bool
    contract_sources(db, user_id) -> str | None          # for handlers.ask.answer(prefer=...)
    contract_slugs(db, user_id) -> list[str]
    lead_apart(lead, contracts) -> bool                  # the lead shares none of the contracts (officers, admins never)
    other_contract_lead(lead, contracts) -> str | None   # why a lead of another contract cannot be named
    team_left_apart(db, person_after) -> str | None      # why a lead cannot move away from their workers
    users_command(db, actor_id, argv, via) -> Reply       # `users add|list|remove|contract`
    run_users(db, actor_id, argv, via) -> tuple[int, Reply]   # same, with an exit status for the CLI
    require_worker(db, user_id) -> Reply | None
    registration_info(db, user_id, opening=...) -> Reply   # the same, for App Home
    request_registration(db, user_id, name, *, via="slack_button") -> (Reply, [Outgoing])
    approve(db, actor_id, user_id, via) -> (Reply, [Outgoing])
    change_days_off(db, actor_id, user_id, add=…, remove=…, via=…) -> (added, removed, row id)

The actor "cli" (the `mamoru` command on the server) is trusted as an admin; that is how the
first admin is registered.
"""
from __future__ import annotations

import datetime as _dt
import json
import re
import shlex
import unicodedata

import sqlite_utils

from handlers import workdays
from handlers.replies import Button, Outgoing, Reply
from storage import people as store

ROLES = {"worker": "作業従事者", "lead": "作業責任者", "officer": "情報セキュリティ対策責任者", "admin": "管理者"}
ROLE_ALIASES = {"作業従事者": "worker", "業務従事者": "worker", "従事者": "worker", "作業責任者": "lead",
                "業務責任者": "lead", "リーダー": "lead", "情報セキュリティ対策責任者": "officer",
                "セキュリティ責任者": "officer", "管理者": "admin"}
APPROVERS = ("lead", "officer", "admin")
VIAS = ("slack_button", "slack_command", "slack_dm", "slack_mention", "terminal", "cli", "scheduler")
# How each `via` reads in exports a person looks at (checklist and training records).
VIA_LABELS = {"slack_button": "Slack のボタン", "slack_command": "Slack の /mamoru", "slack_dm": "Slack の DM",
              "slack_mention": "Slack のメンション", "terminal": "端末チャット", "cli": "コマンドライン",
              "scheduler": "スケジューラ"}
CLI_ACTOR = "cli"

ACTION_REQUEST = "people_request_registration"
ACTION_APPROVE = "people_approve"
ACTION_ADD_OPEN = "people_add_open"     # opens the add-a-person form (Slack) from Home or /mamoru users

# Used to cite the rule behind "registered workers only" from the person's own contract.
REGISTRATION_RULE_QUERY = "情報の取扱いは作業従事者に限定する"

_USER_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_MENTION = re.compile(r"^<?@([A-Za-z0-9][A-Za-z0-9_.-]*)(?:\|[^>]*)?>?$")

USAGE = (
    "使い方:\n"
    "  users add ユーザーID --name 氏名 [--role worker|lead|officer|admin] [--contract 案件名]"
    " [--lead 作業責任者のユーザーID] [--start-date YYYY-MM-DD] [--days-off YYYY-MM-DD,YYYY-MM-DD] [--email アドレス]\n"
    "  users list [--json] [--all]\n"
    "  users remove ユーザーID\n"
    "  users import ファイル [--dry-run]（サーバーの mamoru コマンドのみ。名簿の書き出しと同じ列の xlsx / CSV）\n"
    "  users contract 案件名 [--municipality 自治体名] [--doc 文書スラッグ]…（案件の登録・変更）\n"
    "例: users add U0123ABCD --name 山田太郎 --role worker --contract 吉川市 --lead U0999ZZZZ --start-date 2026-12-01\n"
    "役割: worker＝作業従事者、lead＝作業責任者、officer＝情報セキュリティ対策責任者、admin＝管理者"
)


def _at(now: _dt.datetime | None = None) -> str:
    return workdays.iso(now)


def _via(via: str) -> str:
    return via if via in VIAS else "cli"


# ---- who is who ----------------------------------------------------------------------------

def get_person(db: sqlite_utils.Database, user_id: str) -> dict | None:
    """The registered (active) person, or None. Keys: user_id, name, role, role_label, contracts,
    lead_id, start_date, days_off, active, at (last change), actor, via, change."""
    p = store.current(db, user_id) if user_id else None
    if not p or not p["active"]:
        return None
    p["role_label"] = ROLES[p["role"]]
    return p


def is_registered_worker(db: sqlite_utils.Database, user_id: str) -> bool:
    """Registered and not removed, whatever the role (leads and officers also handle information)."""
    return get_person(db, user_id) is not None


def display_name(db: sqlite_utils.Database, user_id: str | None) -> str:
    """A person's name for messages: the registered name, else the user id."""
    if not user_id:
        return "-"
    p = store.current(db, user_id)
    return p["name"] if p else user_id


def contract_docs(db: sqlite_utils.Database, name: str) -> list[str]:
    """The document slugs that bind a contract: its own list, else documents of its municipality.
    A record's earlier name (before a rename) gives the documents of the contract it became."""
    c = store.contract(db, name)
    if c is None and name and store.in_renames(db, name):
        new = store.renamed_to(db, name)
        c = store.contract(db, new) if new else None
    if c and c["doc_slugs"]:
        return list(c["doc_slugs"])
    from knowledge import library

    return library.resolve_source(db, (c and c["municipality"]) or name) or []


def contract_slugs(db: sqlite_utils.Database, user_id: str) -> list[str]:
    """Every document slug binding any of the person's contracts (in contract order)."""
    p = get_person(db, user_id)
    out: list[str] = []
    for name in (p["contracts"] if p else []):
        out.extend(s for s in contract_docs(db, name) if s not in out)
    return out


def contract_sources(db: sqlite_utils.Database, user_id: str) -> str | None:
    """What `handlers.ask.answer(prefer=...)` should get for this person, or None.

    One contract without its own document list gives its municipality (resolve_source matches
    it exactly); otherwise the slugs, comma-separated when there are several.
    """
    p = get_person(db, user_id)
    if not p or not p["contracts"]:
        return None
    if len(p["contracts"]) == 1:
        c = store.contract(db, p["contracts"][0])
        if not (c and c["doc_slugs"]):
            return (c and c["municipality"]) or p["contracts"][0]
    slugs = contract_slugs(db, user_id)
    return ",".join(slugs) if slugs else None


def lead_apart(lead: dict | None, contracts: list[str]) -> bool:
    """`lead` shares none of `contracts`. Officers and admins oversee every contract; a lead or a
    worker with no contract has no other one."""
    if not lead or lead["role"] in ("officer", "admin") or not lead["contracts"] or not contracts:
        return False
    return not set(lead["contracts"]) & set(contracts)


def other_contract_lead(lead: dict | None, contracts: list[str]) -> str | None:
    """Why `lead` (a person: user_id, name, role, contracts) cannot be the lead of someone on
    `contracts`, or None. A lead receives their workers' reasons, questions and incident alerts: a
    作業責任者 on none of the worker's contracts would receive another contract's information. Whatever
    their role: incident alerts go to whoever is named (incident/common.leads_of), a worker too. Officers
    and admins oversee every contract; a lead or a worker with no contract has no other one."""
    if not lead_apart(lead, contracts):
        return None
    return (f"{lead['name']}さん（{lead['user_id']}）は別の案件（{'、'.join(lead['contracts'])}）の{ROLES[lead['role']]}のため、"
            f"案件「{'、'.join(contracts)}」の方の作業責任者にはできません。作業責任者には担当する方のチェックリストの"
            "理由・質問・事故の報告が届くため、ほかの案件の方を担当することはできません。同じ案件の作業責任者を指定してください。")


def team_left_apart(db: sqlite_utils.Database, after: dict) -> str | None:
    """Why a person cannot be changed to `after` (user_id, name, role, contracts), or None: the active
    people who name them as lead and whom the change would leave with a lead on none of their
    contracts (the reverse of other_contract_lead). Whatever role the change gives (a lead made a
    worker still gets the incident alerts of those who name them), officers and admins excepted.
    Only those the change moves apart are named: an older database's pair already apart is left."""
    before = get_person(db, after["user_id"])
    team = [w for w in store.active(db, lead_id=after["user_id"]) if w["user_id"] != after["user_id"]
            and lead_apart(after, w["contracts"]) and not lead_apart(before, w["contracts"])]
    if not team:
        return None
    return (apart_text(after, team) + "この変更は行っていません（何も記録していません）。先にこれらの方に、"
            f"ご本人と同じ案件の作業責任者を指定してください（例: `users add {team[0]['user_id']} --lead 作業責任者のユーザーID`）。")


def leads_apart(db: sqlite_utils.Database) -> list[tuple[dict, dict]]:
    """(worker, lead) for every active person whose active lead is on none of their contracts: pairs an
    older database holds from before leads were checked (`mamoru doctor` lists them)."""
    active = {p["user_id"]: p for p in store.active(db)}     # one query: a removed lead receives nothing
    return [(w, active[w["lead_id"]]) for w in active.values() if w["lead_id"] in active
            and w["lead_id"] != w["user_id"] and lead_apart(active[w["lead_id"]], w["contracts"])]


def apart_text(lead: dict, team: list[dict]) -> str:
    """The people `team` whose lead `lead` (as changed) would be on none of their contracts, and why it matters."""
    names = "、".join(f"{w['name']}さん（{w['user_id']}、{'、'.join(w['contracts'])}）" for w in team)
    return (f"変更後は、次の方の作業責任者である{lead['name']}さん（{lead['user_id']}、案件「{'、'.join(lead['contracts'])}」）が"
            f"ご本人と同じ案件にいなくなります: {names}。作業責任者には担当する方のチェックリストの理由・質問・事故の報告が届くため、")


def _can_administer(db: sqlite_utils.Database, actor_id: str) -> bool:
    if actor_id == CLI_ACTOR:
        return True
    p = get_person(db, actor_id)
    return bool(p and p["role"] == "admin")


def _approvers(db: sqlite_utils.Database) -> list[str]:
    """Officers, else admins: who hears about things nobody's lead can take."""
    ids = [p["user_id"] for p in store.active(db, role="officer")]
    return ids or [p["user_id"] for p in store.active(db, role="admin")]


def _rule_citation(db: sqlite_utils.Database, user_id: str) -> str | None:
    """The clause saying only registered workers may handle the information: from the person's
    own contract documents when known (even a past registration's), else from any document.
    A hit counts only if its text names 従事者; None when nothing fits or no document is loaded."""
    from handlers import ask

    p = store.current(db, user_id)
    slugs: list[str] = []
    for name in (p["contracts"] if p else []):
        slugs.extend(s for s in contract_docs(db, name) if s not in slugs)
    for source in [*slugs, None]:
        a = ask.answer(db, REGISTRATION_RULE_QUERY, source=source, top=1)
        if a.found and a.best and "従事者" in a.best.text:
            return a.best.citation
    return None


# ---- users command --------------------------------------------------------------------------

class UsageError(ValueError):
    pass


class HelpRequested(UsageError):
    pass


class Refusal(UsageError):
    """Well-formed but refused (an unknown contract): the reason alone, without the usage."""


_SPEC: dict[str, dict] = {
    "add": {"args": ["user_id"], "values": {"--name", "--role", "--lead", "--start-date", "--days-off", "--email"},
            "lists": {"--contract"}, "flags": set()},
    "list": {"args": [], "values": set(), "lists": set(), "flags": {"--json", "--all"}},
    "remove": {"args": ["user_id"], "values": set(), "lists": set(), "flags": set()},
    "contract": {"args": ["name"], "values": {"--municipality"}, "lists": {"--doc"}, "flags": set()},
}
_ARG_LABEL = {"user_id": "ユーザーID", "name": "案件名"}


def _norm_option(tok: str) -> str:
    """Options as typed in Slack: full-width dashes, an em dash from autocorrect (—name)."""
    t = unicodedata.normalize("NFKC", tok)
    m = re.match(r"^(?:--|—|–|ー{2}|‐‐|−−)([A-Za-z][A-Za-z-]*)(=.*)?$", t)
    return f"--{m.group(1).lower()}{m.group(2) or ''}" if m else tok


def parse_users_argv(argv: list[str]) -> tuple[str, dict]:
    """(subcommand, options) from `users …` words; UsageError with a Japanese reason otherwise."""
    if len(argv) == 1 and " " in argv[0].strip():
        try:
            argv = shlex.split(argv[0])
        except ValueError:
            raise UsageError("引用符（\" や '）の対応が取れていません。")
    if not argv:
        raise UsageError("")
    if argv[0] in ("help", "-h", "--help", "ヘルプ"):
        raise HelpRequested("")
    cmd = argv[0].lower()
    if cmd not in _SPEC:
        raise UsageError(f"「{argv[0]}」というサブコマンドはありません（add、list、remove、contract のいずれかです）。")
    spec = _SPEC[cmd]
    opts: dict = {k: None for k in spec["values"]} | {k: [] for k in spec["lists"]} | {k: False for k in spec["flags"]}
    pos: list[str] = []
    words = [_norm_option(w) for w in argv[1:]]
    i = 0
    while i < len(words):
        w = words[i]
        if w.startswith("--"):
            name, eq, inline = w.partition("=")
            if name in ("--help", "-h"):
                raise HelpRequested("")
            if name in spec["flags"]:
                if eq:
                    raise UsageError(f"「{name}」には値を付けられません。")
                opts[name] = True
                i += 1
                continue
            if name not in spec["values"] and name not in spec["lists"]:
                raise UsageError(f"「{name}」は users {cmd} では使えないオプションです。")
            if eq:
                values, i = [inline], i + 1
            else:
                j = i + 1
                # A name typed without quotes may hold a space: take words up to the next option.
                while j < len(words) and not words[j].startswith("--") and (j == i + 1 or name == "--name"):
                    j += 1
                values, i = words[i + 1:j], j
            if not values or not "".join(values).strip():
                raise UsageError(f"「{name}」の後に値を指定してください。")
            value = " ".join(values).strip()
            if name in spec["lists"]:
                opts[name].extend(v.strip() for v in re.split(r"[,、，]", value) if v.strip())
            elif opts[name] is not None and opts[name] != value:
                raise UsageError(f"「{name}」が二回指定されています。")
            else:
                opts[name] = value
            continue
        pos.append(w)
        i += 1
    need = spec["args"]
    if len(pos) < len(need):
        raise UsageError(f"{_ARG_LABEL[need[len(pos)]]}を指定してください。")
    if len(pos) > len(need):
        raise UsageError(f"余分な引数「{' '.join(pos[len(need):])}」があります。")
    for k, v in zip(need, pos):
        opts[k] = v
    return cmd, opts


def normalise_name(value: str) -> str:
    """A person's name as the roster shows it: NFKC (ﾀﾅｶ ｹﾝﾀ → タナカ ケンタ, full-width letters and
    spaces folded), runs of spaces made one."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", value or "")).strip()


_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


def _email(value: str) -> str:
    v = unicodedata.normalize("NFKC", value or "").strip()
    m = re.match(r"^<mailto:([^|>]+)(?:\|[^>]*)?>$", v)    # Slack links a typed address
    v = (m.group(1) if m else v).strip()
    if not _EMAIL.match(v):
        raise UsageError(f"メールアドレス「{value}」の形式が正しくありません（例: yamada@example.jp）。")
    return v.lower()


def _user_id(value: str, what: str = "ユーザーID") -> str:
    m = _MENTION.match(value.strip())
    uid = m.group(1) if m else value.strip()
    if not _USER_ID.match(uid):
        raise UsageError(f"{what}「{value}」の形式が正しくありません（例: U0123ABCD）。")
    return uid


def _date(value: str, what: str) -> str:
    v = unicodedata.normalize("NFKC", value).strip().replace("/", "-").replace(".", "-")
    m = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", v) or re.match(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$", v)
    try:
        if not m:
            raise ValueError
        return _dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
    except ValueError:
        raise UsageError(f"{what}「{value}」は日付として読めません（例: 2026-12-01）。")


def _role(value: str) -> str:
    v = unicodedata.normalize("NFKC", value).strip()
    role = ROLE_ALIASES.get(v, v.lower())
    if role not in ROLES:
        raise UsageError(f"役割「{value}」はありません（worker、lead、officer、admin のいずれかです）。")
    return role


def _person_line(db: sqlite_utils.Database, p: dict) -> str:
    parts = [f"{p['user_id']} {p['name']}（{ROLES[p['role']]}）"]
    parts.append(f"案件: {'、'.join(p['contracts']) or '未設定'}")
    if p["lead_id"]:
        parts.append(f"作業責任者: {display_name(db, p['lead_id'])}（{p['lead_id']}）")
    if p["start_date"]:
        parts.append(f"開始日: {workdays.format_date(p['start_date'])}")
    if p["days_off"]:
        parts.append(f"休み: {'、'.join(workdays.format_date(d) for d in p['days_off'])}")
    if not p["active"]:
        parts.append("登録解除済み")
    return " / ".join(parts)


def person_json(p: dict) -> dict:
    return {"user_id": p["user_id"], "name": p["name"], "email": p.get("email"), "role": p["role"],
            "contracts": p["contracts"],
            "lead_id": p["lead_id"], "start_date": p["start_date"], "days_off": p["days_off"],
            "active": bool(p["active"]), "updated_at": p["at"], "updated_by": p["actor"], "via": p["via"]}


def docs_note(db, name: str) -> str:
    from storage import kb as kb_store

    slugs = contract_docs(db, name)
    if not slugs:
        return (f"案件「{name}」に対応する文書はまだ読み込まれていません（`mamoru kb add` で自治体名「{name}」の文書を"
                f"読み込むと対象になります）。")
    titles = []
    for s in slugs:
        d = kb_store.document(db, s)
        titles.append(f"{d['municipality'] + ' ' if d and d['municipality'] else ''}{d['title'] if d else s}")
    return f"案件「{name}」の対象文書: {'、'.join(titles)}。"


def _cmd_add(db, actor: str, o: dict, via: str, at: str) -> tuple[int, Reply]:
    uid = _user_id(o["user_id"])
    old = store.current(db, uid)
    prev = old if old and old["active"] else None
    name = normalise_name(o["--name"] or "") or (old["name"] if old else "")
    if not name:
        raise UsageError("新しく登録する方の氏名を --name で指定してください。")
    role = _role(o["--role"]) if o["--role"] else (prev["role"] if prev else "worker")
    lead = _user_id(o["--lead"], "作業責任者のユーザーID") if o["--lead"] else (old["lead_id"] if old else None)
    if lead == uid:
        raise UsageError("ご本人を自分の作業責任者にはできません。")
    start = _date(o["--start-date"], "開始日") if o["--start-date"] else (old["start_date"] if old else None)
    days_off = ([_date(d, "休みの日") for d in re.split(r"[,、，]", o["--days-off"]) if d.strip()]
                if o["--days-off"] else (old["days_off"] if old else []))
    email = _email(o["--email"]) if o.get("--email") else (old.get("email") if old else None)
    from handlers import contracts as contract_names

    notes = []
    with store.transaction(db):
        contracts = []
        for c in (list(dict.fromkeys(o["--contract"])) or (old["contracts"] if old else [])):
            try:
                contracts.append(contract_names.known(db, c))
            except contract_names.UnknownContract as e:
                raise Refusal(str(e)) from None
        why = other_contract_lead(get_person(db, lead) if lead else None, contracts)
        if why:     # also a worker moved to another contract who would keep the old contract's lead
            raise Refusal(why)
        why = team_left_apart(db, {"user_id": uid, "name": name, "role": role, "contracts": contracts})
        if why:     # a lead moved to another contract while their workers stay on this one
            raise Refusal(why)
        store.append(db, user_id=uid, change="update" if prev else "add", name=name, role=role, contracts=contracts,
                     lead_id=lead, start_date=start, days_off=sorted(set(days_off)), active=True, actor=actor,
                     via=via, at=at, email=email)
    for c in contracts:
        notes.append(docs_note(db, c))
    lp = get_person(db, lead) if lead else None
    if lead and not lp:
        notes.append(f"作業責任者 {lead} はまだ登録されていません。`users add {lead} --name 氏名 --role lead` で"
                     f"登録してください。")
    elif lp and lp["role"] not in APPROVERS:
        notes.append(f"{lp['name']}さん（{lead}）の役割は{ROLES[lp['role']]}です。作業責任者として質問の回答や承認を"
                     f"お願いする場合は `users add {lead} --role lead` で役割を変更してください。")
    p = store.current(db, uid)
    head = "登録内容を更新しました" if prev else "登録しました"
    return 0, Reply("\n".join([f"{head}: {_person_line(db, p)}", *notes]), ephemeral=True)


def change_days_off(db: sqlite_utils.Database, actor_id: str, user_id: str, *, add=(), remove=(), via: str,
                    now: _dt.datetime | None = None) -> tuple[list[str], list[str], int | None]:
    """Add and remove days off (ISO dates) on a person's record, as `users add --days-off` does: a
    new roster row (change "days_off") with who changed it, from where and when, everything else
    kept. Returns (added, removed, the new row's id); nothing is written when nothing changes
    (a repeated message records nothing twice)."""
    with store.transaction(db):
        p = store.current(db, user_id)
        if not p or not p["active"]:
            return [], [], None
        before = set(p["days_off"] or [])
        added = sorted(set(add) - before)
        removed = sorted(set(remove) & before)
        if not added and not removed:
            return [], [], None
        rid = store.append(db, user_id=user_id, change="days_off", name=p["name"], role=p["role"],
                           contracts=p["contracts"], lead_id=p["lead_id"], start_date=p["start_date"],
                           days_off=sorted((before | set(added)) - set(removed)), active=True, actor=actor_id,
                           via=_via(via), at=_at(now))
    return added, removed, rid


def _cmd_list(db, o: dict) -> tuple[int, Reply]:
    rows = store.everyone(db) if o["--all"] else store.active(db)
    if o["--json"]:
        return 0, Reply(json.dumps([person_json(p) for p in rows], ensure_ascii=False, indent=2), ephemeral=True)
    if not rows:
        return 0, Reply("登録されている方はまだいません。`users add ユーザーID --name 氏名` で登録できます。", ephemeral=True)
    lines = [f"登録されている方（{sum(1 for p in rows if p['active'])}名）:"]
    lines += [f"・{_person_line(db, p)}" for p in rows]
    return 0, Reply("\n".join(lines), ephemeral=True)


def _cmd_remove(db, actor: str, o: dict, via: str, at: str) -> tuple[int, Reply]:
    uid = _user_id(o["user_id"])
    with store.transaction(db):
        p = store.current(db, uid)
        if not p or not p["active"]:
            return 1, Reply(f"{uid} は登録されていません（`users list` で登録されている方を確認できます）。", ephemeral=True)
        store.append(db, user_id=uid, change="remove", name=p["name"], role=p["role"], contracts=p["contracts"],
                     lead_id=p["lead_id"], start_date=p["start_date"], days_off=p["days_off"], active=False,
                     actor=actor, via=via, at=at)
    team = store.active(db, lead_id=uid)
    note = ""
    if team:
        note = (f"\n{p['name']}さんを作業責任者としている方が {len(team)} 名います"
                f"（{'、'.join(m['name'] for m in team)}）。`users add ユーザーID --lead 新しい作業責任者` で変更してください。")
    return 0, Reply(f"{p['name']}さん（{uid}）の登録を解除しました。記録は履歴として残ります。{note}", ephemeral=True)


def _cmd_contract(db, actor: str, o: dict, via: str, at: str) -> tuple[int, Reply]:
    """Register a contract (as `contract add` does) or change its municipality or documents."""
    from handlers import contracts as contract_names

    name = contract_names.normalise(o["name"])
    old = store.contract(db, name)
    if old is None:
        status, text = contract_names.add(db, name, municipality=o["--municipality"],
                                          docs=list(dict.fromkeys(o["--doc"])), actor=actor, via=via, at=at)
        if status == 2:
            raise UsageError(text)
        return status, Reply(text, ephemeral=True)
    municipality = (o["--municipality"] or "").strip() or (old["municipality"] if old else name)
    docs = list(dict.fromkeys(o["--doc"])) or (old["doc_slugs"] if old else None)
    if docs:
        from storage import kb as kb_store

        missing = [s for s in docs if not kb_store.document(db, s)]
        if missing:
            raise UsageError(f"文書「{'、'.join(missing)}」は読み込まれていません（`mamoru kb list` で確認できます）。")
    store.append_contract(db, name=name, municipality=municipality, doc_slugs=docs, actor=actor, via=via, at=at)
    return 0, Reply(f"案件「{name}」（自治体: {municipality}）を{'更新' if old else '登録'}しました。{docs_note(db, name)}",
                    ephemeral=True)


def run_users(db: sqlite_utils.Database, actor_id: str, argv: list[str], via: str,
              *, now: _dt.datetime | None = None) -> tuple[int, Reply]:
    """`users …` for an admin (or the trusted actor "cli"): (status, reply).

    Status 0 = done (or help shown), 1 = refused or nothing to do, 2 = bad arguments (reply holds the usage).
    """
    via = _via(via)
    if not _can_administer(db, actor_id):
        from handlers import access

        access.record(db, actor_id, what="利用者の登録・変更", reason="needs_admin", via=via, now=now)
        return 1, Reply("申し訳ありませんが、利用者の登録・変更は管理者の方だけが行えます。このお断りは記録されました。"
                        "登録や変更が必要な場合は、管理者にご依頼ください。", ephemeral=True)
    try:
        cmd, o = parse_users_argv(list(argv))
        at = _at(now)
        if cmd == "add":
            return _cmd_add(db, actor_id, o, via, at)
        if cmd == "list":
            return _cmd_list(db, o)
        if cmd == "remove":
            return _cmd_remove(db, actor_id, o, via, at)
        return _cmd_contract(db, actor_id, o, via, at)
    except Refusal as e:
        return 1, Reply(str(e), ephemeral=True)
    except UsageError as e:
        reason = str(e)
        return 0 if isinstance(e, HelpRequested) else 2, Reply((f"{reason}\n" if reason else "") + USAGE, ephemeral=True)


def users_command(db: sqlite_utils.Database, actor_id: str, argv: list[str], via: str) -> Reply:
    """`/mamoru users …` or `mamoru users …` (see USAGE); refused politely to non-admins. In Slack,
    `/mamoru users` alone also offers the form to add a person."""
    status, reply = run_users(db, actor_id, argv, via)
    if not argv and via.startswith("slack") and _can_administer(db, actor_id):
        reply = Reply("フォームから追加するには「利用者を追加」を押してください。\n" + reply.text,
                      buttons=[Button("利用者を追加", ACTION_ADD_OPEN, "add", "primary")], ephemeral=True)
    return reply


# ---- the forms (Slack modals): add a person, approve with the details a request lacks -------

def form_choices(db: sqlite_utils.Database) -> dict:
    """What the forms offer: contracts in force, and roles with their Japanese names."""
    return {"contracts": [c["name"] for c in store.contracts(db)], "roles": dict(ROLES)}


def add_from_form(db: sqlite_utils.Database, actor_id: str, *, user_id: str, name: str, role: str,
                  contract: str | None, lead: str | None, start_date: str | None, email: str | None = None,
                  via: str = "slack_button", now: _dt.datetime | None = None) -> tuple[int, Reply]:
    """`users add` from the form's fields (the same checks and the same record)."""
    if not _can_administer(db, actor_id):
        return 1, Reply("申し訳ありませんが、利用者の登録・変更は管理者の方だけが行えます。", ephemeral=True)
    o = {"user_id": user_id, "--name": name or None, "--role": role or None, "--contract": [contract] if contract else [],
         "--lead": lead or None, "--start-date": start_date or None, "--days-off": None, "--email": email or None}
    try:
        return _cmd_add(db, actor_id, o, _via(via), _at(now))
    except UsageError as e:
        return 2, Reply(str(e), ephemeral=True)


def form_errors(db: sqlite_utils.Database, *, user_id: str | None, role: str | None, contract: str | None,
                lead: str | None) -> dict[str, str]:
    """Field -> Japanese message, for the form to show before anything is recorded."""
    errs = {}
    if not user_id:
        errs["user"] = "登録する方を選んでください。"
    if role in ("worker", "lead") and not contract:
        errs["contract"] = "作業従事者・作業責任者は案件を選んでください。"
    if contract and store.contract(db, contract) is None:
        errs["contract"] = f"案件「{contract}」は登録されていません。"
    if role == "worker" and not lead:
        errs["lead"] = "作業責任者を選んでください。"
    if lead and user_id and lead == user_id:
        errs["lead"] = "ご本人を自分の作業責任者にはできません。"
    if lead and lead != user_id:
        lp = get_person(db, lead)
        if not lp:
            errs["lead"] = "選んだ方はまだ登録されていません。先に作業責任者として登録してください。"
        elif lp["role"] not in APPROVERS:
            errs["lead"] = f"{lp['name']}さんは{ROLES[lp['role']]}です。作業責任者・対策責任者を選んでください。"
        elif why := other_contract_lead(lp, [contract] if contract else []):
            errs["lead"] = why
    if user_id and "contract" not in errs and (why := _form_team_apart(db, user_id, role, contract)):
        errs["contract" if contract else "role"] = why
    return errs


def _form_team_apart(db: sqlite_utils.Database, user_id: str, role: str | None, contract: str | None) -> str | None:
    """team_left_apart for the person as the form would record them (its contract replaces theirs)."""
    old = store.current(db, user_id) or {"name": user_id, "role": "worker", "contracts": []}
    return team_left_apart(db, {"user_id": user_id, "name": old["name"], "role": role or old["role"],
                                "contracts": [contract] if contract else old["contracts"]})


def approval_form(db: sqlite_utils.Database, actor_id: str, user_id: str) -> dict | Reply:
    """What approving this request needs: a Reply when it cannot be approved by this person (or is
    done), else {"request", "name", "contract", "lead", "start_date", "lacks"} to fill the form."""
    actor = get_person(db, actor_id)
    if actor_id != CLI_ACTOR and not (actor and actor["role"] in APPROVERS):
        return Reply("申し訳ありませんが、登録の承認は作業責任者・情報セキュリティ対策責任者・管理者の方だけが行えます。",
                     ephemeral=True)
    req = store.pending_request(db, user_id)
    if req is None:
        p = get_person(db, user_id)
        return Reply(f"{p['name']}さんは既に登録されています。" if p else f"{user_id} さんからの承認待ちの申請は見つかりませんでした。",
                     ephemeral=True)
    if actor and actor["role"] == "lead" and actor_id not in req["recipients"]:
        return Reply("この申請はあなた宛てではないため承認できません。情報セキュリティ対策責任者または管理者にご依頼ください。",
                     ephemeral=True)
    old = store.current(db, user_id)
    by_lead = actor is not None and actor["role"] == "lead"
    contracts = (old["contracts"] if old and old["contracts"] else (actor["contracts"] if by_lead else []))
    lead = actor_id if by_lead else (old["lead_id"] if old else None)
    if lead and lead_apart(get_person(db, lead), contracts):
        lead = None         # moved to another contract since: the form asks for a lead of this one
    start = old["start_date"] if old else None
    lacks = [w for w, v in (("案件", contracts), ("作業責任者", lead), ("開始日", start)) if not v]
    return {"request": req, "name": req["name"], "contract": contracts[0] if contracts else None, "lead": lead,
            "start_date": start, "lacks": lacks}


def approval_errors(db: sqlite_utils.Database, user_id: str, *, name: str | None, contract: str | None,
                    lead: str | None, start_date: str | None) -> dict[str, str]:
    """Field (name, contract, lead, start) -> Japanese message for the details an approval records:
    the Slack form and the terminal chat ask for the same ones and accept the same."""
    errs = form_errors(db, user_id=user_id, role="worker", contract=contract, lead=lead)
    if not name:
        errs["name"] = "氏名を入力してください。"
    if not start_date:
        errs["start"] = "開始日を選んでください。"
    return errs


def lead_choices(db: sqlite_utils.Database, user_id: str, contract: str | None) -> list[dict]:
    """Who may be a worker's lead (what form_errors accepts): the contract's leads first, then the
    leads without a contract, officers and admins (never a lead of another contract)."""
    ps = [p for role in APPROVERS for p in store.active(db, role=role) if p["user_id"] != user_id
          and not lead_apart(p, [contract] if contract else [])]
    return sorted(ps, key=lambda p: (contract not in (p["contracts"] or []), p["role"] != "lead", p["name"]))


def read_date(value: str, what: str = "開始日") -> str:
    """An ISO date from what a person typed (2026-12-01, 2026/12/1, 2026年12月1日); UsageError in Japanese."""
    return _date(value, what)


# ---- registration ---------------------------------------------------------------------------

def registration_info(db: sqlite_utils.Database, user_id: str,
                      opening: str = "この操作は、登録された作業従事者の方だけがご利用いただけます。") -> Reply:
    """Why registration is needed (citing the person's contract), how to get it, and the button."""
    cite = _rule_citation(db, user_id)
    why = ("契約の情報セキュリティ規定により、情報を取り扱えるのは事前に定め届け出た作業従事者に限られているためです"
           + (f"（{cite}）。" if cite else "。"))
    pending = store.pending_request(db, user_id)
    if pending:
        return Reply(f"{opening}{why}\n登録の申請は {workdays.format_jst(pending['at'])} に受け付けています。"
                     "承認までお待ちください。", ephemeral=True)
    return Reply(f"{opening}{why}\n登録を希望される場合は「登録を申請する」を押してください。作業責任者または管理者が"
                 "承認するとご利用いただけるようになります。",
                 buttons=[Button("登録を申請する", ACTION_REQUEST, user_id, "primary")], ephemeral=True)


def require_worker(db: sqlite_utils.Database, user_id: str) -> Reply | None:
    """None if the person is registered; else how to get registered, with the request button."""
    if is_registered_worker(db, user_id):
        return None
    return registration_info(db, user_id)


def request_registration(db: sqlite_utils.Database, user_id: str, name: str, *, via: str = "slack_button",
                         now: _dt.datetime | None = None) -> tuple[Reply, list[Outgoing]]:
    """Ask the person's lead (if known from an earlier registration), else officers/admins, to approve.

    A second click while a request is pending sends nothing again.
    """
    name = (normalise_name(name or "") or user_id)[:100]   # an unregistered person's words: bounded (issue 13)
    with store.transaction(db):
        if is_registered_worker(db, user_id):
            return Reply("既に登録されています。そのままご利用いただけます。", ephemeral=True), []
        pending = store.pending_request(db, user_id)
        if pending:
            return Reply(f"登録の申請は {workdays.format_jst(pending['at'])} に受け付け済みです。承認までお待ちください。",
                         ephemeral=True), []
        old = store.current(db, user_id)
        lead = old["lead_id"] if old else None
        lp = get_person(db, lead) if lead else None
        recipients = [lead] if lp and lp["role"] in APPROVERS else _approvers(db)
        at = _at(now)
        rid = store.append_request(db, user_id=user_id, name=name, recipients=recipients, via=_via(via), at=at)
    if not recipients:
        return Reply("登録の申請を受け付けました。ただ、承認できる担当者（作業責任者・管理者）がまだ登録されていません。"
                     "管理者に `mamoru users add` での登録をご依頼ください。", ephemeral=True), []
    who = "、".join(f"{display_name(db, r)}さん" for r in recipients)
    out = [Outgoing(r, Reply(
        f"{name}さん（{user_id}）から mamoru への登録の申請が届きました（{workdays.format_jst(at)}）。\n"
        "承認すると作業従事者として登録され、チェックリスト・研修・事故報告を利用できるようになります。"
        "契約上、情報を取り扱えるのは届け出た作業従事者に限られますので、本業務の従事者であることをご確認のうえ承認してください。",
        buttons=[Button("承認する", ACTION_APPROVE, user_id, "primary")]), key=f"people:request:{rid}:{r}")
        for r in recipients]
    return Reply(f"登録の申請を受け付けました。{who}に承認をお願いしました。承認されたらお知らせします。", ephemeral=True), out


def approve(db: sqlite_utils.Database, actor_id: str, user_id: str, via: str,
            *, now: _dt.datetime | None = None, name: str | None = None, contract: str | None = None,
            lead: str | None = None, start_date: str | None = None) -> tuple[Reply, list[Outgoing]]:
    """Approve a pending request (a lead it was sent to, an officer or an admin). Idempotent.

    name / contract / lead / start_date: what the approval form filled in (the request lacks them);
    without them, what is on record (an earlier registration) or the approving lead's own."""
    actor = get_person(db, actor_id)
    if actor_id != CLI_ACTOR and not (actor and actor["role"] in APPROVERS):
        from handlers import access

        access.record(db, actor_id, what="登録の承認", reason="needs_team", via=_via(via), now=now)
        return Reply("申し訳ありませんが、登録の承認は作業責任者・情報セキュリティ対策責任者・管理者の方だけが行えます。"
                     "このお断りは記録されました。",
                     ephemeral=True), []
    user_id = _MENTION.match(user_id.strip()).group(1) if _MENTION.match(user_id.strip()) else user_id.strip()
    at = _at(now)
    with store.transaction(db):
        req = store.pending_request(db, user_id)
        if req is None:
            p = get_person(db, user_id)
            if p:
                return Reply(f"{p['name']}さんは既に登録されています。", ephemeral=True), []
            return Reply(f"{user_id} さんからの承認待ちの申請は見つかりませんでした。", ephemeral=True), []
        if actor and actor["role"] == "lead" and actor_id not in req["recipients"]:
            return Reply("この申請はあなた宛てではないため承認できません。情報セキュリティ対策責任者または管理者にご依頼ください。",
                         ephemeral=True), []
        if not store.decide(db, request_id=req["id"], decision="approved", actor=actor_id, via=_via(via), at=at):
            return Reply(f"{req['name']}さんの申請は既に承認されています。", ephemeral=True), []
        old = store.current(db, user_id)
        by_lead = actor is not None and actor["role"] == "lead"
        if contract:
            from handlers import contracts as contract_names

            try:
                contracts = [contract_names.known(db, contract)]
            except contract_names.UnknownContract as e:
                raise Refusal(str(e)) from None
        else:
            contracts = (old["contracts"] if old and old["contracts"] else (actor["contracts"] if by_lead else []))
        lead = lead or (actor_id if by_lead else (old["lead_id"] if old else None))
        why = (other_contract_lead(get_person(db, lead) if lead else None, contracts)
               or team_left_apart(db, {"user_id": user_id, "name": req["name"], "role": "worker",
                                       "contracts": contracts}))
        if why:             # the decision above is rolled back: the request stays pending
            raise Refusal(why)
        store.append(db, user_id=user_id, change="approve", name=normalise_name(name or "") or req["name"],
                     role="worker", contracts=contracts, lead_id=lead,
                     start_date=start_date or (old["start_date"] if old else None),
                     days_off=old["days_off"] if old else [], active=True, actor=actor_id, via=_via(via), at=at)
        req = dict(req, name=normalise_name(name or "") or req["name"])
    note = "" if contracts else (f"\n案件がまだ設定されていません。管理者が `users add {user_id} --contract 案件名` で"
                                 "設定してください。")
    approver = f"{display_name(db, actor_id)}さん" if actor_id != CLI_ACTOR else "管理者"
    return (Reply(f"{req['name']}さん（{user_id}）を作業従事者として登録しました。{note}", ephemeral=True),
            [Outgoing(user_id, Reply(f"mamoru への登録が承認されました（承認: {approver}、{workdays.format_jst(at)}）。"
                                     "チェックリスト・研修・事故報告をご利用いただけます。"),
                      key=f"people:approved:{req['id']}")])
