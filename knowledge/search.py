"""Search: a question in a worker's own words -> ranked clauses, or "no rule covers this"."""
from __future__ import annotations

import re
import sqlite3
import threading
import time
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import sqlite_utils
from rapidfuzz import fuzz, process

from knowledge import concept_map, english, meaning, romaji
from knowledge.readings import Readings
from knowledge.synonym_groups import GroupIndex
from knowledge import verdict as verdicts
from knowledge.asking import FOCUS_MIN_CHARS, asks_how_things_are, clause_answers_what_is_asked, asks_what_counts, answer_form_groups, asking_part, asks_permission, counted_as
from knowledge.index import Index
from knowledge.references import how_many_before, referred
from knowledge.terms import _morphemes, analyse, query_terms
from knowledge.textnorm import KANA_GAP, KANJI as _KANJI, bigrams, nfkc, without_emoji_codes, without_links, word_chars
from storage import kb as kb_store

_HIRAGANA = re.compile(r"[\u3041-\u3096]+")


def _whole_word(w: str) -> bool:
    """Whether a word Sudachi read in a kana-only question is one the asker wrote: two kanji or more,
    a katakana or latin word; not one kanji or a stray run of hiragana."""
    return not _HIRAGANA.fullmatch(w) and (len(w) >= 2 or not _KANJI.search(w))


# Things the rules protect besides the kinds of information (concept kind "object"): named in the part of a long
# message that asks, they make it a rule question whatever else the story mentions (knowledge/concepts/).
PROTECTED_THINGS = frozenset({"paper_documents", "removable_media", "work_device", "personal_device", "ic_card"})
PART_WEIGHT = 0.5
EXPANSION_WEIGHT = 0.4  # a concept's rule word counts less than the asker's own words
SYNONYM_WEIGHT = 0.85   # the rules' word for the asker's own verb (knowledge/synonyms.toml)
# A word of the library in the same Sudachi synonym group as a word the rules never use (捨てる -> 廃棄).
# Measured 0.4-0.85 on the development sets (+1/+2 of 2,476, nothing lost): 0.6.
SUDACHI_SYNONYM_WEIGHT = 0.6
MAX_QUESTION_CHARS = 1000  # longer questions are searched on their beginning (and told so)
# A hit counts as an answer only when question words of at least this much weight
# (inverse document frequency) appear in it: unrelated questions share only bigrams.
MIN_MATCHED_IDF = 2.2
# When the thesaurus recognises nothing in the question, the hit must also cover this share
# of the question's own words (weighted by idf; words the rules never use weigh the most).
# Off-topic questions ("交通費の精算っていつまで？") share one generic word at most: <= 0.29
# on our held-out set, while rule questions without thesaurus words cover far more.
MIN_COVERAGE_UNAIDED = 0.34
# A question on a topic no rule covers (knowledge/concepts/outside.toml) must share words with the
# clause beyond those in this share of its document's clauses (投票所 in election work).
# Measured 0.05-0.2 on the development sets: no question in scope is lost at any; 0.05 declines most.
PERVASIVE_SHARE = 0.05
# ...and in at least this many clauses: in a short attachment (20 clauses) 5 % is one clause, and a
# word found once is what that clause is about, not the setting.
PERVASIVE_MIN_CLAUSES = 3
# Acts anyone does anywhere: shared with a clause, they say nothing about what the question is about.
GENERIC_VERBS = frozenset(["使う", "為る", "する", "見る", "行く", "来る", "居る", "いる", "有る", "ある", "成る", "なる", "遣る", "やる",
                           "入れる", "出す", "出る", "持つ", "置く", "言う", "思う", "分かる", "出来る", "できる", "入る", "取る", "貰う",
                           "呉れる", "良い", "いい", "使用", "利用",
                           # 「漏えいにつながる」: a rule's way of saying "lead to", not a network connection
                           "繋がる"])
# A lead-in (「次に掲げる方法によらなければならない。」) says little by itself: its items say what to do.
# It ranks below them when both match, and still answers when its items do not.
LEAD_IN = re.compile(r"次(に掲げる|のとおり|のいずれか|の各号|によ|の事項|の方法|の措置|の書類)")
LEAD_IN_MAX_CHARS = 90
LEAD_IN_FACTOR = 0.6


def _lead_in(text: str) -> bool:
    return len(text) <= LEAD_IN_MAX_CHARS and bool(LEAD_IN.search(text))


# 「…してもいい？」: the rule that forbids it is the answer to lead with (a prohibition shown below a
# procedure reads as permission). Measured on our held-out and the dev sets: 1.3 helps both, 1.5 overshoots.
PERMISSION_FACTOR = 1.3


# A word found only in the story before the part of a long message that asks counts this much (a concept, below).
# Measured in session 23 on the development sets with a new set of long messages (questions_long): 0.25 → 0.35
# gained 3 of 3,130, as 0.5 did; at 0.4 and above the rule words of a story (電子メール, 添付ファイル told before
# 「席を立つたびに何か要る？」) outweigh what is asked (tests/test_question_form.py); 1.0 (no focus) lost 5.
BACKGROUND = 0.35
# A domain concept the story names (「忘れてあったスマホ」, 「マイナンバー絡みの処理」) is what the message is about more
# often than its words are: the part that asks may only say 「勝手にさわっちゃダメ？」 or 「別の端末いる？」.
# Measured in session 33 (development 3,130 and two new sets of 48 long messages each): 0.35 -> 0.5, 0.7,
# 1.0 gave 2,570 -> 2,572, 2,574, 2,573 first hits, and 127 -> 127, 130 on the long sets.
BACKGROUND_CONCEPT = 0.7
# The words of clauses that answer the question's form (「いつ…」 -> 速やか, 以内 …), relative to the asker's own.
ANSWER_FORM_WEIGHT = 0.8


# A kind of person (concept kind "who") asked together with a duty counts this much: the duty is the subject.
WHO_FACTOR = 0.5


# The kind of information handled (concept kind "object": 住民データ, 名簿) asked together with what is
# done with it (持ち帰る, 印刷する) counts this much: the act decides the rule. Measured 0.3-0.7 on the
# development sets; 0.5 and 0.3 alike, 0.7 half the gain.
OBJECT_FACTOR = 0.5


@lru_cache(maxsize=65536)
def _reviewed(word: str) -> bool:
    """Whether the reviewed data knows a word: synonyms.toml, abbreviations.toml or a concept's phrases."""
    return word in _synonyms() or bool(_abbreviations().get(word)) or bool(concept_map.in_question(word))


def _inside(word: str, compounds: list[str]) -> bool:
    """Whether a word of two characters or more, written from a kanji, is part of a longer word of the clause
    (督促 of 督促状, 外す of 取り外す), which Sudachi keeps whole."""
    return len(word) >= 2 and bool(_KANJI.match(word)) and any(word in o and word != o for o in compounds)


def _whom(c, found) -> float:
    if c.kind == "object" and any(o.kind == "what" for o in found):
        return OBJECT_FACTOR
    return WHO_FACTOR if c.kind == "who" and any(o.kind != "who" for o in found) else 1.0


# 「子会社に手伝ってもらうのも、外に出したって扱いになる？」 asks what a word covers: a clause that
# defines a term (「…（以下「再委託」という。）」「「X」とは、…」) answers it first. Measured: 1.3 and 1.6 alike.
DEFINES = re.compile(r"以下「[^」]+」という|」とは、")
DEFINITION_FACTOR = 1.3
# A clause that asks nothing of anyone (a definition 「重要情報: …のこと」, the scope, the city's own
# right) is rarely what a worker asking what to do needs first. Measured 0.75-1.0; 0.9 lost nothing.
INFO_FACTOR = 0.9

# A clause about a narrow concept (concept_map.Concept.narrow) that the question does not name counts this much.
NARROW_FACTOR = 0.7

# The domain concept the question is about may be shared by a clause just below the first.
SHARED_WINDOW = 3

# Meaning re-ranks the clauses the words found (knowledge/meaning.py): the first MEANING_TOP, each
# scored score/best + MEANING_WEIGHT * (cosine - best cosine). Measured on the development and
# unseen question sets (session 24): the gain comes from close calls, where the words are right
# about a quarter of the time; a larger weight starts to override clear lexical answers.
MEANING_TOP = 20
MEANING_WEIGHT = 3.0
# A question longer than this is embedded by the part that asks (as for the words), cut at this length:
# a question costs the model about 5 ms plus 0.7 ms a token, and the rambling start of a long message
# (「さっき会議から戻ったら…」) says little about the rule. Measured (session 26) at 24, 28, 32, 36 and 48:
# first hits on the development and unseen sets move within noise (2550-2559, 246-247); 32 is as good
# as any and keeps the p95 answer time on the shipped documents clear of the 30 ms bar (README).
MEANING_MAX_CHARS = 32


@dataclass(frozen=True)
class Hit:
    clause_id: str
    source: str
    municipality: str | None
    doc_title: str
    label: str
    heading: tuple[str, ...]
    text: str
    citation: str
    verdict: str
    score: float
    # The paragraphs a 「前項は…」 paragraph refers to, as (label, text): knowledge/references.py.
    refers: tuple[tuple[str, str], ...] = ()
    # An item's lead-in (label, text): 「プライバシーマーク」 means something only under
    # 「乙は以下のいずれかを取得していなければならない。」.
    lead: tuple[str, str] | None = None


@dataclass
class SearchResult:
    question: str
    found: bool
    hits: list[Hit]
    expansions: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _table(file: str, key: str) -> dict:
    """One table of a reviewable word list next to this module (synonyms.toml, abbreviations.toml)."""
    with open(Path(__file__).with_name(file), "rb") as f:
        return tomllib.load(f).get(key, {})


def _form(word: str) -> list[str]:
    """A listed word in the form search compares (its first Sudachi word)."""
    return analyse(str(word))[0][:1]


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, tuple[str, ...]]:
    """Everyday word -> the rules' words (knowledge/synonyms.toml), in the forms search compares."""
    out: dict[str, tuple[str, ...]] = {}
    for k, vs in _table("synonyms.toml", "synonym").items():
        forms = tuple(dict.fromkeys(w for v in vs for w in _form(v)))
        for key in _form(k):
            out[key] = forms
    return out


@lru_cache(maxsize=1)
def _abbreviations() -> dict[str, str]:
    """Short form -> full word (knowledge/abbreviations.toml), in the forms search compares."""
    out: dict[str, str] = {}
    for short, full in _table("abbreviations.toml", "abbreviation").items():
        s, f = _form(short), _form(full)
        if s and f and s != f:
            out[s[0]] = f[0]
    return out


@lru_cache(maxsize=16)
def _analysed(words: str) -> tuple[str, ...]:
    return tuple(analyse(words)[0])


@lru_cache(maxsize=1024)
def _rule_words(rules: tuple[str, ...]) -> tuple[str, ...]:
    """A concept's rule words as search compares them (concept data only, never an asker's text)."""
    return tuple(analyse(" ".join(rules))[0]) if rules else ()


def _form_words(question: str) -> tuple[str, ...]:
    """The rule words answering the question's form, analysed once per form (not per question,
    so no asker's text is kept in a cache)."""
    return tuple(w for words in answer_form_groups(question) for w in _analysed(words))


@lru_cache(maxsize=1 << 16)
def _concepts_of(text: str) -> tuple[str, ...]:
    """Concept ids of a clause text, remembered: adding a document re-indexes every clause, and
    the texts of the others have not changed."""
    return tuple(c.id for c in concept_map.in_clause(text))


_HIRAGANA_WORD = re.compile(r"[\u3041-\u309f]{2,}")


def _kana_words(question: str) -> list[str]:
    """The dictionary forms (with kanji) of the verbs and nouns a mixed question writes in hiragana."""
    out = []
    for m in _morphemes(nfkc(question)):
        form = m.normalized_form()
        if (_HIRAGANA_WORD.fullmatch(m.surface()) and m.part_of_speech()[0] in ("動詞", "名詞")
                and _KANJI.search(form)):
            out.append(form)
    return out


def _with_concepts(row: dict) -> dict:
    """The stored row with its concepts as terms: k = concepts of its own text, kh = of its headings."""
    terms = dict(row["terms"])
    terms["k"] = list(_concepts_of(row["text"] or ""))
    terms["kh"] = list(_concepts_of(" ".join(row["heading"] or ())))
    return {**row, "terms": terms}


# 「8文字で足りてる？」「3日で出せばいい？」: a clause that states a quantity in the same unit
# (１４文字以上, ５営業日以内) answers a question that gives one. Measured 1.1-1.3 on the development sets.
_QUANTITY = re.compile(r"[0-9]+\s*(文字|桁|営業日|日|時間|分|回|年|か月|ヶ月|カ月|箇月|週間|件|枚|人|部)")
QUANTITY_FACTOR = 1.15


@lru_cache(maxsize=1)
def _shipped_slugs() -> frozenset[str]:
    from knowledge.builtin import shipped_sources
    return frozenset(s["slug"] for s in shipped_sources())


def _units(text: str) -> frozenset[str]:
    return frozenset(m.group(1) for m in _QUANTITY.finditer(nfkc(text or "")))


def _town_names(town: str) -> set[str]:
    """A municipality as a question may write it: 長野市 and 長野."""
    if len(town) < 2:
        return set()
    return {town} | ({town[:-1]} if town[-1] in "市町村区" and len(town) >= 3 else set())


class Searcher:
    def __init__(self, rows: list[dict], *, tagged: bool = False, vectors: np.ndarray | None = None):
        self.rows = rows if tagged else [_with_concepts(r) for r in rows]
        # one unit-length meaning vector per row (searcher_for fills every one), or None without the model
        self.vectors = vectors
        self.index = Index.build(self.rows)
        self.lead_ins = np.array([i for i, r in enumerate(self.rows) if _lead_in(r["text"] or "")], dtype=np.int64)
        self.prohibitions = np.array([i for i, r in enumerate(self.rows) if r["verdict"] == verdicts.PROHIBITED],
                                     dtype=np.int64)
        self.units: dict[str, np.ndarray] = {}
        for i, r in enumerate(self.rows):
            for u in _units(r["text"] or ""):
                self.units.setdefault(u, []).append(i)
        self.units = {u: np.array(rows, dtype=np.int64) for u, rows in self.units.items()}
        self.infos = np.array([i for i, r in enumerate(self.rows) if r["verdict"] == verdicts.INFO], dtype=np.int64)
        self.definitions = np.array([i for i, r in enumerate(self.rows) if DEFINES.search(r["text"] or "")],
                                    dtype=np.int64)
        narrow = {c.id for c in concept_map.load() if c.narrow}
        self.narrow: dict[str, np.ndarray] = {}
        for cid in narrow:
            rows = [i for i, r in enumerate(self.rows) if cid in r["terms"].get("k", ())]
            if rows:
                self.narrow[cid] = np.array(rows, dtype=np.int64)
        self.at = {r["id"]: i for i, r in enumerate(self.rows)}
        self.by_slug: dict[str, set[int]] = {}
        for i, r in enumerate(self.rows):
            self.by_slug.setdefault(r["doc_slug"], set()).add(i)
        # What a document is about as a whole (its title: 印刷, 学校, クラウド, 健康診断) is the
        # setting of every clause in it, not the subject of any one: naming it proves nothing.
        self.setting: dict[str, set[str]] = {}
        for r in self.rows:
            if r["doc_slug"] not in self.setting:
                title = r.get("doc_title") or ""
                # The city is the setting too: 「長野市のパスワードは何文字？」 names whose rules, and a clause
                # naming the city (「長野市（以下「市」という。）に…通知しなければならない」) does not answer it.
                town = nfkc(r.get("municipality") or "").strip()
                self.setting[r["doc_slug"]] = set(analyse(f"{title} {town}")[0]) | _town_names(town)
        # Words in a good share of one document's clauses (PERVASIVE_SHARE) are its setting too when the
        # question is about a topic no rule covers: they cannot show that a clause answers it.
        self.pervasive: dict[str, set[str]] = {}
        counts: dict[str, dict[str, int]] = {}
        for r in self.rows:
            c = counts.setdefault(r["doc_slug"], {})
            for w in set(r["terms"].get("w", ())):
                c[w] = c.get(w, 0) + 1
        for slug, c in counts.items():
            n = len(self.by_slug.get(slug, ())) or 1
            self.pervasive[slug] = {w for w, k in c.items() if k / n >= PERVASIVE_SHARE and k >= PERVASIVE_MIN_CLAUSES}
        self._scoped: dict[frozenset[str], Searcher] = {}
        # The paragraphs under each parent, in order, and each one's place there (what 「前項」 points at).
        self.siblings: dict[str, list[int]] = {}
        self.place: dict[int, int] = {}
        for i, r in enumerate(self.rows):
            if r.get("parent_id"):
                under = self.siblings.setdefault(r["parent_id"], [])
                self.place[i] = len(under)
                under.append(i)
        # How telling a word is, for deciding relevance: judged on more than one 20-clause attachment, where
        # a word like 日 is as rare as any and an unknown word weighs no more. Across every document the
        # whole library; for some documents (one contract's) theirs with the shipped ones (_reference_for).
        self.reference = self.index
        self._root = self   # owns what is built once for the whole library (the readings)
        self._readings: Readings | None = None
        self._groups: GroupIndex | None = None
        self._lock = threading.Lock()

    def scoped(self, slugs) -> "Searcher":
        """A searcher over these documents alone, with their own statistics (idf, lengths), so
        loading another contract's attachment never changes this contract's answers."""
        key = frozenset(slugs)
        if key == frozenset(self.by_slug):
            return self
        with self._lock:
            s = self._scoped.get(key)
        if s is None:
            at = [i for i, r in enumerate(self.rows) if r["doc_slug"] in key]
            s = Searcher([self.rows[i] for i in at], tagged=True,
                         vectors=None if self.vectors is None else self.vectors[at])
            s.reference = self._reference_for(key)
            s._root = self._root
            with self._lock:
                self._scoped[key] = s
        return s

    def _reference_for(self, slugs: frozenset[str]) -> Index:
        """How telling a word is, for judging whether these documents answer: their statistics with the shipped
        documents' (a 20-clause attachment alone is too small to say), never those of another contract's
        attachment, so loading one cannot turn this contract's answer into a refusal or back."""
        keep = slugs | _shipped_slugs()
        if all(r["doc_slug"] in keep for r in self.rows):
            return self.reference
        return Index.word_statistics([r for r in self.rows if r["doc_slug"] in keep])

    def _vocabulary_owner(self) -> "Searcher":
        """Who holds the words a kana, romaji or everyday question is read into: the library's searcher, or one
        contract's documents' with their own statistics (_reference_for), so another contract's attachment
        never changes how this contract's questions are read."""
        return self._root if self.reference is self._root.reference else self

    def readings(self) -> Readings:
        """The words (of the library, or of a contract's documents and the shipped ones) by their kana
        readings, built on the first question typed without kanji."""
        owner = self._vocabulary_owner()
        with owner._lock:
            if owner._readings is None:
                idf = owner.reference.idf.get("w", {})
                # the documents' words, common first, then the everyday verbs people use for them (貸す, 捨てる)
                words = sorted(idf, key=lambda w: (idf[w], w)) + sorted(_synonyms())
                owner._readings = Readings(words)
            return owner._readings

    def groups(self) -> GroupIndex:
        """The words (as for readings) by Sudachi synonym group, built on the first question that needs it."""
        owner = self._vocabulary_owner()
        with owner._lock:
            if owner._groups is None:
                owner._groups = GroupIndex(owner.reference.idf.get("w", {}))
            return owner._groups

    def _group_synonyms(self, word: str) -> list[str]:
        """The rules' words of the same Sudachi synonym group as a word the rules never use."""
        if word in self.index.idf.get("w", {}) or _reviewed(word):
            return []   # the reviewed map knows it already (外注 → 再委託): Sudachi fills only its gaps
        return self.groups().words_for(word)

    def _query(self, question: str, also: tuple[str, ...] = (), asking: str | None = None):
        """(weighted query terms by kind, concept labels, all words, the question's own words)"""
        question = romaji.to_kana(question)
        # An English question is searched with the rules' words for its phrases (knowledge/english.py).
        en = english.read_question(question)
        qt = en.terms() if en else query_terms(question)
        also = tuple(also) + (en.concepts if en else ())
        if en is None and not _KANJI.search(question):
            # 「かいしゃの」 is not か + 医者: the documents' words, read in the kana, say what was meant,
            # and what Sudachi makes of kana alone counts only when it is a whole word (not 篠, たんま).
            # What it makes of the rest still counts for relevance: an unknown word is evidence of a topic
            # no rule covers (ゆうきゅう).
            spelled = self.readings().find(question)
            typed = list(dict.fromkeys(qt["w"] + spelled))
            qt["w"] = list(dict.fromkeys([w for w in qt["w"] if _whole_word(w)] + spelled))
        else:
            typed = qt["w"]
        found = concept_map.in_question(question)
        if en is None and not _KANJI.search(question):
            # 「つい さいごまで よんじゃった」: a question typed in kana with spaces between words says its
            # phrases (最後まで読ん) across them.
            joined = KANA_GAP.sub("", question)
            if joined != question:
                found += [c for c in concept_map.in_question(joined) if c not in found]
        if en is None and _KANJI.search(question):
            # 「データけす前に」: a verb or noun typed in kana amid kanji names its concept as its kanji would.
            spelled = " ".join(_kana_words(question))
            if spelled:
                found += [c for c in concept_map.in_question(spelled) if c not in found]
        if also:
            found += [c for c in concept_map.load() if c.id in also and c not in found]
        expansions = list(dict.fromkeys(w for c in found for w in c.rules))
        idf_w = self.index.idf.get("w", {})
        words: dict[str, float] = {}
        # The parts of a compound (個人, 情報 of 個人情報) count less, or compounds count thrice.
        parts = {w for w in qt["w"] if any(w != o and w in o for o in qt["w"])}
        for w in qt["w"]:
            words[w] = max(words.get(w, 0.0), PART_WEIGHT if w in parts else 1.0)
        fulls = []
        for w in list(words):
            full = _abbreviations().get(w)
            if full:
                words[full] = max(words.get(full, 0.0), words[w])
                fulls.append(full)
        for w in qt["w"]:
            for formal in _synonyms().get(w, ()):
                words.setdefault(formal, SYNONYM_WEIGHT)
        for w in qt["w"]:
            if w in parts or w in qt.get("p", ()):
                continue   # 使う of 使い回す, 知らせ of お知らせ are not what was said: the whole word's group is
            for same in self._group_synonyms(w):
                words.setdefault(same, SUDACHI_SYNONYM_WEIGHT)
        # Each concept lends its rule words; a kind of person asked with a duty, or the information
        # with what is done with it, at the weight it counts itself
        # (「派遣さんにも秘密を守りますって紙にサインもらう？」: the pledge, not the rule on temps).
        lent: dict[str, float] = {}
        for c in found:
            for w in _rule_words(c.rules):
                lent[w] = max(lent.get(w, 0.0), EXPANSION_WEIGHT * _whom(c, found))
        for w, v in lent.items():
            words.setdefault(w, v)
        # Typos: a word the rules never use may be one letter away from one they do.
        for w in qt["w"]:
            if w not in idf_w and len(w) >= 3 and self.index.vocab_words:
                m = process.extractOne(w, self.index.vocab_words, scorer=fuzz.ratio, score_cutoff=75)
                if m:
                    words.setdefault(m[0], 0.6)
        asked = dict(words)  # relevance is judged on `words`: the answer-form words are not the subject
        for w in _form_words(question):
            asked[w] = max(asked.get(w, 0.0), ANSWER_FORM_WEIGHT)
        focus = self._focus(question, asking)
        weight = (lambda t, kind: 1.0) if focus is None else (lambda t, kind: 1.0 if t in focus[kind] else BACKGROUND)  # noqa: E731
        # ...unless the caller said what is asked, or the question says it (「Xも、Yってことになる？」 asks about Y)
        told = asking is not None or counted_as(question) is not None
        concepts = [(c.id, (weight(c.id, "k") if told else max(weight(c.id, "k"), BACKGROUND_CONCEPT)) * _whom(c, found))
                    for c in found]
        q = {
            "k": concepts,
            "kh": concepts,
            "w": [(w, v * weight(w, "w")) for w, v in asked.items()],
            "h": [(w, v * weight(w, "w")) for w, v in asked.items()],
            "b": [(b, weight(b, "b")) for b in dict.fromkeys(qt["b"] + bigrams(" ".join(fulls)))]
                 + [(b, 0.5 * weight(b, "xb")) for b in dict.fromkeys(bigrams(" ".join(expansions)))],
            "r": [(r, weight(r, "r")) for r in dict.fromkeys(qt["r"])],
        }
        return q, [c.label for c in found], list(words), list(dict.fromkeys(typed))

    def _focus(self, question: str, asking: str | None = None) -> dict[str, set[str]] | None:
        """The terms of the part of a long message that asks (knowledge.asking.asking_part): its
        words with their rule-word synonyms, its concepts with their rule words, its bigrams;
        None when that part names no domain concept (it only asks whether a rule applies)."""
        part = asking_part(question) if asking is None else asking_part(asking) or asking
        if part is None:
            return None
        found = concept_map.in_question(part)
        if not found and asking is not None and part != asking:
            part, found = asking, concept_map.in_question(asking)   # 「記者から電話が。説明していい？」: all that follows
        if not found:
            return None  # 「こういうのって何かルールありましたっけ？」: the story is the question
        counted = counted_as(question)
        if counted:
            # 「外に出した」 is taking out or outsourcing: what is asked about (子会社に手伝ってもらう) says which.
            what = {c.id for c in concept_map.in_question(counted[0])}
            found = [c for c in found if c.id in what] or found
        qt = query_terms(part)
        words = set(qt["w"]) | set(_form_words(part))
        for w in qt["w"]:
            words.update(_synonyms().get(w, ()))
            words.update(self._group_synonyms(w))
        rules = " ".join(w for c in found for w in c.rules)
        words.update(analyse(rules)[0])
        return {"w": words, "k": {c.id for c in found}, "b": set(qt["b"]), "r": set(qt["r"]), "xb": set(bigrams(rules))}

    def search(self, question: str, slugs: list[str] | None = None, top: int = 5,
               also: tuple[str, ...] = (), asking: str | None = None) -> SearchResult:
        """Ranked clauses for the question; also = concept ids the caller knows it is about; asking = the part of
        it that asks, when the caller knows it better than asking_part (what follows 「報告済みです」)."""
        question = without_emoji_codes(without_links(question or ""))
        notes: list[str] = []
        if len(question) > MAX_QUESTION_CHARS:
            question = question[:MAX_QUESTION_CHARS]
            notes.append(f"質問が長いため、最初の{MAX_QUESTION_CHARS}文字で検索しました。")
        if not word_chars(question):
            return SearchResult(question, False, [], notes=notes + ["質問の文章を読み取れませんでした。"])
        if slugs is not None:
            known = [s for s in slugs if s in self.by_slug]
            if not known:
                return SearchResult(question, False, [], notes=notes)
            if frozenset(known) != frozenset(self.by_slug):
                return self.scoped(known).search(question, None, top=top, also=also, asking=asking)
        q, expansions, words, own_words = self._query(question, also, asking)
        scores = self.index.score(q)
        if self.lead_ins.size:
            scores[self.lead_ins] *= LEAD_IN_FACTOR
        # Whether anything answers is decided on the words and concepts alone; the form of the
        # question then only reorders what was found.
        first = [i for i, _ in self.index.top(scores, SHARED_WINDOW)]
        found = bool(first) and self._relevant(first, q, words, own_words, question, also)
        if self.definitions.size and counted_as(question):
            scores[self.definitions] *= DEFINITION_FACTOR
        elif self.infos.size and not asks_what_counts(question):
            scores[self.infos] *= INFO_FACTOR
        asked = {c for c, _ in q["k"]}
        for cid, rows in self.narrow.items():
            if cid not in asked:
                scores[rows] *= NARROW_FACTOR
        asked_units = _units(question)
        if asked_units:
            with_unit = np.zeros(len(self.rows), dtype=bool)
            for u in asked_units:
                if u in self.units:
                    with_unit[self.units[u]] = True
            scores[with_unit] *= QUANTITY_FACTOR
        if self.prohibitions.size and asks_permission(question):
            scores[self.prohibitions] *= PERMISSION_FACTOR
        self._rerank_by_meaning(question, asking, scores)
        ranked = self.index.top(scores, max(top, SHARED_WINDOW, 1))[: max(top, 1)]
        hits = [self._hit(i, s) for i, s in ranked]
        return SearchResult(question, found, hits, expansions, notes)

    def _rerank_by_meaning(self, question: str, asking: str | None, scores: np.ndarray) -> None:
        """Reorder the first MEANING_TOP clauses by how close their meaning is to what is asked (the part
        that asks). Only the order changes: whether anything answers was decided on the words before."""
        if self.vectors is None:
            return
        cand = self.index.top(scores, MEANING_TOP)
        if len(cand) < 2:
            return
        said = romaji.to_kana(question)
        if len(said) > MEANING_MAX_CHARS:   # a short question is embedded whole: its asking part may be a bare term
            said = romaji.to_kana(asking or asking_part(question) or question)[:MEANING_MAX_CHARS]
        qv = meaning.query(said)
        if qv is None:
            return
        at = np.array([i for i, _ in cand], dtype=np.int64)
        best = cand[0][1]
        cos = self.vectors[at] @ qv
        fused = np.array([sc for _, sc in cand]) / best + MEANING_WEIGHT * (cos - cos.max())
        fused = np.maximum(fused, 1e-3) * best
        # what was not re-ranked stays below what was
        rest = np.ones(len(scores), dtype=bool)
        rest[at] = False
        scores[rest] = np.minimum(scores[rest], fused.min() * 0.999)
        scores[at] = fused

    def _relevant(self, first: list[int], q: dict, words: list[str], own_words: list[str], question: str,
                  also: tuple[str, ...] = ()) -> bool:
        """Whether the top clause answers the question, or is only the least unrelated one.

        Its words must carry enough weight (MIN_MATCHED_IDF). Then either it (or one of the
        clauses right after it) shares a domain concept with the question, or it covers enough of
        the question's own words. A question
        about a topic no rule covers (pay, expenses, facilities, IT how-to) must clear the
        word-coverage bar whatever concepts it touches: 「サイバー保険って入ってたっけ」 shares a
        word with an installation rule, not a subject.
        """
        i = first[0]
        setting = self.setting.get(self.rows[i]["doc_slug"], set())
        own_words = [w for w in own_words if w not in setting]
        # A small scope (one short attachment) has small idfs: the bar is at most 3/4 of the rarest word's.
        rarest = self.index.max_idf_w
        weighty = self._matched_idf(i, words) >= min(MIN_MATCHED_IDF, 0.75 * rarest)
        # In one contract's documents the clause may say it in other forms (持出し for 持って帰る):
        # there a shared concept alone is enough; across the library a word must be shared too.
        if not weighty and self.reference is self.index:
            return False
        lexical = weighty and self._covers(i, own_words, [w for w in words if w not in setting])
        said = nfkc(romaji.to_kana(question))
        # A property of a thing no rule sets (its colour, price, capacity, brand), or a choice between
        # named products: only a clause that speaks of it answers (knowledge/concepts/attributes.toml).
        if not clause_answers_what_is_asked(said, self.rows[i].get("text") or "", self.rows[i]["terms"].get("w", ()),
                                            lambda o: [f for w in self._query(o)[3] for f in (w, _abbreviations().get(w, w))]):
            return False
        # A topic no rule covers, or where or what a thing is (「トイレってどこ？」): only a clause that shares
        # the question's own words answers.
        if concept_map.outside(self._topic_said(question, said)) or asks_how_things_are(question):
            pervasive = self.pervasive.get(self.rows[i]["doc_slug"], set())
            specific = [w for w in own_words if w not in pervasive]
            if not self._names_topic(i, said):
                return False
            # ...its own words or their reviewed synonyms, not Sudachi's broader groups (鍵 when the key sticks).
            return (weighty and self._covers(i, own_words, [w for w in words if w not in setting], groups=False)
                    and self._covers(i, specific, [w for w in specific if len(w) >= 2], groups=False))
        asked = {c for c, _ in q["k"]}
        # Concepts named only by the setting's own words (クラウド in a cloud contract) do not count.
        told = said
        for w in sorted(setting, key=len, reverse=True):
            if len(w) >= 2:
                told = told.replace(w, "　")
        if told != said:
            asked &= {c.id for c in concept_map.in_question(told)} | set(also)
        shared = any(asked & (set(self.rows[j]["terms"].get("k", ())) | set(self.rows[j]["terms"].get("kh", ())))
                     for j in first)
        return shared or lexical

    @staticmethod
    def _topic_said(question: str, said: str) -> str:
        """The text whose topic decides whether the question is off-topic: in a long message whose asking part names
        the information or thing the rules protect (「名簿とか問診の紙はバスの中に置いたままでいい？」), that part without
        its everyday topics: the lunch or the forgotten password told with it is the occasion. Otherwise the whole
        question, without the outside topics said in passing (concept_map.without_passing_topics)."""
        if len(question) >= FOCUS_MIN_CHARS:
            part = asking_part(question)
            part = nfkc(romaji.to_kana(part)) if part else ""
            named = concept_map.in_question(part) if part else []
            if any(c.kind == "object" or c.id in PROTECTED_THINGS for c in named):
                for phrase in concept_map.outside_phrases(part):
                    part = part.replace(phrase, "　")
                return part
            # 「…一筆もらっとくべき？送別会の幹事もやらなきゃで頭いっぱい」: an everyday topic told after a question
            # that names none is an afterthought
            at = said.find(part) if named else -1
            if at >= 0 and not concept_map.outside_phrases(part):
                end = at + len(part)
                tail = said[end:]
                for phrase in concept_map.outside_phrases(tail):
                    tail = tail.replace(phrase, "　" * len(phrase))
                said = said[:end] + tail
        return concept_map.without_passing_topics(said)

    def _covers(self, i: int, words: list[str], things: list[str], groups: bool = True) -> bool:
        """Whether the clause holds enough of these words of the question (MIN_COVERAGE_UNAIDED), one of
        them naming a thing, not only an act anyone does anywhere."""
        return self._coverage(i, words, groups) >= MIN_COVERAGE_UNAIDED and self._names_a_thing(i, things)

    def _names_topic(self, i: int, said: str) -> bool:
        """Whether the clause names what an outside topic is about (駐車場 of 「駐車場って何台」), when
        the topic's phrases hold such a word: a clause sharing only the place (保健センター) does not."""
        # Every word of one of its phrases: 「wi-fiのパスワード」 is the Wi-Fi's password, and a clause on
        # passwords alone does not answer it.
        topics = [words for p in concept_map.outside_phrases(said)
                  if (words := {w for w in analyse(p)[0] if len(w) >= 2 and w not in GENERIC_VERBS})]
        if not topics:
            return True
        terms = self.rows[i]["terms"]
        own = set(terms.get("w", ())) | set(terms.get("h", ()))
        return any(words <= own for words in topics)

    def _names_a_thing(self, i: int, words: list[str]) -> bool:
        """Whether a word the clause shares with the question names a thing (駐車場, USB), not only
        an act anyone does anywhere (使う, 見る): 「駐車場って使っていい？」 shares 使う with a USB rule."""
        terms = self.rows[i]["terms"]
        own = set(terms.get("w", ())) | set(terms.get("h", ()))
        return any(w in own and w not in GENERIC_VERBS for w in words)

    def _matched_idf(self, i: int, words: list[str]) -> float:
        terms = self.rows[i]["terms"]
        own = set(terms.get("w", ())) | set(terms.get("h", ()))
        idf = self.index.idf.get("w", {})
        return sum(idf.get(w, 0.0) for w in words if w in own)

    def _coverage(self, i: int, words: list[str], groups: bool = True) -> float:
        """The share of the question's own words (by idf) the clause holds, itself or in the rules' word for it
        (リスト in 一覧, サイン in 署名, 書く in 記載), or inside a longer compound (督促 in 督促状): a word the
        rules never use weighs the most."""
        terms = self.rows[i]["terms"]
        own = set(terms.get("w", ())) | set(terms.get("h", ()))
        idf = self.reference.idf.get("w", {})
        unseen = self.reference.max_idf_w or 1.0
        compounds = [o for o in own if len(o) >= 3 and _KANJI.search(o)]   # 督促状, 取り外す

        def holds(w: str) -> bool:
            forms = {w} | self._equivalents(w, groups)
            return bool(own & forms) or any(_inside(f, compounds) for f in forms)

        total = sum(idf.get(w, unseen) for w in words)
        held = 0.0
        for w in words:
            if w in own:
                held += idf.get(w, 0.0)
            elif holds(w):
                held += idf.get(w, unseen)
        return held / total if total else 0.0

    def _equivalents(self, word: str, groups: bool = True) -> set[str]:
        """The rules' words for an everyday word: synonyms.toml, abbreviations.toml, Sudachi's synonym groups."""
        out = set(_synonyms().get(word, ()))
        full = _abbreviations().get(word)
        if full:
            out.add(full)
        if groups:
            out.update(self._group_synonyms(word))
        return out

    def _hit(self, i: int, score: float) -> Hit:
        r = self.rows[i]
        before = []
        if how_many_before(r["text"] or "") is not None and i in self.place:
            before = [(self.rows[j]["label"], self.rows[j]["text"])
                      for j in self.siblings[r["parent_id"]][: self.place[i]]]
        return Hit(r["id"], r["doc_slug"], r["municipality"], r["doc_title"], r["label"], tuple(r["heading"]),
                   r["text"], r["citation"], r["verdict"], round(score, 4), referred(r["text"] or "", before),
                   self._lead(r))

    def _lead(self, r: dict) -> tuple[str, str] | None:
        """The sentence an item hangs from (its parent's text, when that is a sentence), or None."""
        p = self.at.get(r.get("parent_id") or "")
        if p is None:
            return None
        text = (self.rows[p]["text"] or "").strip()
        return (self.rows[p]["label"], text) if text.endswith(("。", "：", ":")) else None


_cache_lock = threading.Lock()
_cache: dict[str, tuple[int, Searcher]] = {}


def searcher_for(db: sqlite_utils.Database) -> Searcher:
    """The searcher for this database, rebuilt only when the knowledge base changed."""
    key = db.execute("PRAGMA database_list").fetchone()[2] or str(id(db))
    ver = kb_store.version(db)
    with _cache_lock:
        cached = _cache.get(key)
        if cached and cached[0] == ver:
            return cached[1]
    rows = kb_store.clauses_for_index(db)
    s = Searcher(rows, vectors=_vectors(db, rows))
    with _cache_lock:
        _cache[key] = (ver, s)
    return s


def _vectors(db: sqlite_utils.Database, rows: list[dict]) -> np.ndarray | None:
    """The rows' stored meaning vectors; a clause stored without one (a database from before they were
    kept, or another model) gets it now, and it is stored for the next start."""
    model = meaning.model_id()
    if not meaning.available() or not rows:
        return None
    stored = kb_store.vectors_for(db, model)
    out = np.zeros((len(rows), meaning.DIM), dtype=np.float32)
    missing = []
    for i, r in enumerate(rows):
        v = meaning.from_blob(stored[r["id"]]) if r["id"] in stored else None
        if v is None:
            missing.append(i)
        else:
            out[i] = v
    if missing:
        made = meaning.passages([rows[i]["text"] for i in missing])
        if made is None:
            return None
        out[missing] = made
        try:
            kb_store.store_vectors(db, [(rows[i]["id"], rows[i]["doc_slug"], model, meaning.to_blob(v))
                                        for i, v in zip(missing, made)])
        except sqlite3.OperationalError:   # a read-only copy: kept in memory for this process
            pass
    return out
