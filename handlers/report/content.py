"""The report's layout per document: knowledge/report/<slug>.toml (sections, the clauses each
cites, the kinds of records that evidence it). A document with no file gets its top-level
articles/sections, each marked 【要確認】 (no records are mapped to it)."""
from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

DIR = Path(__file__).resolve().parents[2] / "knowledge" / "report"
EVIDENCE = ("roster", "incidents", "training", "checklists")
EVERY = ("month", "quarter")


@dataclass(frozen=True)
class Section:
    no: str
    title: str
    clauses: tuple[str, ...]
    evidence: tuple[str, ...]
    ask: str = ""


@dataclass(frozen=True)
class Layout:
    document: str
    title: str
    form: str
    basis: tuple[str, ...]
    default_every: str
    sections: tuple[Section, ...]
    file: str = ""


@functools.lru_cache(maxsize=None)
def _files() -> dict[str, Layout]:
    out = {}
    for f in sorted(DIR.glob("*.toml")):
        d = tomllib.loads(f.read_text(encoding="utf-8"))
        secs = []
        for s in d["sections"]:
            bad = [e for e in s.get("evidence", []) if e not in EVIDENCE]
            if bad:
                raise ValueError(f"{f.name}: 項目 {s['no']} の evidence「{'、'.join(bad)}」は使えません（{EVIDENCE}）")
            secs.append(Section(str(s["no"]), s["title"], tuple(s.get("clauses", [])), tuple(s.get("evidence", [])),
                                s.get("ask", "")))
        every = d.get("default_every", "month")
        if every not in EVERY:
            raise ValueError(f"{f.name}: default_every は month か quarter です")
        out[d["document"]] = Layout(d["document"], d["title"], d.get("form", ""), tuple(d.get("basis", [])), every,
                                    tuple(secs), f.name)
    return out


def layouts() -> dict[str, Layout]:
    return dict(_files())


def for_docs(db: sqlite_utils.Database, slugs: list[str]) -> Layout | None:
    """The layout of the first document with a file, else one built from the first document's
    top-level clauses (every section 【要確認】); None when no document is bound."""
    files = _files()
    for s in slugs:
        if s in files:
            return files[s]
    if not slugs:
        return None
    from storage import kb

    doc = kb.document(db, slugs[0])
    tops = [c for c in kb.clauses_of(db, slugs[0]) if not c.get("parent_id")]
    secs = tuple(Section(str(n + 1), f"{c['label']} {(c['heading'] or [''])[-1]}".strip(), (c["id"],), ())
                 for n, c in enumerate(tops))
    return Layout(slugs[0], f"{doc['title'] if doc else slugs[0]}の履行状況報告", "", (), "month", secs)
