"""`mamoru serve --http` against clients that misbehave, and people's text that carries Slack markup.

A server with 2 workers, 2 queue places and a 1-second idle allowance: idle connections are
closed, connections beyond the pool get 503 and the server keeps answering; a signed body that
is not Slack's gets 400; nothing a request carries reaches the log at INFO.
"""
from __future__ import annotations

import json
import socket
import time

import pytest

from slack_standin import ServeProcess, block_actions, serve_env

MARKER = "秘密の本文ZQX"


@pytest.fixture(scope="module")
def env(slack, tmp_path_factory):
    people = [["add", "UOFF", "--name", "対策花子", "--role", "officer", "--contract", "吉川市"],
              ["add", "ULEAD", "--name", "責任次郎", "--role", "lead", "--contract", "吉川市"],
              ["add", "UWORK", "--name", "作業一郎", "--role", "worker", "--contract", "吉川市", "--lead", "ULEAD"]]
    gen = serve_env(slack, tmp_path_factory.mktemp("http_limits"), people, contracts=["吉川市"])
    world = next(gen)
    world["server"].stop()     # restarted below with small limits
    server = ServeProcess(slack, world["db_path"], world["dir"] / "limits.log", args=["--no-scheduler"],
                          extra_env={"MAMORU_HTTP_IDLE_SECONDS": "1", "MAMORU_HTTP_WORKERS": "2",
                                     "MAMORU_HTTP_QUEUE": "2", "MAMORU_LOG_LEVEL": "INFO"})
    server.wait_ready()
    world["server"] = server
    yield world
    server.stop()


def _connect(port: int) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=15)
    return s


def _closed_by_server(s: socket.socket) -> bytes:
    """What the server sent before closing (b'' when it closed without a word); fails if it never closes."""
    data = b""
    while True:
        chunk = s.recv(4096)
        if not chunk:
            return data
        data += chunk


def test_a_signed_body_that_is_not_json_gets_400_and_is_not_logged(env):
    server = env["server"]
    status, body, _ = server.post('{"type": "event_callback", "event": ' + MARKER, "application/json")
    assert status == 400 and "malformed" in body
    status, body, _ = server.post("payload=" + MARKER, "application/x-www-form-urlencoded")
    assert status == 400
    status, _, _ = server.post(json.dumps({"type": "url_verification", "challenge": "c1"}), "application/json")
    assert status == 200                                             # the server is still there
    log = server.log_text()
    assert MARKER not in log and "Traceback" not in log and "HTTP 400" in log


def test_a_body_rejected_for_its_signature_is_not_logged(env):
    server = env["server"]
    body = json.dumps({"type": "event_callback", "event": {"text": MARKER + "署名違い"}}, ensure_ascii=False)
    status, _, _ = server.post(body, "application/json", signature="v0=" + "0" * 64)
    assert status == 401
    time.sleep(0.2)
    assert "署名違い" not in server.log_text()


def test_idle_connections_are_closed_and_the_pool_is_bounded(env):
    server = env["server"]
    idle = [_connect(server.port) for _ in range(8)]     # 2 workers + 2 queued; the rest are turned away
    try:
        answers = [_closed_by_server(s) for s in idle]   # every one is closed by the server
    finally:
        for s in idle:
            s.close()
    assert sum(1 for a in answers if a.startswith(b"HTTP/1.1 503")) >= 4
    assert all(a == b"" or a.startswith(b"HTTP/1.1 503") for a in answers)
    # a slow client (one byte, then nothing) is cut off too, and the server keeps serving
    slow = _connect(server.port)
    slow.sendall(b"POS")
    assert _closed_by_server(slow) == b""
    slow.close()
    status, _, _ = server.post(json.dumps({"type": "url_verification", "challenge": "c2"}), "application/json")
    assert status == 200


def test_slack_markup_in_a_question_reaches_the_lead_escaped(env, slack):
    server = env["server"]
    text = "<!channel> 至急 <https://evil.example|吉川市規定（最新版）> を見てください & ペンギンの餌やり当番は誰ですか"
    value = json.dumps({"q": text, "c": ""}, ensure_ascii=False)
    server.interactive(block_actions("UWORK", "ask_route", value, channel="DWORK",   # 「担当者に聞く」
                                     response_url=slack.hook_url("markup")))
    [to_lead] = slack.wait_for("chat.postMessage", lambda c: c.params.get("channel") == "ULEAD"
                               and "ペンギン" in c.text_of_blocks())
    sent = json.dumps(to_lead.params, ensure_ascii=False)
    assert "<!channel>" not in sent and "<https://evil.example" not in sent
    assert "&lt;!channel&gt;" in to_lead.text_of_blocks() and "&amp;" in to_lead.text_of_blocks()
