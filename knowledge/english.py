"""English questions (「Do our laptops need disk encryption?」) searched with the rules' own words.

The documents are Japanese: an English question meets them only through knowledge/english.toml,
English phrases -> the words rules are written with (laptop -> 端末, shred -> 裁断). Without it
Sudachi reads English as katakana (is it -> イズイット, terminal -> ターミナル) that no clause holds.

A question's English words are matched as whole words, plural and -ed/-ing forms folded, the
longest phrase first (「id card」 before 「id」). What is left over:
- stop words (the, data, city, use, ok) say nothing and are dropped;
- any other word (overtime, cafeteria, excel) is kept as it is, a word no rule uses, so a question
  about a topic the rules do not cover stays declined (search weighs such words in its coverage test).
Which domain concept the question is about is still read from the concepts' `en` lists.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from knowledge.terms import query_terms
from knowledge.textnorm import nfkc

FILE = Path(__file__).with_name("english.toml")
_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_VOWEL = re.compile(r"[aeiouy]")
_JAPANESE = re.compile(r"[\u3041-\u30ff\u4e00-\u9fff\u3005]")
MIN_WORDS = 2   # 「USB」「FAX」 alone are searched as they are
_INVARIANT = frozenset({"news", "accounting", "training", "always", "perhaps", "sometimes", "alias", "canvas"})   # not plurals


def stem(word: str) -> str:
    """A light English stem, the same for the glossary and the question: plurals, -ed, -ing and a
    final e folded (shredded, shreds -> shred; stored, storing, store -> stor)."""
    w = word[:-2] if word.endswith("'s") else word
    if len(w) <= 3 or w in _INVARIANT:
        return w
    if w.endswith("ies") and len(w) > 4:
        w = w[:-3] + "y"
    elif w.endswith(("sses", "ches", "shes", "xes")):
        w = w[:-2]
    elif w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    # what is left must still hold a vowel: shred and string are not shr + ed and str + ing
    if w.endswith("ing") and len(w) > 5 and _VOWEL.search(w[:-3]):
        w = w[:-3]
    elif w.endswith("ed") and len(w) > 4 and _VOWEL.search(w[:-2]):
        w = w[:-2]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":   # shredd -> shred, stopp -> stop
        w = w[:-1]
    if len(w) > 3 and w.endswith("e"):
        w = w[:-1]
    return w


def tokens(text: str) -> list[str]:
    """Lower-case words of the text; hyphens and slashes split words (e-mail -> e mail)."""
    t = nfkc(text).replace("’", "'").replace("‘", "'")
    return _TOKEN.findall(re.sub(r"[-/]", " ", t))


# Articles and object pronouns inside a phrase: 「give them back」 is 「give back」, 「send it to the
# wrong address」 is 「send to wrong address」. Possessives stay (「my own」 is not 「own」).
_FILLERS = frozenset({"a", "an", "the", "it", "them", "this", "that", "these", "those"})


def _key(phrase: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in tokens(phrase) if w not in _FILLERS)


# A phrasal verb's particle may follow its object, at most this many words after the verb; so may a
# verb of ending follow its subject (「our contract with the city ends in March」 is 「contract ends」).
SPLIT_WINDOW = 7
PARTICLES = frozenset({"home", "back", "out", "away", "outside", "ends", "ended", "expires", "expired", "finishes"})


class Phrases:
    """English phrases -> values, found in a question as whole words, longest first at each place."""

    def __init__(self, phrases: dict[str, tuple]):
        self.table: dict[tuple[str, ...], tuple] = {}
        for p, values in phrases.items():
            key = _key(p)
            if key:
                self.table[key] = tuple(dict.fromkeys(self.table.get(key, ()) + tuple(values)))
        self.longest = max((len(k) for k in self.table), default=1)

    def find(self, words: list[str]) -> tuple[list[tuple[str, tuple]], list[int]]:
        """([(phrase as written, its values)], indexes of the words no phrase covers)."""
        found: list[tuple[str, tuple]] = []
        split: set[int] = set()
        # 「take the excel with the residents list home」: a verb and its particle (home, back, out …)
        # with the object between them are the phrase 「take home」.
        for b, w in enumerate(words):
            if w not in PARTICLES:
                continue
            for a in range(b - 2, max(b - SPLIT_WINDOW, 0) - 1, -1):
                values = self.table.get((stem(words[a]), stem(w)))
                if values is not None and a not in split:
                    found.append((f"{words[a]} … {w}", values))
                    split.update((a, b))
                    break
        kept = [i for i, w in enumerate(words) if w not in _FILLERS and i not in split]
        stems = [stem(words[i]) for i in kept]
        rest: list[int] = []
        j = 0
        while j < len(kept):
            for n in range(min(self.longest, len(kept) - j), 0, -1):
                values = self.table.get(tuple(stems[j:j + n]))
                if values is not None:
                    found.append((" ".join(words[kept[j]:kept[j + n - 1] + 1]), values))
                    j += n
                    break
            else:
                rest.append(kept[j])
                j += 1
        return found, rest


@dataclass(frozen=True)
class Glossary:
    words: Phrases    # English phrase -> the rules' words (() for a stop phrase)
    stop: frozenset[str]


@lru_cache(maxsize=2)
def load(path: Path = FILE) -> Glossary:
    with open(path, "rb") as f:
        data = tomllib.load(f)
    phrases: dict[str, tuple[str, ...]] = {}
    for term in data.get("term", []):
        rules = tuple(str(r) for r in term.get("rules", ()))
        for p in term.get("en", ()):
            phrases[str(p)] = tuple(dict.fromkeys(phrases.get(str(p), ()) + rules))
    stop_data = data.get("stop", {})
    for p in stop_data.get("phrases", ()):
        phrases.setdefault(str(p), ())
    stop = frozenset(stem(w) for w in tokens(stop_data.get("words", "")))
    return Glossary(Phrases(phrases), stop)


@lru_cache(maxsize=1)
def _concept_phrases() -> Phrases:
    """The concepts' `en` lists (knowledge/concepts/*.toml), matched the same way as the glossary,
    so 「reports」 meets 「report」 and 「give them back」 meets 「give back」."""
    from knowledge import concept_map

    phrases: dict[str, tuple[str, ...]] = {}
    for c in concept_map.load():
        for p in c.en:
            phrases[p] = phrases.get(p, ()) + (c.id,)
    return Phrases(phrases)


def is_english(text: str) -> bool:
    """An English question: latin words only (no kana or kanji), at least MIN_WORDS of them.
    Romaji has been turned into kana before this is asked (knowledge/romaji.py)."""
    return not _JAPANESE.search(text or "") and len(tokens(text or "")) >= MIN_WORDS


@dataclass(frozen=True)
class Reading:
    rule_words: tuple[str, ...]   # the rules' words for the phrases found
    unknown: tuple[str, ...]      # words listed nowhere: words no rule uses
    phrases: tuple[str, ...]      # the glossary phrases found, as written in the question
    concepts: tuple[str, ...]     # ids of the concepts whose `en` phrases the question holds

    def terms(self) -> dict[str, list[str]]:
        """Search terms: those of the rule words (knowledge.terms.query_terms), plus the words no
        rule uses, kept for search's coverage test."""
        qt = query_terms(" ".join(self.rule_words)) if self.rule_words else {"w": [], "b": [], "r": [], "h": []}
        qt["w"] = list(dict.fromkeys(qt["w"] + list(self.unknown)))
        qt["h"] = list(qt["w"])
        return qt


def read(text: str, glossary: Glossary | None = None) -> Reading:
    """What the glossary and the concepts' English phrases make of the text."""
    g = glossary or load()
    words = tokens(text)
    found, rest = g.words.find(words)
    rule_words = [w for _, values in found for w in values]
    unknown = [words[i] for i in rest
               if stem(words[i]) not in g.stop and words[i] not in g.stop and len(words[i]) > 1 and not words[i].isdigit()]
    concepts = [cid for _, ids in _concept_phrases().find(words)[0] for cid in ids]
    return Reading(tuple(dict.fromkeys(rule_words)), tuple(dict.fromkeys(unknown)),
                   tuple(p for p, values in found if values), tuple(dict.fromkeys(concepts)))


def read_question(text: str) -> Reading | None:
    """The reading of an English question, or None when the text is not English."""
    return read(text) if is_english(text) else None
