"""The clauses a fixed piece of guidance rests on (a checklist item, an incident report's rule), taken from
the person's own contract documents.

Content under knowledge/ names clauses of the shipped documents by id: a reviewer chose them. A contract
whose documents are others (a city's own attachment, loaded with `kb add`) holds none of those ids, and
showing it another contract's clause as "its" rule is wrong twice: another city's wording, and a rule the
worker is not bound by. So when the person's documents hold none of the chosen clauses, the clause is
found by what the guidance is about: `concepts`, ids of knowledge/concepts, each entry one way a clause
qualifies ("lock_storage+removable_media": its own words speak of both). Those that qualify are ranked
rules first (a duty, a prohibition, an approval: not a definition or the city's own right), then by how
many concepts of the guidance's own words they share, then in the search engine's order for those words
(limited to the person's documents). When their documents speak of none of it, none is their rule: the caller says so,
and may show the chosen clauses apart as another document's (`others`), never as theirs.

Someone with no contract documents (not registered, or a contract with no document) is shown the chosen
clauses, each with its document named in its citation, as before.
"""
from __future__ import annotations

import re
import threading

import sqlite_utils

from storage import kb as kb_store

_lock = threading.Lock()
_RANKED = 200     # the search's order is asked for this many (a 10,000-clause attachment: not every clause)
_found: dict[tuple, tuple[str, ...]] = {}


def clauses(db: sqlite_utils.Database, ids, slugs: list[str] | None, *, concepts=(), text: str = "",
            limit: int | None = None) -> list[dict]:
    """The clause rows to cite, the person's own first and only: `ids` (chosen by a reviewer) that lie in
    `slugs`; else the clauses of `slugs` that qualify by `concepts`, best for `text` first; else none.
    Without `slugs`, the chosen ones that exist."""
    rows = [c for c in (kb_store.clause(db, cid) for cid in dict.fromkeys(ids)) if c]
    if not slugs:
        return rows[:limit] if limit else rows
    own = [c for c in rows if c["doc_slug"] in slugs]
    if own:
        return own[:limit] if limit else own
    if not concepts:
        return []
    found = _about(db, tuple(concepts), text, tuple(slugs))
    return [c for c in (kb_store.clause(db, cid) for cid in (found[:limit] if limit else found)) if c]


_NEGATED = re.compile(r"ない|禁止|ならない|不可|禁ず|禁じ")
_APPROVED = re.compile(r"承認|許可|同意|届け?出|協議|許諾")


def lead_in(db: sqlite_utils.Database, c: dict) -> str | None:
    """The sentence a bare item takes its prohibition or its need of approval from (「次に掲げる行為をしてはならない。」,
    「次の行為を行う前に、市の承認を受けるものとする。」 over 「(2) 電子メールで情報資産を外部へ送ること。」), when
    the item says nothing negative itself: quoted alone it reads as an instruction. None for anything else."""
    from knowledge import verdict as verdicts

    if c.get("verdict") not in (verdicts.PROHIBITED, verdicts.APPROVAL) or _NEGATED.search(c.get("text") or ""):
        return None
    parent = kb_store.clause(db, c["parent_id"]) if c.get("parent_id") else None
    text = ((parent or {}).get("text") or "").strip()
    says = _NEGATED if c["verdict"] == verdicts.PROHIBITED else _APPROVED
    return text if text.endswith(("。", "：", ":")) and says.search(text) else None


def quoted(db: sqlite_utils.Database, c: dict, limit: int = 160) -> str:
    """「条文」（出典）, a bare item with the sentence it takes its force from: 「…してはならない。」のうち「…こと。」."""
    text = c["text"] or "（見出しのみ）"
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    lead = lead_in(db, c)
    return f"{'「' + lead + '」のうち' if lead else ''}「{text}」（{c['citation']}）"


def others(db: sqlite_utils.Database, ids, slugs: list[str] | None, limit: int | None = None) -> list[dict]:
    """The chosen clauses outside the person's documents: shown only apart, named as another document's."""
    rows = [c for c in (kb_store.clause(db, cid) for cid in dict.fromkeys(ids)) if c and c["doc_slug"] not in (slugs or ())]
    return rows[:limit] if limit else rows


def _about(db: sqlite_utils.Database, concepts: tuple[str, ...], text: str, slugs: tuple[str, ...]) -> tuple[str, ...]:
    """Ids of the clauses of `slugs` that qualify by `concepts`, ranked for `text`; remembered per database
    file while its knowledge base is unchanged (a checklist shows the same items to every worker every day)."""
    from knowledge import concept_map, search
    from knowledge import verdict as verdicts

    key = (db.execute("PRAGMA database_list").fetchone()[2] or str(id(db)), kb_store.version(db), concepts, text, slugs)
    with _lock:
        if key in _found:
            return _found[key]
    s = search.searcher_for(db)
    pool = sorted(i for slug in slugs for i in s.by_slug.get(slug, ()))
    ways = [set(w.split("+")) for w in concepts]
    fit = [i for i in pool if any(w <= set(s.rows[i]["terms"].get("k", ())) for w in ways)]
    if fit and text:
        said = {c.id for c in concept_map.in_clause(text)}
        ranked = s.search(text, slugs=list(slugs), top=min(len(pool), _RANKED)).hits
        place = {h.clause_id: n for n, h in enumerate(ranked)}
        fit.sort(key=lambda i: (s.rows[i]["verdict"] == verdicts.INFO,   # a rule before a definition or the city's right
                                -len(said & set(s.rows[i]["terms"].get("k", ()))),
                                place.get(s.rows[i]["id"], len(place)), i))
    out = tuple(s.rows[i]["id"] for i in fit)
    with _lock:
        if len(_found) > 2000:
            _found.clear()
        _found[key] = out
    return out
