"""A follow-up question read with the question before it: 「USBメモリを家に持ち帰ってもいい？」 then
「紙の資料なら？」, 「じゃあ長野市の場合は？」, 「子会社でも？」.

A message that only names a thing and asks (a noun and a particle, no act of its own) means "the
same, for this". It is searched together with the person's last rule question, the earlier words as
background (knowledge.asking.asking_part: the last sentence is the part that asks).

Kept in this process's memory only, for a few minutes, per person and per carrier: nothing a person
typed is written anywhere for this, and after a restart a follow-up is simply read alone. Only where
the conversation is the person's own (a DM, the terminal chat): a channel mention never draws on a
question asked elsewhere, so nothing of it can be shown there.
"""
from __future__ import annotations

import re
import threading
import time
import unicodedata
from collections import OrderedDict

from knowledge.terms import _morphemes

# Carriers where one person's messages form one conversation.
VIAS = ("slack_dm", "terminal")
KEEP_SECONDS = 10 * 60          # a follow-up comes within minutes; later it is a new question
MAX_PEOPLE = 2000               # memory bound: the oldest conversations are forgotten first
MAX_FOLLOW_UP = 30              # characters: a longer message says what it asks by itself
NOTE = "直前のご質問の続きとして、あわせて検索しました。"

# 「じゃあ」「それなら」「ちなみに」 opening the message.
_OPENING = r"(?:じゃあ|じゃ|では|それでは|それじゃ|それなら|なら|だったら|ちなみに|あと|それと|ほな|ほんなら|で)?[、,\s]*"
# What it is about, then the particle that makes it elliptical, then at most a bare "how about it".
_ELLIPTICAL = re.compile(
    "^" + _OPENING + r"(?P<what>[^。？?！!]{1,24}?)"
    r"(?:の場合|の時|のとき|の際|の件|だと|なら|だったら|の方|のほう)?(?:は|も|でも|では|って|とか)?"
    r"(?:どう|どうなる|どうなの|どうなん|どうです|どうですか|どうでしょう|どうでしょうか|どうなりますか|どうしたら|"
    r"いい|いいの|いいですか|ok|オッケー|大丈夫|だめ|ダメ|ng|同じ|一緒|おなじ|いっしょ)?"
    r"(?:の|ですか|でしょうか|かな|か|ね|よね|[?？!！…〜~w]|\s)*$")
# ...and it must end in one of these: a particle or a bare "how about".
_ASKS = re.compile(r"(?:は|も|でも|では|なら|だったら|だと|って|とか|場合|時|とき|際|件|どう|同じ|一緒|おなじ|いっしょ|"
                   r"いい|ok|オッケー|大丈夫|だめ|ダメ|ng)(?:の|ですか|でしょうか|かな|か|ね|よね|です|[?？!！…〜~w]|\s)*$")
# 「いつまで？」「誰に？」「何時間以内？」: only what is asked about the question before.
_BARE_ASK = re.compile("^" + _OPENING + r"(?:いつまで|いつ|何時間以内|何日以内|何分以内|何日|何時間|誰に|だれに|誰が|だれが|誰|だれ|"
                       r"どこに|どこへ|どこ|何を|なにを|何で|なんで|なぜ|どうやって|どれくらい|どのくらい)"
                       r"(?:に|で|まで|以内|ですか|でしょうか|かな|か|[?？!！…〜~]|\s)*$")
# 「それって誰に報告すればいい？」「その場合も申請いる？」: a question pointing back at the one before.
_REFERS = re.compile(r"^(?:じゃあ|じゃ|では|で|なら)?[、,\s]*(?:それ|その場合|そういう場合|その時|そのとき|そういう時|そういうとき|この場合|そっち)"
                     r"(?:って|は|も|なら|だと|でも|、|,)")
# An act of its own makes it a question by itself (「USBは使っていい？」「削除しないとダメ？」): a verb, or
# an adjective other than the "is it fine / the same" a follow-up ends with.
_FINE = {"良い", "いい", "よい", "同じ"}


def _predicate(text: str) -> bool:
    return any(m.part_of_speech()[0] in ("動詞", "形容詞") and m.normalized_form() not in _FINE
               and m.dictionary_form() not in _FINE for m in _morphemes(text))


def follow_up(text: str) -> bool:
    """Whether a message is an elliptical follow-up (「紙の資料なら？」「子会社でも？」「長野市の場合は？」)."""
    t = unicodedata.normalize("NFKC", text or "").strip().lower()
    if not t or len(t) > MAX_FOLLOW_UP:
        return False
    if _BARE_ASK.match(t) or _REFERS.match(t):
        return True
    m = _ELLIPTICAL.match(t)
    if not m or not _ASKS.search(t):
        return False
    return not _predicate(t)


class Memory:
    """The last rule question of each person in each carrier (the first of a chain of follow-ups)."""

    def __init__(self, keep: float = KEEP_SECONDS, size: int = MAX_PEOPLE):
        self.keep, self.size = keep, size
        self._last: OrderedDict[tuple[str, str], tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def question(self, user_id: str, via: str, text: str, now: float | None = None) -> tuple[str, bool]:
        """(what to search, whether it is a follow-up): the message itself, or the last question and it.
        Remembers a question that is not a follow-up as the one the next follow-ups continue."""
        if via not in VIAS or not user_id:
            return text, False
        now = time.monotonic() if now is None else now
        key = (user_id, via)
        with self._lock:
            last = self._last.get(key)
            if last and now - last[0] > self.keep:
                del self._last[key]
                last = None
            if last and follow_up(text) and text.strip() != last[1].strip():
                self._last[key] = (now, last[1])          # the chain goes on from the same question
                self._last.move_to_end(key)
                return f"{last[1]}　{text.strip()}", True
            self._last[key] = (now, text)
            self._last.move_to_end(key)
            while len(self._last) > self.size:
                self._last.popitem(last=False)
        return text, False


MEMORY = Memory()
