"""Whose rules answer a question: the asker's own contract, or the one they say they work on.

A registered person's answers come from their contract's documents (handlers.ask, prefer=).
Someone with no contract here is, where buttons can be pressed later (Slack), asked which contract
they work on: one button per contract that has documents, plus 「わからない／すべての文書から」; the
question travels in the button's value (capped, within Block Kit's limit), so nothing of it is
kept on our side for a person we do not know. Where no button can wait (the terminal chat, the
command line), and when there is no choice to make (one contract or none), they get the answer at
once from every document, with each clause's document named.

Other contracts' clauses are never the answer; 「ほかの契約の規定も見る」 shows them apart, on request.
Knows nothing of Slack: it returns Turns with Buttons.
"""
from __future__ import annotations

import json

import sqlite_utils

from handlers import ask, people
from handlers.replies import Button, Reply, Turn
from storage import people as store

ASK_CONTRACT = "ask_contract"     # value {"q": question, "k": contract name or ""}
ASK_OTHERS = "ask_others"         # value {"q": question, "c": clause id, "k"?: the contract chosen}
ALL_LABEL = "わからない／すべての文書から"
OTHERS_LABEL = "ほかの契約の規定も見る"
CHOOSE = ("どの契約（案件）のお仕事についてのご質問でしょうか。お選びいただくと、その契約の文書の規定から"
          "お答えします。わからない場合は「{all}」をお選びください（どの文書の規定かを条項ごとにお示しします）。")
# Carriers where a button can be pressed after the question was asked (handlers.people.VIAS).
CHOICE_VIAS = ("slack_dm", "slack_mention", "slack_command")
QUESTION_IN_VALUE = 500           # as handlers.conversation: the question carried in a button
MAX_BUTTON_VALUE = 2000           # Block Kit's limit
CHOSEN_NOTE = "「{k}」の契約の文書からお答えしています。"
GONE_NOTE = "案件「{k}」の文書が見つからないため、すべての文書から探しました。"
ECHO = 80                         # characters of the question shown back above the choice
NO_QUESTION = "ご質問の内容が見つかりませんでした。お手数ですが、もう一度ご質問ください。"


def contracts_with_documents(db: sqlite_utils.Database) -> list[tuple[str, list[str]]]:
    """(name, document slugs) of every contract in force that has documents loaded, by name."""
    out = []
    for c in store.contracts(db):
        docs = people.contract_docs(db, c["name"])
        if docs:
            out.append((c["name"], docs))
    return out


def value(question: str, **extra: str) -> str:
    """A button value carrying the question (capped, halved until the value fits Block Kit)."""
    q = (question or "").strip()[:QUESTION_IN_VALUE]
    while True:
        v = json.dumps({"q": q, **extra}, ensure_ascii=False, separators=(",", ":"))
        if len(v) <= MAX_BUTTON_VALUE or not q:
            return v
        q = q[: len(q) // 2]


def _parse(raw: str | None) -> dict:
    try:
        v = json.loads(raw or "")
    except ValueError:
        return {}
    return v if isinstance(v, dict) else {}


def _from_contract(db: sqlite_utils.Database, question: str, name: str, docs: list[str]) -> ask.Answer:
    a = ask.answer(db, question, prefer=",".join(docs))
    a.named, a.contract = True, name     # not their registered contract: say whose documents these are
    if not a.smalltalk:
        a.notes.insert(0, CHOSEN_NOTE.format(k=name))
    return a


def unregistered(db: sqlite_utils.Database, question: str, via: str) -> Turn | None:
    """The turn for a rule question from someone with no contract here, or None to answer as usual
    (from every document, each clause's document named): fewer than two contracts have documents
    (nothing to choose between; we do not know this person works on the one there is, so no rule is
    held back from them), or this carrier cannot wait for a button. Several, in Slack: small talk
    and questions no rule covers are answered at once; otherwise the person is asked which contract."""
    if via not in CHOICE_VIAS:
        return None
    choices = contracts_with_documents(db)
    if len(choices) < 2:
        return None
    first = ask.answer(db, question)
    if first.smalltalk or not first.found:
        return Turn(answer=first)
    buttons = [Button(name, ASK_CONTRACT, v) for name, _ in choices
               if len(v := value(question, k=name)) <= MAX_BUTTON_VALUE]
    buttons.append(Button(ALL_LABEL, ASK_CONTRACT, value(question, k="")))
    asked = question if len(question) <= ECHO else question[: ECHO - 1] + "…"
    return Turn().add(Reply(f"{CHOOSE.format(all=ALL_LABEL)}\nご質問:「{asked}」", buttons))


def chosen(db: sqlite_utils.Database, user_id: str, raw: str, via: str) -> Turn:
    """A contract (or 「わからない／すべての文書から」) pressed: the question answered from its documents."""
    from handlers import routing

    v = _parse(raw)
    q = str(v.get("q") or "").strip()[:routing.MAX_QUESTION]
    if not q:
        return Turn().add(Reply(NO_QUESTION))
    name = str(v.get("k") or "").strip()
    if not name:
        return Turn(answer=ask.answer(db, q))
    docs = people.contract_docs(db, name) if store.contract(db, name) else []
    if not docs:
        a = ask.answer(db, q)
        a.notes.insert(0, GONE_NOTE.format(k=name))
        return Turn(answer=a)
    return Turn(answer=_from_contract(db, q, name, docs))


def others_button(a: ask.Answer, clause_id: str | None) -> Button | None:
    """「ほかの契約の規定も見る」 under an answer from the asker's own documents, when other documents
    exist and none of theirs were shown already."""
    if a.smalltalk or a.on_request or not a.found or a.others or not a.scope or not a.elsewhere:
        return None
    extra = {"c": clause_id or ""} | ({"k": a.contract} if a.contract else {})
    return Button(OTHERS_LABEL, ASK_OTHERS, value(a.question, **extra))


def others(db: sqlite_utils.Database, user_id: str, raw: str, via: str) -> Turn:
    """「ほかの契約の規定も見る」 pressed: other contracts' matching clauses, apart, never a verdict.
    Whose are "the others" is the presser's own contract (a registered person), else the one they chose."""
    from handlers import routing

    v = _parse(raw)
    q = str(v.get("q") or "").strip()[:routing.MAX_QUESTION]
    if not q:
        return Turn().add(Reply(NO_QUESTION))
    own = people.contract_slugs(db, user_id)
    if not own and v.get("k") and store.contract(db, str(v["k"])):
        own = people.contract_docs(db, str(v["k"]))
    return Turn(answer=ask.elsewhere(db, q, own))
