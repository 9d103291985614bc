"""The domain thesaurus (knowledge/data/thesaurus.tsv): words people type -> words the rules use.

Each line: variants (|-separated) <TAB> expansion (space-separated) <TAB> clause it comes from.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from knowledge.textnorm import hira_to_kata, kata_to_hira, nfkc

PATH = Path(__file__).with_name("data") / "thesaurus.tsv"


@dataclass(frozen=True)
class Entry:
    variants: tuple[str, ...]
    expansion: tuple[str, ...]
    clause: str


def parse_lines(lines) -> list[Entry]:
    entries = []
    for raw in lines:
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 2:
            continue
        variants = tuple(v for v in (nfkc(x) for x in cols[0].split("|")) if v)
        expansion = tuple(w for w in cols[1].split() if w)
        if variants and expansion:
            entries.append(Entry(variants, expansion, cols[2].strip() if len(cols) > 2 else ""))
    return entries


@lru_cache(maxsize=4)
def load(path: Path = PATH) -> tuple[Entry, ...]:
    if not path.exists():
        return ()
    with open(path, encoding="utf-8") as f:
        return tuple(parse_lines(f))


@lru_cache(maxsize=4)
def _patterns(entries: tuple[Entry, ...]) -> tuple[tuple[str, Entry], ...]:
    pats = []
    for e in entries:
        for v in e.variants:
            for form in {v, hira_to_kata(v), kata_to_hira(v)}:
                pats.append((form, e))
    return tuple(pats)


def expand(question: str, entries: tuple[Entry, ...] | None = None) -> list[str]:
    """Expansion words for every variant found in the question (each word once)."""
    q = nfkc(question)
    q_forms = (q, hira_to_kata(q))
    out: list[str] = []
    seen: set[str] = set()
    for pat, e in _patterns(load() if entries is None else entries):
        if any(pat in f for f in q_forms):
            for w in e.expansion:
                if w not in seen:
                    seen.add(w)
                    out.append(w)
    return out
