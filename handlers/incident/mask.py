"""Personal data typed into a report is masked before it is stored.

An incident report travels to leads, officers and the city; the personal data it is about must
not travel with it. `mask(text)` finds, in this order (longest numbers first, so a card number
is never half-read as a マイナンバー):

- card numbers: 14–16 digits (4-4-4-4, 4-6-5 or unbroken), which pass the Luhn check, or any 16;
- マイナンバー (individual numbers): 12 digits (4-4-4 or unbroken);
- e-mail addresses: the part before @ is hidden, the domain is kept (it says where mail went);
- phone numbers: Japanese numbers (0X-XXXX-XXXX, 090…, 0120…, +81 …) of 10–11 digits.

Full-width digits, hyphens and ＠ are read as their ASCII forms. Returns the masked text and the
kinds found, so the worker can be told what was hidden and why.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

LABELS = {"card": "カード番号", "mynumber": "マイナンバー（個人番号）", "email": "メールアドレス", "phone": "電話番号"}
ORDER = ("card", "mynumber", "email", "phone")

_WIDE = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "－": "-", "‐": "-", "‑": "-", "–": "-",
                       "—": "-", "―": "-", "−": "-", "＠": "@", "＋": "+"})

_SEP = r"[ \-]?"
_CARD = re.compile(r"(?<![\d\-])(?:\d{4}" + _SEP + r"\d{4}" + _SEP + r"\d{4}" + _SEP + r"\d{2,4}|\d{4}" + _SEP
                   + r"\d{6}" + _SEP + r"\d{4,5}|\d{14,16})(?![\d\-])")
_MYNUMBER = re.compile(r"(?<![\d\-])\d{4}" + _SEP + r"\d{4}" + _SEP + r"\d{4}(?![\d\-])")
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+\-])([A-Za-z0-9._%+\-]+)@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})")
_PHONE = re.compile(r"(?<![\d\-])(?:\+81[ \-]?\(?0?\)?\d{1,4}[ \-]?\d{1,4}[ \-]?\d{3,4}"
                    r"|\(?0\d{1,4}\)?[ \-]?\d{1,4}[ \-]?\d{3,4}|0\d{9,10})(?![\d\-])")


@dataclass(frozen=True)
class Masked:
    text: str
    kinds: tuple[str, ...]          # what was hidden, in ORDER

    @property
    def changed(self) -> bool:
        return bool(self.kinds)

    def labels(self) -> str:
        return "、".join(LABELS[k] for k in self.kinds)


def _digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def _luhn(num: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(num)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _phone_ok(s: str) -> bool:
    d = _digits(s)
    if s.startswith("+81"):
        d = "0" + d[2:].lstrip("0")
    return d.startswith("0") and 10 <= len(d) <= 11


def mask(text: str) -> Masked:
    t = (text or "").translate(_WIDE)
    found: list[str] = []

    def card(m: re.Match) -> str:
        d = _digits(m.group(0))
        if len(d) == 16 or _luhn(d):
            found.append("card")
            return "［カード番号・伏せ字］"
        return m.group(0)

    def mynumber(m: re.Match) -> str:
        found.append("mynumber")
        return "［マイナンバー・伏せ字］"

    def email(m: re.Match) -> str:
        found.append("email")
        return f"［メールアドレス・伏せ字］@{m.group(2)}"

    def phone(m: re.Match) -> str:
        if not _phone_ok(m.group(0)):
            return m.group(0)
        found.append("phone")
        return "［電話番号・伏せ字］"

    t = _CARD.sub(card, t)
    t = _MYNUMBER.sub(mynumber, t)
    t = _EMAIL.sub(email, t)
    t = _PHONE.sub(phone, t)
    return Masked(t, tuple(k for k in ORDER if k in found))
