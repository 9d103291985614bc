"""One conversation turn, whoever carries it (Slack, the terminal chat, tests).

A person says something or presses a button; this decides what happens (answer, route to the
lead, record feedback, run a command) and returns a Turn. bot/slack renders a Turn as Block Kit,
bot/chat as text. Nothing here knows about Slack.
"""
from __future__ import annotations

import json
import unicodedata

import sqlite_utils

from handlers import ask, followup, people, routing, smalltalk, whose
from handlers import capabilities
from handlers.replies import Button, Outgoing, Reply, Turn  # noqa: F401  (re-exported for carriers)

# Action ids of the answer buttons.
FEEDBACK_UP = "ask_feedback_up"
FEEDBACK_DOWN = "ask_feedback_down"
ASK_ROUTE = "ask_route"
ASK_CONTRACT, ASK_OTHERS = whose.ASK_CONTRACT, whose.ASK_OTHERS   # which contract / other contracts' rules
QUESTION_IN_VALUE = 500    # characters of the question carried in a button value
MAX_BUTTON_VALUE = 2000    # Block Kit's limit, kept for every carrier

GAPS_ROLES = ("officer", "admin")
HELP_WORDS = {"help", "ヘルプ", "使い方", "へるぷ", "?", "？", "-h", "--help"}
HELP = """mamoru（守る）の使い方です。

・質問する：このアプリへの DM、メンション（@mamoru 質問）、または `/mamoru 質問文`
　例：`/mamoru 離席するときは画面をロックする必要がありますか`
・続けて「紙の資料なら？」「長野市の場合は？」のように短く聞くと、直前のご質問（DM・10分以内）の続きとしてお答えします
・回答の下のボタン：「役に立った」「役に立たなかった」「担当者に聞く」「ほかの契約の規定も見る」（ご自身の契約以外の規定を参考として表示します）
・`/mamoru help`：この説明を表示します
・`/mamoru users list` / `/mamoru users add …` / `/mamoru users remove …`：利用者の管理（管理者のみ）
・`/mamoru gaps`：規定の不足の候補（役に立たなかった回答・担当者への質問）の一覧（情報セキュリティ対策責任者・管理者のみ）
・「チェックリスト」：今日のチェックリスト　「離席」「戻りました」：離席時のロックの記録　「ICカード」：受け取り・返却・紛失
・「明日休みます」「12/10 休みます」：お休みの登録（その日はチェックリストをお送りしません。作業責任者にお知らせします）　「休みの予定」：登録したお休み　「12/10の休み取り消し」：取り消し
・`/mamoru team`：チームの今日の状況（作業責任者以上）。「チェックリスト出してない人は？」「研修終わってない人は？」「未回答の質問は？」「先週のまとめ」と書いても表示します
・`/mamoru report [案件] [開始日 終了日]`：状況報告の数値と下書き（作業責任者以上。下書きの Word ファイルは DM でお送りします）
・`/mamoru roster [案件] [日付]`（「名簿」）：名簿と、その日（省略時は直近の報告対象期間の初め）からの変更（作業責任者以上。届出の形の Excel は DM でお送りします）
・「研修」（`/mamoru training`）：研修を始める・続ける
・「インシデント報告」（`/mamoru incident`）：事故やその恐れを報告する（DM で一問ずつお聞きします）
・「自分の契約は？」「担当者は誰？」「前の質問の答えは？」：ご自身の登録情報や、担当者に確認中の質問をお示しします
・「インシデント一覧」：ご覧いただける事故報告の一覧
・作業責任者以上：「山田さんの研修どうなってる？」（チームの方の状況）、「山田さんに催促して」「未提出の人にリマインドして」（DM でお知らせ）、「今月のチェックリストの記録」「研修の記録」（Excel を DM でお送りします）
・ホームタブ：ご自身の契約、チェックリスト、研修、インシデントの状況を確認できます"""


def feedback_value(question: str, clause_id: str | None) -> str:
    """Button value: what recording feedback or routing needs (question capped, clause id)."""
    q = question.strip()[:QUESTION_IN_VALUE]
    while True:
        value = json.dumps({"q": q, "c": clause_id or ""}, ensure_ascii=False, separators=(",", ":"))
        if len(value) <= MAX_BUTTON_VALUE or not q:
            return value
        q = q[: len(q) // 2]


def parse_value(value: str | None) -> dict:
    try:
        v = json.loads(value or "")
        return v if isinstance(v, dict) else {"raw": v}
    except ValueError:
        return {"raw": value or ""}


def answer_buttons(a: ask.Answer, *, routed: bool = False) -> list[Button]:
    if a.smalltalk or a.on_request:
        return []
    value = feedback_value(a.question, a.best.clause_id if a.best else None)
    route = Button("担当者に聞く", ASK_ROUTE, value)
    if not a.found:
        return [] if routed else [route]
    others = whose.others_button(a, a.best.clause_id if a.best else None)
    return [Button("役に立った", FEEDBACK_UP, value, "primary"), Button("役に立たなかった", FEEDBACK_DOWN, value), route,
            *([others] if others else [])]


def message(db: sqlite_utils.Database, user_id: str, text: str, via: str) -> Turn:
    """A DM or a terminal line: a conversation in progress first (a quiz, an incident report),
    then what the sentence means (「ちょっと席外しまーす」, handlers.capabilities.understand), then a
    trigger ("紛失した"), then `/mamoru`-style commands, else a rule question."""
    text = (text or "").strip()
    turn = capabilities.session(db, user_id, text, via) if text else None
    if turn is None and text:
        turn = capabilities.intent(db, user_id, text, via)
    if turn is None and text:
        turn = capabilities.trigger(db, user_id, text, via)
    return turn if turn is not None else command(db, user_id, text, via)


def question(db: sqlite_utils.Database, user_id: str, text: str, via: str) -> Turn:
    """A rule question: a lead's earlier answer first, then the rules (from the asker's own contract).

    Nothing goes to the lead by itself: a declined answer offers 「担当者に聞く」 and the question
    is routed only when the person presses it. Small talk gets its friendly reply and nothing else.
    A lead's earlier answer is offered only to people of its contract, never in a channel.
    """
    text = (text or "").strip()[:routing.MAX_QUESTION]   # capped everywhere (issue 13)
    continued = False
    if text and smalltalk.reply(text) is None:
        # 「紙の資料なら？」 after a question: the two are searched together (handlers/followup.py)
        text, continued = followup.MEMORY.question(user_id, via, text)
    prefer = people.contract_sources(db, user_id)
    if prefer is None and text:   # no contract of their own: which contract's rules? (handlers/whose.py)
        turn = whose.unregistered(db, text, via)
        if turn is not None:
            return turn
    a = ask.answer(db, text, prefer=prefer)
    if continued:
        a.notes.insert(0, followup.NOTE)
    prior = (routing.prior_answer(db, text, user_id, channel=(via == "slack_mention"))
             if text and not a.smalltalk else None)
    return Turn(answer=a, prior=prior)


def feedback(db: sqlite_utils.Database, user_id: str, value: str, helpful: bool, via: str) -> Turn:
    """「役に立った」/「役に立たなかった」 (question and clause come in the button value)."""
    v = parse_value(value)
    return Turn().add(routing.record_feedback(db, user_id, v.get("q", ""), v.get("c", ""), helpful, via))


def route(db: sqlite_utils.Database, user_id: str, value: str, via: str) -> Turn:
    """「担当者に聞く」: the question goes to the asker's lead (or the officer)."""
    v = parse_value(value)
    clause_ids = [v["c"]] if v.get("c") else []
    # Pressed under a declined answer (no clause): the rules had nothing, which `kb gaps` counts.
    reason = "asked" if clause_ids else "not_found"
    reply, out = routing.route_question(db, user_id, v.get("q", ""), clause_ids, reason, via=via)
    return Turn().add(reply, out, user_id)


def gaps(db: sqlite_utils.Database, user_id: str, via: str = "cli") -> Turn:
    """The rules' coverage gaps (as `mamoru kb gaps`), for officers and admins."""
    from handlers import access

    refused = access.require(db, user_id, what="規定の不足の一覧", via=people._via(via if via else "cli"), need="all")
    if refused:   # recorded, like every refusal
        return Turn().add(refused)
    return Turn().add(Reply(routing.gaps_text(db)))


def command(db: sqlite_utils.Database, user_id: str, text: str, via: str) -> Turn:
    """`/mamoru …` (or the same typed in the terminal): help, users, gaps, or a question."""
    text = (text or "").replace("\u3000", " ").strip()
    if not text or unicodedata.normalize("NFKC", text).lower() in HELP_WORDS:
        return Turn().add(Reply(HELP))
    first, _, rest = text.partition(" ")
    word = unicodedata.normalize("NFKC", first).lower()
    if word == "users":
        # One string: handlers.people splits it itself, with a clear message for unbalanced quotes.
        return Turn().add(people.users_command(db, user_id, [rest.strip()] if rest.strip() else [], via), (), user_id)
    if word == "gaps" and not rest.strip():
        return gaps(db, user_id, via)
    turn = capabilities.command(db, user_id, text, via)
    return turn if turn is not None else question(db, user_id, text, via)


def choose_contract(db: sqlite_utils.Database, user_id: str, value: str, via: str) -> Turn:
    """A contract chosen for a question (or 「わからない／すべての文書から」): answered from its documents."""
    return whose.chosen(db, user_id, value, via)


def other_contracts(db: sqlite_utils.Database, user_id: str, value: str, via: str) -> Turn:
    """「ほかの契約の規定も見る」: other contracts' clauses on the question, apart from the answer."""
    return whose.others(db, user_id, value, via)


_ASK_PRESSES = {ASK_CONTRACT: choose_contract, ASK_OTHERS: other_contracts}


def press(db: sqlite_utils.Database, user_id: str, action_id: str, value: str, via: str) -> Turn | None:
    """A button of the answers (which contract, other contracts) or of a capability (checklists,
    training, …); None when nobody owns it."""
    fn = _ASK_PRESSES.get(action_id.split("#", 1)[0])
    return fn(db, user_id, value, via) if fn else capabilities.action(db, user_id, action_id, value, via)


def approve(db: sqlite_utils.Database, actor_id: str, user_id: str, via: str) -> Turn:
    try:
        reply, out = people.approve(db, actor_id, user_id, via)
    except people.UsageError as e:      # refused (a lead on record now on another contract): still pending
        return Turn().add(Reply(str(e), ephemeral=True))
    return Turn().add(reply, out, actor_id, user_id)


def request_registration(db: sqlite_utils.Database, user_id: str, name: str, via: str) -> Turn:
    reply, out = people.request_registration(db, user_id, name, via=via)
    return Turn().add(reply, out, user_id)


def answer_routed(db: sqlite_utils.Database, responder_id: str, routed_id: str, text: str,
                  clause_ids: list[str], via: str) -> Turn:
    reply, out = routing.answer_routed(db, responder_id, routed_id, text, clause_ids, via)
    return Turn().add(reply, out, responder_id)
