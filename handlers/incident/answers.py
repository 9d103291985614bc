"""Reading one answer of the report, by kind: a choice, a time, free text, a count, a domain.

Each reader takes what the worker typed and returns a value dict ready to store, or raises
Invalid with a polite message saying what to type instead. Free text is masked here (the
stored value never holds the personal data); the value says which kinds were hidden.

Value dicts: {"v": machine value, "d": what is shown, ...}; text adds "masked": [kinds] and
"chars": its length; datetime values are handlers.incident.dates.When.as_value() plus "v".
"""
from __future__ import annotations

import re
import unicodedata

from handlers.incident import dates, mask
from handlers.incident.content import Question

LONG_ANSWER = 10_000          # beyond this, the summary says the whole text is kept for the report
SHOWN_CHARS = 300             # characters of one answer shown in a summary or a notice

YES_WORDS = {"はい", "yes", "y", "ok", "おk", "オッケー", "そうです", "あってる", "合ってる", "合っています", "あっています",
             "それで", "それでいい", "それでお願いします", "お願いします", "正しい", "大丈夫", "了解", "うん"}
NO_WORDS = {"いいえ", "no", "n", "違う", "ちがう", "違います", "ちがいます", "間違い", "まちがい", "入力し直す", "やり直す"}
_UNKNOWN = ("不明", "わからない", "分からない", "わかりません", "分かりません", "不詳", "unknown", "?", "？")


class Invalid(ValueError):
    """The answer cannot be used as it is (the message says why and what to type)."""


def norm(text: str) -> str:
    t = unicodedata.normalize("NFKC", text or "").strip().lower()
    return re.sub(r"[\s。、．，,.!！]+$", "", re.sub(r"\s+", " ", t))


def is_yes(text: str) -> bool:
    return norm(text) in YES_WORDS


def is_no(text: str) -> bool:
    return norm(text) in NO_WORDS


def meaningful(text: str) -> bool:
    return bool(re.sub(r"[\s\u3000。、．，,.・!！?？ー―\-_~〜…「」『』()（）\[\]［］]+", "", text or ""))


def short(text: str, n: int = SHOWN_CHARS) -> str:
    t = (text or "").strip()
    if len(t) <= n:
        return t
    return f"{t[:n]}…（全 {len(t):,} 文字。全文は報告書に記載します）"


# ---- readers ------------------------------------------------------------------------------

def choice_value(q: Question, choice_id: str, label: str | None = None) -> dict:
    c = q.choice(choice_id)
    return {"v": choice_id, "d": label or (c.label if c else choice_id)}


def match_choice(q: Question, text: str, keywords: dict[str, tuple[str, ...]] | None = None) -> str | None:
    """The choice a typed answer names, or None (ambiguous or unknown)."""
    t = norm(text)
    if not t:
        return None
    ids = [c.id for c in q.choices]
    if "yes" in ids and t in YES_WORDS:
        return "yes"
    if "no" in ids and t in NO_WORDS:
        return "no"
    if "unknown" in ids and any(w in t for w in _UNKNOWN):
        return "unknown"
    exact = [c.id for c in q.choices if norm(c.label) == t or c.id == t]
    if exact:
        return exact[0]
    hits = [c.id for c in q.choices if len(t) >= 2 and (t in norm(c.label) or norm(c.label) in t)]
    if len(hits) == 1:
        return hits[0]
    if keywords:
        scored = [(sum(1 for k in kws if norm(k) in t), cid) for cid, kws in keywords.items()]
        scored = [s for s in scored if s[0] > 0]
        scored.sort(reverse=True)
        if scored and (len(scored) == 1 or scored[0][0] > scored[1][0]):
            return scored[0][1]
    return None


# Short words that can be an answer themselves (「これまでの対応」: 「いいえ」「確認しました」), though small talk elsewhere.
_SHORT_ANSWERS = {"はい", "いいえ", "yes", "no", "いや", "大丈夫", "だいじょうぶ", "確認しました", "以上", "なし"}


def typed_text_value(text: str) -> dict:
    """A typed answer to a free-text question: as text_value, but an acknowledgement, thanks, an emoji or
    a stray key (「了解です」「👍」「3」「a」, handlers.smalltalk) is asked again rather than recorded."""
    from handlers import smalltalk

    said = smalltalk.reply(text) if meaningful(text) else None      # an empty answer is told so by text_value
    if said is not None and said != smalltalk.LINK and norm(text) not in _SHORT_ANSWERS:
        shown = " ".join((text or "").split())[:20]
        raise Invalid(f"「{shown}」は回答として記録しませんでした。この質問へのお答えを文章で入力してください"
                      "（分からない場合は「不明」と入力してください）。")
    return text_value(text)


def text_value(text: str) -> dict:
    if not meaningful(text):
        raise Invalid("回答が空のようです。分かる範囲で、文章で入力してください（分からない場合は「不明」と入力してください）。")
    m = mask.mask(text.strip())
    return {"v": m.text, "d": m.text, "masked": list(m.kinds), "chars": len(m.text)}


_KANJI = {"〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_KANJI_UNITS = {"十": 10, "百": 100, "千": 1000}


def _kanji_number(s: str) -> int | None:
    total, section, digit = 0, 0, None
    for ch in s:
        if ch in _KANJI:
            digit = _KANJI[ch]
        elif ch in _KANJI_UNITS:
            section += (digit if digit is not None else 1) * _KANJI_UNITS[ch]
            digit = None
        elif ch == "万":
            total += (section + (digit or 0)) * 10_000
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


_UNIT = r"(件|人|名|枚|通|ファイル|個|台|部|冊|行|レコード|世帯|箇所|社)"


def count_value(text: str) -> dict:
    v = _count_value(text)
    m = mask.mask(v.get("text") or "")      # the words typed with the count are stored too: masked
    v["text"], v["masked"] = m.text, list(m.kinds)
    return v


def _count_value(text: str) -> dict:
    raw = (text or "").strip()
    t = unicodedata.normalize("NFKC", raw).strip()
    if not meaningful(t):
        raise Invalid("件数が空のようです。数字で入力してください（例：「約120件」「3人」「0」）。分からない場合は「不明」を押してください。")
    if any(w in t.lower() for w in _UNKNOWN):
        return {"v": None, "d": "不明", "text": raw}
    if re.fullmatch(r"(なし|無し|ない|ありません|ゼロ|0件?)", t):
        return {"v": 0, "d": "0件", "text": raw}
    approx = bool(re.search(r"約|およそ|くらい|ぐらい|程度|前後|ほど|以上|以下|未満|超|数", t))
    unit_m = re.search(_UNIT, t)
    unit = unit_m.group(1) if unit_m else "件"
    if re.search(r"数[十百千万]", t):
        return {"v": None, "d": f"{re.search(r'数[十百千万]+', t).group(0)}{unit}（概数）", "approx": True, "text": raw}
    m = re.search(r"\d[\d,]*", t)
    n = None
    if m:
        n = int(m.group(0).replace(",", ""))
        rest = t[m.end():]
        if rest.startswith("万"):
            n *= 10_000
    else:
        k = re.search(r"[〇零一二三四五六七八九十百千万]+", t)
        n = _kanji_number(k.group(0)) if k else None
    if n is None:
        raise Invalid("件数として読み取れませんでした。数字で入力してください（例：「約120件」「3人」「0」）。"
                      "分からない場合は「不明」を押してください。")
    suffix = "以上" if "以上" in t else ("未満" if "未満" in t else ("以下" if "以下" in t else ""))
    prefix = "約" if approx and not suffix else ""
    return {"v": n, "d": f"{prefix}{n:,}{unit}{suffix}", "approx": approx, "text": raw}


_DOMAIN = re.compile(r"^(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$")


def domain_value(text: str) -> tuple[dict, str]:
    """(value, note): the recipient's domain (the part before @ is never stored), or the text for a FAX."""
    raw = (text or "").strip()
    if not meaningful(raw):
        raise Invalid("回答が空のようです。誤送信先のドメイン（例：example.co.jp）を入力してください。")
    t = unicodedata.normalize("NFKC", raw).strip().strip("<>「」『』\"'").lower()
    if "@" in t:
        dom = t.rsplit("@", 1)[1].strip().rstrip(".。、,")
        if _DOMAIN.match(dom):
            return ({"v": dom, "d": dom, "masked": ["email"]},
                    "メールアドレスの @ より前は個人を特定できるため記録せず、ドメインだけを記録しました。")
    if _DOMAIN.match(t.rstrip(".")):
        dom = t.rstrip(".")
        return {"v": dom, "d": dom, "masked": []}, ""
    v = typed_text_value(raw)
    return v, ""


def when_value(w: dates.When) -> dict:
    v = w.as_value()
    v["v"] = v["iso"]
    v["d"] = mask.mask_text(w.display())
    m = mask.mask(v.get("text") or "")      # the words typed with the date are stored too: masked
    v["text"], v["masked"] = m.text, list(m.kinds)
    return v


def read_when(text: str, now, what: str = "") -> dates.When:
    """`what`: the question's label (「発生日時」), named when a date is asked for again."""
    try:
        return dates.parse(text, now)
    except dates.NotYet as e:
        raise Invalid(dates.not_yet_text(e.day, e.past, what) if what else str(e)) from e
    except dates.Unreadable as e:
        raise Invalid(str(e)) from e
