"""What a Slack request turns into: a handlers.conversation Turn, rendered as Block Kit.

Nothing here decides anything (handlers/conversation.py does) and nothing talks to Slack
(bot/slack/app.py sends); this is the seam between the two.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlite_utils

from bot import render_blocks as rb
from handlers import ask, conversation, home as home_handler, people, routing
from handlers.conversation import Turn
from handlers.replies import Outgoing
from storage import kb as kb_store
from storage import questions as q_store

# Where a record came from (handlers.people.VIAS).
VIA_BUTTON, VIA_COMMAND, VIA_DM, VIA_MENTION = "slack_button", "slack_command", "slack_dm", "slack_mention"


@dataclass
class Result:
    messages: list[rb.Message] = field(default_factory=list)   # to the speaker, where they spoke
    outgoing: list[Outgoing] = field(default_factory=list)     # DMs to others
    refresh: set[str] = field(default_factory=set)             # users whose Home tab changed


def _result(turn: Turn) -> Result:
    return Result(rb.turn_messages(turn), turn.outgoing, turn.refresh)


def plain(text: str) -> str:
    """Slack's message text as typed: &amp; &lt; &gt; unescaped (<@U…> mentions stay)."""
    return (text or "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def question(db: sqlite_utils.Database, user_id: str, text: str, via: str = VIA_DM) -> Result:
    return _result(conversation.question(db, user_id, text, via))


def message(db: sqlite_utils.Database, user_id: str, text: str, via: str = VIA_DM) -> Result:
    """A DM or a mention: a conversation in progress, a capability's word, a command or a question."""
    return _result(conversation.message(db, user_id, text, via))


def press(db: sqlite_utils.Database, user_id: str, action_id: str, value: str) -> Result | None:
    """A capability's button (None when no capability owns this action id)."""
    turn = conversation.press(db, user_id, action_id, value, VIA_BUTTON)
    return _result(turn) if turn is not None else None


def command(db: sqlite_utils.Database, user_id: str, text: str, via: str = VIA_COMMAND) -> Result:
    return _result(conversation.command(db, user_id, text, via))


def feedback(db: sqlite_utils.Database, user_id: str, value: str, helpful: bool) -> Result:
    return _result(conversation.feedback(db, user_id, value, helpful, VIA_BUTTON))


def route(db: sqlite_utils.Database, user_id: str, value: str) -> Result:
    return _result(conversation.route(db, user_id, value, VIA_BUTTON))


def choose_contract(db: sqlite_utils.Database, user_id: str, value: str) -> Result:
    """Which contract a question is about (asked of someone with no contract): its rules answer."""
    return _result(conversation.choose_contract(db, user_id, value, VIA_BUTTON))


def other_contracts(db: sqlite_utils.Database, user_id: str, value: str) -> Result:
    """「ほかの契約の規定も見る」: other contracts' clauses, apart from the answer."""
    return _result(conversation.other_contracts(db, user_id, value, VIA_BUTTON))


def approve(db: sqlite_utils.Database, actor_id: str, value: str) -> Result:
    return _result(conversation.approve(db, actor_id, value, VIA_BUTTON))


def request_registration(db: sqlite_utils.Database, user_id: str, name: str) -> Result:
    return _result(conversation.request_registration(db, user_id, name, VIA_BUTTON))


def routed_answer(db: sqlite_utils.Database, responder_id: str, routed_id: str, answer_text: str,
                  clause_ids: list[str]) -> Result:
    return _result(conversation.answer_routed(db, responder_id, routed_id, answer_text, clause_ids, VIA_BUTTON))


def routed_question(db: sqlite_utils.Database, routed_id: str) -> dict | None:
    """The routed question a 「回答する」 button names (question, asker, clause ids), or None."""
    try:
        r = q_store.routed(db, int(str(routed_id).strip()))
    except (TypeError, ValueError):
        return None
    return dict(r, asker_name=people.display_name(db, r["asker_id"])) if r else None


def answer_form_refusal(db: sqlite_utils.Database, user_id: str, routed: dict) -> Result | None:
    """The refusal when this person may not answer the routed question (the roster now decides), else None:
    the answer form shows the question and who asked it, so it opens only for someone who may answer."""
    if routing.may_answer(db, user_id, routed):
        return None
    return _result(Turn().add(routing.refuse_answer(db, user_id, routed["id"], VIA_BUTTON)))


def clause_choices(db: sqlite_utils.Database, question_text: str, preset: list[str]) -> list[tuple[str, str]]:
    """Candidate clauses for a lead's answer: the ones already linked, then the search's best."""
    seen, out = set(), []
    for cid in preset:
        c = kb_store.clause(db, cid)
        if c and cid not in seen:
            seen.add(cid)
            out.append((c["citation"], cid))
    for h in ask.answer(db, question_text, top=10).hits:
        if h.clause_id not in seen:
            seen.add(h.clause_id)
            out.append((h.citation, h.clause_id))
    return out


def home(db: sqlite_utils.Database, user_id: str) -> dict:
    return rb.home_view(home_handler.home(db, user_id))


# ---- documents shared in the DM (handlers/documents.py)

def file_shared(db: sqlite_utils.Database, user_id: str, file: dict) -> Result:
    from handlers import documents

    return _result(documents.shared(db, user_id, file, VIA_DM))


def document_choose(db: sqlite_utils.Database, user_id: str, value: str, fetch, tell=None) -> Result:
    """The contract's button: fetch(file_id, max_bytes) -> bytes downloads the file (files.info,
    then url_private) only once the person and the upload are checked; tell(text) says at once that a
    large file is being loaded (reading and embedding it can take minutes; the report follows)."""
    from bot.slack.files import TooLarge
    from handlers import documents

    up, contract, refused = documents.choose(db, user_id, value)
    if refused is not None:
        return _result(refused)
    try:
        data = fetch(up["file_id"], documents.max_bytes())
    except TooLarge:
        data = b"x" * (documents.max_bytes() + 1)     # load() refuses it and records why
    note = documents.loading_note(up, data)
    if note and tell is not None:
        tell(note)
    return _result(documents.load(db, user_id, up, contract, data, VIA_BUTTON))


# ---- roster forms (bot/slack/people_modals.py builds them; handlers.people decides)

def add_person_view(db: sqlite_utils.Database, actor_id: str) -> dict | Result:
    from bot.slack import people_modals

    if not people._can_administer(db, actor_id):
        return _result(Turn().add(people.Reply("申し訳ありませんが、利用者の登録・変更は管理者の方だけが行えます。",
                                               ephemeral=True)))
    return people_modals.add_view(people.form_choices(db))


def add_person_errors(db: sqlite_utils.Database, v: dict) -> dict[str, str]:
    from bot.slack import people_modals

    errs = people.form_errors(db, user_id=v.get("user"), role=v.get("role") or "worker", contract=v.get("contract"),
                              lead=v.get("lead"))
    if "contract" in errs and not people.form_choices(db)["contracts"]:   # the form had no contract field
        errs["role"] = people_modals.NO_CONTRACT
        del errs["contract"]
    return errs


def add_person(db: sqlite_utils.Database, actor_id: str, v: dict, name: str, email: str | None = None) -> Result:
    _, reply = people.add_from_form(db, actor_id, user_id=v["user"], name=name, role=v.get("role") or "worker",
                                    contract=v.get("contract"), lead=v.get("lead"), start_date=v.get("start"),
                                    email=email, via=VIA_BUTTON)
    return _result(Turn().add(reply, (), actor_id, v["user"]))


def approve_view(db: sqlite_utils.Database, actor_id: str, user_id: str, slack_name: str | None) -> dict | Result:
    """The approval form, or a Result when there is nothing to ask (refused, or nothing lacking)."""
    import datetime as _dt

    from bot.slack import people_modals
    from handlers import workdays

    form = people.approval_form(db, actor_id, user_id)
    if not isinstance(form, dict):
        return _result(Turn().add(form))
    if "案件" in form["lacks"] and not people.form_choices(db)["contracts"]:    # nothing to choose from yet
        return _result(Turn().add(people.Reply("案件がまだ登録されていないため、承認の前に `/mamoru users contract 案件名`"
                                               "（サーバーでは `mamoru contract add 案件名`）で案件を登録してください。"
                                               "申請はそのまま承認をお待ちしています。", ephemeral=True)))
    if not form["lacks"]:
        return approve(db, actor_id, user_id)
    if slack_name and form["name"] in ("", user_id):
        form["name"] = slack_name
    elif slack_name:
        form["name"] = people.normalise_name(slack_name) or form["name"]
    return people_modals.approve_view(user_id, form, people.form_choices(db), workdays.now().date())


def approve_errors(db: sqlite_utils.Database, user_id: str, v: dict) -> dict[str, str]:
    return people.approval_errors(db, user_id, name=v.get("name"), contract=v.get("contract"), lead=v.get("lead"),
                                  start_date=v.get("start"))


def approve_with(db: sqlite_utils.Database, actor_id: str, user_id: str, v: dict) -> Result:
    try:
        reply, out = people.approve(db, actor_id, user_id, VIA_BUTTON, name=v.get("name"), contract=v.get("contract"),
                                    lead=v.get("lead"), start_date=v.get("start"))
    except people.UsageError as e:
        return _result(Turn().add(people.Reply(str(e), ephemeral=True)))
    return _result(Turn().add(reply, out, actor_id, user_id))
