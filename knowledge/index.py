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

import numpy as np

K1 = 1.2
B = {"w": 0.6, "h": 0.3, "b": 0.75, "r": 0.75, "k": 0.3, "kh": 0.0}
# Bigrams found in a large share of clauses ("こと", "する") add time, not ranking: skipped.
MIN_IDF = {"w": 0.0, "h": 0.0, "b": 1.0, "r": 1.0, "k": 0.0, "kh": 0.0}
WEIGHT = {"w": 1.0, "h": 0.5, "b": 0.15, "r": 0.15, "k": 2.0, "kh": 0.3}


@dataclass
class Index:
    rows: list[dict]
    # kind -> term -> (row indices, precomputed idf * tf-saturation): numpy arrays, so scoring a
    # term is one vectorised add whatever the length of its posting list (10,000 clauses).
    postings: dict[str, dict[str, tuple[np.ndarray, np.ndarray]]] = field(default_factory=dict)
    idf: dict[str, dict[str, float]] = field(default_factory=dict)
    vocab_words: list[str] = field(default_factory=list)
    max_idf_w: float = 0.0  # the rarest word's idf (the bar for "enough evidence" scales with it)

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
            post: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
            b = B[kind]
            for i, c in enumerate(tfs):
                norm = K1 * (1 - b + b * lengths[i] / avg)
                for t, tf in c.items():
                    p = post[t]
                    p[0].append(i)
                    p[1].append(idf[t] * tf * (K1 + 1) / (tf + norm))
            ix.postings[kind] = {t: (np.array(r, dtype=np.int32), np.array(v, dtype=np.float32))
                                 for t, (r, v) in post.items()}
            ix.idf[kind] = idf
        ix.vocab_words = sorted(ix.idf.get("w", {}))
        ix.max_idf_w = max(ix.idf.get("w", {}).values(), default=0.0)
        return ix

    @classmethod
    def word_statistics(cls, rows: list[dict]) -> "Index":
        """How telling each content word is among these rows (idf["w"], max_idf_w) as `build` computes it,
        without the postings: for judging relevance, not for scoring."""
        ix = cls(rows)
        n = max(len(rows), 1)
        df: Counter = Counter()
        for r in rows:
            df.update(set(r["terms"].get("w", ())))
        ix.idf["w"] = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}
        ix.vocab_words = sorted(ix.idf["w"])
        ix.max_idf_w = max(ix.idf["w"].values(), default=0.0)
        return ix

    def score(self, query: dict[str, list[tuple[str, float]]]) -> np.ndarray:
        """query: kind -> [(term, weight)]; returns the score of every row (0 where nothing matched)."""
        acc = np.zeros(len(self.rows), dtype=np.float32)
        for kind, terms in query.items():
            post = self.postings.get(kind, {})
            kw = WEIGHT[kind]
            idf, floor = self.idf.get(kind, {}), MIN_IDF[kind]
            for term, qw in terms:
                if idf.get(term, 0.0) < floor:
                    continue
                p = post.get(term)
                if p is not None:
                    acc[p[0]] += np.float32(kw * qw) * p[1]   # a row appears once per term: no duplicates
        return acc

    def top(self, scores: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The k best rows with a positive score, best first (ties: document order)."""
        hit = np.flatnonzero(scores > 0)
        if hit.size > k:
            hit = hit[np.argpartition(-scores[hit], k - 1)[:k]]
        return sorted(((int(i), float(scores[i])) for i in hit), key=lambda t: (-t[1], t[0]))
