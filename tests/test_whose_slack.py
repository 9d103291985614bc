"""Whose rules answer, through the Slack stand-in and `mamoru serve --http` (issue 12): someone with
no contract is asked which contract they work on (one button per contract with documents, and
「わからない／すべての文書から」), and the question survives the click without being kept on our side;
a registered worker's answer offers 「ほかの契約の規定も見る」, which shows other contracts' clauses
apart, under the heading that says whose they are, never as a verdict."""
from __future__ import annotations

import re

import pytest

from handlers import ask, contracts, people, whose
from slack_standin import block_actions, dm_event, new_ts, serve_env
from storage.db import open_db

QUESTION = "ChatGPTに顧客データを貼ってもいい？"
USB = "私物のUSBメモリを仕事のPCに挿してもいいですか"


def setup(db):
    for name, doc in (("吉川市", "yoshikawa"), ("草加市", "soka")):
        status, text = contracts.add(db, name, municipality=name, docs=[doc], actor="cli", via="cli",
                                     at="2026-12-01T09:00:00+09:00")
        assert status == 0, text
    for argv in (["add", "ULEAD", "--name", "責任一郎", "--role", "lead", "--contract", "吉川市"],
                 ["add", "UW1", "--name", "作業太郎", "--contract", "吉川市", "--lead", "ULEAD"]):
        status, reply = people.run_users(db, "cli", argv, "cli")
        assert status == 0, reply.text


@pytest.fixture(scope="module")
def env(slack, tmp_path_factory):
    yield from serve_env(slack, tmp_path_factory.mktemp("whose_slack"), [], setup=setup)


def dm(env, user: str, text: str) -> None:
    status, _, _ = env["server"].event(dm_event(user, text), f"Ev{user}{new_ts()}")
    assert status == 200


def text_of(call) -> str:
    return call.text_of_blocks() + str(call.params.get("text"))


def posted(slack, user: str, needle: str, count: int = 1):
    return slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") in ("D" + user[1:], user)
                          and needle in text_of(c), count=count, timeout=30)


def buttons(call) -> list[dict]:
    return [e for b in call.blocks() if b.get("type") == "actions" for e in b.get("elements", [])]


def press(env, slack, user: str, element: dict, call, hook: str):
    status, _, _ = env["server"].interactive(block_actions(user, element["action_id"], element["value"],
                                                           response_url=slack.hook_url(hook),
                                                           message_ts=call.params.get("ts") or new_ts()))
    assert status == 200
    [reply] = slack.wait_for(f"hook:/hooks/{hook}", timeout=30)
    return reply


def sources_cited(call) -> list[str]:
    return [line for line in call.text_of_blocks().splitlines() if line.startswith("出典:")]


def test_someone_without_a_contract_is_asked_which_and_the_choice_answers_from_its_documents(env, slack):
    dm(env, "UNEW1", USB)
    [choice] = posted(slack, "UNEW1", "どの契約（案件）のお仕事についてのご質問でしょうか")
    assert "【" not in text_of(choice)                   # no answer before the choice
    assert f"ご質問:「{USB}」" in choice.text_of_blocks()
    labels = [e["text"]["text"] for e in buttons(choice)]
    assert labels == ["吉川市", "草加市", whose.ALL_LABEL]

    soka = press(env, slack, "UNEW1", buttons(choice)[1], choice, "soka1")
    cited = sources_cited(soka)
    assert cited and all("草加市 外部委託における情報セキュリティ遵守事項" in c for c in cited)
    assert "文書: 草加市「外部委託における情報セキュリティ遵守事項」" in soka.text_of_blocks()
    assert "吉川市" not in soka.text_of_blocks().split("参考：")[0]
    assert "「草加市」の契約の文書からお答えしています。" in soka.text_of_blocks()
    # other contracts' rules, for the contract chosen: 草加市's own clauses are not "other"
    [more] = [e for e in buttons(soka) if e["text"]["text"] == whose.OTHERS_LABEL]
    apart = press(env, slack, "UNEW1", more, soka, "soka_others").text_of_blocks()
    assert ask.OTHERS_HEADING in apart and "草加市" not in apart.split(ask.OTHERS_HEADING, 1)[1]

    every = press(env, slack, "UNEW1", buttons(choice)[2], choice, "all1")
    body = every.text_of_blocks()
    assert "文書: " in body and "どの自治体のどの文書の規定か" in body
    related = [line for line in body.splitlines() if line.startswith("*［")]
    assert related and all(re.match(r"\*［[^「」［］]*「[^」]+」[^［］]*］", line) for line in related)   # documents named

    # The question travelled in the buttons; nothing of it was kept for a person we do not know.
    db = open_db(env["db_path"])
    for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
        for row in db.execute(f'SELECT * FROM "{table}"').fetchall():
            assert not any(isinstance(v, str) and USB in v for v in row), table


def test_small_talk_and_questions_no_rule_covers_are_answered_without_asking(env, slack):
    dm(env, "UNEW2", "ありがとうございます")
    [thanks] = posted(slack, "UNEW2", "どういたしまして")
    assert not buttons(thanks)
    dm(env, "UNEW2", "経費精算のやり方を教えて")
    [declined] = posted(slack, "UNEW2", "見つかりませんでした")
    assert [e["text"]["text"] for e in buttons(declined)] == ["担当者に聞く"]
    assert not slack.find("chat.postMessage", lambda c: c.params.get("channel") in ("DNEW2", "UNEW2")
                          and "どの契約（案件）" in text_of(c))


def test_a_worker_sees_other_contracts_rules_only_when_asking_and_apart(env, slack):
    dm(env, "UW1", QUESTION)
    [answer] = posted(slack, "UW1", "出典: ")
    assert all(c.startswith("出典: 吉川市 情報セキュリティ特記仕様書") for c in sources_cited(answer))
    assert ask.OTHERS_HEADING not in text_of(answer)
    [more] = [e for e in buttons(answer) if e["text"]["text"] == whose.OTHERS_LABEL]

    others = press(env, slack, "UW1", more, answer, "others1")
    body = others.text_of_blocks()
    assert ask.OTHERS_HEADING in body
    first = body.strip().splitlines()[0]
    assert "ほかの契約の文書から" in first and "【" not in body       # an explanation, never a verdict
    shown = [line for line in body.splitlines() if line.startswith("*") and "参考" not in line]
    assert shown and not any("吉川市" in line for line in shown)
    assert not buttons(others)
