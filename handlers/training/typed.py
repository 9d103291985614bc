"""The training by typed words: 「B」「2」「○」 while a question waits, 「誓約します」 after a pass.

Buttons stay the first way; these make a typed answer mean the same press, so a worker who types
「B」 during the quiz is answered as a quiz answer and never routed to the lead as a question.
"""
from __future__ import annotations

import re
import unicodedata

import sqlite_utils

from handlers import capabilities, people
from handlers.replies import Reply, Turn
from handlers.training import quiz, state
from storage import training as store

_TRUE = {"○", "〇", "まる", "正しい", "ただしい", "はい", "true", "o"}
_FALSE = {"×", "✕", "x", "ばつ", "バツ", "誤り", "あやまり", "いいえ", "false"}
_CHOICE = re.compile(r"^(?:答えは|こたえは|回答は)?([a-j]|[0-9]{1,2})(?:です|番|ばん|番です|で)?$")


def _open_attempt(db: sqlite_utils.Database, user_id: str) -> tuple[dict, int] | None:
    """The person's attempt whose question waits for an answer, and that question's index."""
    if people.get_person(db, user_id) is None:
        return None
    for t in state.tracks_of(db, user_id):
        if t.state == "in_progress" and t.open_attempt:
            att = store.attempt(db, t.open_attempt["id"])
            idx = store.answer_count(db, att["id"])
            if idx < att["total"]:
                return att, idx
    return None


def choice_of(q: dict, said: str) -> int | None:
    """The choice index a typed word means for this question: letters A…, numbers 1…, ○/× for true/false."""
    w = capabilities.plain(said)
    if q["kind"] == "truefalse":
        labels = [c for c in q["choices"]]
        if w in _TRUE and "○" in labels:
            return labels.index("○")
        if w in _FALSE and "×" in labels:
            return labels.index("×")
    m = _CHOICE.match(w)
    if not m:
        return None
    k = m[1]
    n = ord(k) - ord("a") if k.isalpha() else int(k) - 1
    return n if 0 <= n < len(q["choices"]) else -1


def session(db: sqlite_utils.Database, user_id: str, text: str, via: str) -> Turn | None:
    """A typed answer to the waiting question; a choice that does not exist is asked again."""
    if len(text or "") > 12:
        return None
    open_ = _open_attempt(db, user_id)
    if open_ is None:
        return None
    att, idx = open_
    q = att["questions"][idx]
    k = choice_of(q, text)
    if k is None:
        return None
    if k < 0:
        letters = "、".join(quiz._label(q, i).split(".")[0] for i in range(len(q["choices"])))
        return Turn().add(quiz.question_reply(db, att, idx, f"「{unicodedata.normalize('NFKC', text).strip()}」という選択肢は"
                                                             f"ありません。{letters} のいずれか（番号でも）でお答えください。"))
    return quiz.answer(db, user_id, quiz.answer_value(att["id"], idx, k), via)


def last_prompt(db: sqlite_utils.Database, user_id: str) -> str | None:
    """When the waiting question was asked: the last answer, or the attempt's start."""
    open_ = _open_attempt(db, user_id)
    if open_ is None:
        return None
    att, idx = open_
    rows = store.answers(db, att["id"])
    return rows[-1]["at"] if rows else att["at"]


def resume(db: sqlite_utils.Database, user_id: str, via: str) -> Turn | None:
    """The waiting question of the quiz in progress, asked again."""
    open_ = _open_attempt(db, user_id)
    if open_ is None:
        return None
    att, idx = open_
    return Turn().add(quiz.question_reply(db, att, idx, "研修の続きです。"))


def pledge(db: sqlite_utils.Database, user_id: str, meaning, via: str) -> Turn:
    """「誓約します」 typed: the same as the button on the pledge now shown, when one waits."""
    gate = quiz._gate(db, user_id)
    if gate:
        return gate
    waiting = [t for t in state.tracks_of(db, user_id) if t.state == "pledge" and t.passed]
    if not waiting:
        done = [t for t in state.tracks_of(db, user_id) if t.state == "done"]
        if done:
            return Turn().add(Reply(quiz.done_text(db, done[0])))
        return Turn().add(Reply("いま誓約をお待ちしている研修はありません。誓約は、研修に合格したあとにお願いしています。"
                                "「研修」と送ると、研修を始められます。"))
    t = waiting[0]
    pl = quiz.pledge_of(t.course)
    text = quiz.pledge_text(db, t.contract, pl)
    value = f"{t.passed['id']}:{pl.version}:{quiz.text_hash(text)[:16]}"
    return quiz.pledge(db, user_id, value, via)


def stray_choice(db: sqlite_utils.Database, user_id: str, meaning, via: str) -> Turn:
    """「B」「2」 with no question waiting: said so, not sent to the lead as a rule question."""
    said = unicodedata.normalize("NFKC", meaning.text).strip()
    return Turn().add(Reply(f"「{said}」だけでは、何へのお答えか分かりませんでした。いまお答えを待っている質問はありません。"
                            "研修の続きは「研修」、決まりについてのご質問は文章でお送りください。"))
