"""A cell's value as Excel shows it: 1 not 1.0, 「2026/4/1」 or 「令和8年4月1日」 not ``2026-04-01 00:00:00``,
「第3条」 from a number formatted ``"第"0"条"``, 「12.5%」, 「1,200」.

Only what a security attachment's cells hold is covered: General, fixed decimals, thousands separators,
percent, quoted and escaped literal text around the number, dates and times (Japanese eras ``ggge``, weekdays
``aaa``, ``[DBNum1]`` kanji digits) and the Japanese built-in formats (ids 27–36 and 50–58, which openpyxl
does not know and would show as a plain serial number). Anything else falls back to General.
"""
from __future__ import annotations

import datetime as _dt
import re
from decimal import ROUND_HALF_UP, Decimal

from openpyxl.styles.numbers import BUILTIN_FORMATS
from openpyxl.utils.datetime import from_excel

# Built-in formats as a Japanese Excel shows them (14 and 22 follow the system's short date: yyyy/m/d)
_JA_BUILTIN = {14: "yyyy/m/d", 22: "yyyy/m/d h:mm",
               27: '[$-411]ge.m.d', 28: '[$-411]ggge"年"m"月"d"日"', 29: '[$-411]ggge"年"m"月"d"日"',
               30: "m/d/yy", 31: 'yyyy"年"m"月"d"日"', 32: 'h"時"mm"分"', 33: 'h"時"mm"分"ss"秒"',
               34: 'yyyy"年"m"月"', 35: 'm"月"d"日"', 36: '[$-411]ge.m.d',
               50: '[$-411]ge.m.d', 51: '[$-411]ggge"年"m"月"d"日"', 52: 'yyyy"年"m"月"', 53: 'm"月"d"日"',
               54: '[$-411]ggge"年"m"月"d"日"', 55: 'yyyy"年"m"月"', 56: 'm"月"d"日"', 57: '[$-411]ge.m.d',
               58: '[$-411]ggge"年"m"月"d"日"'}

# (first day, name, initial): the eras a city's dates fall in
_ERAS = ((_dt.date(2019, 5, 1), "令和", "R"), (_dt.date(1989, 1, 8), "平成", "H"), (_dt.date(1926, 12, 25), "昭和", "S"),
         (_dt.date(1912, 7, 30), "大正", "T"), (_dt.date(1868, 1, 25), "明治", "M"))
_WEEKDAYS_JA = "月火水木金土日"
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_FULL_WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_KANJI_DIGITS = "〇一二三四五六七八九"
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

_RE_DATE_CODE = re.compile(r"[ymdhsgea]", re.I)
_RE_BRACKET = re.compile(r"\[[^\]]*\]")
_RE_QUOTED = re.compile(r'"[^"]*"|\\.|_.|\*.')


def format_code(fmt_id: int | None, code: str | None) -> str:
    """The format code a cell's style names (a Japanese built-in id wins over openpyxl's General)."""
    if fmt_id is not None and fmt_id in _JA_BUILTIN:
        return _JA_BUILTIN[fmt_id]
    if code:
        return code
    return BUILTIN_FORMATS.get(fmt_id or 0, "General")


def is_date_code(code: str) -> bool:
    body = _RE_QUOTED.sub("", _RE_BRACKET.sub("", code.split(";")[0]))
    body = re.sub(r"E[+-]", "", body)
    return bool(_RE_DATE_CODE.search(body)) and "General" not in code


def shown(value, code: str, epoch=None) -> str:
    """The text Excel shows for ``value`` (already a Python value) under format ``code``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, str):
        return value
    try:
        if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
            return _date(value, code if is_date_code(code) else "yyyy/m/d")
        if isinstance(value, _dt.timedelta):
            secs = int(value.total_seconds())
            return f"{secs // 3600}:{secs % 3600 // 60:02d}"
        if isinstance(value, (int, float)):
            if is_date_code(code):
                try:
                    return _date(from_excel(value, epoch) if epoch else from_excel(value), code)
                except (ValueError, OverflowError, TypeError):
                    return _general(value)
            return _number(value, code)
    except Exception:  # noqa: BLE001 - an odd format code never loses the value
        return _general(value) if isinstance(value, (int, float)) else str(value)
    return str(value)


def _general(v) -> str:
    if isinstance(v, float):
        if v.is_integer() and abs(v) < 1e15:
            return str(int(v))
        s = f"{v:.10g}"
        return s.replace("e+", "E+").replace("e-", "E-")
    return str(v)


def _sections(code: str, v: float) -> tuple[str, bool]:
    """(the section of a 「pos;neg;zero;text」 code that applies, whether the sign is written by it)."""
    parts = code.split(";")
    if v < 0 and len(parts) >= 2 and parts[1].strip():
        return parts[1], True
    if v == 0 and len(parts) >= 3 and parts[2].strip():
        return parts[2], False
    return parts[0], False


def _number(v, code: str) -> str:
    if not code or code == "General" or code == "@":
        return _general(v)
    section, signed = _sections(code, v)
    dbnum = re.search(r"\[DBNum([123])\]", section, re.I)
    section = _RE_BRACKET.sub("", section)
    if signed:
        v = -v
    # the numeric core: the run of 0 # ? , . % between literal parts
    tokens = re.findall(r'"[^"]*"|\\.|_.|\*.|[0#?,.%]+|E[+-]0+|[^"\\_*0#?,.%]', section)
    core_at = next((i for i, t in enumerate(tokens) if re.fullmatch(r"[0#?,.%]+", t) and re.search(r"[0#?]", t)), None)
    if core_at is None:
        lits = "".join(_literal(t) for t in tokens)
        return lits or _general(v)
    core = tokens[core_at]
    percent = "%" in "".join(tokens)
    x = v * 100 if percent else v
    decimals = len(core.split(".", 1)[1].rstrip("%,")) if "." in core else 0
    thousands = "," in core.split(".")[0] and not core.split(".")[0].endswith(",")
    q = Decimal(repr(abs(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)   # Excel rounds half up
    body = f"{q:,.{decimals}f}" if thousands else f"{q:.{decimals}f}"
    if "." in core:
        frac_pat = core.split(".", 1)[1].rstrip("%,")
        optional = len(frac_pat) - len(frac_pat.rstrip("#"))
        if optional and "." in body:
            keep = len(body.split(".")[1]) - optional
            head, frac = body.split(".")
            frac = frac[:keep] + frac[keep:].rstrip("0")
            body = head + ("." + frac if frac else ("." if core.split(".", 1)[1].startswith("#") else ""))
            body = body.rstrip(".")
    if re.fullmatch(r"#+", core.split(".")[0].replace(",", "")) and body.startswith("0") and abs(x) < 1 and "." in body:
        body = body[1:]
    if dbnum:
        body = _dbnum(body, dbnum.group(1))
    sign = "-" if x < 0 and not signed else ""
    out = []
    for i, t in enumerate(tokens):
        if i == core_at:
            out.append(sign + body + ("%" if "%" in t else ""))
        elif re.fullmatch(r"[0#?,.%]+", t):
            out.append("%" if "%" in t else "")
        else:
            out.append(_literal(t))
    return "".join(out)


def _literal(t: str) -> str:
    if t.startswith('"') and t.endswith('"') and len(t) >= 2:
        return t[1:-1]
    if t.startswith("\\") and len(t) == 2:
        return t[1]
    if t.startswith("_") and len(t) == 2:
        return " " if t[1] in ")" else ""
    if t.startswith("*"):
        return ""
    if t == "@":
        return ""
    return t


def _dbnum(digits: str, kind: str) -> str:
    if kind == "3":
        return digits.translate(_FULLWIDTH)
    return re.sub(r"\d+", lambda m: _kanji_number(int(m.group())), digits)


def _kanji_number(n: int) -> str:
    if n == 0:
        return "〇"
    out = ""
    for unit, ch in ((10000, "万"), (1000, "千"), (100, "百"), (10, "十")):
        q, n = divmod(n, unit)
        if q:
            out += ("" if q == 1 and unit != 10000 else _kanji_number(q)) + ch
    return out + (_KANJI_DIGITS[n] if n else "")


def _era(d: _dt.date) -> tuple[str, str, int]:
    for first, name, initial in _ERAS:
        if d >= first:
            return name, initial, d.year - first.year + 1
    return "", "", d.year


def _date(value, code: str) -> str:
    section = code.split(";")[0]
    dbnum = re.search(r"\[DBNum([123])\]", section, re.I)
    section = _RE_BRACKET.sub(lambda m: "[h]" if m.group().lower() in ("[h]", "[hh]") else "", section)
    if isinstance(value, _dt.time):
        value = _dt.datetime.combine(_dt.date(1899, 12, 31), value)
    elif not isinstance(value, _dt.datetime):
        value = _dt.datetime.combine(value, _dt.time())
    ampm = bool(re.search(r"AM/PM|A/P|午前/午後", section, re.I))
    tokens = re.findall(r'"[^"]*"|\\.|_.|\*.|AM/PM|A/P|午前/午後|\[h\]|y+|m+|d+|h+|s+|g+|e+|a{3,4}|[^"\\_*]', section, re.I)
    out: list[str] = []
    for i, t in enumerate(tokens):
        low = t.lower()
        if low[:1] == "m" and re.fullmatch(r"m+", low):
            prev = next((x.lower() for x in reversed(tokens[:i]) if re.fullmatch(r"[hsdy]+|\[h\]", x.lower())), "")
            nxt = next((x.lower() for x in tokens[i + 1:] if re.fullmatch(r"[hsdy]+", x.lower())), "")
            minute = len(low) <= 2 and (prev.startswith(("h", "[h")) or nxt.startswith("s"))
            if minute:
                out.append(f"{value.minute:02d}" if len(low) == 2 else str(value.minute))
            elif len(low) == 1:
                out.append(str(value.month))
            elif len(low) == 2:
                out.append(f"{value.month:02d}")
            elif len(low) == 3:
                out.append(_MONTHS_EN[value.month - 1])
            else:
                out.append(value.strftime("%B"))
        elif re.fullmatch(r"y+", low):
            out.append(str(value.year) if len(low) > 2 else f"{value.year % 100:02d}")
        elif re.fullmatch(r"d+", low):
            out.append({1: str(value.day), 2: f"{value.day:02d}", 3: _WEEKDAYS_EN[value.weekday()]}.get(
                len(low), _FULL_WEEKDAYS_EN[value.weekday()]))
        elif re.fullmatch(r"a{3,4}", low):
            out.append(_WEEKDAYS_JA[value.weekday()] + ("曜日" if len(low) == 4 else ""))
        elif re.fullmatch(r"g+", low):
            name, initial, _ = _era(value.date())
            out.append({1: initial, 2: name[:1]}.get(len(low), name))
        elif re.fullmatch(r"e+", low):
            _, _, year = _era(value.date())
            out.append(f"{year:02d}" if len(low) >= 2 else str(year))
        elif low == "[h]":
            out.append(str(int((value - _dt.datetime(1899, 12, 30)).total_seconds() // 3600)))
        elif re.fullmatch(r"h+", low):
            h = value.hour % 12 or 12 if ampm else value.hour
            out.append(f"{h:02d}" if len(low) == 2 else str(h))
        elif re.fullmatch(r"s+", low):
            out.append(f"{value.second:02d}" if len(low) == 2 else str(value.second))
        elif low in ("am/pm", "a/p"):
            out.append(("AM" if value.hour < 12 else "PM") if low == "am/pm" else ("A" if value.hour < 12 else "P"))
        elif t == "午前/午後":
            out.append("午前" if value.hour < 12 else "午後")
        else:
            out.append(_literal(t))
    text = "".join(out)
    if dbnum:
        text = _dbnum(text, dbnum.group(1))
    return text
