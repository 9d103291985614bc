"""What the unseen-layout rounds (tests/test_parser_unseen*.py) check a loaded clause against."""
from __future__ import annotations

import re
import unicodedata

# what must never be (part of) a clause: page furniture, form blanks, the issue date, a contact line
FURNITURE = [r"^\s*(?:Page\s*)?\d{1,3}\s*(?:/\s*\d{1,3})?\s*$", r"-\s*\d{1,3}\s*-", r"\.{4,}|…{2,}", r"目\s*次",
             r"(?<!生)年\s*月\s*日", r"氏名\s*印|\s印$", r"(町|市)長\s*様", r"誓約します", r"^様式", r"電話\s*\d",
             r"令和\d+年\d+月(\d+日)?(改定)?$", r"Copyright|サイトマップ|更新日|お問い合わせ", r"^番号[:：\s]"]


def norm(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def cites(citation: str, labels: list[str]) -> bool:
    """The corpus convention: the citation ends with the label (a label starting with a digit must not
    follow another digit); every listed spelling counts."""
    c = norm(citation)
    for lab in map(norm, labels):
        if lab and c.endswith(lab) and not (lab[0].isdigit() and c[:len(c) - len(lab)][-1:].isdigit()):
            return True
    return False
