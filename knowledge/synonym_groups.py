"""Sudachi's synonym groups: the everyday word a question uses -> the rules' words of the same group.

sudachidict-core carries, for many of its words, the ids of the groups of Sudachi's synonym
dictionary they belong to (捨てる and 廃棄 share one, 外注 and 委託, リスト and 一覧, 先生 and 教員,
断る and 拒む). The ids ship with the dictionary we already load, so this costs no package,
no download and no data of ours to keep: a word of the question the rules never use asks for the
words of the library that share a group with it.
"""
from __future__ import annotations

from functools import lru_cache

from knowledge.terms import _morphemes
from knowledge.textnorm import nfkc

# A group naming more of the library's words than this is too broad to say what was meant.
MAX_GROUP_WORDS = 4


@lru_cache(maxsize=65536)
def groups(word: str) -> tuple[int, ...]:
    """The synonym groups of a word Sudachi reads as one morpheme (none for a phrase)."""
    ms = list(_morphemes(nfkc(word)))
    if len(ms) != 1:
        return ()
    return tuple(ms[0].synonym_group_ids() or ())


class GroupIndex:
    """The library's words by synonym group."""

    def __init__(self, words):
        by_group: dict[int, list[str]] = {}
        for w in words:
            for g in groups(w):
                by_group.setdefault(g, []).append(w)
        self.by_group = {g: ws for g, ws in by_group.items() if len(ws) <= MAX_GROUP_WORDS}

    def words_for(self, word: str) -> list[str]:
        """The library's words sharing a synonym group with word (word itself left out)."""
        out: list[str] = []
        for g in groups(word):
            out += [w for w in self.by_group.get(g, ()) if w != word and w not in out]
        return out
