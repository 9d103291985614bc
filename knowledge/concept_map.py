"""The domain concept map (knowledge/concepts/*.toml): how people talk -> what rules are about.

A question is about a concept when it holds one of the concept's everyday phrases (`says`),
English words (`en`) or rule words (`rules`); a clause is about it when its text holds one of
the rule words. Search then matches question and clause on shared concepts, whatever document
the clause comes from: nothing here names a clause or a document.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from knowledge.textnorm import KANJI as _KANJI, kata_to_hira, long_vowels as _long_vowels, nfkc

DIR = Path(__file__).with_name("concepts")
_ASCII = re.compile(r"^[\x00-\x7f]+$")
_QUOTES = re.compile(r"[「」『』“”]")


@dataclass(frozen=True)
class Concept:
    id: str
    label: str
    rules: tuple[str, ...]
    says: tuple[str, ...]
    en: tuple[str, ...]
    # "who": a kind of person rules apply to (派遣, パート). Asked together with what they must do
    # (「アルバイトも誓約書を書く？」), the duty is the subject and the person only who it is about.
    kind: str = "what"
    # narrow: a clause about it (持込み: bringing something into a place) answers only a question that
    # names it; asked about using the thing, the question is about something else.
    narrow: bool = False
    # More ways rules say it that mark a clause but are not lent to a question's search: 「他の者に請け負わせ」
    # is subcontracting, but its parts (請け負う, 負う) would meet every clause on bearing responsibility.
    tags: tuple[str, ...] = ()


def parse(data: dict, source: str = "", table: str = "concept") -> list[Concept]:
    out = []
    for n, c in enumerate(data.get(table, [])):
        cid = str(c.get("id") or f"{source}#{n}")
        norm = lambda xs: tuple(dict.fromkeys(v for v in (nfkc(str(x)) for x in xs or ()) if v))  # noqa: E731
        out.append(Concept(cid, str(c.get("label", cid)), norm(c.get("rules")), norm(c.get("says")), norm(c.get("en")),
                           str(c.get("kind", "what")), bool(c.get("narrow", False)), norm(c.get("tags"))))
    return out


@lru_cache(maxsize=4)
def load(directory: Path = DIR, table: str = "concept") -> tuple[Concept, ...]:
    """The concepts ([[concept]]), or with table="outside" the topics no rule covers ([[outside]])."""
    concepts: list[Concept] = []
    for f in sorted(directory.glob("*.toml")):
        with open(f, "rb") as fh:
            concepts.extend(parse(tomllib.load(fh), f.stem, table))
    return tuple(concepts)


class Matcher:
    """Finds concepts in text in one pass: kana/kanji phrases by a first-character table, the
    longest phrase at each place, never one inside an earlier match (記録 in 電磁的記録媒体); with
    overlap (questions), a phrase that starts inside an earlier match and ends past it counts too
    (棚に置 / 置いてき). Latin phrases as whole words (so "ai" does not fire inside "kaisha" or "email")."""

    def __init__(self, phrases: dict[str, set[int]], overlap: bool = False):
        self.overlap = overlap
        forms: dict[str, set[int]] = {}
        latin: dict[str, set[int]] = {}
        gaps: dict[str, set[int]] = {}
        for p, ids in phrases.items():
            if GAP_MARK in p.strip(GAP_MARK):
                gaps.setdefault(p, set()).update(ids)
                continue
            if _ASCII.match(p):
                latin.setdefault(p, set()).update(ids)
                continue
            # A katakana phrase also matches its hiragana spelling (ぱそこん); a hiragana one is not
            # turned into katakana, or 「すて」 (捨て) would fire inside 「システム」.
            for form in {_big(p), _big(kata_to_hira(p)), _big(_long_vowels(kata_to_hira(p)))}:
                forms.setdefault(form, set()).update(ids)
        # Longest first: "電磁的記録媒体" is media, not the "記録" (records) inside it. Phrases are
        # looked up by their first two characters (a long message is read 3x faster than by the first
        # one: a common first character such as 持 or し starts hundreds of phrases); one-character ones apart.
        table: dict[str, list[tuple[str, frozenset[int]]]] = {}
        self.single: dict[str, frozenset[int]] = {}
        for form, ids in sorted(forms.items(), key=lambda t: -len(t[0])):
            if len(form) == 1:
                self.single[form] = frozenset(ids)
            else:
                table.setdefault(form[:2], []).append((form, frozenset(ids)))
        self.table = {k: tuple(v) for k, v in table.items()}
        self.latin = latin
        self.gaps = tuple((_gap_pattern(p), frozenset(ids)) for p, ids in gaps.items())
        words = sorted(latin, key=len, reverse=True)
        self.latin_re = re.compile(r"(?<![a-z0-9])(" + "|".join(map(re.escape, words)) + r")(?![a-z0-9])") if words else None

    def find(self, text: str) -> set[int]:
        t = _big(_QUOTES.sub("", nfkc(text)))   # 「よそで話しません」って書面: a quote reads on
        hit: set[int] = set()
        covered = 0   # the end of the matches so far: a phrase inside one of them is part of it
        spans: list[tuple[int, int]] = []
        for i in range(len(t)):
            found = None
            for f, ids in self.table.get(t[i:i + 2], ()):
                if t.startswith(f, i):
                    found = (f, ids)
                    break
            if found is None and t[i] in self.single:
                found = (t[i], self.single[t[i]])
            if found:
                # The longest phrase here; it counts unless a match before it already covers it
                # (記録 inside 電磁的記録媒体), so phrases that overlap both count (棚に置 / 置いてき).
                end = i + len(found[0])
                if end > covered and (self.overlap or i >= covered):
                    hit.update(found[1])
                    covered = end
                    spans.append((i, covered))
        for pattern, ids in self.gaps:
            if pattern.search(t):
                hit.update(ids)
        if self.latin_re is not None:
            for m in self.latin_re.finditer(t):
                # In a question, usb inside 「usbポート」 is part of that phrase (the port, not a memory stick)
                if not self.overlap or not any(a <= m.start() and m.end() <= b and b - a > m.end() - m.start() for a, b in spans):
                    hit.update(self.latin[m.group(1)])
        return hit


# 「車に…置きっぱ」: a phrase in parts meets a question that says them in this order with a few characters
# between, in one sentence (「車に配線図置きっぱ」「自宅からVPNでつな」): where a situation names its thing
# in the middle, no single phrase can list every thing. Written 「…」 in the map (「...」 after NFKC).
GAP_MARK = "..."
GAP_CHARS = 10


def _gap_pattern(phrase: str) -> re.Pattern:
    parts = []
    for part in phrase.split(GAP_MARK):
        forms = {_big(part), _big(kata_to_hira(part)), _big(_long_vowels(kata_to_hira(part)))}
        parts.append("(?:" + "|".join(map(re.escape, sorted(forms, key=len, reverse=True))) + ")")
    return re.compile(f"[^。！？!?\\n]{{0,{GAP_CHARS}}}?".join(parts))


# People type a small vowel kana big (ウイルス for ウィルス, エデイタ for エディタ): phrases and text
# are compared with them big. Same length, so positions in the text do not move.
_SMALL = str.maketrans("ぁぃぅぇぉァィゥェォ", "あいうえおアイウエオ")


def _big(text: str) -> str:
    return text.translate(_SMALL)


def _reading(phrase: str) -> str | None:
    """The katakana reading of a phrase written with kanji (外注 -> ガイチュウ), so questions
    typed in kana or romaji meet it; None for kana/latin phrases or readings too short to be specific."""
    if not _KANJI.search(phrase) or GAP_MARK in phrase:
        return None
    from knowledge.terms import _morphemes  # Sudachi, already loaded for search

    ms = list(_morphemes(phrase))
    kana = "".join(m.reading_form() for m in ms)
    # A phrase cut after a verb's kanji (会議室に持, 持って帰) reads it as the verb's stem (モ, カエ), not
    # as a noun (モチ) or not at all: 「かいぎしつにもっていって」 then meets 「会議室に持」.
    if ms and _KANJI.fullmatch(phrase[-1]) and ms[-1].surface() == phrase[-1]:
        stem = _verb_stem(phrase[-1])
        if stem:
            kana = "".join(m.reading_form() for m in ms[:-1]) + stem
    return kana if len(kana) >= 3 and not _KANJI.search(kana) else None


@lru_cache(maxsize=512)
def _verb_stem(kanji: str) -> str | None:
    """The reading of a verb's kanji before its ending (持 -> モ of 持つ, 使 -> ツカ of 使う), or None."""
    from knowledge.terms import _morphemes

    for ending in "うつるくすむぶぐぬ":
        ms = list(_morphemes(kanji + ending))
        if len(ms) == 1 and ms[0].part_of_speech()[0] == "動詞":
            reading = ms[0].reading_form()
            return reading[:-1] if len(reading) >= 2 else None
    return None


# A phrase written with a verb's dictionary form (消す, 持ち帰る) also meets its other stems
# (消せば, 消さない, 持ち帰ろう): people rarely type the dictionary form.
GODAN = {"う": "わいえお", "く": "かきけこ", "ぐ": "がぎげご", "す": "さしせそ", "つ": "たちてと",
          "ぬ": "なにねの", "ぶ": "ばびべぼ", "む": "まみめも", "る": "らりれろ"}


# The sound change before て/た (使って, 書いて, 読んで): 「一人入る」 also meets 「一人入ってもらう」.
ONBIN = {"う": "っ", "く": "い", "ぐ": "い", "す": "", "つ": "っ", "ぬ": "ん", "ぶ": "ん", "む": "ん", "る": "っ"}


def _stems(phrase: str) -> tuple[str, ...]:
    if len(phrase) < 2 or GAP_MARK in phrase or phrase[-1] not in GODAN or not _KANJI.match(phrase[-2]):
        return ()
    return tuple(phrase[:-1] + k for k in GODAN[phrase[-1]] + ONBIN[phrase[-1]] if k)


def _table_words(directory: Path, table: str) -> tuple[str, ...]:
    """The `words` of a [table] across the map's files, normalised, each once."""
    words: list[str] = []
    for f in sorted(directory.glob("*.toml")):
        with open(f, "rb") as fh:
            words += [nfkc(str(w)) for w in tomllib.load(fh).get(table, {}).get("words", ())]
    return tuple(dict.fromkeys(w for w in words if w))


@lru_cache(maxsize=1)
def not_concepts(directory: Path = DIR) -> tuple[str, ...]:
    """Words that contain a concept's phrase but are not about it (not_concepts.toml)."""
    return _table_words(directory, "not_concepts")


# A reading of three kana (シヨウ for 私用, オイテ for 置いて) is an ordinary word in kana (作業しよう,
# において): such readings are used only for a question written without kanji (romaji, all kana).
SHORT_READING = 3


@lru_cache(maxsize=4)
def _matchers(concepts: tuple[Concept, ...]) -> tuple[Matcher, Matcher, Matcher]:
    """(question matcher over says + en + rules and their longer readings, clause matcher over rules,
    question matcher with the short readings too, for kana-only questions)."""
    q: dict[str, set[int]] = {}
    short: dict[str, set[int]] = {}
    r: dict[str, set[int]] = {}
    for n, c in enumerate(concepts):
        for p in c.says + c.en + c.rules:
            q.setdefault(p, set()).add(n)
            for form in _stems(p) if p in c.says else ():
                q.setdefault(form, set()).add(n)
            reading = _reading(p)
            if reading:
                (short if len(reading) <= SHORT_READING else q).setdefault(nfkc(reading), set()).add(n)
        for p in c.rules + c.tags:
            r.setdefault(p, set()).add(n)
    # Matched like any phrase (the longest wins at a place), for no concept.
    for w in not_concepts():
        q.setdefault(w, set())
        r.setdefault(w, set())
    kana = {k: set(v) for k, v in q.items()}
    for k, v in short.items():
        kana.setdefault(k, set()).update(v)
    return Matcher(q, overlap=True), Matcher(r), Matcher(kana, overlap=True)


def _asked(concepts: tuple[Concept, ...], text: str) -> list[Concept]:
    """The concepts a question names; the short kana readings count only in a question without kanji."""
    matchers = _matchers(concepts)
    matcher = matchers[0] if _KANJI.search(text or "") else matchers[2]
    return [concepts[n] for n in sorted(matcher.find(text))]


def in_question(text: str, concepts: tuple[Concept, ...] | None = None) -> list[Concept]:
    return _asked(load() if concepts is None else concepts, text)


def in_clause(text: str, concepts: tuple[Concept, ...] | None = None) -> list[Concept]:
    concepts = load() if concepts is None else concepts
    return [concepts[n] for n in sorted(_matchers(concepts)[1].find(text))]


_JAPANESE = re.compile(r"[\u3041-\u30ff\u3400-\u9fff]")


@lru_cache(maxsize=2)
def _without_english(concepts: tuple[Concept, ...]) -> tuple[Concept, ...]:
    return tuple(replace(c, en=()) for c in concepts)


def outside(text: str) -> list[Concept]:
    """Topics no security rule covers (pay, expenses, facilities, IT how-to, chat) named in the text.

    Their English phrases are for questions in English: in a Japanese one, a loanword
    (「住民の名前が入ったExcelを誤送信しちゃった」) names a file, not a how-to topic."""
    topics = load(DIR, "outside")
    return _asked(topics if not _JAPANESE.search(text or "") else _without_english(topics), text)


@lru_cache(maxsize=2)
def _outside_forms(english: bool) -> tuple[tuple[str, str | None, re.Pattern | None], ...]:
    """Each outside phrase with what is looked for: its big-kana form, or a whole-word pattern for Latin."""
    topics = load(DIR, "outside") if english else _without_english(load(DIR, "outside"))
    return tuple((p, None, re.compile(r"(?<![a-z0-9])" + re.escape(p) + r"(?![a-z0-9])")) if _ASCII.match(p) else (p, _big(p), None)
                 for c in topics for p in c.says + c.en)


def outside_phrases(text: str) -> list[str]:
    """The phrases of the topics no rule covers that the text holds (「駐車場って」), as written in the map."""
    t = _big(nfkc(text or ""))
    low = t.lower()
    return [p for p, big, latin in _outside_forms(not _JAPANESE.search(text or ""))
            if (big in t if latin is None else latin.search(low))]


# An outside topic said as the time or occasion of what is asked (「休暇中に」「ランチ行くとき」「社員旅行の間」
# 「弁当食べながら」) is the background, not the question.
_IN_PASSING = re.compile(r"^(?:(?:に|へ|を|の)?(?:行く|行って|いく|いって|食べ|たべ|出る|出て|取る|取って|とる|とって)?"
                         r"(?:中|の間|間|とき|時|ながら|の前|前に|の後|後に|帰り|のついで|ついで|がてら)"
                         # 「産休に入るので」「有給取ったから」: the reason something else is asked
                         r"|(?:に|を)?(?:入る|入って|入った|はいる|取る|取った|とる|とった)(?:ので|から|ため|けど|んだけど))")
# 「待ち時間ひまだったから」: a state (…だ) said in the past as the reason or the scene, not a remark to the bot.
_WAS = re.compile(r"^った(?:から|ので|し|けど|時|とき)")


# A place or gathering of the workplace said as where something else happens (「食堂でPC開いて」「喫煙所で案件の話」
# 「駐車場の車にPC置いたまま」「忘年会の写真に住民のリスト」) is the setting of a rule question, not its topic.
# Only the places listed in outside.toml's [places] count: 「Excelで」 or 「副業で」 is the topic itself.
_AS_PLACE = re.compile(r"^(?:の)?(?:で(?![るたてな])|では|でも|にて|の中|内で|車に|の車|の机|の席|の前で|の横で|写真|の写真)")


@lru_cache(maxsize=1)
def setting_places(directory: Path = DIR) -> tuple[str, ...]:
    """Places and gatherings of the workplace (食堂, 喫煙所, 忘年会) from outside.toml's [places]."""
    return _table_words(directory, "places")


# The noun right after 「<place>の」 (up to a particle or a mark): when it names a concept, the place is only
# where the thing is (「駐輪場の監視ビデオって」), not what is asked about (「忘年会の出欠っていつまで」).
_OWNED = re.compile(r"^の([^、。？?！!\sってはがをにでともや]{1,8})")


# A reason connective closing the outside phrase's part of the sentence (「遅」+「いから、」, 「重」+「すぎて作業にならないので、」,
# 「紙詰まり」+「したから」, 「重」+「くて」): what follows is the question, asked because of the trouble.
_BECAUSE = re.compile(r"^[^、。,.？?！!\n]{0,20}?(?:(?:から|ので|ため)(?!す)|んで(?=[、,\s])|くて)[、,\s]*")


_PERSONAL_DETAILS = ("電話番号", "住所", "連絡先", "メールアドレス")
_SOMEONES = re.compile(r"(?:人|さん|様|さま|者|方|くん|君|ちゃん|氏|家族|親|息子|娘)の$")
# 「3年2組の子がパスワード忘れちゃった」: someone the service is for forgot theirs (the work itself), not the asker
_THEIR_PASSWORD = re.compile(r"(?:人|さん|様|さま|者|方|くん|君|ちゃん|子|生徒|児童|利用者|患者|お客)(?:の|が|も)$")


def without_passing_topics(text: str) -> str:
    """The text with outside topics said only as the occasion or the place of the question blanked out."""
    t = nfkc(text or "")
    places = setting_places()
    for p in sorted(outside_phrases(t), key=len, reverse=True):
        at = t.find(p)
        while at >= 0:
            after = t[at + len(p):]
            place = any(p.startswith(w) for w in places)
            was = p.endswith("だ") and _WAS.match(after)
            # 「駐輪場の監視ビデオ」: the place's own thing that a rule is about (a concept named right after 「の」)
            thing = _OWNED.match(("の" + after) if p.endswith("の") else after) if place else None
            owned = bool(thing and in_question(thing.group(1)))
            # 「Wi-Fiが遅いから、自分のスマホでテザリングしていい？」: the trouble is why a rule question is asked
            because = _BECAUSE.match(after)
            reason = bool(because and in_question(after[because.end():]))
            # 「隣の区画の人の電話番号教えて」: a person's own details are what rules protect, not the office's number
            someones = ((p.startswith(_PERSONAL_DETAILS) and _SOMEONES.search(t[:at]))
                        or (p.startswith("パスワード") and _THEIR_PASSWORD.search(t[:at])))
            if _IN_PASSING.match(after) or was or (place and _AS_PLACE.match(after)) or owned or reason or someones:
                t = t[:at] + "　" * len(p) + t[at + len(p):]
            at = t.find(p, at + 1)
    return t
