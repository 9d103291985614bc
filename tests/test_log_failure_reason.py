"""A failed listener is logged without the error's message below DEBUG: the message can quote what a
person typed (here a library's complaint over a worker's checklist reason), and the log must not."""
import logging

from slack_sdk import WebClient

from bot.slack.app import Runtime
from bot.slack.logsafe import failure_reason
from bot.slack.send import Target
from slack_standin import SlackStandIn

TYPED = "住民の山田花子さん（090-1234-5678）の件で"


def _fail():
    raise ValueError(f"cannot store {TYPED!r}")


def test_a_failed_listener_logs_the_kind_not_the_typed_text(tmp_path, caplog):
    with SlackStandIn() as slack:
        rt = Runtime(tmp_path / "m.db", WebClient(token="xoxb-test", base_url=slack.api_url))
        with caplog.at_level(logging.INFO, logger="mamoru.slack"):
            rt.guarded("checklist reason", Target(user="U1"), _fail)
        apology = slack.wait_for("chat.postMessage", count=1)[0].text_of_blocks()
    logged = "\n".join(r.getMessage() + (r.exc_text or "") for r in caplog.records)
    assert "checklist reason failed for user U1: ValueError" in logged
    assert "_fail" in logged                                    # where it happened is still there
    assert "山田花子" not in logged and "090-1234-5678" not in logged
    assert "申し訳ありません" in apology


def test_at_debug_the_whole_error_is_logged(tmp_path, caplog):
    with SlackStandIn() as slack:
        rt = Runtime(tmp_path / "m.db", WebClient(token="xoxb-test", base_url=slack.api_url))
        with caplog.at_level(logging.DEBUG, logger="mamoru.slack"):
            rt.guarded("checklist reason", Target(user="U1"), _fail)
    assert any("山田花子" in (r.exc_text or "") or (r.exc_info and "山田花子" in str(r.exc_info[1]))
               for r in caplog.records)


def test_failure_reason_names_slack_error_codes():
    from slack_sdk.errors import SlackApiError
    from slack_sdk.web import SlackResponse

    resp = SlackResponse(client=None, http_verb="POST", api_url="x", req_args={}, data={"ok": False, "error": "ratelimited"},
                         headers={}, status_code=429)
    assert failure_reason(SlackApiError("The request failed: " + TYPED, resp)) == "SlackApiError (ratelimited)"
    assert failure_reason(KeyError(TYPED)) == "KeyError"
