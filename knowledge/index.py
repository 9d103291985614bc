"""An in-memory BM25 index over clause terms, built from what storage holds.

Terms come in kinds, each scored with its own length normalisation and weight:
w = content words of the clause, h = words of its headings and parent clauses,
b = character bigrams, r = bigrams of the katakana reading (kana-typed questions),
k = domain concepts of the clause's text, kh = of its headings (knowledge/concept_map.py).
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

K1 = 1.2
B = {"w": 0.6, "h": 0.3, "b": 0.75, "r": 0.75, "k": 0.3, "kh": 0.0}
# Bigrams found in a large share of clauses ("こと", "する") add time, not ranking: skipped.
MIN_IDF = {"w": 0.0, "h": 0.0, "b": 1.0, "r": 1.0, "k": 0.0, "kh": 0.0}
WEIGHT = {"w": 1.0, "h": 0.5, "b": 0.15, "r": 0.15, "k": 1.0, "kh": 0.3}


@dataclass
class Index:
    rows: list[dict]
    # kind -> term -> list of (row index, precomputed idf * tf-saturation)
    postings: dict[str, dict[str, list[tuple[int, float]]]] = field(default_factory=dict)
    idf: dict[str, dict[str, float]] = field(default_factory=dict)
    vocab_words: list[str] = field(default_factory=list)

    @classmethod
    def build(cls, rows: list[dict]) -> "Index":
        ix = cls(rows)
        n = max(len(rows), 1)
        for kind in WEIGHT:
            tfs = [Counter(r["terms"].get(kind, ())) for r in rows]
            lengths = [sum(c.values()) for c in tfs]
            avg = (sum(lengths) / n) or 1.0
            df: Counter = Counter()
            for c in tfs:
                df.update(c.keys())
            idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
            post: dict[str, list[tuple[int, float]]] = defaultdict(list)
            b = B[kind]
            for i, c in enumerate(tfs):
                norm = K1 * (1 - b + b * lengths[i] / avg)
                for t, tf in c.items():
                    post[t].append((i, idf[t] * tf * (K1 + 1) / (tf + norm)))
            ix.postings[kind] = dict(post)
            ix.idf[kind] = idf
        ix.vocab_words = sorted(ix.idf.get("w", {}))
        return ix

    def score(self, query: dict[str, list[tuple[str, float]]], allowed: set[int] | None = None) -> dict[int, float]:
        """query: kind -> [(term, weight)]; returns row index -> score."""
        acc: dict[int, float] = defaultdict(float)
        for kind, terms in query.items():
            post = self.postings.get(kind, {})
            kw = WEIGHT[kind]
            idf, floor = self.idf.get(kind, {}), MIN_IDF[kind]
            for term, qw in terms:
                if idf.get(term, 0.0) < floor:
                    continue
                for i, s in post.get(term, ()):
                    acc[i] += kw * qw * s
        if allowed is not None:
            return {i: s for i, s in acc.items() if i in allowed}
        return acc
