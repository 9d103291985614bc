"""Onboarding training and the confidentiality pledge — assigned, quizzed in a DM, reminded, recorded.

The question banks, courses and the pledge are content (knowledge/quiz/, knowledge/pledge/; see
handlers.training.content). A course belongs to a contract (the default course of its documents,
or one naming the contract; `mamoru training contract` changes its numbers). This module plugs
the capability into the runtime at import (it is listed in handlers.capabilities.CAPABILITY_MODULES):

- buttons: `training_start` (value: course id — start, resume, retry, or show the pledge),
  `training_answer` (value "<attempt>:<question index>:<choice>"), `training_pledge`
  (value "<result>:<pledge version>:<text hash>");
- typed (handlers.training.typed): 「B」「2」「○」 answer the waiting question, 「誓約します」 pledges;
- words (DM, `/mamoru …`, the terminal): 「研修」/「training」 (start or continue),
  「研修 状況」/「training status」 (own status; a lead's team; the officer's and admins' everyone);
- notices (source "training", handlers.training.due): the DM asking a newly registered person to
  begin, reminders 7, 3 and 1 day before the deadline, one overdue notice, the renewal of a pass
  about to expire; the lead's digest part "training" (overdue people, once a day);
- App Home: section "training" (status, deadline, score, pledge; start / continue buttons; for a
  lead the team, for the officer everyone overdue).

Assignment is a function of state: a registered person whose contract has a course and who has
no assignment yet gets one written right before the "please begin" DM of the next notices pass,
at once when they open the training themselves (「研修」, the Home button), or when the training
records are exported (so the record lists them) — whichever comes first.

Records (storage.training): assignments, attempts (the questions drawn, choices in the order
shown), answers, results, pledges — who, what, when, via; a double tap, an old button or a
retried event records nothing twice.
"""
from __future__ import annotations

import unicodedata

from handlers import capabilities, digest, home, notices
from handlers.replies import Reply, Turn
from handlers.training import due, quiz, typed, views
from handlers.training.quiz import ACTION_ANSWER, ACTION_PLEDGE, ACTION_START  # noqa: F401

WORDS = ["研修", "けんしゅう", "training", "研修を始める", "研修を続ける", "研修開始", "研修再開"]
STATUS_WORDS = {"状況", "状態", "一覧", "status", "じょうきょう", "進捗"}
START_WORDS = {"", "開始", "始める", "はじめる", "続ける", "つづける", "再開", "start", "continue", "resume"}


def _word(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip().lower()


def command(db, user_id: str, rest: str, via: str):
    """「研修」 / 「研修 状況」; anything else after the word is a question (None: not ours)."""
    w = _word(rest)
    if w in START_WORDS:
        return quiz.start(db, user_id, None, via)
    if w in STATUS_WORDS:
        from handlers import access

        refusal = access.require(db, user_id, what="研修の状況", via=via)
        if refusal:
            return Turn().add(refusal)
        return Turn().add(Reply(views.status_text(db, user_id)))
    return None


capabilities.register_action(ACTION_START, lambda db, u, v, via: quiz.start(db, u, v, via))
capabilities.register_action(ACTION_ANSWER, lambda db, u, v, via: quiz.answer(db, u, v, via))
capabilities.register_action(ACTION_PLEDGE, lambda db, u, v, via: quiz.pledge(db, u, v, via))
capabilities.register_command(WORDS, command)
capabilities.register_session(typed.session, typed.last_prompt, typed.resume)
capabilities.register_intent("pledge", typed.pledge)
capabilities.register_intent("training.start", lambda db, u, m, via: quiz.start(db, u, None, via))
capabilities.register_intent("training.status", lambda db, u, m, via: command(db, u, "状況", via))
capabilities.register_intent("choice", typed.stray_choice)

notices.register_source(due.SOURCE, due.due, due.still_due)
digest.register_digest_part("training", views.digest_part, order=20)
home.register_section("training", "研修", views.home_section, 30)
