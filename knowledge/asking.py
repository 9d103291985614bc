"""What kind of question was asked, from how it ends (「…してもいい？」「まずい？」「Can I …」).

Only the form is read here, never the subject: search uses it to lead with the rule that forbids
what the worker asks permission for.
"""
from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import lru_cache
from pathlib import Path

from knowledge.textnorm import nfkc

ATTRIBUTES = Path(__file__).with_name("concepts") / "attributes.toml"

# An ending that asks whether something is allowed: いい／OK／大丈夫／アリ／ナシ／ダメ／まずい／アウト／セーフ …
_ENDING = re.compile(
    r"(いい|良い|よい|よくない|良くない|いいじゃん|よくね|ok|おk|オッケー|大丈夫|問題(ない|なし|ある)|あり|アリ|なし|ナシ|だめ|ダメ|駄目|まずい|マズい|アウト|セーフ|"
    r"許される|かまわない|構わない|可能|できる|できます|"
    # dialects: よか (九州), ええ／あかん (関西), いけん (中国): but 「言わなあかん」 says "must"
    r"よか|ええ|(?<![なん])あかん|(?<![なん])アカン|(?<![なん])いけん|"
    # 「これって怒られるやつ？」 asks whether it is allowed, not what the penalty is
    r"怒られる(やつ|こと)?|叱られる(やつ|こと)?)"
    r"(です|でしょう|ですか|でしょうか|かな|よね|の|なの|ん)?(か)?[?？!！…。\s]*$")
# 「Chrome入れたい」「家で作業したいんですけど」: wanting to do it asks whether one may.
_WISH = re.compile(r"(?<!知り)(?<!聞き)(?<!教えてもらい)(?<!確認し)(?<!伺い)たい(です|んです|んですが|んですけど|んだけど|のですが|けど|な)?[?？!！…。\s]*$")
_ANYWHERE = re.compile(r"してもいい|しても(大丈夫|問題)|may i\b|can i\b|can we\b|is it ok|is that ok|allowed|okay to|ok to")


# 「見せてもらわないとだめ？」「出さなきゃダメ？」 ask whether one must, not whether one may: the ending
# (だめ, まずい) follows a must-form.
_MUST = re.compile(r"(ないと|なきゃ|なくちゃ|なくては|なければ|ねば|んと|へんと)\s*$")


def asks_permission(question: str) -> bool:
    t = nfkc(question or "").lower().strip()
    end = _ENDING.search(t)
    if end and _MUST.search(t[:end.start()]):
        end = None
    return bool(end or _ANYWHERE.search(t) or _WISH.search(t))


# What kind of answer the question wants, from its question word: a clause giving a time, a person,
# the contents of a form, a consequence or a place answers 「いつ…」「誰が…」「何を書けば…」「どうなる…」
# 「どこに…」 better than one that only shares the subject. Each form names the words such clauses use;
# search adds them to the question at a lower weight (knowledge/search.ANSWER_FORM_WEIGHT).
ANSWER_FORMS: tuple[tuple[re.Pattern, str], ...] = tuple((re.compile(p), w) for p, w in (
    # not いつも (always), いつか, いつでも, いつの間に
    (r"いつ(?!も|か|でも|の間)|何日|何時間|期限|タイミング|\bwhen\b", "速やか 直ちに 事前 あらかじめ 以内 期限 前"),
    (r"誰が|だれが|誰の|だれの|\bwho\b", "責任者 管理者 業務責任者 作業責任者"),
    (r"何を書|なにを書|何書|何を記載|何を記入|中身|何を含|\binclude", "項目 名称 内容 種類 数量 方法"),
    (r"何を出|なにを出|何か出|何を提出|何が必要|何がいる|何が要る|何を用意|\bsubmit|"
     r"(紙|書類|書面)(とか|って|は|が)?(いる|要る|必要|出す|いります)", "書面 書類 提出 証明 証する 報告書"),
    # 「データコピーしたら何か書いとく？」「操作卓さわったあと何か書く？」: what to write down is a record to keep.
    (r"何か(書く|書い|書か|記録|記入|残す|残し|メモ)|(書いと|書いてお|メモっと|メモしと|記録しと|記録して(お|と))[かくきけ]", "記録 記載 記入"),
    # 「どうなる？」「どうなっちゃう？」, not 「最近どうなの？」 (how someone is)
    (r"どうな(る|り|っ|ら)|ペナルティ|罰|what happens", "解除 損害賠償 中断 公表 違反"),
    (r"どこに|どこで|どこへ|どこまで|\bwhere\b", "場所 保管場所 作業場所"),
))


def answer_form_groups(question: str) -> list[str]:
    """For each form the question has, the words of the clauses that answer it (rule-text words, not normalised)."""
    t = nfkc(question or "").lower()
    return [words for pattern, words in ANSWER_FORMS if pattern.search(t)]


def answer_form_words(question: str) -> list[str]:
    return [w for words in answer_form_groups(question) for w in words.split()]


# In a long message the part that asks is the last sentence (or what follows 「…けど、」): the story
# before it is circumstance, and a word there (「メール丸見えでした」) must not decide the rule.
FOCUS_MIN_CHARS = 60
_PARTS = re.compile(r"(?<=[。！？!?\n])(?!って|と思|とか|と言|と聞)|(?<=けど、)|(?<=けれど、)|(?<=が、)")
# A sentence that asks without a question mark (「何時間以内とか決まってたっけ」「帰しちゃっていいかな」).
# Only endings that ask whatever comes before them: 「…大丈夫」「…気まずい」 end statements as often as questions.
_ASKS = re.compile(r"(っけ|かな|かなあ|かなぁ|かしら|ですか|ますか|でしょうか|だろうか|のか|やろか|やろうか)[\s。…・ー〜~wｗ笑]*$")
_OR_ELSE = re.compile(r"\s*(それとも|あるいは|もしくは|または|それか|or\b)")
# A quotation (『障害何級なの？』って聞かれて) is one part of the sentence that tells it, whatever it ends with.
_QUOTED = re.compile(r"「[^「」\n]{0,80}」|『[^『』\n]{0,80}』")
_MASKS = {"。": "\ue000", "！": "\ue001", "？": "\ue002", "!": "\ue003", "?": "\ue004"}   # private-use stand-ins
_ENDS = str.maketrans(_MASKS)
_BACK = str.maketrans({v: k for k, v in _MASKS.items()})


def _without_emoji(text: str) -> str:
    return "".join(c for c in text if not (unicodedata.category(c) == "So" or 0x1F000 <= ord(c) <= 0x1FAFF)).rstrip()


def split_parts(text: str) -> list[str]:
    """The sentences and clauses of a message (_PARTS), not splitting inside a quotation."""
    masked = _QUOTED.sub(lambda m: m.group(0).translate(_ENDS), text)
    return [p.translate(_BACK) for p in _PARTS.split(masked)]


_COUNTS_AS = re.compile(r"(って扱い|という扱い|扱いに|に当たる|にあたる|に該当|に含まれる|ってことになる|ということになる|とみなされ)")


# 「外注先にお願いするの、メールで一言伝えとけば十分？」: what is done (the nominalised topic before
# 「の、」) is the subject; the rest says how the asker means to go about it.
_TOPIC = re.compile(r"^([^、。？?！!]{3,40}?(?:する|した|る|す|く|ぐ|む|ぶ|つ|う|ない))の、(?=[^、。]*[？?]?\s*$)")


_KIND_ASKED = re.compile(r"扱い[？?]|扱いな[のん]|扱いになる|扱いされ")


def asks_what_counts(question: str) -> bool:
    """「コンビニのレジで払ってもらうのって下請け扱い？」: whether something counts as a kind, said
    with or without the thing before a comma; a clause that settles it (「…再委託に当たらない」) answers."""
    t = nfkc(question or "")
    return bool(_COUNTS_AS.search(t) or _KIND_ASKED.search(t))


def counted_as(question: str) -> tuple[str, str] | None:
    """(what, the kind asked about) of 「子会社に手伝ってもらうのも、外に出したって扱いになる？」, or None."""
    t = nfkc(question or "")
    m = _COUNTS_AS.search(t)
    if not m or "、" not in t[: m.start()]:
        return None
    what, kind = t[: m.end()].rsplit("、", 1)
    return what, kind


def asking_part(question: str) -> str | None:
    """The part of a message that asks; None when all of it is the question."""
    q = question or ""
    # 「子会社に手伝ってもらうのも、外に出したって扱いになる？」: whether something counts as X asks about X.
    t = nfkc(q)
    counted = counted_as(q)
    if counted:
        return counted[1]
    topic = _TOPIC.match(t)
    if topic:
        return topic.group(1)
    part = None
    if len(q) >= FOCUS_MIN_CHARS:
        parts = [p for p in split_parts(q) if re.search(r"\w", p)]
        # The last part that asks (ends with ？), not an afterthought after it (「…取るの？…な気もするけど」).
        asked = [p for p in parts if p.rstrip().endswith(("？", "?")) or _ASKS.search(_without_emoji(p))]
        part = (asked[-1] if asked else parts[-1]) if len(parts) >= 2 else None
        # 「…言っちゃっていいのかな？それともどこか案内する感じ？」: the other half of one question
        if part is not None and _OR_ELSE.match(part) and len(asked) >= 2:
            part = asked[-2] + part
    rest = _without_reasons(part if part is not None else t)
    return rest if rest is not None else part


_BOUNDARY = "、。！？!?\n 　"
_NODE = re.compile(r"(?<=[たるいだすくうつぬむぶぐ])ので|(用に|のために|ために)(?=、)")


def _without_reasons(text: str) -> str | None:
    """The text without its reason clauses (「管理者権限がいるから」「重いので」): why someone did
    something is circumstance, what they did is the question. None when it has none."""
    from knowledge.terms import _morphemes  # Sudachi, already loaded for search

    ends, at = [], 0
    for m in _morphemes(text):
        at = text.find(m.surface(), at)
        if m.surface() == "から" and m.part_of_speech()[1] == "接続助詞":
            ends.append(at + 2)
        at += len(m.surface())
    ends += [m.end() for m in _NODE.finditer(text)]
    if not ends:
        return None
    keep = [True] * len(text)
    for end in ends:
        start = max(text.rfind(c, 0, end) for c in _BOUNDARY) + 1
        for i in range(start, end):
            keep[i] = False
    rest = "".join(c for c, k in zip(text, keep) if k)
    return rest if re.search(r"\w", rest) else None


# A question about where or what things are (「トイレってどこ？」「補充って誰の担当？」「何時集合？」) rather than what
# one may or must do: answered only when a clause shares its own words (knowledge/search._relevant).
_STATE = re.compile(r"((って|は|の)どこ(なの|なん|ですか|だっけ|にある|にあります|ある|かな|や)?|誰の担当|だれの担当|何時集合|何色|いくら|"
                    r"おすすめ[^。？?]{0,8})[?？!！]?\s*$")
_TO_DO = re.compile(r"いい|ええ|よか|ok|オッケー|大丈夫|ダメ|だめ|アウト|まずい|べき|必要|いる[?？]|要る|ないと|なきゃ|すれば|したら|"
                    r"どうする|どうすれ|どうしよ|決まり|ルール|規定|報告|連絡|出す|保管|しまう|置いて|置けば|捨て|返す|返し")


def asks_how_things_are(question: str) -> bool:
    t = nfkc(question or "").lower()
    return bool(_STATE.search(t)) and not _TO_DO.search(t) and not asks_permission(question)


# A property of a thing (its colour, price, capacity, speed, brand): knowledge/concepts/attributes.toml.
@lru_cache(maxsize=1)
def _attributes() -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    with open(ATTRIBUTES, "rb") as fh:
        data = tomllib.load(fh)
    low = lambda xs: tuple(nfkc(str(x)).lower() for x in xs or ())  # noqa: E731
    return tuple((str(a["id"]), low(a.get("asks")), low(a.get("answered_by"))) for a in data.get("attribute", []))


def asked_properties(question: str) -> list[tuple[str, tuple[str, ...]]]:
    """(id, words a clause must hold to answer it) for each property of a thing the question asks for."""
    t = nfkc(question or "").lower()
    return [(aid, answered) for aid, asks, answered in _attributes() if any(p in t for p in asks)]


# 「スマホとデジカメどっちが画質いい？」「GoogleとMicrosoftどっちがいい？」: a choice between named things.
_CHOICE = re.compile(r"([^\s、。,.!?！？「」『』とや]{1,12})(?:と|か|or)([^\s、。,.!?！？「」『』]{1,12}?)(?:の|、|\s)*(?:どっち|どちら|which)")
_PARTICLE_END = re.compile(r"(って|は|が|を|に|で|の)$")


# 「ワード？エクセル？」「社用車？レンタカー？」: two names each asked with a question mark (no verb: 「書く？
# 鉛筆でもいい？」 is a question about what to do).
_CHOICE_MARKS = re.compile(r"(?:^|[、。\s]|って|は)([ァ-ヶー一-龥a-z0-9]{1,10})[?？]\s*([ァ-ヶー一-龥a-z0-9]{1,10})[?？]")


def choice_options(question: str) -> tuple[str, ...]:
    """The things a question asks to choose between, or () when it names none."""
    t = nfkc(question or "").lower()
    m = _CHOICE.search(t)
    if m:
        opts = tuple(_PARTICLE_END.sub("", o).strip() for o in m.groups())
        return opts if all(len(o) >= 2 for o in opts) else ()
    m = _CHOICE_MARKS.search(t)
    if m:
        return tuple(o for o in m.groups() if len(o) >= 2)
    return ()


def clause_answers_what_is_asked(question: str, clause_text: str, clause_words=(), words_of=None) -> bool:
    """False when the question asks for a property, or a choice between named things, that the clause
    does not speak of (「暗号化USBって容量何GB？」 and the rule to use an encrypted stick).
    clause_words and words_of (an option's normalised words) let 「スマホ」 meet 「スマートフォン」."""
    text = nfkc(clause_text or "").lower()
    if any(not any(w in text for w in answered) for _, answered in asked_properties(question)):
        return False
    opts = choice_options(question)
    if not opts:
        return True
    words = set(clause_words)
    return any(o in text or (words_of is not None and any(len(w) >= 2 and w in words for w in words_of(o))) for o in opts)
