"""Character-level normalisation shared by indexing and querying."""
from __future__ import annotations

import re
import unicodedata

# Dashes and long-vowel look-alikes people type for ー (full-width text, IME slips).
_LONG_VOWEL = re.compile(r"(?<=[\u30a0-\u30ff])[-‐‑‒–—―−ｰ~〜～](?=[\u30a0-\u30ff]|$)")
_SPACE = re.compile(r"\s+")
# Kept for bigrams: letters, digits, kana, kanji. Everything else is a separator.
_NON_WORD = re.compile(r"[^0-9a-z\u3041-\u3096\u30a1-\u30fa\u30fc\u4e00-\u9fff\u3005]+")


def nfkc(text: str) -> str:
    """NFKC, lower case, unified long vowel mark; whitespace collapsed."""
    t = unicodedata.normalize("NFKC", text or "").lower()
    t = _LONG_VOWEL.sub("ー", t)
    return _SPACE.sub(" ", t).strip()


FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def to_int(s: str) -> int:
    """The value of a number as documents write it: 3, ３, 三, 十二, 二十, 一〇 (positional)."""
    s = s.translate(FULLWIDTH_DIGITS).strip()
    if s.isdigit():
        return int(s)
    digits = "〇一二三四五六七八九"
    if all(c in digits or c == "零" for c in s):   # positional: 一〇 = 10
        return int("".join(str(digits.index(c)) if c != "零" else "0" for c in s))
    units = {"十": 10, "百": 100, "千": 1000}
    total, cur = 0, 0
    for c in s:
        if c in units:
            total += (cur or 1) * units[c]
            cur = 0
        elif c in digits:
            cur = digits.index(c)
    return total + cur


# A kanji (or the repeat mark 々): a question without one was typed in kana or romaji.
KANJI = re.compile(r"[\u4e00-\u9fff\u3005]")
# Spaces between kana words: romaji converted word by word (「jibun no」), or a question typed in kana
# with spaces (分かち書き, 「つい さいごまで よんじゃった」). Japanese is written without them.
KANA_GAP = re.compile(r"(?<=[\u3041-\u30ff])[ \t\u3000]+(?=[\u3041-\u30ff])")
_VOWEL_KANA = {"A": "あ", "I": "い", "U": "う", "E": "え", "O": "お"}


def long_vowels(kana: str) -> str:
    """ぱすわーど -> ぱすわあど: romaji writes a long vowel twice (pasuwaado)."""
    out: list[str] = []
    for ch in kana:
        if ch == "ー" and out:
            name = unicodedata.name(out[-1], "")
            if name.startswith("HIRAGANA LETTER") and name[-1] in _VOWEL_KANA:
                ch = _VOWEL_KANA[name[-1]]
        out.append(ch)
    return "".join(out)


def hira_to_kata(text: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "\u3041" <= c <= "\u3096" else c for c in text)


def kata_to_hira(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "\u30a1" <= c <= "\u30f6" else c for c in text)


def word_chars(text: str) -> list[str]:
    """Runs of word characters of normalised text (separators dropped)."""
    return [r for r in _NON_WORD.split(nfkc(text)) if r]


def bigrams(text: str) -> list[str]:
    """Character bigrams within each run; a one-character run counts as itself."""
    out: list[str] = []
    for run in word_chars(text):
        if len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out


# A link pasted into a message (Slack writes it <https://host/path|label>): its scheme, domain endings and
# path are not the asker's words (「https」 is not a question on encrypted connections); its host names
# the service (drive.google.com -> drive google), and a label is what the person wrote.
LINK = re.compile(r"<?(?:https?|ftp)://([^\s/<>|?#]+)[^\s<>|]*(?:\|([^>]*))?>?|<?\bwww\.([^\s/<>|?#]+)[^\s<>|]*>?", re.I)
_HOST_NOISE = frozenset("www www2 com net org jp co go lg ne or ac ed gr ad html htm pdf php aspx index cgi".split())


def without_links(text: str) -> str:
    """Text with each link replaced by the words of its host (and its label, if it has one)."""
    def words(m: re.Match) -> str:
        host = (m.group(1) or m.group(3) or "").split(":")[0]
        kept = [p for p in re.split(r"[.\-]", host.lower()) if p and p not in _HOST_NOISE and not p.isdigit()]
        return " " + " ".join(kept + ([m.group(2)] if m.group(2) else [])) + " "
    return LINK.sub(words, text or "") if "://" in (text or "") or "www." in (text or "").lower() else text or ""


# An emoji as Slack sends it in a message's text (「:+1:」「:pray:」「:sweat_smile::skin-tone-2:」): a picture, not words
# (「pray」「smile」 are not what the person asked about).
SLACK_EMOJI = re.compile(r":(?=[a-z0-9_+\-']*[a-z+])[a-z0-9_+\-']{1,40}:")   # a letter or +: not 「10:30:00」


def without_emoji_codes(text: str) -> str:
    return SLACK_EMOJI.sub(" ", text or "") if ":" in (text or "") else text or ""
