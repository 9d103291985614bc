"""What a Slack request turns into, built from the Slack-agnostic handlers.

Each function takes the speaker and what they said or clicked, calls the handlers, and returns
the messages to post (Block Kit) plus the Outgoing messages for other people. Nothing here
talks to Slack; bot/slack/app.py does the sending.
"""
from __future__ import annotations

import importlib
import logging
import unicodedata
from dataclasses import dataclass, field

import sqlite_utils

from bot import render_blocks as rb
from handlers import ask
from handlers.replies import Outgoing, Reply

log = logging.getLogger("mamoru.slack")
# Where a record came from (handlers.people.VIAS).
VIA_BUTTON, VIA_COMMAND, VIA_DM = "slack_button", "slack_command", "slack_dm"


def _optional(name: str):
    """A domain module that may not exist yet in this deployment (None when absent)."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as e:
        if e.name == name:
            return None
        raise


people = _optional("handlers.people")
routing = _optional("handlers.routing")
home_handler = _optional("handlers.home")


@dataclass
class Result:
    messages: list[rb.Message] = field(default_factory=list)   # to the speaker, where they spoke
    outgoing: list[Outgoing] = field(default_factory=list)     # DMs to others
    refresh: set[str] = field(default_factory=set)             # users whose Home tab changed


def _outgoing_refresh(out: list[Outgoing]) -> set[str]:
    return {o.user_id for o in out}


# ---------------------------------------------------------------- questions

def question(db: sqlite_utils.Database, user_id: str, text: str, via: str = VIA_DM) -> Result:
    """A rule question: a lead's earlier answer first, then the rules; no rule → routed to the lead."""
    text = (text or "").strip()
    prefer = people.contract_sources(db, user_id) if people and hasattr(people, "contract_sources") else None
    a = ask.answer(db, text, prefer=prefer)
    prior = None
    if routing and hasattr(routing, "prior_answer") and text:
        prior = routing.prior_answer(db, text)
    res = Result()
    routed_text, routed = "", False
    askable = bool(text) and a.message != ask.EMPTY
    if not a.found and askable and prior is None and routing and hasattr(routing, "route_question"):
        reply, out = routing.route_question(db, user_id, text, [], "not_found", via=via)
        routed_text, routed = reply.text, True   # recorded even when nobody could be told (the text says so)
        res.outgoing += out
        res.refresh |= _outgoing_refresh(out) | {user_id}
    res.messages = rb.answer_messages(a, prior=prior, routed_text=routed_text, routed=routed)
    return res


def feedback(db: sqlite_utils.Database, user_id: str, value: str, helpful: bool) -> Result:
    """「役に立った」/「役に立たなかった」: recorded (question and clause come in the button value)."""
    v = rb.parse_value(value)
    if routing and hasattr(routing, "record_feedback"):
        reply = routing.record_feedback(db, user_id, v.get("q", ""), v.get("c", ""), helpful, VIA_BUTTON)
        return Result(messages=rb.reply_messages(reply))
    return Result(messages=rb.text_messages("ご意見ありがとうございます。"))


def route(db: sqlite_utils.Database, user_id: str, value: str) -> Result:
    """「担当者に聞く」: the question goes to the asker's lead (or the officer)."""
    v = rb.parse_value(value)
    if not (routing and hasattr(routing, "route_question")):
        return Result(messages=rb.text_messages(
            "担当者への取り次ぎはまだ設定されていません。作業責任者に直接ご確認ください。"))
    clause_ids = [v["c"]] if v.get("c") else []
    reply, out = routing.route_question(db, user_id, v.get("q", ""), clause_ids, "asked", via=VIA_BUTTON)
    return Result(messages=rb.reply_messages(reply), outgoing=out, refresh=_outgoing_refresh(out) | {user_id})


# ---------------------------------------------------------------- /mamoru

HELP = """mamoru（守る）の使い方です。

・質問する：このアプリへの DM、メンション（@mamoru 質問）、または `/mamoru 質問文`
　例：`/mamoru 離席するときは画面をロックする必要がありますか`
・回答の下のボタン：「役に立った」「役に立たなかった」「担当者に聞く」
・`/mamoru help`：この説明を表示します
・`/mamoru users list` / `/mamoru users add …` / `/mamoru users remove …`：利用者の管理（管理者のみ）
・`/mamoru gaps`：規定の不足の候補（役に立たなかった回答・担当者への質問）の一覧（情報セキュリティ対策責任者・管理者のみ）
・ホームタブ：ご自身の契約、チェックリスト、研修、インシデントの状況を確認できます"""

HELP_WORDS = {"help", "ヘルプ", "使い方", "へるぷ", "?", "？", "-h", "--help"}


def plain(text: str) -> str:
    """Slack's message text as typed: &amp; &lt; &gt; unescaped (<@U…> mentions stay)."""
    return (text or "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def command(db: sqlite_utils.Database, user_id: str, text: str, via: str = VIA_COMMAND) -> Result:
    """`/mamoru …`: help, users (admins), or a question."""
    text = (text or "").replace("\u3000", " ").strip()
    if not text or unicodedata.normalize("NFKC", text).lower() in HELP_WORDS:
        return Result(messages=rb.text_messages(HELP))
    first, _, rest = text.partition(" ")
    word = unicodedata.normalize("NFKC", first).lower()
    if word == "users":
        if not (people and hasattr(people, "users_command")):
            return Result(messages=rb.text_messages("利用者の管理はまだ使えません。"))
        # One string: handlers.people splits it itself, with a clear message for unbalanced quotes.
        reply = people.users_command(db, user_id, [rest.strip()] if rest.strip() else [], via)
        return Result(messages=rb.reply_messages(reply), refresh={user_id})
    if word == "gaps" and not rest.strip():
        return gaps(db, user_id)
    return question(db, user_id, text, via)


GAPS_ROLES = ("officer", "admin")


def gaps(db: sqlite_utils.Database, user_id: str) -> Result:
    """`/mamoru gaps`: the rules' coverage gaps (as `mamoru kb gaps`), for officers and admins."""
    if not (routing and hasattr(routing, "gaps_text") and people and hasattr(people, "get_person")):
        return Result(messages=rb.text_messages("規定の不足の一覧はまだ使えません。"))
    p = people.get_person(db, user_id)
    if not (p and p["role"] in GAPS_ROLES):
        return Result(messages=rb.text_messages(
            "申し訳ありませんが、規定の不足の一覧は情報セキュリティ対策責任者・管理者の方だけがご覧いただけます。"))
    return Result(messages=rb.text_messages(routing.gaps_text(db)))


# ---------------------------------------------------------------- people buttons

def approve(db: sqlite_utils.Database, actor_id: str, value: str) -> Result:
    if not (people and hasattr(people, "approve")):
        return Result(messages=rb.text_messages("登録の承認はまだ使えません。"))
    reply, out = people.approve(db, actor_id, value, VIA_BUTTON)
    return Result(messages=rb.reply_messages(reply), outgoing=out,
                  refresh=_outgoing_refresh(out) | {actor_id, value})


def request_registration(db: sqlite_utils.Database, user_id: str, name: str) -> Result:
    if not (people and hasattr(people, "request_registration")):
        return Result(messages=rb.text_messages("登録の申請はまだ使えません。作業責任者にご連絡ください。"))
    reply, out = people.request_registration(db, user_id, name, via=VIA_BUTTON)
    return Result(messages=rb.reply_messages(reply), outgoing=out, refresh=_outgoing_refresh(out) | {user_id})


# ---------------------------------------------------------------- routed answers

def routed_answer(db: sqlite_utils.Database, responder_id: str, routed_id: str, answer_text: str,
                  clause_ids: list[str]) -> Result:
    reply, out = routing.answer_routed(db, responder_id, routed_id, answer_text, clause_ids, VIA_BUTTON)
    return Result(messages=rb.reply_messages(reply), outgoing=out, refresh=_outgoing_refresh(out) | {responder_id})


def routed_question(db: sqlite_utils.Database, routed_id: str) -> dict | None:
    """The routed question a 「回答する」 button names (question, asker, clause ids), or None."""
    from storage import questions as q_store

    try:
        r = q_store.routed(db, int(str(routed_id).strip()))
    except (TypeError, ValueError):
        return None
    if r is None:
        return None
    asker = people.display_name(db, r["asker_id"]) if people and hasattr(people, "display_name") else r["asker_id"]
    return dict(r, asker_name=asker)


def clause_choices(db: sqlite_utils.Database, question_text: str, preset: list[str]) -> list[tuple[str, str]]:
    """Candidate clauses for a lead's answer: the ones already linked, then the search's best."""
    from storage import kb as kb_store

    seen, out = set(), []
    for cid in preset:
        c = kb_store.clause(db, cid)
        if c and cid not in seen:
            seen.add(cid)
            out.append((c["citation"], cid))
    a = ask.answer(db, question_text, top=10)
    for h in a.hits:
        if h.clause_id not in seen:
            seen.add(h.clause_id)
            out.append((h.citation, h.clause_id))
    return out


# ---------------------------------------------------------------- App Home

DEFAULT_HOME = {
    "title": "mamoru（守る）",
    "text": "情報セキュリティの決まりについて、普段の言葉で質問してください。"
            "このアプリへの DM、メンション、または `/mamoru 質問文` で、該当する条項を出典つきでお答えします。",
}


def home(db: sqlite_utils.Database, user_id: str) -> dict:
    if home_handler and hasattr(home_handler, "home"):
        return rb.home_view(home_handler.home(db, user_id))
    return rb.home_view(DEFAULT_HOME)
