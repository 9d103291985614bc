"""Loading documents into the knowledge base: parse, cite, classify, index terms, store.

The four shipped documents are loaded on first use (and again only when they change),
so a fresh install answers questions with no set-up step.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from knowledge import terms as _terms
from knowledge import verdict as _verdict
from knowledge.parser import parse
from storage import kb as kb_store

SOURCES_DIR = Path(__file__).with_name("sources")
PARSER_VERSION = "4"  # bump when parsing or indexing changes, so stored documents are rebuilt


@dataclass(frozen=True)
class LoadResult:
    slug: str
    changed: bool
    clauses: int
    forms: int


def detect_format(name: str, text: str) -> str:
    ext = Path(name).suffix.lower()
    if ext in (".html", ".htm"):
        return "html"
    if ext in (".md", ".markdown"):
        return "markdown"
    return "auto"


def slug_for(name: str) -> str:
    """An ASCII slug from a file name (Japanese names fall back to a short hash)."""
    stem = unicodedata.normalize("NFKC", Path(name).stem).lower()
    s = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")
    return s or "doc-" + hashlib.sha1(stem.encode()).hexdigest()[:8]


def citation(municipality: str | None, title: str, label: str) -> str:
    head = f"{municipality} {title}" if municipality else title
    return f"{head} {label}".strip()


def load_text(db: sqlite_utils.Database, text: str, *, slug: str, title: str, municipality: str | None = None,
              file_name: str | None = None, fmt: str = "auto", builtin: bool = False) -> LoadResult:
    """Load (or replace) one document; loading the same content again changes nothing."""
    meta = json.dumps([PARSER_VERSION, slug, title, municipality, fmt], ensure_ascii=False)
    digest = hashlib.sha256((meta + "\n" + text).encode("utf-8")).hexdigest()
    old = kb_store.document(db, slug)
    if old and old["content_hash"] == digest:
        return LoadResult(slug, False, old["clause_count"], len(kb_store.forms_of(db, slug)))

    parsed = parse(text, fmt)
    by_key = {c.key: c for c in parsed.clauses}
    verdicts = _verdict.assign([(c.key, c.parent, c.text) for c in parsed.clauses])
    rows = []
    for c in parsed.clauses:  # document order: parents come before their children
        parent = by_key.get(c.parent) if c.parent else None
        # Context for retrieval: the heading path and the texts of the clause's ancestors.
        ctx, p = list(c.heading), parent
        while p is not None:
            ctx.append(p.text)
            p = by_key.get(p.parent) if p.parent else None
        rows.append({
            "id": f"{slug}:{c.key}", "key": c.key,
            "parent_id": f"{slug}:{c.parent}" if c.parent else None,
            "level": c.level, "label": c.label, "heading": list(c.heading), "text": c.text,
            "citation": citation(municipality, title, c.label), "verdict": verdicts[c.key][0], "ord": c.order,
            "terms": _terms.clause_terms(c.text, " ".join(ctx)) if c.text else {},
        })
    forms = [{"id": f"{slug}:form{i + 1}", "title": f.title, "text": f.text, "ord": i}
             for i, f in enumerate(parsed.forms)]
    doc = {"slug": slug, "municipality": municipality, "title": title, "file_name": file_name, "fmt": fmt,
           "content_hash": digest, "builtin": int(builtin), "preamble": parsed.preamble}
    kb_store.replace_document(db, doc, rows, forms)
    return LoadResult(slug, True, len(rows), len(forms))


def load_file(db: sqlite_utils.Database, path: str | Path, *, title: str, municipality: str | None = None,
              slug: str | None = None) -> LoadResult:
    p = Path(path)
    raw = p.read_bytes()
    for enc in ("utf-8-sig", "cp932", "euc_jp"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError(f"{p.name}: 文字コードを判別できませんでした（UTF-8 または Shift_JIS で保存してください）。")
    return load_text(db, text, slug=slug or slug_for(p.name), title=title, municipality=municipality,
                     file_name=p.name, fmt=detect_format(p.name, text))


def shipped_sources() -> list[dict]:
    return json.loads((SOURCES_DIR / "sources.json").read_text(encoding="utf-8"))


def ensure_builtin(db: sqlite_utils.Database) -> list[LoadResult]:
    """Load the shipped documents when missing or changed (cheap when up to date)."""
    results = []
    for s in shipped_sources():
        text = (SOURCES_DIR / s["file"]).read_text(encoding="utf-8")
        results.append(load_text(db, text, slug=s["slug"], title=s["title"], municipality=s.get("municipality"),
                                 file_name=s["file"], fmt="auto", builtin=True))
    return results


def resolve_source(db: sqlite_utils.Database, source: str | None) -> list[str] | None:
    """Document slugs a --source (slug, municipality or title) names; None = all; [] = no match."""
    if not source or not source.strip():
        return None
    if "," in source:  # a contract bound by several documents: "yoshikawa,hozen"
        parts = [resolve_source(db, part) or [] for part in source.split(",") if part.strip()]
        return list(dict.fromkeys(s for found in parts for s in found))
    want = unicodedata.normalize("NFKC", source).strip().lower()
    docs = kb_store.documents(db)
    exact = [d["slug"] for d in docs
             if want in {d["slug"].lower(), unicodedata.normalize("NFKC", d["municipality"] or "").lower(),
                         unicodedata.normalize("NFKC", d["title"]).lower()}]
    if exact:
        return exact
    return [d["slug"] for d in docs
            if want in unicodedata.normalize("NFKC", f"{d['municipality'] or ''} {d['title']}").lower()]
