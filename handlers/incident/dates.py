"""When something happened, as a worker types it: 「今日10時頃」「さっき」「11/20 15:30」.

`parse(text, now)` returns a When (a datetime or "unknown", how precise, whether approximate)
or raises Unreadable with a polite reason (unreadable, in the future). The caller shows
`When.display()` back to the worker for confirmation before anything is recorded.

Read: さっき・先ほど・たった今・いま; N分前・N時間前・N日前; 今日・本日・今朝・昨日・昨夜・一昨日;
11/20, 11月20日, 2026/11/20, 2026年11月20日, 2026-11-20T15:30, 20日; 15:30, 15時, 15時30分, 3時半,
午前・午後・朝・昼・夕方・夜; 頃・ごろ・くらい・ぐらい・前後 (approximate); 不明・分からない.
A date without a year is read by handlers.said_dates (the one reader of typed days): the most recent
such date (11/20 typed in January is last year's), except a date only days ahead whose latest past
reading is far back (「12/4」 typed on 12/1): NotYet asks for it again rather than take last year's.
"""
from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from dataclasses import dataclass

from handlers import said_dates, workdays

FUTURE_SLACK = _dt.timedelta(minutes=5)
UNKNOWN_WORDS = ("不明", "わからない", "分からない", "わかりません", "分かりません", "覚えていない", "おぼえていない",
                 "unknown", "不詳")
NOW_WORDS = ("ついさっき", "今さっき", "いまさっき", "たった今", "たったいま", "さっき", "先ほど", "先程", "さきほど",
             "ただいま", "今", "いま", "now")
APPROX = re.compile(r"頃|ごろ|ころ|くらい|ぐらい|位|前後|程度|ほど|あたり|辺り|過ぎ|すぎ|約|およそ|だいたい|大体|たぶん|多分")
PART_OF_DAY = {"早朝": 6, "朝": 8, "午前中": 10, "昼前": 11, "昼": 12, "お昼": 12, "昼過ぎ": 13, "午後": None,
               "夕方": 17, "晩": 20, "夜": 20, "夜中": 23, "深夜": 23}
PM_WORDS = ("午後", "夕方", "晩", "夜", "深夜", "夜中")
AM_WORDS = ("午前", "朝", "早朝", "今朝")


class Unreadable(ValueError):
    """The text is not a time we can read (the message says why, politely)."""


class NotYet(Unreadable):
    """「12/4」 typed on 12/1 (said_dates.NotYet): this year's is still to come, last year's is a year
    back. Neither is taken; the worker is asked again (`what`: the question's label, 「発生日時」)."""

    def __init__(self, day: _dt.date, past: _dt.date, what: str = "日付"):
        self.day, self.past = day, past
        super().__init__(not_yet_text(day, past, what))


def not_yet_text(day: _dt.date, past: _dt.date, what: str = "日付") -> str:
    return (f"{day.month}月{day.day}日は今日より後の日付です。{what}をもう一度教えてください"
            f"（{past.year}年{past.month}月{past.day}日のことでしたら、「{past.year}/{past.month}/{past.day}」"
            "のように年も入れてください）。")


@dataclass(frozen=True)
class When:
    dt: _dt.datetime | None          # None: unknown
    precision: str                   # "minute" | "date" | "unknown"
    approx: bool = False
    text: str = ""                   # what the worker typed

    def display(self) -> str:
        if self.dt is None:
            return "不明"
        if self.precision == "date":
            return f"{workdays.format_date(self.dt.date())}（時刻不明）"
        return workdays.format_jst(self.dt) + ("頃" if self.approx else "")

    def as_value(self) -> dict:
        return {"iso": workdays.iso(self.dt) if self.dt else None, "precision": self.precision,
                "approx": self.approx, "text": self.text, "display": self.display()}

    @classmethod
    def from_value(cls, v: dict) -> "When":
        dt = workdays.parse(v["iso"]) if v.get("iso") else None
        return cls(dt, v.get("precision") or ("minute" if dt else "unknown"), bool(v.get("approx")), v.get("text") or "")


def _norm(text: str) -> str:
    t = unicodedata.normalize("NFKC", text or "").strip()
    return re.sub(r"\s+", " ", t)


_KANJI_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _kanji_small(s: str) -> int | None:
    """一 … 九十九 (enough for hours, minutes, days, months)."""
    if not s:
        return None
    if s.isdigit():
        return int(s)
    if "十" in s:
        a, _, b = s.partition("十")
        tens = _KANJI_DIGITS.get(a, None) if a else 1
        ones = _KANJI_DIGITS.get(b, None) if b else 0
        if tens is None or ones is None:
            return None
        return tens * 10 + ones
    if len(s) == 1 and s in _KANJI_DIGITS:
        return _KANJI_DIGITS[s]
    return None


_NUM = r"(\d{1,4}|[一二三四五六七八九十〇]{1,3})"


def _int(s: str | None) -> int | None:
    return _kanji_small(s) if s else None


def _relative(t: str, now: _dt.datetime) -> _dt.datetime | None:
    m = re.search(_NUM + r"\s*(分|時間|日|週間)\s*(?:ほど|くらい|ぐらい|程度)?\s*(?:前|まえ)", t)
    if not m:
        if re.search(r"半日\s*前", t):
            return now - _dt.timedelta(hours=12)
        if re.search(r"(?<!\d)半時間|30分\s*前", t):
            return now - _dt.timedelta(minutes=30)
        return None
    n = _int(m.group(1))
    if n is None:
        return None
    unit = m.group(2)
    delta = {"分": _dt.timedelta(minutes=n), "時間": _dt.timedelta(hours=n), "日": _dt.timedelta(days=n),
             "週間": _dt.timedelta(weeks=n)}[unit]
    return now - delta


def _date_part(t: str, today: _dt.date) -> tuple[_dt.date | None, str]:
    """The date the text names (or None) and the text with the date removed."""
    words = [("明後日", 2), ("あさって", 2), ("明日", 1), ("あした", 1), ("あす", 1), ("一昨日", -2), ("おととい", -2), ("昨日", -1), ("きのう", -1), ("昨晩", -1), ("昨夜", -1), ("ゆうべ", -1),
             ("今日", 0), ("きょう", 0), ("本日", 0), ("今朝", 0), ("けさ", 0), ("今晩", 0), ("今夜", 0), ("今夕", 0)]
    for w, off in words:
        if w in t:
            rest = t.replace(w, " ", 1)
            if w in ("昨晩", "昨夜", "ゆうべ", "今晩", "今夜"):
                rest = "夜 " + rest
            elif w in ("今朝", "けさ"):
                rest = "朝 " + rest
            elif w == "今夕":
                rest = "夕方 " + rest
            return today + _dt.timedelta(days=off), rest
    m = re.search(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", t)
    if m:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        return _safe_date(y, mo, d), t[:m.start()] + " " + t[m.end():]
    m = re.search(r"(?<![\d:])(\d{1,2})\s*[/月]\s*(\d{1,2})\s*日?(?![\d:])", t) or \
        re.search(_NUM + r"\s*月\s*" + _NUM + r"\s*日", t)
    if m:
        mo, d = _int(m.group(1)), _int(m.group(2))
        if mo is None or d is None:
            return None, t
        try:
            dt = said_dates.month_day(mo, d, today, ahead=False)
        except said_dates.NotYet as e:
            raise NotYet(e.day, e.past) from None
        except said_dates.Unreadable:
            _invalid()
        return dt, t[:m.start()] + " " + t[m.end():]
    m = re.search(r"(?<![\d月/])" + _NUM + r"\s*日(?!前|間)", t)
    if m:
        d = _int(m.group(1))
        if d is None:
            return None, t
        dt = _safe_date(today.year, today.month, d)
        if dt is not None and dt > today:
            prev = today.replace(day=1) - _dt.timedelta(days=1)
            dt = _safe_date(prev.year, prev.month, d)
        return (dt if dt else _invalid()), t[:m.start()] + " " + t[m.end():]
    return None, t


def _invalid():
    raise Unreadable("存在しない日付のようです（例：2月30日）。もう一度入力してください。")


def _safe_date(y: int, mo: int, d: int) -> _dt.date | None:
    try:
        return _dt.date(y, mo, d)
    except ValueError:
        return None


def _time_part(t: str) -> tuple[_dt.time | None, bool]:
    """The time of day the text names (or None), and whether it was only a part of the day."""
    pm = any(w in t for w in PM_WORDS)
    am = any(w in t for w in AM_WORDS) or "午前" in t
    m = re.search(r"(\d{1,2})\s*:\s*(\d{2})", t)
    if m:
        h, mi = int(m.group(1)), int(m.group(2))
    else:
        m = re.search(_NUM + r"\s*時\s*(?:(半)|" + _NUM + r"\s*分)?", t)
        if not m:
            if len(t.strip()) > 12:      # a sentence, not 「昨日の夕方」: a part of the day alone is not a time
                return None, False
            for w in sorted(PART_OF_DAY, key=len, reverse=True):
                if w in t and PART_OF_DAY[w] is not None:
                    return _dt.time(PART_OF_DAY[w], 0), True
            return None, False
        h = _int(m.group(1))
        mi = 30 if m.group(2) else (_int(m.group(3)) if m.group(3) else 0)
        if h is None or mi is None:
            return None, False
    if pm and h < 12:
        h += 12
    elif am and h == 12:
        h = 0
    if h == 24 and mi == 0:
        h = 0
    if not (0 <= h <= 23 and 0 <= mi <= 59):
        raise Unreadable("時刻が正しくないようです（例：15:30、10時頃）。もう一度入力してください。")
    return _dt.time(h, mi), False


def parse(text: str, now: _dt.datetime | None = None) -> When:
    """Read a time as the worker typed it (see the module docstring)."""
    now = workdays.local(now or workdays.now()).replace(second=0, microsecond=0)
    raw = (text or "").strip()
    t = _norm(raw)
    if not t:
        raise Unreadable("日時が空のようです。例：「今日10時頃」「さっき」「11/20 15:30」のように入力してください。")
    low = t.lower()
    if any(w in low for w in UNKNOWN_WORDS):
        return When(None, "unknown", False, raw)
    approx = bool(APPROX.search(t))
    # ISO 8601 as a machine would give it
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?([+-]\d{2}:?\d{2}|Z)?", t):
            dt = workdays.parse(t)
            return _check(When(dt, "minute", False, raw), now)
    except ValueError:
        pass
    rel = _relative(t, now)
    if rel is not None:
        return _check(When(rel, "minute", True, raw), now)
    if t.strip("。.!！ ") in NOW_WORDS or re.fullmatch(r"(ついさっき|今さっき|たった今|さっき|先ほど|先程|さきほど|いま|今)(です|でした)?[。.!！]*", t):
        return _check(When(now, "minute", True, raw), now)
    day, rest = _date_part(t, now.date())
    tm, vague = _time_part(rest)
    if day is None and tm is None:
        if any(w in t for w in ("さっき", "先ほど", "先程", "たった今")):
            return _check(When(now, "minute", True, raw), now)
        raise Unreadable("日時として読み取れませんでした。例：「今日10時頃」「さっき」「昨日の夕方」「11/20 15:30」のように"
                         "入力してください。分からない場合は「不明」と入力してください。")
    if tm is None:
        return _check(When(_dt.datetime.combine(day, _dt.time(0, 0), now.tzinfo), "date", approx, raw), now)
    day = day or now.date()
    dt = _dt.datetime.combine(day, tm, now.tzinfo)
    return _check(When(dt, "minute", approx or vague, raw), now)


def _check(w: When, now: _dt.datetime) -> When:
    if w.dt is None:
        return w
    limit = now + FUTURE_SLACK
    if w.precision == "date":
        if w.dt.date() > now.date():
            raise Unreadable(f"{w.display()} は未来の日付のようです。起きた日を入力してください（例：「昨日」「11/20」）。")
        return w
    if w.dt > limit:
        raise Unreadable(f"{w.display()} は未来の日時のようです。前日以前のことでしたら、日付も入れてください"
                         "（例：「昨日22時頃」「11/20 15:30」）。")
    return w
