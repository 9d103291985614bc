"""Romaji questions (「shigoto no data wo jitaku ni mochikaette mo ii?」) read as kana.

Phones and foreign keyboards make people type Japanese in latin letters. A question whose latin
words nearly all spell Japanese syllables is converted to hiragana, word by word; a word that is
not romaji (USB, PC, Wi-Fi, data) is kept as typed. English questions are left alone: most of
their words (the, my, plug) are not syllables.
"""
from __future__ import annotations

import re

from knowledge.textnorm import KANA_GAP

# Hepburn, Kunrei and common IME spellings; longest first when matching.
_SYLLABLES = {
    "kya": "きゃ", "kyu": "きゅ", "kyo": "きょ", "sha": "しゃ", "shu": "しゅ", "sho": "しょ", "she": "しぇ",
    "sya": "しゃ", "syu": "しゅ", "syo": "しょ", "cha": "ちゃ", "chu": "ちゅ", "cho": "ちょ", "che": "ちぇ",
    "tya": "ちゃ", "tyu": "ちゅ", "tyo": "ちょ", "nya": "にゃ", "nyu": "にゅ", "nyo": "にょ", "hya": "ひゃ",
    "hyu": "ひゅ", "hyo": "ひょ", "mya": "みゃ", "myu": "みゅ", "myo": "みょ", "rya": "りゃ", "ryu": "りゅ",
    "ryo": "りょ", "gya": "ぎゃ", "gyu": "ぎゅ", "gyo": "ぎょ", "ja": "じゃ", "ju": "じゅ", "jo": "じょ", "je": "じぇ",
    "jya": "じゃ", "jyu": "じゅ", "jyo": "じょ", "zya": "じゃ", "zyu": "じゅ", "zyo": "じょ", "bya": "びゃ",
    "byu": "びゅ", "byo": "びょ", "pya": "ぴゃ", "pyu": "ぴゅ", "pyo": "ぴょ", "dya": "ぢゃ", "dyu": "ぢゅ",
    "dyo": "ぢょ", "shi": "し", "chi": "ち", "tsu": "つ", "tsa": "つぁ", "thi": "てぃ", "dhi": "でぃ",
    "fa": "ふぁ", "fi": "ふぃ", "fe": "ふぇ", "fo": "ふぉ", "fu": "ふ", "ti": "ち", "tu": "つ", "si": "し",
    "zi": "じ", "ji": "じ", "di": "ぢ", "du": "づ", "hu": "ふ", "wo": "を", "wa": "わ", "we": "うぇ", "wi": "うぃ",
    "va": "ゔぁ", "vi": "ゔぃ", "vu": "ゔ", "ve": "ゔぇ", "vo": "ゔぉ",
    "ka": "か", "ki": "き", "ku": "く", "ke": "け", "ko": "こ", "sa": "さ", "su": "す", "se": "せ", "so": "そ",
    "ta": "た", "te": "て", "to": "と", "na": "な", "ni": "に", "nu": "ぬ", "ne": "ね", "no": "の",
    "ha": "は", "hi": "ひ", "he": "へ", "ho": "ほ", "ma": "ま", "mi": "み", "mu": "む", "me": "め", "mo": "も",
    "ya": "や", "yu": "ゆ", "yo": "よ", "ra": "ら", "ri": "り", "ru": "る", "re": "れ", "ro": "ろ",
    "ga": "が", "gi": "ぎ", "gu": "ぐ", "ge": "げ", "go": "ご", "za": "ざ", "zu": "ず", "ze": "ぜ", "zo": "ぞ",
    "da": "だ", "de": "で", "do": "ど", "ba": "ば", "bi": "び", "bu": "ぶ", "be": "べ", "bo": "ぼ",
    "pa": "ぱ", "pi": "ぴ", "pu": "ぷ", "pe": "ぺ", "po": "ぽ",
    "a": "あ", "i": "い", "u": "う", "e": "え", "o": "お",
}
_MAX = 3
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*", re.I)
_VOWELS = set("aeiou")
# Latin words kept as typed even when they happen to spell syllables (they are words of the domain).
_KEEP = frozenset({"pc", "usb", "id", "it", "os", "ok", "ng", "sd", "ic", "wi-fi", "wifi", "vpn", "lan", "nas", "data",
                   "net", "web", "mail", "file", "zoom", "line", "ai", "pdf", "zip", "csv", "gps", "sns", "url", "jpeg", "jpg",
                   "qr", "fax", "cd", "dvd", "hdd", "ssd", "sms"})
# English words people drop into romaji Japanese, written as Japanese writes them.
_LOANS = {"note": "ノート", "notepc": "ノートpc", "excel": "エクセル", "server": "サーバー", "cloud": "クラウド",
          "print": "プリント", "monitor": "モニター", "copy": "コピー", "password": "パスワード", "pass": "パス", "login": "ログイン",
          "account": "アカウント", "card": "カード", "chat": "チャット", "slack": "slack", "teams": "teams"}
# Particles typed as a word of their own are written as Japanese writes them (「pass wa」 is パスは, not パスわ).
_PARTICLES = {"wa": "は", "he": "へ"}
# English words that also spell syllables: a short question made of them is English.
_ENGLISH = frozenset({"are", "to", "no", "made", "same", "take", "taken", "hide", "mine", "kite", "sake", "tame",
                      "home", "name", "game", "time", "more", "some", "come", "one", "none", "done", "gone", "note",
                      "bike", "rope", "hope", "nope", "okay", "yes", "yo", "hey", "hi", "ha", "haha", "wow", "so",
                      "do", "go", "be", "me", "we", "he", "she", "a", "i", "on", "in", "up", "us", "my", "by",
                      "mode", "code", "node", "zone", "tone", "sure", "pure", "cute", "mute", "rude", "wide",
                      "ride", "side", "tide", "bone", "cone", "dose", "nose", "rose", "pose", "rise", "wise",
                      "site", "bite", "kiwi", "sushi", "tofu", "emoji", "karaoke", "anime", "manga", "tsunami"})


def word_to_kana(word: str) -> str | None:
    """Hiragana for one romaji word, or None when it is not romaji."""
    w, i, out = word.lower(), 0, []
    while i < len(w):
        c = w[i]
        if c == "-":  # long vowel typed as a dash (kopi-)
            out.append("ー")
            i += 1
            continue
        nxt = w[i + 1] if i + 1 < len(w) else ""
        if c == "n" and (not nxt or (nxt not in _VOWELS and nxt != "y")):
            out.append("ん")
            i += 1 + (nxt == "'")
            continue
        if c == nxt and c not in _VOWELS and c != "n":  # doubled consonant: small tsu (motte, kitte)
            out.append("っ")
            i += 1
            continue
        if c == "t" and w[i + 1:i + 3] == "ch":  # matcha
            out.append("っ")
            i += 1
            continue
        for n in range(_MAX, 0, -1):
            kana = _SYLLABLES.get(w[i:i + n])
            if kana:
                out.append(kana)
                i += n
                break
        else:
            return None
    return "".join(out)


def looks_romaji(text: str) -> bool:
    """True when the text is mostly latin words and nearly all of them are romaji."""
    words = [w for w in _WORD.findall(text) if w.lower() not in _KEEP]
    if not words or re.search(r"[\u3041-\u30ff\u4e00-\u9fff]", text):
        return False
    if len(words) < 3:
        # 「sai itaku」「terewaaku」: a short question is romaji only when every word spells syllables,
        # none is an English word that happens to (are, made, home), and there are enough of them.
        return (all(word_to_kana(w) is not None and w.lower() not in _ENGLISH for w in words)
                and sum(len(w) for w in words) >= 7)
    # A loanword written as English (Excel, pass) is part of a romaji sentence, not a sign of English.
    ok = sum(1 for w in words if word_to_kana(w) is not None or w.lower() in _LOANS)
    return ok / len(words) >= 0.8


def to_kana(text: str) -> str:
    """The text with its romaji words in hiragana (others as typed); unchanged unless romaji."""
    if not looks_romaji(text):
        return text

    def sub(m: re.Match) -> str:
        w = m.group(0)
        if w.lower() in _KEEP:
            return w
        if w.lower() in _LOANS:
            return _LOANS[w.lower()]
        if w.lower() in _PARTICLES:
            return _PARTICLES[w.lower()]
        kana = word_to_kana(w)
        return kana if kana is not None else w

    # Words typed apart (「jibun no」) are one phrase in Japanese, which is written without spaces.
    return KANA_GAP.sub("", _WORD.sub(sub, text))
