"""「担当者に聞く」 typed rather than pressed (capabilities.INTENTS "ask.lead").

Typed with the question after it (「担当者に聞く：私物のUSBメモリを使ってもいいですか」), the question goes to the
asker's lead as the button sends it (for someone on two contracts, the lead of the contract whose rule answers it). Typed alone, the reply says how to ask: no question is kept between messages
to guess from, and the words are never searched as a rule question (「担当者に聞く」 was answered with the rule on
作業責任者, with a verdict).
"""
from __future__ import annotations

import re
import unicodedata

from handlers import ask, capabilities, people, routing
from handlers.replies import Reply, Turn

HOW = ("担当者に聞くには、回答の下の「担当者に聞く」ボタンを押してください。"
       "質問を続けて書いていただいても送れます（例：「担当者に聞く：私物のUSBメモリを使ってもいいですか」）。")


def ask_lead(db, user_id: str, meaning, via: str) -> Turn:
    text = unicodedata.normalize("NFKC", meaning.text or "")
    parts = re.split(r"[:：、,]", text, maxsplit=1)
    asked = parts[1].strip() if len(parts) == 2 else ""
    if not asked:
        return Turn().add(Reply(HOW))
    reply, out = routing.route_question(db, user_id, asked, [], "asked", via=via, about_clauses=_about(db, user_id, asked))
    return Turn().add(reply, out, user_id)


def _about(db, user_id: str, asked: str) -> list[str]:
    """For someone on more than one contract: the clause their own documents would answer the question with,
    which says whose lead it is for (nothing was shown to them, so nothing is cited to the lead)."""
    p = people.get_person(db, user_id)
    if not p or len(p["contracts"]) < 2:
        return []
    a = ask.answer(db, asked, prefer=people.contract_sources(db, user_id))
    return [a.best.clause_id] if a.found and a.best else []


capabilities.register_intent("ask.lead", ask_lead)
