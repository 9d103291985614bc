"""Small talk and stray input: a short friendly reply, never a rule search or a question to a lead.

「ありがとう」「はい」「了解です」「おつかれさまです」, a lone number or letter, an emoji or a
stray symbol are not questions. Answering them with "no rule found" and forwarding them to the
lead (who was then reminded, and the officer after) filled digests and `kb gaps` with noise.
"""
from __future__ import annotations

import re
import unicodedata

from knowledge import romaji
from knowledge.textnorm import LINK as LINK_RE, kata_to_hira, without_emoji_codes

THANKS = "どういたしまして。ほかにも決まりについて気になることがあれば、いつでも聞いてください。"
ACK = "承知しました。決まりについて知りたいことがあれば、文章で聞いてください（例：「USBメモリを使ってもいいですか」）。"
GREETING = "こんにちは。情報セキュリティの決まりについて、知りたいことを文章で聞いてください（例：「離席するときは画面をロックしますか」）。"
TIRED = "おつかれさまです。決まりについて気になることがあれば、いつでも聞いてください。"
APOLOGY = "いえいえ、お気になさらず。決まりについて気になることがあれば、いつでも聞いてください。"
LINK = ("リンクを受け取りましたが、mamoru はリンク先の内容を開いて読むことはできません。決まりについて知りたいことを"
        "文章で聞いてください（例：「このサイトに市のデータをアップロードしてもいいですか」）。")
# What people write with a link they only pass on: 「これ見て」「共有します」「参考まで」.
_PASSING = ("", "これ", "これみて", "これ見て", "みて", "見て", "みてください", "見てください", "これみてください", "これ見てください",
            "見といて", "みといて", "見ておいてください", "こちら", "こちらです", "これです", "どうぞ",
            "参考", "参考まで", "ご参考まで", "共有", "共有します", "共有です", "ご確認ください", "確認お願いします", "確認おねがいします",
            "確認してください", "fyi", "link", "リンク", "りんく", "url", "どう", "どうですか", "これどう", "これは")
STRAY = ("入力を受け取りましたが、質問として読み取れませんでした。決まりについて知りたいことを文章で聞いてください"
         "（例：「私物のUSBメモリを使ってもいいですか」）。")

# Whole messages (after normalising and dropping punctuation, emoji and trailing 「です」「ます」).
_KINDS: list[tuple[str, tuple[str, ...]]] = [
    (THANKS, ("ありがとう", "ありがとうございます", "ありがとうございました", "ありがと", "あざす", "あざっす", "あざーす",
              "サンキュー", "さんきゅー", "thanks", "thank you", "thankyou", "thx", "ty", "感謝", "感謝します", "助かりました",
              "助かります", "たすかりました", "助かった", "どうも", "どうもありがとう", "了解ありがとう", "わかりましたありがとう")),
    (ACK, ("はい", "はーい", "はいはい", "うん", "ええ", "了解", "りょうかい", "了解しました", "りょ", "りょーかい", "承知", "承知しました",
           "かしこまりました", "わかりました", "分かりました", "わかった", "分かった", "なるほど", "ok", "okです", "おk", "オッケー",
           "おっけー", "いいね", "そうですか", "そうなんだ", "そっか", "はあく", "把握", "把握しました", "確認しました", "yes",
           "no", "いいえ", "いや", "大丈夫", "だいじょうぶ", "もういい", "やっぱりいい", "以上", "了解です", "承知です", "ok牧場")),
    (GREETING, ("こんにちは", "こんばんは", "おはよう", "おはようございます", "はじめまして", "よろしく", "よろしくお願いします",
                "よろしくおねがいします", "hello", "hi", "hey", "やあ", "もしもし", "テスト", "test")),
    (TIRED, ("おつかれさま", "おつかれさまです", "お疲れさま", "お疲れ様", "お疲れ様です", "お疲れさまです", "おつかれ", "お疲れ",
             "おつ", "乙", "おつです", "お先に失礼します", "お先です", "失礼します", "おやすみ", "おやすみなさい")),
    (APOLOGY, ("すみません", "すいません", "ごめん", "ごめんなさい", "失礼しました", "申し訳ない", "申し訳ありません")),
]
_DROP = re.compile(r"[\s!！?？。、,.・…~〜ー\-ｰ♪☆★笑]+")
_ENDINGS = ("です", "っす", "す")


def _core(text: str) -> str:
    # katakana read as hiragana: 「ｱﾘｶﾞﾄｳ」「リョウカイ」 (a phone's half-width keyboard) are 「ありがとう」「りょうかい」
    t = kata_to_hira(unicodedata.normalize("NFKC", text or "").lower())
    t = "".join(ch for ch in t if not _is_symbol(ch))
    return _DROP.sub("", t)


def _is_symbol(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat.startswith("S") or cat in ("Cf", "Co", "Cn") or ch in "\u200d\ufe0f"


_PASSING_CORES = frozenset(_core(p) for p in _PASSING)
# The phrases as a message is compared: 「りょーかい」「サンキュー」 lose their 「ー」 as typed messages do.
_TABLE = {_core(p): reply for reply, phrases in _KINDS for p in phrases}


# When a message holds several kinds, the reply answers the one that asks for it most.
_PRIORITY = (THANKS, APOLOGY, TIRED, GREETING, ACK)
_LONGEST = max(map(len, _TABLE))


def _kind(core: str) -> str | None:
    """The reply to one small-talk phrase, perhaps followed by 「です」「っす」 (「了解です」), or None."""
    if core in _TABLE:
        return _TABLE[core]
    for end in _ENDINGS:
        if core.endswith(end) and core[: -len(end)] in _TABLE:
            return _TABLE[core[: -len(end)]]
    return None


def _phrases(core: str) -> list[str] | None:
    """The replies of the small-talk phrases that make up the whole of core, each perhaps followed by
    「です」「っす」, in order; None when any part of it is something else."""
    if len(core) > 4 * _LONGEST:
        return None
    # best[k]: the replies of a split of core[:k] into phrases, or None when there is none
    best: list[list[str] | None] = [[]] + [None] * len(core)
    for k in range(1, len(core) + 1):
        for j in range(max(0, k - _LONGEST - 3), k):
            if best[j] is None:
                continue
            kind = _kind(core[j:k])
            if kind is not None:
                best[k] = best[j] + [kind]
                break
    return best[-1] if best[-1] and len(best[-1]) > 1 else None


def reply(text: str) -> str | None:
    """The friendly reply when the message is small talk or stray input, else None."""
    raw = without_emoji_codes(unicodedata.normalize("NFKC", text or "")).strip()
    if not raw:
        return STRAY if (text or "").strip() else None   # 「:+1:」 alone: an emoji as Slack writes it
    if LINK_RE.search(raw) and _core(LINK_RE.sub(" ", raw)) in _PASSING_CORES:
        return LINK   # a link passed on with nothing asked about it
    core = _core(raw)
    if not core:  # only emoji, symbols or punctuation
        return STRAY
    one = _kind(core)
    if one is not None:
        return one
    # Several in one message (「了解です、ありがとうございます🙏」「お疲れ様です！よろしくお願いします」).
    several = _phrases(core)
    if several:
        return next((r for r in _PRIORITY if r in several), several[0])
    # Typed in romaji (「arigatou gozaimasu」「ryoukai desu」): the same words in kana.
    latin = raw.lower().strip(" !！?？.。〜~")
    if re.fullmatch(r"[a-z' ]+", latin):
        kana = [romaji.word_to_kana(w) for w in latin.split()]
        if all(kana):
            found = reply("".join(kana))
            if found is not None and found != STRAY:
                return found
    # A lone number or a single latin letter (a stray key, a choice typed with nothing to choose).
    if re.fullmatch(r"[0-9]+|[a-z]", core):
        return STRAY
    return None
