"""What the parts of the incident capability share: action ids, button values, clauses, people."""
from __future__ import annotations

import datetime as _dt
import json
import os

import sqlite_utils

from handlers import people, workdays
from handlers.incident import content
from knowledge import basis
from knowledge import verdict as verdicts
from storage import people as pstore

# ---- action ids (buttons) -------------------------------------------------------------------
A_START = "incident_start"          # value "" or a JSON preset (shortcuts, Home)
A_RESUME = "incident_resume"        # {"s"}: show the current question of a draft
A_NEW = "incident_new"              # {"s", "p"}: cancel the draft s and start a new one with preset p
A_CHOOSE = "incident_choose"        # {"s", "q", "c"}
A_KEEP = "incident_keep"            # {"s", "q"}: keep the current answer / take the proposed one
A_NOW = "incident_now"              # {"s", "q"}: a time question answered 「さっき（いま）」
A_UNKNOWN = "incident_unknown"      # {"s", "q"}
A_SAME = "incident_same"            # {"s", "q"}: same time as the question named by same_as
A_QUICK = "incident_quick"          # {"s", "q", "i"}: a quick answer of a text question
A_YES = "incident_yes"              # {"s", "q"}: the time understood is right
A_RETRY = "incident_retry"          # {"s", "q"}: type the time again
A_BACK = "incident_back"            # {"s", "q"}
A_CANCEL = "incident_cancel"        # {"s", "q"}
A_SUBMIT = "incident_submit"        # {"s"}
A_FIX = "incident_fix"              # {"s"}: 「修正」 → which field
A_EDIT = "incident_edit"            # {"s", "q"}
A_SUMMARY = "incident_summary"      # {"s"}: back to the summary
A_REOPEN = "incident_reopen"        # {"s"}: continue a cancelled draft
A_ACK = "incident_ack"              # value: INC-…
A_CITY = "incident_city"            # value: INC-…
A_MEASURE = "incident_measure"      # value: INC-…
A_NOTE = "incident_note"            # value: INC-…
A_CLOSE = "incident_close"          # value: INC-…
A_FILE = "incident_file"            # value: INC-…
A_SHOW = "incident_show"            # value: INC-…
A_ENTRY = "incident_entry"          # {"s", "q", "c"}: a choice in a timeline entry
A_ENTRY_CANCEL = "incident_entry_cancel"   # {"s"}

VIAS = people.VIAS
STALE_AFTER = _dt.timedelta(hours=12)   # a draft untouched this long no longer captures DMs
ESCALATE_ENV = "MAMORU_INCIDENT_ESCALATE_MINUTES"
ESCALATE_DEFAULT = 15
TITLE = "【事故・インシデント報告】"
MANAGER_ROLES = ("officer", "admin")


def escalate_minutes() -> int:
    raw = os.environ.get(ESCALATE_ENV)
    try:
        return max(1, int(raw)) if raw else ESCALATE_DEFAULT
    except ValueError:
        return ESCALATE_DEFAULT


def via_of(via: str) -> str:
    return via if via in VIAS else "cli"


def now() -> _dt.datetime:
    return workdays.now()


def value(**kw) -> str:
    return json.dumps(kw, ensure_ascii=False, separators=(",", ":"))


def parse(raw: str | None) -> dict:
    try:
        v = json.loads(raw or "")
        return v if isinstance(v, dict) else {"raw": v}
    except ValueError:
        return {"raw": raw or ""}


# ---- clauses --------------------------------------------------------------------------------

def type_rows(db: sqlite_utils.Database, t, slugs: list[str] | None, limit: int | None = None) -> list[dict]:
    """The clauses an incident type cites, from the person's own documents (knowledge/basis.py)."""
    return basis.clauses(db, t.clauses, slugs, concepts=t.concepts, text=t.label, limit=limit)


def cite(db, c: dict, limit: int = 200) -> str:
    """【禁止】「…」（出典）: the verdict first, and a bare item with the sentence it takes its prohibition from:
    「電子メールで情報資産を外部へ送ること。」 quoted alone reads as an instruction."""
    label = verdicts.LABELS.get(c.get("verdict") or "")
    return f"{'【' + label + '】' if label and label != '規定' else ''}{basis.quoted(db, c, limit)}"


def _rule(db, ids, concepts, text: str, slugs: list[str] | None) -> dict | None:
    rows = basis.clauses(db, ids, slugs, concepts=concepts, text=text, limit=1)
    return rows[0] if rows else None


def report_rule(db, slugs: list[str] | None) -> dict | None:
    fl = content.flow()
    return _rule(db, fl.report_clauses, fl.report_concepts, fl.report_text, slugs)


def report_citations(db, user_id: str) -> str:
    """The report rule of each of the person's contracts (「吉川市 …第18条第1項、…第4条第1項」), before they say
    which contract an incident is of: one contract's rule is not another's. Without a contract, as report_rule."""
    p = people.get_person(db, user_id)
    contracts = list((p or {}).get("contracts") or [])
    rules = [report_rule(db, slugs_for_contract(db, c)) for c in contracts] or [
        report_rule(db, slugs_for_contract(db, None, user_id))]
    return "、".join(dict.fromkeys(r["citation"] for r in rules if r))


def masking_rule(db, slugs: list[str] | None) -> dict | None:
    fl = content.flow()
    return _rule(db, fl.masking_clauses, fl.masking_concepts, fl.masking_text, slugs)


def slugs_for_contract(db, contract: str | None, user_id: str | None = None) -> list[str]:
    if contract:
        s = people.contract_docs(db, contract)
        if s:
            return s
    return people.contract_slugs(db, user_id) if user_id else []


# ---- people ---------------------------------------------------------------------------------

def leads_of(db, person: dict | None, contract: str | None = None) -> list[str]:
    """The person's lead, told of their incidents. Not when the incident is of a contract the lead is not on
    (a worker on two contracts, the lead on one): that contract's incident is not theirs to read (rights.py
    refuses them its record too); the officers hear of it."""
    if not person or not person.get("lead_id") or person["lead_id"] == person["user_id"]:
        return []
    lead = people.get_person(db, person["lead_id"])
    if lead is None or (contract and people.lead_apart(lead, [contract])):
        return []
    return [person["lead_id"]]


def managers(db, exclude: set[str] | None = None) -> list[str]:
    """Officers, else admins (who hears about an incident besides the lead)."""
    skip = exclude or set()
    for role in ("officer", "admin"):
        ids = [p["user_id"] for p in pstore.active(db, role=role) if p["user_id"] not in skip]
        if ids:
            return ids
    return []


def officers_and_admins(db, exclude: set[str] | None = None) -> list[str]:
    skip = exclude or set()
    ids = [p["user_id"] for role in ("officer", "admin") for p in pstore.active(db, role=role)]
    return [u for u in dict.fromkeys(ids) if u not in skip]


def name(db, user_id: str | None) -> str:
    if user_id == people.CLI_ACTOR:
        return "管理者（コマンドライン）"
    return people.display_name(db, user_id)


def names(db, ids) -> str:
    return "、".join(f"{name(db, u)}さん" for u in ids)


def role(db, user_id: str) -> str | None:
    if user_id == people.CLI_ACTOR:
        return "admin"
    p = people.get_person(db, user_id)
    return p["role"] if p else None
