"""The rules' words in a question typed without kanji (romaji, all kana), found by their readings.

Sudachi cuts 「かいしゃの」 into か + いしゃ (医者): kana alone does not say where words begin. The
documents' own words do: 会社 reads かいしゃ, 作業 さぎょう, 持ち出す もちだす (and its stems もちだし,
もちださ …). Reading the kana against them, longest first, finds the words the asker meant.
"""
from __future__ import annotations

import re

from knowledge.concept_map import GODAN, ONBIN as _ONBIN
from knowledge.textnorm import KANJI as _KANJI, kata_to_hira, long_vowels

# Readings shorter than this are ordinary kana (して, ない, から): too many words share them.
MIN_KANA = 3
_KANA_RUN = re.compile(r"[\u3041-\u3096ー]+")
_KATAKANA = re.compile(r"[\u30a1-\u30faー]+")
# A verb's other stems (concept_map.GODAN), with the sound change before て/た: 使っ, 書い, 読ん.
_TE = {"う": ("って", "った"), "つ": ("って", "った"), "る": ("って", "った"), "く": ("いて", "いた"), "ぐ": ("いで", "いだ"),
       "す": ("して", "した"), "ぬ": ("んで", "んだ"), "ぶ": ("んで", "んだ"), "む": ("んで", "んだ")}
# A る verb whose stem ends in an i- or e-row kana may be ichidan (忘れる): its stem alone is a form too.
_ICHIDAN_ROW = set("いきぎしじちにひびみりえけげせぜてでねへべめれ")


class Readings:
    """Kana reading -> the document word it spells, for words written with kanji."""

    def __init__(self, words):
        from knowledge.terms import _morphemes  # Sudachi, already loaded for search

        self.table: dict[str, str] = {}
        for word in words:
            if _KATAKANA.fullmatch(word):
                # モニター typed monitaa: the hiragana, and the long vowel written as its vowel
                hira = kata_to_hira(word)
                for form in (hira, long_vowels(hira)):
                    if len(form) >= MIN_KANA:
                        self.table.setdefault(form, word)
                continue
            if not _KANJI.search(word):
                continue
            reading = kata_to_hira("".join(m.reading_form() for m in _morphemes(word)))
            if not reading or _KANJI.search(reading):
                continue
            for form in _forms(word, reading):
                if len(form) >= MIN_KANA:
                    self.table.setdefault(form, word)
        self.longest = max(map(len, self.table), default=0)

    def find(self, text: str) -> list[str]:
        """The words whose readings spell the kana of text, longest match first, left to right."""
        found: list[str] = []
        for run in _KANA_RUN.findall(kata_to_hira(text)):
            i = 0
            while i < len(run):
                for n in range(min(self.longest, len(run) - i), MIN_KANA - 1, -1):
                    word = self.table.get(run[i:i + n])
                    if word:
                        found.append(word)
                        i += n
                        break
                else:
                    i += 1
        return list(dict.fromkeys(found))


def _forms(word: str, reading: str) -> list[str]:
    """The reading, and for a verb in its dictionary form the stems people type (もちだし, もちださ)."""
    forms = [reading]
    last = reading[-1]
    if word[-1] == last and last in GODAN:
        stem = reading[:-1]
        forms += [stem + k for k in GODAN[last] + _ONBIN[last]]
        # the te- and ta-forms (貸して, 消した, 撮って): a verb of two kana is typed so, and only so is it long enough
        forms += [stem + t for t in _TE[last]]
        if last == "る" and len(reading) >= 2 and reading[-2] in _ICHIDAN_ROW:
            forms += [stem, stem + "て", stem + "た"]  # 忘れる -> わすれ (忘れた, 忘れて), 捨てる -> すてて
    return forms
