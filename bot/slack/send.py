"""Sending to Slack: the Web API client (retrying on 429 after Retry-After), where a reply goes,
and the sender the scheduler uses to DM people."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from bot import render_blocks as rb
from handlers.replies import Outgoing, Reply

log = logging.getLogger("mamoru.slack.send")

RATE_LIMIT_RETRIES = 5


def retry_handlers() -> list:
    return [ConnectionErrorRetryHandler(max_retry_count=2), RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES)]


def api_base_url(url: str | None) -> str:
    if not url:
        return WebClient.BASE_URL
    return url if url.endswith("/") else url + "/"


def make_client(token: str | None, api_url: str | None = None, timeout: int = 15) -> WebClient:
    """The bot's Web API client; SLACK_API_URL (tests: a local stand-in) replaces slack.com/api."""
    return WebClient(token=token, base_url=api_base_url(api_url), timeout=timeout, retry_handlers=retry_handlers())


@dataclass
class Target:
    """Where replies to one request go.

    channel (+ thread_ts) posts visibly; response_url answers a slash command or a button
    privately (ephemeral) in place; user alone means a DM from the app. `in_app_dm`: the button
    was pressed on the app's own message in the person's DM with the app, so ordinary replies
    (a quiz's next question, a checklist's progress) are posted there for good (response_type
    in_channel) instead of as ephemeral messages that vanish when Slack reloads; replies marked
    ephemeral stay ephemeral.
    """
    user: str
    channel: str | None = None
    thread_ts: str | None = None
    response_url: str | None = None
    in_app_dm: bool = False


def post(client: WebClient, target: Target, messages: list[rb.Message]) -> list[dict]:
    """Post each message in order; returns the Web API / webhook responses."""
    out = []
    for m in messages:
        if target.response_url:
            wh = WebhookClient(target.response_url, timeout=15, retry_handlers=retry_handlers())
            kind = "in_channel" if target.in_app_dm and not m.get("ephemeral") else "ephemeral"
            r = wh.send(text=m["text"], blocks=m["blocks"] or None, response_type=kind, replace_original=False)
            if r.status_code != 200:
                raise SlackApiError(f"response_url answered {r.status_code}", r)
            out.append({"ok": True})
            continue
        channel = target.channel or target.user
        kwargs = {"channel": channel, "text": m["text"], "blocks": m["blocks"] or None, "unfurl_links": False,
                  "unfurl_media": False}
        if target.thread_ts:
            kwargs["thread_ts"] = target.thread_ts
        out.append(client.chat_postMessage(**kwargs).data)
    return out


def post_reply(client: WebClient, target: Target, reply: Reply) -> list[dict]:
    return post(client, target, rb.reply_messages(reply))


def send_file(client: WebClient, user_id: str, att) -> None:
    """Upload a file into the person's DM with the app (files_upload_v2; needs the files:write scope)."""
    channel = client.conversations_open(users=user_id)["channel"]["id"]
    client.files_upload_v2(channel=channel, content=att.content, filename=att.filename, title=att.title or att.filename)


FILE_FAILED = "申し訳ありません。ファイル（{name}）をお送りできませんでした。{elsewhere}"
FILE_ELSEWHERE = "お手数ですが、管理者にコマンドラインでの書き出しをご依頼ください。"


def publish_home(client: WebClient, user_id: str, view: dict) -> None:
    client.views_publish(user_id=user_id, view=view)


def make_sender(client: WebClient, db_factory: Callable, on_sent: Callable[[str], None] | None = None
                ) -> Callable[[Outgoing], bool]:
    """sender(outgoing) -> bool: DM the person (chat.postMessage to their user id); True when sent.

    An Outgoing with a key is sent once: the key is claimed in storage before sending and
    released if sending fails, so a later pass may try again.
    """
    from storage import slack_events

    def sender(o: Outgoing) -> bool:
        db = db_factory()
        key = f"out:{o.key}" if o.key else ""
        if key and not slack_events.claim(db, key, kind="out", detail=o.user_id):
            log.info("outgoing %s already sent; skipped", o.key)
            return True
        try:
            post_reply(client, Target(user=o.user_id), o.reply)
        except Exception as e:  # noqa: BLE001 - a failed DM is reported to the caller, not raised
            if key:
                slack_events.release(db, key)
            err = e.response.get("error") if isinstance(e, SlackApiError) and hasattr(e.response, "get") else type(e).__name__
            log.warning("could not DM %s (key %s): %s", o.user_id, o.key or "-", err)
            return False
        if getattr(o, "file", None) is not None:
            try:
                send_file(client, o.user_id, o.file)
            except Exception as e:  # noqa: BLE001 - the message went out; say the file did not
                err = e.response.get("error") if isinstance(e, SlackApiError) and hasattr(e.response, "get") else type(e).__name__
                log.warning("could not upload %s to %s: %s", o.file.filename, o.user_id, err)
                try:
                    post(client, Target(user=o.user_id), rb.text_messages(FILE_FAILED.format(
                        name=o.file.filename, elsewhere=o.file.elsewhere or FILE_ELSEWHERE)))
                except Exception:  # noqa: BLE001
                    log.exception("could not tell %s that the file failed", o.user_id)
        if on_sent:
            try:
                on_sent(o.user_id)
            except Exception:  # noqa: BLE001
                log.exception("after-send hook failed for %s", o.user_id)
        return True

    return sender
