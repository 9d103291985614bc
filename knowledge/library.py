"""Loading documents into the knowledge base: parse, cite, classify, index terms, store.

The four shipped documents are loaded on first use (and again only when they change),
so a fresh install answers questions with no set-up step.
"""
from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path

import sqlite_utils

from knowledge import loadreport as _report
from knowledge import meaning
from knowledge import readers as _readers
from knowledge import terms as _terms
from knowledge import verdict as _verdict
from knowledge.builtin import PARSER_VERSION, SOURCES_DIR, content_hash, shipped_sources, shipped_text  # noqa: F401
from knowledge.loadreport import LoadReport
from knowledge.parser import parse
from knowledge.readers import LoadRefused
from storage import kb as kb_store

__all__ = ["LoadRefused", "LoadReport", "load_file", "load_text", "ensure_builtin", "resolve_source"]

MAX_FILE_BYTES = _readers.MAX_BYTES
LoadResult = LoadReport        # the older name: .slug .changed .clauses .forms still work


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
    # 「七瀬川市要介護認定調査業務委託…特記事項」 already names its city: not 「七瀬川市 七瀬川市要介護…」
    named = municipality and unicodedata.normalize("NFKC", title).startswith(unicodedata.normalize("NFKC", municipality))
    head = f"{municipality} {title}" if municipality and not named else title
    return f"{head} {label}".strip()


def load_text(db: sqlite_utils.Database, text: str, *, slug: str, title: str, municipality: str | None = None,
              file_name: str | None = None, fmt: str = "auto", builtin: bool = False, kind: str = "text",
              pages: int | None = None, dropped: list[str] | None = None, warnings: list[str] | None = None,
              dry_run: bool = False, sheets: list[tuple[str, str]] | None = None,
              sheet_forms: list[tuple[str, str]] | None = None) -> LoadReport:
    """Load (or replace) one document; loading the same content again changes nothing. ``sheets`` names the
    sheets of a workbook that were read, ``sheet_forms`` the (title, text) of blank forms a reader kept apart
    (a workbook's 様式 sheet), stored after the forms the parser finds."""
    extra_forms = list(sheet_forms or [])
    digest = content_hash(text + "".join(f"\x00{t}\x00{b}" for t, b in extra_forms), slug=slug, title=title,
                          municipality=municipality, fmt=fmt)
    old = kb_store.document(db, slug)
    report = LoadReport(slug, title, municipality, kind, changed=True, dry_run=dry_run, pages=pages,
                        dropped=list(dropped or []), sheets=list(sheets or []))
    if old and old["content_hash"] == digest and not dry_run:
        report.changed = False
        report.counts = _report.counts(kb_store.clauses_of(db, slug), len(kb_store.forms_of(db, slug)))
        return report

    parsed = parse(text, fmt)
    if len(parsed.clauses) > _readers.MAX_CLAUSES and not builtin:
        raise LoadRefused(f"{file_name or slug}: 条項が多すぎます（{len(parsed.clauses):,} 件、上限 "
                          f"{_readers.MAX_CLAUSES:,} 件）。特記事項以外の資料が含まれていないか確認し、"
                          "特記事項の部分だけを読み込んでください。")
    rows = _rows(parsed, slug, title, municipality)
    forms = [{"id": f"{slug}:form{i + 1}", "title": t, "text": b, "ord": i}
             for i, (t, b) in enumerate([(f.title, f.text) for f in parsed.forms] + extra_forms)]
    report.counts = _report.counts(rows, len(forms))
    report.dropped.extend(parsed.dropped)
    if forms:
        report.dropped.append("様式（記入欄）は条項と分けて保存しました: " + "、".join(f["title"] for f in forms))
    report.warnings = [(None, w) for w in (warnings or [])] + _report.warnings(rows, len(text))
    if old:
        before = kb_store.clauses_of(db, slug)
        report.diff = _report.diff(before, rows)
        changed = {cid: "変更" for cid, *_ in report.diff.reworded}
        changed.update({cid: "削除" for cid, _ in report.diff.removed})
        report.diff.content = _report.content_citing(slug, changed)
    if dry_run:
        return report
    doc = {"slug": slug, "municipality": municipality, "title": title, "file_name": file_name, "fmt": fmt,
           "content_hash": digest, "builtin": int(builtin), "preamble": parsed.preamble}
    _with_vectors(rows)
    kb_store.replace_document(db, doc, rows, forms)
    return report


def _with_vectors(rows: list[dict]) -> None:
    """Each clause's meaning vector, made once when its document is loaded (none without the model)."""
    texts = [r for r in rows if r["text"]]
    vecs = meaning.passages([r["text"] for r in texts]) if texts else None
    if vecs is not None:
        for r, v in zip(texts, vecs):
            r["vector"], r["vector_model"] = meaning.to_blob(v), meaning.model_id()


def _rows(parsed, slug: str, title: str, municipality: str | None) -> list[dict]:
    by_key = {c.key: c for c in parsed.clauses}
    verdicts = _verdict.assign([(c.key, c.parent, c.text, c.heading[-1] if c.heading else "") for c in parsed.clauses],
                               _verdict.first_person(parsed.preamble))
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
            "citation": citation(municipality, title, c.label), "verdict": verdicts[c.key][0],
            "verdict_reason": verdicts[c.key][1], "ord": c.order,
            "terms": _terms.clause_terms(c.text, " ".join(ctx)) if c.text else {},
        })
    return rows


def load_file(db: sqlite_utils.Database, data: bytes, *, name: str, slug: str | None, title: str | None,
              municipality: str | None, dry_run: bool = False) -> LoadReport:
    """Load an attachment as the city sent it (PDF, Word, Excel, web page, text), or with ``dry_run`` only
    report what loading would do. Raises LoadRefused (message in Japanese) and then loads nothing."""
    reading = _readers.read(data, name)
    slug = (slug or "").strip() or slug_for(name)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_\-]*", slug):
        raise LoadRefused(f"スラッグ「{slug}」は使えません。半角英数字とハイフンで指定してください（例: yoshikawa）。")
    if not title:
        title = reading.title or _title_from(reading.text, reading.fmt) or Path(name).stem
    return load_text(db, reading.text, slug=slug, title=title, municipality=municipality, file_name=Path(name).name,
                     fmt=reading.fmt, kind=reading.kind, pages=reading.pages, dropped=reading.dropped,
                     warnings=reading.warnings, dry_run=dry_run, sheets=reading.sheets, sheet_forms=reading.forms)


def _title_from(text: str, fmt: str) -> str | None:
    try:
        return parse(text[:20000], fmt).title
    except Exception:  # noqa: BLE001 - a title is a nicety
        return None


def ensure_builtin(db: sqlite_utils.Database) -> list[LoadResult]:
    """Load the shipped documents when missing or changed (cheap when up to date)."""
    results = []
    for s in shipped_sources():
        text = shipped_text(s)
        results.append(load_text(db, text, slug=s["slug"], title=s["title"], municipality=s.get("municipality"),
                                 file_name=s["file"], fmt="auto", builtin=True))
    _judge_again_if_rules_changed(db)
    return results


def _judge_again_if_rules_changed(db: sqlite_utils.Database) -> None:
    """Verdicts stored under other verdict rules (an update of mamoru), or before reasons were stored
    (migration 18), are judged again from the stored clauses: the same judgement loading would make."""
    stamp, stored = _verdict.rules_stamp(), kb_store.verdict_rules_stamp(db)
    missing = kb_store.any_clause_without_reason(db)
    if stored == stamp and not missing:
        return
    judged = {}
    if stored is None and not missing:
        # a database this code made (every clause has the reason loading gave it): judged by these rules already
        kb_store.set_verdicts(db, judged, stamp)
        return
    for doc in kb_store.documents(db):
        judged.update(_verdict.judge_stored(kb_store.clauses_of(db, doc["slug"]), doc.get("preamble") or ""))
    kb_store.set_verdicts(db, judged, stamp)


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


# 「長野の案件で…」「吉川の件」: a question that names a city is about that city's documents. The
# name without 市/町/村 counts too, unless it is a person's (吉川さん) or part of a longer name.
_PERSON_AFTER = ("さん", "君", "くん", "様", "氏", "部長", "課長", "係長")
_KANJI_KANA = re.compile(r"[\u3041-\u30ff\u4e00-\u9fff々ヶ]")


def named_in(db: sqlite_utils.Database, question: str) -> tuple[list[str], str, str] | None:
    """The document slugs of the one municipality a question names, its name and the name as
    written (長野); None if it names none, or more than one (a comparison is asked across the library)."""
    q = unicodedata.normalize("NFKC", question or "")
    found: dict[str, list[str]] = {}
    said: dict[str, str] = {}
    for d in kb_store.documents(db):
        town = unicodedata.normalize("NFKC", d["municipality"] or "").strip()
        if len(town) < 2:
            continue
        stem = town[:-1] if town[-1] in "市町村区" and len(town) >= 3 else town
        for m in re.finditer(re.escape(stem), q):
            before, after = q[:m.start()], q[m.end():]
            if before and _KANJI_KANA.match(before[-1]) and not re.match(r"[ぁ-ゖ]", before[-1]):
                continue  # 「新長野」: part of a longer name
            if after.startswith(_PERSON_AFTER):
                continue
            found.setdefault(town, []).append(d["slug"])
            said[town] = town if after.startswith(town[len(stem):]) else stem
            break
    if len(found) != 1:
        return None
    town, slugs = next(iter(found.items()))
    return slugs, town, said[town]

