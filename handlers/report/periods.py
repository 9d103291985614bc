"""The dates people write in a request, as ISO words: 12/1 → 2026-12-01, 12月 → 2026-12, 今月,
先月, 先週 → two days. A year left out is the latest one not far in the future (in January,
「12月」 is last December)."""
from __future__ import annotations

import datetime as _dt
import re

_FULL = re.compile(r"(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})\s*日?")
_FULL_MONTH = re.compile(r"(\d{4})\s*[-/年]\s*(\d{1,2})\s*月?(?![\d/-])")
_DAY = re.compile(r"(?<![\d-])(\d{1,2})\s*[/月]\s*(\d{1,2})\s*日?(?![\d/])")
_MONTH = re.compile(r"(?<![\d-])(\d{1,2})\s*月(?!\d)")
_RELATIVE = re.compile(r"今月|先月|前月|今週|先週|前週|今日|本日|昨日")
_JOINERS = re.compile(r"〜|~|から|まで|より|–|—|について|の分|分の|(?<=\S)の(?=\s|$)|^の|を")


def _year(month: int, day: int, today: _dt.date) -> int:
    try:
        d = _dt.date(today.year, month, min(day, 28))
    except ValueError:
        return today.year
    return today.year - 1 if d > today + _dt.timedelta(days=31) else today.year


def _relative(word: str, today: _dt.date) -> str:
    first = today.replace(day=1)
    if word == "今月":
        return f"{first:%Y-%m}"
    if word in ("先月", "前月"):
        return f"{(first - _dt.timedelta(days=1)):%Y-%m}"
    monday = today - _dt.timedelta(days=today.weekday())
    if word in ("先週", "前週"):
        monday -= _dt.timedelta(days=7)
    if word in ("今週", "先週", "前週"):
        return f"{monday.isoformat()} {(monday + _dt.timedelta(days=6)).isoformat()}"
    d = today - _dt.timedelta(days=1) if word == "昨日" else today
    return d.isoformat()


def _day(m: re.Match, today: _dt.date) -> str:
    mo, d = int(m[1]), int(m[2])
    return f" {_year(mo, d, today):04d}-{mo:02d}-{d:02d} "


def iso_words(text: str, today: _dt.date) -> str:
    """The text with every date written as an ISO word between spaces (the rest left as it was).
    A date that does not exist (13/40) stays a word shaped like a date, for the caller's error."""
    t = _FULL.sub(lambda m: f" {int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d} ", text)
    t = _FULL_MONTH.sub(lambda m: f" {int(m[1]):04d}-{int(m[2]):02d} ", t)
    t = _DAY.sub(lambda m: _day(m, today), t)
    t = _MONTH.sub(lambda m: f" {_year(int(m[1]), 1, today):04d}-{int(m[1]):02d} ", t)
    t = _RELATIVE.sub(lambda m: f" {_relative(m[0], today)} ", t)
    t = _JOINERS.sub(" ", t)
    return " ".join(t.split())
