"""Days as people type them (「明日」「12/10」「12月10日」「来週の月曜」「金曜」「12/24〜12/26」), read in the
deployment's zone (JST) relative to a given today.

`DAY` and `DAYS` are regular-expression pieces for capabilities.INTENTS (over capabilities.plain():
NFKC, lower case); `days(said, today, ahead=True)` turns what one of them matched into dates.
`ahead=True` reads a day towards the future (a day off being planned: 「月曜」 is the next Monday,
「1/5」 in December is next January); `ahead=False` towards the past (a checklist forgotten:
「金曜」 is the latest Friday, today included; 「12/1」 the latest 1 December). A day read towards the past whose latest reading is far back while this
year's is only days ahead (「12/4」 typed on 12/1: 362 days ago, or in three days) is a typo or a
misunderstanding far more often than a year-old event: `NotYet` is raised (an Unreadable that says so and
how to give the year), never last year's date silently. Across the new year it is the near past:
「12/30」 typed on 1/2 is three days ago.
"""
from __future__ import annotations

import datetime as _dt
import re

_WEEKDAYS = "月火水木金土日"
_ONE = (r"(?:今日|本日|きょう|明後日|あさって|明日|あした|あす|一昨日|おととい|昨日|きのう|"
        r"(?:今週|こんしゅう|来週|らいしゅう|再来週|さらいしゅう|先週|せんしゅう)?(?:の)?[月火水木金土日]曜(?:日)?|"
        r"(?:\d{4}[/.-])?\d{1,2}[/.-]\d{1,2}(?:日)?|(?:\d{4}年)?\d{1,2}月\d{1,2}日)")
DAY = rf"(?:{_ONE}(?:の分|分)?)"
# one day, or a range 「12/24〜12/26」「12/24〜26」「明日から明後日」
DAYS = rf"({_ONE}(?:(?:〜|~|から|-|－)(?:{_ONE}|\d{{1,2}}日?))?(?:まで)?)"

_TOKEN = re.compile(rf"{_ONE}|\d{{1,2}}日?")
_RANGE = re.compile(r"〜|~|から|－")
MAX_RANGE_DAYS = 31
# read towards the past, a day without its year is asked back (NotYet) when its latest reading is more than
# FAR_BACK_DAYS ago and this year's is at most NEAR_AHEAD_DAYS ahead (「12/4」 on 12/1; 「12/30」 on 11/21 is
# 39 days ahead: last year's, as before)
FAR_BACK_DAYS = 300
NEAR_AHEAD_DAYS = 31
_RELATIVE = {"今日": 0, "本日": 0, "きょう": 0, "明日": 1, "あした": 1, "あす": 1, "明後日": 2, "あさって": 2,
             "昨日": -1, "きのう": -1, "一昨日": -2, "おととい": -2}
_WEEKS = {"今週": 0, "こんしゅう": 0, "来週": 1, "らいしゅう": 1, "再来週": 2, "さらいしゅう": 2, "先週": -1, "せんしゅう": -1}


class Unreadable(ValueError):
    """A day that cannot be (「2/30」): the message says so in Japanese."""


def _valid(y: int, m: int, d: int) -> _dt.date:
    try:
        return _dt.date(y, m, d)
    except ValueError:
        raise Unreadable(f"{m}月{d}日という日付はありません。日付をご確認ください。") from None


class NotYet(Unreadable):
    """A day typed without its year, read towards the past, that is only days ahead this year while its
    latest past reading is far back (see FAR_BACK_DAYS): asked back, never taken as last year's.
    `day` is this year's reading, `past` last year's (the caller may word its own question with them)."""

    def __init__(self, day: _dt.date, past: _dt.date, today: _dt.date):
        self.day, self.past, self.today = day, past, today
        super().__init__(f"{day.month}月{day.day}日は今日（{today.month}月{today.day}日）より後の日付です。"
                         f"日付をもう一度お知らせください（{past.year}年{past.month}月{past.day}日のことでしたら、"
                         f"「{past.year}/{past.month}/{past.day}」のように年も入れてください）。")


def month_day(m: int, d: int, today: _dt.date, ahead: bool) -> _dt.date:
    """The year is left out: the one that makes sense (ahead: this year, or next when this year's
    is long past; behind: this year, or last when this year's is still to come, unless that is far
    back and this year's only days ahead: NotYet)."""
    if ahead:
        this = _valid(today.year, m, d) if not (m == 2 and d == 29) else None
        if this is not None and this >= today - _dt.timedelta(days=60):
            return this
        return _valid(today.year + 1, m, d) if this is not None else _valid(today.year, m, d)
    this = _valid(today.year, m, d) if (m, d) != (2, 29) or today.year % 4 == 0 else None
    if this is not None and this <= today:
        return this
    past = _valid(today.year - 1, m, d)
    if this is not None and (today - past).days > FAR_BACK_DAYS and (this - today).days <= NEAR_AHEAD_DAYS:
        raise NotYet(this, past, today)
    return past


def one(word: str, today: _dt.date, ahead: bool = True) -> _dt.date:
    w = re.sub(r"(?:の分|分)$", "", word.strip())
    if w in _RELATIVE:
        return today + _dt.timedelta(days=_RELATIVE[w])
    m = re.fullmatch(r"(今週|こんしゅう|来週|らいしゅう|再来週|さらいしゅう|先週|せんしゅう)?(?:の)?([月火水木金土日])曜(?:日)?", w)
    if m:
        wd = _WEEKDAYS.index(m.group(2))
        if m.group(1):
            monday = today - _dt.timedelta(days=today.weekday()) + _dt.timedelta(weeks=_WEEKS[m.group(1)])
            return monday + _dt.timedelta(days=wd)
        if ahead:   # the next one (strictly after today)
            return today + _dt.timedelta(days=(wd - today.weekday() - 1) % 7 + 1)
        return today - _dt.timedelta(days=(today.weekday() - wd) % 7)   # the latest one, today included
    m = re.fullmatch(r"(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})日?|(\d{4})年(\d{1,2})月(\d{1,2})日", w)
    if m:
        y, mo, d = (int(x) for x in (m.group(1, 2, 3) if m.group(1) else m.group(4, 5, 6)))
        return _valid(y, mo, d)
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})日?|(\d{1,2})月(\d{1,2})日", w)
    if m:
        mo, d = (int(x) for x in (m.group(1, 2) if m.group(1) else m.group(3, 4)))
        return month_day(mo, d, today, ahead)
    raise Unreadable(f"「{word}」がいつのことか読み取れませんでした。「12/10」「12月10日」「明日」のように日付をお知らせください。")


def days(said: str, today: _dt.date, ahead: bool = True) -> list[_dt.date]:
    """The dates `said` names (one, or every date of a range, in order)."""
    said = re.sub(r"まで$", "", said.strip())
    parts = _RANGE.split(said, maxsplit=1)
    if len(parts) == 1 and "-" in said and re.search(r"[/月日曜]|[^\d-]", said):   # 「12/24-12/26」 (not 2026-12-24)
        parts = said.split("-", 1)
    parts = [p for p in parts if p]
    if len(parts) == 1 or not _TOKEN.fullmatch(parts[1]):
        return [one(said if len(parts) == 1 else parts[0], today, ahead)]
    start = one(parts[0], today, ahead)
    end_word = parts[1]
    bare = re.fullmatch(r"(\d{1,2})日?", end_word)
    if bare:   # 「12/24〜26」: the same month (or the next, when the day is smaller)
        d = int(bare.group(1))
        end = _valid(start.year, start.month, d) if d >= start.day else (
            _valid(start.year + (start.month == 12), start.month % 12 + 1, d))
    else:
        end = one(end_word, today, ahead)
        if end < start and ahead:   # 「月曜から金曜」: the Friday after that Monday
            end = one(end_word, start, ahead)
    if end < start:
        raise Unreadable(f"期間の終わり（{end.month}/{end.day}）が始まり（{start.month}/{start.day}）より前になっています。")
    if (end - start).days >= MAX_RANGE_DAYS:
        raise Unreadable(f"一度に登録できる期間は {MAX_RANGE_DAYS} 日までです。期間を分けてお知らせください。")
    return [start + _dt.timedelta(days=n) for n in range((end - start).days + 1)]
