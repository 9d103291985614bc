"""Questions about mamoru and about oneself, typed as questions (capabilities.INTENTS "me.contract",
"me.lead", "me.questions", "me.waiting", "help"): 「自分の契約ってどれ？」「担当者だれ？」「前の質問の答えまだ？」
「このbot何ができるの？」. They were searched as rule questions: 「自分の契約ってどれ？」 got 【禁止】 from
a rule on private devices, 「担当者だれ？」 【義務】 from the rule that a contractor names its 作業責任者.

Answered from the person's own page (handlers.home): the same words as App Home, never anyone else's.
"""
from __future__ import annotations

from handlers import capabilities, home, people
from handlers.replies import Reply, Turn

NOT_REGISTERED = "まだ mamoru に登録されていないため、契約や作業責任者の情報はありません。"
HELP_OPENING = "mamoru でできることをご案内します。\n\n"


def _page(section_of):
    """The intent showing one section of the person's own page: section_of(person) -> its id."""
    def show(db, user_id: str, meaning, via: str) -> Turn:
        person = people.get_person(db, user_id)
        if person is None:
            return Turn().add(people.registration_info(db, user_id, opening=NOT_REGISTERED))
        return home.detail(db, user_id, section_of(person), via)
    return show


def _help(db, user_id: str, meaning, via: str) -> Turn:
    from handlers import conversation

    return Turn().add(Reply(HELP_OPENING + conversation.HELP))


capabilities.register_intent("me.contract", _page(lambda p: "profile"))
capabilities.register_intent("me.lead", _page(lambda p: "profile"))
capabilities.register_intent("me.questions", _page(lambda p: "questions"))
# a lead's inbox (approvals and questions waiting for their answer, their team), else one's own questions
capabilities.register_intent("me.waiting", _page(lambda p: "team" if p["role"] in people.APPROVERS else "questions"))
capabilities.register_intent("help", _help)
