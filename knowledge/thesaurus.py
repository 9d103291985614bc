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
def _by_first_char(entries: tuple[Entry, ...]) -> dict[str, tuple[tuple[str, int], ...]]:
    """Variant forms (as typed, katakana, hiragana) keyed by first character, for a one-pass scan."""
    table: dict[str, set[tuple[str, int]]] = {}
    for n, e in enumerate(entries):
        for v in e.variants:
            for form in {v, hira_to_kata(v), kata_to_hira(v)}:
                table.setdefault(form[0], set()).add((form, n))
    return {c: tuple(sorted(forms)) for c, forms in table.items()}


def expand(question: str, entries: tuple[Entry, ...] | None = None) -> list[str]:
    """Expansion words for every variant found in the question (each word once, entry order)."""
    entries = load() if entries is None else entries
    table = _by_first_char(entries)
    q = nfkc(question)
    hit: set[int] = set()
    for text in {q, hira_to_kata(q)}:
        for i, c in enumerate(text):
            for form, n in table.get(c, ()):
                if n not in hit and text.startswith(form, i):
                    hit.add(n)
    out: list[str] = []
    for n in sorted(hit):
        for w in entries[n].expansion:
            if w not in out:
                out.append(w)
    return out
