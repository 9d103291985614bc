"""Search: a question in a worker's own words -> ranked clauses, or "no rule covers this"."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import sqlite_utils
from rapidfuzz import fuzz, process

from knowledge import thesaurus
from knowledge.index import Index
from knowledge.terms import analyse, query_terms
from knowledge.textnorm import bigrams, word_chars
from storage import kb as kb_store

PART_WEIGHT = 0.5
EXPANSION_WEIGHT = 0.8  # a thesaurus word counts a little less than the asker's own
MAX_QUESTION_CHARS = 1000  # longer questions are searched on their beginning (and told so)
# A hit counts as an answer only when question words of at least this much weight
# (inverse document frequency) appear in it: unrelated questions share only bigrams.
MIN_MATCHED_IDF = 2.2
# When the thesaurus recognises nothing in the question, the hit must also cover this share
# of the question's own words (weighted by idf; words the rules never use weigh the most).
# Off-topic questions ("交通費の精算っていつまで？") share one generic word at most: <= 0.29
# on our held-out set, while rule questions without thesaurus words cover far more.
MIN_COVERAGE_UNAIDED = 0.34


@dataclass(frozen=True)
class Hit:
    clause_id: str
    source: str
    municipality: str | None
    doc_title: str
    label: str
    heading: tuple[str, ...]
    text: str
    citation: str
    verdict: str
    score: float


@dataclass
class SearchResult:
    question: str
    found: bool
    hits: list[Hit]
    expansions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class Searcher:
    def __init__(self, rows: list[dict]):
        self.rows = rows
        self.index = Index.build(rows)
        self.by_slug: dict[str, set[int]] = {}
        for i, r in enumerate(rows):
            self.by_slug.setdefault(r["doc_slug"], set()).add(i)

    def _query(self, question: str):
        """(weighted query terms by kind, thesaurus expansions, all words, the question's own words)"""
        qt = query_terms(question)
        expansions = thesaurus.expand(question)
        exp_words, _ = analyse(" ".join(expansions)) if expansions else ([], "")
        idf_w = self.index.idf.get("w", {})
        words: dict[str, float] = {}
        for w in qt["w"]:
            # The parts of a compound (個人, 情報 of 個人情報) count less, or compounds count thrice.
            part = any(w != o and w in o for o in qt["w"])
            words[w] = max(words.get(w, 0.0), PART_WEIGHT if part else 1.0)
        for w in exp_words:
            words.setdefault(w, EXPANSION_WEIGHT)
        # Typos: a word the rules never use may be one letter away from one they do.
        for w in qt["w"]:
            if w not in idf_w and len(w) >= 3 and self.index.vocab_words:
                m = process.extractOne(w, self.index.vocab_words, scorer=fuzz.ratio, score_cutoff=75)
                if m:
                    words.setdefault(m[0], 0.6)
        q = {
            "w": list(words.items()),
            "h": list(words.items()),
            "b": [(b, 1.0) for b in dict.fromkeys(qt["b"])] + [(b, 0.5) for b in dict.fromkeys(bigrams(" ".join(expansions)))],
            "r": [(r, 1.0) for r in dict.fromkeys(qt["r"])],
        }
        return q, expansions, list(words), list(dict.fromkeys(qt["w"]))

    def search(self, question: str, slugs: list[str] | None = None, top: int = 5) -> SearchResult:
        question = question or ""
        notes: list[str] = []
        if len(question) > MAX_QUESTION_CHARS:
            question = question[:MAX_QUESTION_CHARS]
            notes.append(f"質問が長いため、最初の{MAX_QUESTION_CHARS}文字で検索しました。")
        if not word_chars(question):
            return SearchResult(question, False, [], notes=notes + ["質問の文章を読み取れませんでした。"])
        allowed = None
        if slugs is not None:
            allowed = set().union(*(self.by_slug.get(s, set()) for s in slugs)) if slugs else set()
        q, expansions, words, own_words = self._query(question)
        scores = self.index.score(q, allowed)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[: max(top, 1)]
        hits = [self._hit(i, s) for i, s in ranked]
        found = bool(ranked) and self._matched_idf(ranked[0][0], words) >= MIN_MATCHED_IDF
        if found and not expansions:
            found = self._coverage(ranked[0][0], own_words) >= MIN_COVERAGE_UNAIDED
        return SearchResult(question, found, hits if found else hits, expansions, notes)

    def _matched_idf(self, i: int, words: list[str]) -> float:
        terms = self.rows[i]["terms"]
        own = set(terms.get("w", ())) | set(terms.get("h", ()))
        idf = self.index.idf.get("w", {})
        return sum(idf.get(w, 0.0) for w in words if w in own)

    def _coverage(self, i: int, words: list[str]) -> float:
        terms = self.rows[i]["terms"]
        own = set(terms.get("w", ())) | set(terms.get("h", ()))
        idf = self.index.idf.get("w", {})
        unseen = max(idf.values(), default=1.0)
        total = sum(idf.get(w, unseen) for w in words)
        return sum(idf.get(w, 0.0) for w in words if w in own) / total if total else 0.0

    def _hit(self, i: int, score: float) -> Hit:
        r = self.rows[i]
        return Hit(r["id"], r["doc_slug"], r["municipality"], r["doc_title"], r["label"], tuple(r["heading"]),
                   r["text"], r["citation"], r["verdict"], round(score, 4))


_cache_lock = threading.Lock()
_cache: dict[str, tuple[int, Searcher]] = {}


def searcher_for(db: sqlite_utils.Database) -> Searcher:
    """The searcher for this database, rebuilt only when the knowledge base changed."""
    key = db.execute("PRAGMA database_list").fetchone()[2] or str(id(db))
    ver = kb_store.version(db)
    with _cache_lock:
        cached = _cache.get(key)
        if cached and cached[0] == ver:
            return cached[1]
    s = Searcher(kb_store.clauses_for_index(db))
    with _cache_lock:
        _cache[key] = (ver, s)
    return s
