"""Logging for the Slack runtime: secrets are masked in every record, errors carry a reference id."""
from __future__ import annotations

import logging
import os
import re
import secrets
import sys

_TOKEN = re.compile(r"\b(xox[a-z]-|xapp-)[A-Za-z0-9-]+")
_SECRET_ENV = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET")


class RedactSecrets(logging.Filter):
    """Replace Slack tokens and the configured secrets by a mask, whatever logs them."""

    def __init__(self, extra: list[str] | None = None):
        super().__init__()
        self.secrets = [s for s in (extra or []) if s and len(s) >= 6]

    def _clean(self, text: str) -> str:
        text = _TOKEN.sub(lambda m: m.group(1) + "***", text)
        for s in self.secrets:
            text = text.replace(s, "***")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            msg = record.getMessage()
        except Exception:  # a malformed record: leave it to logging's own error path
            return True
        clean = self._clean(msg)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self._clean(record.exc_text)
        if clean != msg or record.args:
            record.msg, record.args = clean, None
        return True


class DropNoise(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN is unused because we hand it a ready WebClient (built from
    that very token, with retries and SLACK_API_URL): true, and nothing to act on."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("As you gave `client` as well")


_BODY = re.compile(r"(body[:=]\s*).*", re.S | re.I)


class DropBodies(logging.Filter):
    """Nothing a request or a message carries reaches the logs below DEBUG: a record of another
    library (bolt logs a request rejected for its signature WITH its body, at INFO) that mentions a
    body has it cut. At DEBUG the SDKs log whole messages: setup() says so loudly."""

    def __init__(self, debug: bool):
        super().__init__()
        self.debug = debug

    def filter(self, record: logging.LogRecord) -> bool:
        if self.debug or record.name.startswith("mamoru"):
            return True
        try:
            msg = record.getMessage()
        except Exception:
            return True
        if "body" in msg.lower():
            record.msg, record.args = _BODY.sub(r"\1(omitted: may hold personal data)", msg), None
        return True


def setup(level: str | None = None) -> logging.Logger:
    """Log to stderr, secrets masked; MAMORU_LOG_LEVEL (default INFO) sets the level."""
    level = (level or os.environ.get("MAMORU_LOG_LEVEL") or "INFO").upper()
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(DropNoise())
    handler.addFilter(RedactSecrets([os.environ.get(k, "") for k in _SECRET_ENV]))
    handler.addFilter(DropBodies(debug=level == "DEBUG"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(getattr(logging, level, logging.INFO))
    if root.level <= logging.DEBUG:
        logging.getLogger("mamoru.slack").warning(
            "MAMORU_LOG_LEVEL=DEBUG: THE LOGS NOW HOLD MESSAGE BODIES, QUESTIONS, HOME PAGES AND INCIDENT TEXT "
            "(personal data; tokens stay masked). Use it only to debug, and delete these logs afterwards.")
    # The SDK's own chatter is useful only when debugging.
    if root.level > logging.DEBUG:
        for name in ("slack_sdk", "slack_bolt", "apscheduler"):
            logging.getLogger(name).setLevel(logging.WARNING)
    return logging.getLogger("mamoru.slack")


def reference_id() -> str:
    """A short id a person can read out to an admin: ERR-3F9A1C."""
    return "ERR-" + secrets.token_hex(3).upper()


def failure_reason(exc: BaseException) -> str:
    """What an error was, without its message (which may quote a person's text): its type, and for a
    Slack API error the API's own error code (「SlackApiError (internal_error)」)."""
    response = getattr(exc, "response", None)
    code = response.get("error") if hasattr(response, "get") else None
    return f"{type(exc).__name__} ({code})" if isinstance(code, str) and code else type(exc).__name__
