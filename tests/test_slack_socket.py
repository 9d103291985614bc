"""Socket Mode end to end: `mamoru serve` with SLACK_APP_TOKEN opens a WebSocket to the stand-in
(apps.connections.open → ws://127.0.0.1…), which delivers envelopes and reads the acks."""
from __future__ import annotations

import json

import pytest

from slack_standin import ServeProcess, SlackStandIn, block_actions, dm_event, event_envelope, APP_TOKEN

RULE_Q = "私物のUSBメモリを業務で使ってもいいですか"


@pytest.fixture(scope="module")
def socket_env(tmp_path_factory):
    d = tmp_path_factory.mktemp("slack_socket")
    with SlackStandIn() as slack:
        # With the scheduler (as `mamoru serve` runs by default): it gets the Slack sender at start.
        server = ServeProcess(slack, d / "mamoru.db", d / "serve.log", http=False)
        try:
            server.wait_ready()
            slack.wait_socket()
            yield slack, server
        finally:
            server.stop()


def test_connects_with_the_app_token_and_starts_the_scheduler(socket_env):
    slack, server = socket_env
    [opened] = slack.find("apps.connections.open")
    assert opened.headers["authorization"] == f"Bearer {APP_TOKEN}"   # the app-level token, not the bot's
    log = server.log_text()
    assert "scheduler started" in log and "notices job added" in log
    assert APP_TOKEN not in log and "xoxb-test" not in log


def test_event_envelope_is_acked_and_answered(socket_env):
    slack, server = socket_env
    slack.push({"envelope_id": "env-ev-1", "type": "events_api", "accepts_response_payload": False,
                "retry_attempt": 0, "retry_reason": "",
                "payload": event_envelope(dm_event("USOCK1", RULE_Q), "EvSock1")})
    assert slack.wait_ack("env-ev-1") == {"envelope_id": "env-ev-1"}
    [answer] = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "DSOCK1")
    assert "出典: " in answer.text_of_blocks()
    buttons = [el["action_id"] for b in answer.blocks() if b["type"] == "actions" for el in b["elements"]]
    assert buttons == ["ask_feedback_up", "ask_feedback_down", "ask_route"]

    # Slack redelivers the same event (a retry): acked, not answered again.
    slack.push({"envelope_id": "env-ev-2", "type": "events_api", "accepts_response_payload": False,
                "retry_attempt": 1, "retry_reason": "timeout",
                "payload": event_envelope(dm_event("USOCK1", RULE_Q), "EvSock1")})
    slack.wait_ack("env-ev-2")
    slack.push({"envelope_id": "env-cmd-0", "type": "slash_commands", "accepts_response_payload": True,
                "payload": _command("USOCK1", "help", slack.hook_url("sock-sentinel"))})
    slack.wait_for("hook:/hooks/sock-sentinel")
    assert len(slack.find("chat.postMessage", lambda c: c.params.get("channel") == "DSOCK1")) == 1


def test_slash_command_and_button_over_the_socket(socket_env):
    slack, server = socket_env
    slack.push({"envelope_id": "env-cmd-1", "type": "slash_commands", "accepts_response_payload": True,
                "payload": _command("USOCK2", RULE_Q, slack.hook_url("sock-cmd"))})
    slack.wait_ack("env-cmd-1")
    [answer] = slack.wait_for("hook:/hooks/sock-cmd")
    up = next(el for b in answer.blocks() if b["type"] == "actions" for el in b["elements"]
              if el["action_id"] == "ask_feedback_up")
    assert json.loads(up["value"])["q"] == RULE_Q
    slack.push({"envelope_id": "env-act-1", "type": "interactive", "accepts_response_payload": False,
                "payload": block_actions("USOCK2", "ask_feedback_up", up["value"],
                                         response_url=slack.hook_url("sock-fb"))})
    slack.wait_ack("env-act-1")
    [thanks] = slack.wait_for("hook:/hooks/sock-fb")
    assert "ありがとうございます" in thanks.text_of_blocks()


def _command(user: str, text: str, response_url: str) -> dict:
    return {"token": "legacy", "team_id": "T0TEST01", "team_domain": "test", "channel_id": "C0SOCKET",
            "channel_name": "general", "user_id": user, "user_name": user.lower(), "command": "/mamoru",
            "text": text, "api_app_id": "A0TEST01", "response_url": response_url, "trigger_id": "trig.sock"}
