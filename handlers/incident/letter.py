"""The 書面 around an incident report: addressee, contractor, contract, date, the fields the
contract names, the signature lines — content in knowledge/incident/letter.toml, chosen per
contract (a [[letters]] entry naming the contract, else one naming one of its documents, else
[default])."""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from handlers import people
from handlers.incident import content
from knowledge import basis as own_basis
from storage import kb as kb_store
from storage import people as pstore

FILE = Path(__file__).resolve().parents[2] / "knowledge" / "incident" / "letter.toml"
TO_FILL = "【要記入】"


@dataclass(frozen=True)
class Letter:
    title: str
    addressee: str
    contractor: str
    contract: str
    documents: list[str]
    fields: tuple[str, ...]
    signatures: tuple[str, ...]
    opening: str
    basis: list[dict]            # clauses quoted at the top: {"citation", "text"}


def _load() -> dict:
    with open(FILE, "rb") as f:
        return tomllib.load(f)


def municipality(db: sqlite_utils.Database, contract: str | None, slugs: list[str]) -> str:
    c = pstore.contract(db, contract) if contract else None
    if c and c.get("municipality"):
        return c["municipality"]
    for s in slugs:
        d = kb_store.document(db, s)
        if d and d["municipality"]:
            return d["municipality"]
    return ""


def for_incident(db: sqlite_utils.Database, contract: str | None, slugs: list[str], *,
                 recorded: str | None = None) -> Letter:
    """The letter for a contract (its name now); `recorded`, the name the incident was recorded
    under when the contract was renamed since, still finds a letter written for that name."""
    data = _load()
    merged = dict(data.get("default", {}))
    letters = data.get("letters", [])
    pick = (next((x for x in letters if contract and x.get("contract") == contract), None)
            or next((x for x in letters if recorded and x.get("contract") == recorded), None)
            or next((x for x in letters if x.get("document") in slugs), None))
    merged.update({k: v for k, v in (pick or {}).items() if k not in ("contract", "document")})
    town = municipality(db, contract, slugs)
    addressee = merged.get("addressee", "{municipality}長 様").replace("{municipality}", town) if town else f"{TO_FILL} 様"
    contractor = merged.get("contractor") or os.environ.get("MAMORU_CONTRACTOR", "").strip() or TO_FILL
    docs = []
    for s in slugs:
        d = kb_store.document(db, s)
        if d:
            docs.append(f"{d['municipality'] + ' ' if d['municipality'] else ''}{d['title']}")
    # the listed clauses of the contract's own documents; theirs on reporting an incident when they hold none
    fl = content.flow()
    basis = [{"citation": c["citation"], "text": c["text"]}
             for c in own_basis.clauses(db, merged.get("basis", []), slugs, concepts=fl.report_concepts,
                                        text=fl.report_text, limit=len(slugs))] if slugs else []
    return Letter(title=merged.get("title", "情報セキュリティ事故報告書"), addressee=addressee, contractor=contractor,
                  contract=contract or TO_FILL, documents=docs, fields=tuple(merged.get("fields", ())),
                  signatures=tuple(merged.get("signatures", ())), opening=merged.get("opening", ""), basis=basis)


def officer_of(db: sqlite_utils.Database, contract: str | None) -> dict | None:
    """The contract's own officer, else an officer overseeing every contract."""
    officers = people.store.active(db, role="officer")
    mine = [p for p in officers if contract and contract in (p["contracts"] or [])]
    return (mine or [p for p in officers if not p["contracts"]] or [None])[0]
