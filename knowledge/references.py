"""What 「前項は、…についても適用される」 refers to.

A paragraph that opens with 前項／前2項／前各項 says nothing alone: 長野市's 第5・第9・第10 each have
a second paragraph with the same words, each extending a different first paragraph. The answer
shows the paragraphs it refers to, so the reader sees which duty it extends.
"""
from __future__ import annotations

import re

from knowledge.textnorm import nfkc

_KANJI_DIGITS = {"二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_OPENING = re.compile(r"^\s*前(項|各項|([0-9]+|[二三四五六七八九])項)")


def how_many_before(text: str) -> int | None:
    """How many preceding paragraphs the text opens by referring to (前項 1, 前2項 2), 0 for 前各項
    (all of them), None when it refers to none."""
    m = _OPENING.match(nfkc(text or ""))
    if not m:
        return None
    if m.group(1) == "項":
        return 1
    if m.group(1) == "各項":
        return 0
    n = m.group(2)
    return int(n) if n.isdigit() else _KANJI_DIGITS[n]


def referred(text: str, earlier: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """The (label, text) of the paragraphs before this one (in order) that its opening refers to."""
    n = how_many_before(text)
    if n is None or not earlier:
        return ()
    return tuple(earlier if n == 0 else earlier[-n:])
