"""「回答する」 opens the answer form (with the worker's question and name) only for someone who may answer.

The button stays in the DM of the lead the question was first sent to. After the roster changed (that lead
made a worker on another contract), pressing it still opened the modal showing the worker's typed question
and name, and only the submitted answer was refused. Through `mamoru serve --http` and the local Slack stand-in.
"""
from __future__ import annotations

import json

import pytest

from slack_standin import block_actions, serve_env

QUESTION = "ペンギンの餌やり当番は誰が決めるのですか（家族の件で相談です）"


def _setup(db):
    from handlers import conversation, people

    value = conversation.feedback_value(QUESTION, None)
    assert [o.user_id for o in conversation.route(db, "UMW1", value, "terminal").outgoing] == ["UML1"]
    for argv in (["add", "UMW1", "--lead", "UMOFF"],     # first: a lead cannot move away from a worker naming them
                 ["add", "UML1", "--name", "元責任者", "--role", "worker", "--contract", "草加市"]):
        status, reply = people.run_users(db, "cli", argv, "cli")
        assert status == 0, reply.text


@pytest.fixture(scope="module")
def env(slack, tmp_path_factory):
    people = [["add", "UMOFF", "--name", "対策三郎", "--role", "officer"],
              ["add", "UML1", "--name", "元責任者", "--role", "lead", "--contract", "吉川市"],
              ["add", "UMW1", "--name", "作業一郎", "--role", "worker", "--contract", "吉川市", "--lead", "UML1"]]
    yield from serve_env(slack, tmp_path_factory.mktemp("routing_modal"), people, setup=_setup,
                         contracts=["吉川市", "草加市"])


def test_a_former_lead_pressing_the_old_answer_button_sees_no_question(env, slack):
    server = env["server"]
    server.interactive(block_actions("UML1", "routing_answer", "1", response_url=slack.hook_url("former"),
                                     channel="DML1"))
    [reply] = slack.wait_for("hook:/hooks/former")
    assert "回答できるのは" in reply.text_of_blocks() and QUESTION not in reply.text_of_blocks()
    assert not slack.find("views.open")


def test_the_officer_may_answer_and_gets_the_form(env, slack):
    server = env["server"]
    server.interactive(block_actions("UMOFF", "routing_answer", "1", response_url=slack.hook_url("officer"),
                                     channel="DMOFF"))
    [opened] = slack.wait_for("views.open")
    view = opened.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["callback_id"] == "routing_answer_modal" and QUESTION in json.dumps(view, ensure_ascii=False)
