"""Working days and working hours in Japan, and how times are shown.

A working day is a weekday that is not a Japanese public holiday (jpholiday, which includes
振替休日 and 国民の休日), not in the year-end closure 12/29–1/3 that municipal offices observe
(地方自治法第4条の2), and not one of the person's own days off. Working hours are
WORK_START–WORK_END local time (MAMORU_TZ, default Asia/Tokyo).

Times are stored as ISO 8601 with offset (`iso`) and shown in JST as `2026年11月21日(土) 10:30`
(`format_jst`).
"""
from __future__ import annotations

import datetime as _dt
import os
from typing import Iterable
from zoneinfo import ZoneInfo

import jpholiday

WORK_START = _dt.time(9, 0)
WORK_END = _dt.time(18, 0)
YEAR_END_CLOSURE = True          # 12/29–1/3 are not working days
WEEKDAYS_JA = "月火水木金土日"
JST = ZoneInfo("Asia/Tokyo")

DaysOff = Iterable["_dt.date | str"]


def tz() -> ZoneInfo:
    """The deployment's time zone (MAMORU_TZ, default Asia/Tokyo)."""
    return ZoneInfo(os.environ.get("MAMORU_TZ") or "Asia/Tokyo")


def now() -> _dt.datetime:
    """The current time in the deployment's zone; MAMORU_NOW (ISO 8601) makes the clock stand
    still at that time, for demonstrations and end-to-end tests of a running `mamoru serve`."""
    fixed = os.environ.get("MAMORU_NOW")
    return parse(fixed) if fixed else _dt.datetime.now(tz())


def local(dt: _dt.datetime) -> _dt.datetime:
    """An aware datetime in the deployment's zone (a naive one is taken as already local)."""
    return dt.replace(tzinfo=tz()) if dt.tzinfo is None else dt.astimezone(tz())


def iso(dt: _dt.datetime | None = None) -> str:
    """How times are stored: ISO 8601, seconds, with offset."""
    return local(dt or now()).isoformat(timespec="seconds")


def parse(value: str | _dt.datetime) -> _dt.datetime:
    """An aware datetime from ISO 8601 (`2026-12-01T18:00+09:00`; without offset = local time)."""
    if isinstance(value, _dt.datetime):
        return local(value)
    text = value.strip().replace("Z", "+00:00")
    return local(_dt.datetime.fromisoformat(text))


def format_jst(value: str | _dt.datetime | None) -> str:
    """`2026年11月21日(土) 10:30` in JST, whatever the stored offset."""
    if value is None or value == "":
        return "-"
    dt = parse(value).astimezone(JST)
    return f"{dt.year}年{dt.month}月{dt.day}日({WEEKDAYS_JA[dt.weekday()]}) {dt:%H:%M}"


def format_date(value: str | _dt.date | None) -> str:
    """`2026年12月1日(火)`."""
    if not value:
        return "-"
    d = _dt.date.fromisoformat(value) if isinstance(value, str) else value
    return f"{d.year}年{d.month}月{d.day}日({WEEKDAYS_JA[d.weekday()]})"


def _dates(days_off: DaysOff | None) -> set[_dt.date]:
    out = set()
    for d in days_off or ():
        out.add(_dt.date.fromisoformat(d) if isinstance(d, str) else d)
    return out


def holiday_name(d: _dt.date) -> str | None:
    """Why `d` is not a working day for everyone (None on an ordinary weekday)."""
    if d.weekday() == 5:
        return "土曜日"
    if d.weekday() == 6:
        return "日曜日"
    name = jpholiday.is_holiday_name(d)
    if name:
        return name
    if YEAR_END_CLOSURE and ((d.month == 12 and d.day >= 29) or (d.month == 1 and d.day <= 3)):
        return "年末年始"
    return None


def is_working_day(d: _dt.date, days_off: DaysOff | None = None) -> bool:
    return holiday_name(d) is None and d not in _dates(days_off)


def is_working_time(dt: _dt.datetime, days_off: DaysOff | None = None) -> bool:
    t = local(dt)
    return is_working_day(t.date(), days_off) and WORK_START <= t.time() < WORK_END


def next_working_day(d: _dt.date, days_off: DaysOff | None = None) -> _dt.date:
    """The first working day strictly after `d`."""
    off = _dates(days_off)
    d += _dt.timedelta(days=1)
    while not is_working_day(d, off):
        d += _dt.timedelta(days=1)
    return d


def _window(d: _dt.date) -> tuple[_dt.datetime, _dt.datetime]:
    z = tz()
    return _dt.datetime.combine(d, WORK_START, z), _dt.datetime.combine(d, WORK_END, z)


def working_seconds_between(start: _dt.datetime, end: _dt.datetime, days_off: DaysOff | None = None) -> float:
    """Working time elapsed from start to end (0 when end <= start)."""
    a, b = local(start), local(end)
    if b <= a:
        return 0.0
    off = _dates(days_off)
    total = 0.0
    d = a.date()
    while d <= b.date():
        if is_working_day(d, off):
            w0, w1 = _window(d)
            lo, hi = max(a, w0), min(b, w1)
            if hi > lo:
                total += (hi - lo).total_seconds()
        d += _dt.timedelta(days=1)
    return total


def working_day_seconds() -> float:
    """The length of one working day (WORK_START to WORK_END)."""
    w0, w1 = _window(_dt.date(2000, 1, 3))
    return (w1 - w0).total_seconds()


def add_working_time(start: _dt.datetime, seconds: float, days_off: DaysOff | None = None) -> _dt.datetime:
    """The moment when `seconds` of working time have passed since `start`."""
    t = local(start)
    off = _dates(days_off)
    left = float(seconds)
    d = t.date()
    for _ in range(3660):  # ten years of days: a bound, never reached in practice
        if is_working_day(d, off):
            w0, w1 = _window(d)
            lo = max(t, w0)
            if lo < w1:
                room = (w1 - lo).total_seconds()
                if left <= room:
                    return lo + _dt.timedelta(seconds=left)
                left -= room
        d += _dt.timedelta(days=1)
    raise ValueError("working time could not be reached within ten years")
