"""Personal data typed into any free-text field is masked before it is stored, sent or chained.

An incident report, a checklist reason, a question routed to a lead: each travels to leads,
officers and the city, and is kept as evidence. The personal data they mention must not travel
with them. `mask(text)` reads the text as NFKC (full-width digits and letters, ideographic
spaces, ＠, 「ー」 between digits as a hyphen) and hides, in this order (longest numbers first, so a
card number is never half-read as a マイナンバー):

- e-mail addresses (the whole address, domain included);
- card numbers: 14–16 digits (4-4-4-4, 4-6-5 or unbroken), which pass the Luhn check, or any 16;
- マイナンバー (individual numbers): 12 digits (4-4-4 or unbroken);
- phone numbers: Japanese numbers (0X-XXXX-XXXX, 090…, 0120…, +81 …, 03(1234)5678, dotted) of 10–11 digits;
- postal codes (〒123-4567, 123-4567);
- bank and postal-savings account numbers (after 口座/普通/当座/貯金…, or 12345-1234567);
- identity numbers named as such (免許証, 旅券/パスポート, 保険証, 年金, 住民票コード, …) and passport numbers;
- birthdays (a date next to 生年月日/誕生日/生まれ);
- street addresses (a municipality or town followed by 丁目・番地・号 or 1-2-3);
- any other run of 9 or more digits (an identifier, whatever it is).

Names are left alone (a report needs its colleagues' names). Returns the masked text and the
kinds found, so the person can be told what was hidden and why.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

LABELS = {"email": "メールアドレス", "card": "カード番号", "mynumber": "マイナンバー（個人番号）", "phone": "電話番号",
          "postal": "郵便番号", "account": "口座番号", "id": "個人を識別する番号", "birthday": "生年月日",
          "address": "住所"}
ORDER = ("email", "card", "mynumber", "phone", "postal", "account", "id", "birthday", "address")
TOKENS = {k: f"［{v.split('（')[0]}・伏せ字］" for k, v in LABELS.items()}

# dashes of every width, and 「ー」 typed for a hyphen, between two digits
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc\uff70\u2500\u2501"
_DASH_BETWEEN = re.compile(r"(?<=\d)\s*[" + _DASHES + r"]\s*(?=\d)")
_KANJI_DIGIT = {k: str(i) for i, k in enumerate("〇一二三四五六七八九")}
_KANJI_RUN = re.compile(r"[〇一二三四五六七八九](?:[ \-" + _DASHES + r"]?[〇一二三四五六七八九]){6,}")
_SEP = r"[ \-.]?"
_NUM = r"[0-9〇一二三四五六七八九十]+"

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+\s?@\s?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")
_CARD = re.compile(r"(?<![\d\-])(?:\d{4}" + _SEP + r"\d{4}" + _SEP + r"\d{4}" + _SEP + r"\d{2,4}|\d{4}" + _SEP
                   + r"\d{6}" + _SEP + r"\d{4,5}|\d{14,16})(?![\d\-])")
_MYNUMBER = re.compile(r"(?<![\d\-])\d{4}" + _SEP + r"\d{4}" + _SEP + r"\d{4}(?![\d\-])")
_PHONE = re.compile(r"(?<![\d\-.])(?:\+81[ \-.]?\(?0?\)?\d{1,4}[ \-.)]{0,2}\d{1,4}[ \-.]?\d{3,4}"
                    r"|\(?0\d{1,4}\)?[ \-.(]{0,2}\d{1,4}[ \-.)]{0,2}\d{3,4}|0\d{9,10})(?![\d\-])")
_POSTAL = re.compile(r"〒\s?\d{3}-?\d{4}(?!\d)|(?<![\d\-.])\d{3}-\d{4}(?![\d\-])")
_ACCOUNT = re.compile(r"((?:口座|普通|当座|貯金|預金|振込先|通帳)[^\d\n]{0,10}?)(\d[\d \-]{4,10}\d)(?!\d)"
                      r"|(?<![\d\-])\d{5}-\d{6,8}(?:-\d)?(?![\d\-])")
_ID = re.compile(r"((?:免許証?|旅券|パスポート|保険証|被保険者|保険者番号|年金|住民票コード|受給者|在留カード|記号番号)"
                 r"[^\n\dA-Z]{0,10}?)([A-Z]{0,2}[0-9][0-9A-Z \-]{4,}[0-9A-Z])")
_INSURANCE = re.compile(r"((?:保険証|被保険者証?)[^\n]{0,6}?記号\s*[:：]?\s*)(\S{1,8}?\s*番号\s*[:：]?\s*[0-9A-Z\-]+)")
_PASSPORT = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{7}(?![A-Za-z0-9])")
_DATE = (r"(?:(?:明治|大正|昭和|平成|令和|[MTSHR])\s?(?:\d{1,2}|元)|\d{4})\s?[年/.\-]\s?\d{1,2}\s?[月/.\-]\s?\d{1,2}\s?日?"
         r"|(?:明治|大正|昭和|平成|令和)\s?(?:\d{1,2}|元)\s?年")
_BIRTHDAY = re.compile(r"((?:生年月日|誕生日|生まれ|出生日?)\s*(?:は|:|：)?\s*)(" + _DATE + r")"
                       r"|(" + _DATE + r")\s*(?:生まれ|生)(?![a-z産活徒])")
_HOUSE = (_NUM + r"\s?(?:丁目|-)\s?" + _NUM + r"(?:\s?(?:番地?|-|の)\s?" + _NUM + r")?(?:\s?号)?"
          r"|" + _NUM + r"\s?番地(?:\s?(?:の|-)?\s?" + _NUM + r")?|" + _NUM + r"\s?番\s?" + _NUM + r"\s?号")
_ADDRESS = re.compile(r"(?:[\u4e00-\u9fff]{2,3}[都道府県]\s?)?(?:[\u4e00-\u9fff\u3041-\u30ff]{1,6}?[市区町村郡]\s?)?"
                      r"[\u4e00-\u9fff\u3041-\u30ffー]{1,10}?(?:" + _HOUSE + r")"
                      r"(?:\s?[\u4e00-\u9fff\u30a1-\u30ffー]{0,12}\s?\d{1,4}\s?号室)?")
_LONG = re.compile(r"(?<![\d])\d(?:[ \-.]?\d){8,}(?!\d)")


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


def _normalized(text: str) -> tuple[str, list[int]]:
    """NFKC character by character (so every normalised character knows the original one it came
    from), with every dash (and 「ー」) between two digits read as a hyphen."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for c in unicodedata.normalize("NFKC", ch):
            chars.append(c)
            origin.append(i)
    t = "".join(chars)
    for m in _KANJI_RUN.finditer(t):   # 〇九〇－一二三四－… : a number written in kanji digits
        for j in range(m.start(), m.end()):
            if t[j] in _KANJI_DIGIT:
                chars[j] = _KANJI_DIGIT[t[j]]
    t = "".join(chars)
    for m in _DASH_BETWEEN.finditer(t):
        j = next(k for k in range(m.start(), m.end()) if t[k] in _DASHES)
        chars[j] = "-"
    return "".join(chars), origin


def normalize(text: str) -> str:
    return _normalized(text or "")[0]


# (kind, pattern, which group is hidden (0 = all), a check on the match or None)
def _card_ok(m: re.Match) -> bool:
    d = _digits(m.group(0))
    return len(d) == 16 or _luhn(d)


_RULES = (
    ("email", _EMAIL, 0, None),
    ("id", _INSURANCE, 2, None),
    ("id", _ID, 2, None),
    ("id", _PASSPORT, 0, None),
    ("card", _CARD, 0, _card_ok),
    ("mynumber", _MYNUMBER, 0, None),
    ("phone", _PHONE, 0, lambda m: _phone_ok(m.group(0))),
    ("postal", _POSTAL, 0, None),
    ("account", _ACCOUNT, -1, None),
    ("birthday", _BIRTHDAY, -1, None),
    ("address", _ADDRESS, 0, None),
    ("id", _LONG, 0, None),
)


def mask(text: str) -> Masked:
    """Find personal data on the NFKC-normalised text; hide it in the text as typed (everything
    else keeps its own characters: full-width ？ stays ？)."""
    text = text or ""
    norm, origin = _normalized(text)
    work = norm
    spans: list[tuple[int, int, str]] = []
    for kind, pattern, group, ok in _RULES:
        found = []
        for m in pattern.finditer(work):
            if ok and not ok(m):
                continue
            g = group
            if g == -1:   # the number/date group, whichever alternative matched (its label stays)
                g = next((k for k in range(2, (pattern.groups or 0) + 1) if m.group(k) is not None), 0)
                if g == 0 and m.lastindex:
                    g = 0
            start, end = m.span(g)
            if end > start:
                found.append((start, end))
        for start, end in found:
            spans.append((start, end, kind))
            work = work[:start] + "\x00" * (end - start) + work[end:]   # positions stay where they were
    if not spans:
        return Masked(text, ())
    out, pos = [], 0
    for start, end, kind in sorted(spans):
        a, b = origin[start], origin[end - 1] + 1
        if a < pos:
            continue
        out.append(text[pos:a])
        out.append(TOKENS[kind])
        pos = b
    out.append(text[pos:])
    kinds = {k for _, _, k in spans}
    return Masked("".join(out), tuple(k for k in ORDER if k in kinds))


def mask_text(text: str | None) -> str | None:
    """The masked text alone (for a field stored as it is)."""
    return None if text is None else mask(text).text
