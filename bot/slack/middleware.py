"""Global bolt middleware: each Events API delivery is acted on once.

Slack redelivers an event (same `event_id`, header X-Slack-Retry-Num) when it did not see our
ack in time. The event id is claimed in SQLite before any listener runs, so a retry — even one
arriving after a restart — is acknowledged and otherwise ignored.
"""
from __future__ import annotations

import logging
from typing import Callable

from slack_bolt.request import BoltRequest
from slack_bolt.response import BoltResponse

from storage import slack_events

log = logging.getLogger("mamoru.slack")


def event_key(body: dict) -> str | None:
    if isinstance(body, dict) and body.get("type") == "event_callback" and body.get("event_id"):
        return f"event:{body['event_id']}"
    return None


def dedupe_events(db_factory: Callable) -> Callable:
    def dedupe(req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]) -> BoltResponse:  # noqa: A002
        key = event_key(req.body)
        if key is None:
            return next()
        retry = (req.headers.get("x-slack-retry-num") or [None])[0]
        ev = req.body.get("event") or {}
        if not slack_events.claim(db_factory(), key, kind="event", detail=str(ev.get("type") or "")):
            log.info("duplicate delivery of %s ignored (retry %s)", key, retry or "-")
            return BoltResponse(status=200, body="")
        return next()

    return dedupe
