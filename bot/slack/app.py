"""The bolt App: thin listeners that ack first, then hand over to the handlers (via flows).

Every listener is an ack function, run on the request thread, plus a lazy function that does the
work on bolt's thread pool afterwards; so the ack (Slack allows 3 seconds) never waits behind
queued work. The work is wrapped so that an exception becomes a polite apology to the person,
with a reference id that is also in the log.
"""
from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import traceback
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

from slack_bolt import App
from slack_sdk import WebClient

from bot import render_blocks as rb
from bot.config import Settings
from bot.slack import files as slack_files
from bot.slack import flows
from bot.slack.logsafe import failure_reason, reference_id
from bot.slack.middleware import dedupe_events
from bot.slack.send import Target, make_client, make_sender, post, publish_home
from storage import slack_events
from storage.db import open_db

log = logging.getLogger("mamoru.slack")

APOLOGY = ("申し訳ありません。処理中に問題が発生したため、ご依頼を完了できませんでした。"
           "お手数ですが、しばらくしてからもう一度お試しください。"
           "解決しない場合は、参照番号 {ref} を管理者にお伝えください。")
NOT_READY = "申し訳ありません。この操作はまだ準備中です。作業責任者または管理者にご確認ください。"
# Shortcut callback ids (declared in manifest.yml).
INCIDENT_SHORTCUT = "mamoru_incident_report"
INCIDENT_MESSAGE_SHORTCUT = "mamoru_incident_from_message"


class Runtime:
    """What listeners share: one database connection per thread, the Web API client, the sender."""

    def __init__(self, db_path: Path, client: WebClient):
        self.db_path = Path(db_path)
        self.client = client
        self._local = threading.local()
        self.sender = make_sender(client, self.db)

    def db(self):
        conn = getattr(self._local, "db", None)
        if conn is None:
            conn = self._local.db = open_db(self.db_path)
        return conn

    # -- delivering a flows.Result

    def deliver(self, target: Target, result: flows.Result) -> None:
        post(self.client, target, result.messages)
        for o in result.outgoing:
            self.sender(o)
        for uid in sorted(u for u in result.refresh if u):
            self.refresh_home(uid)

    def refresh_home(self, user_id: str) -> None:
        try:
            publish_home(self.client, user_id, flows.home(self.db(), user_id))
        except Exception:  # noqa: BLE001 - a stale Home tab is not worth an apology
            log.exception("could not refresh the Home tab of %s", user_id)

    def guarded(self, what: str, target: Target, work: Callable[[], None]) -> None:
        """Run `work`; on any exception, log it with a reference id and apologise to the person."""
        try:
            work()
        except Exception as exc:  # noqa: BLE001
            ref = reference_id()
            if log.isEnabledFor(logging.DEBUG):
                log.exception("[%s] %s failed for user %s", ref, what, target.user)
            else:
                # An error's message can quote what the person typed (a library's complaint about their
                # text): below DEBUG the log keeps its kind, Slack's error code and where it happened.
                log.error("[%s] %s failed for user %s: %s\n%s", ref, what, target.user, failure_reason(exc),
                          "".join(traceback.format_tb(exc.__traceback__)).rstrip())
            try:
                post(self.client, target, rb.text_messages(APOLOGY.format(ref=ref)))
            except Exception:  # noqa: BLE001
                log.exception("[%s] the apology could not be delivered either", ref)


def _once(rt: Runtime, body: dict, action: dict, user_id: str) -> bool:
    """True the first time this person presses this button on this message (a double click is one).

    On a Home tab the view's hash identifies one rendering: after the page is refreshed the same
    button may be pressed again.
    """
    container = body.get("container") or {}
    view = body.get("view") or {}
    where = (container.get("message_ts")
             or (f"{container.get('view_id')}:{view.get('hash', '')}" if container.get("view_id") else "")
             or body.get("trigger_id") or "")
    digest = hashlib.sha1((action.get("value") or "").encode("utf-8")).hexdigest()[:16]
    key = f"action:{user_id}:{where}:{action.get('action_id')}:{digest}"
    return slack_events.claim(rt.db(), key, kind="action", detail=str(action.get("action_id")))


def _action_target(body: dict, user_id: str) -> Target:
    """Answer a button where it was pressed (response_url), or by DM from the Home tab.

    A button on the app's own (non-ephemeral) message in a DM channel: that is the person's DM with
    the app (the app is in no other DM), so its replies may stay there (see Target.in_app_dm)."""
    container = body.get("container") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id") or ""
    in_dm = container.get("type") == "message" and not container.get("is_ephemeral") and channel.startswith("D")
    return Target(user=user_id, response_url=body.get("response_url"), in_app_dm=in_dm)


def _display_name(client: WebClient, user: dict) -> str:
    """The person's name as Slack shows it (users.info), else their handle, else their id."""
    try:
        u = client.users_info(user=user["id"]).get("user") or {}
        prof = u.get("profile") or {}
        name = prof.get("real_name") or prof.get("display_name") or u.get("real_name")
        if name:
            return name
    except Exception:  # noqa: BLE001 - the name is a courtesy; the id is enough to register
        log.warning("users.info failed for %s", user.get("id"))
    return user.get("name") or user.get("username") or user["id"]


def _profile(client: WebClient, user_id: str) -> tuple[str, str | None]:
    """(name, e-mail) from the person's Slack profile (users.info; the e-mail needs users:read.email)."""
    try:
        u = client.users_info(user=user_id).get("user") or {}
    except Exception:  # noqa: BLE001 - the id is enough to register; the name can be corrected later
        log.warning("users.info failed for %s", user_id)
        return user_id, None
    prof = u.get("profile") or {}
    return (prof.get("real_name") or prof.get("display_name") or u.get("real_name") or user_id,
            prof.get("email") or None)


def _action_re(action_id: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(action_id)}(#\d+)?$")


_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


def ack_now(ack):
    """The ack half of every listener: runs on the request thread, before any work is queued."""
    ack()


def build_app(settings: Settings, *, http: bool, db_path: Path | None = None,
              client: WebClient | None = None, workers: int = 16) -> tuple[App, Runtime]:
    """The bolt App and its Runtime.

    Each listener is an ack function (run at once, on the request thread) plus a lazy function
    (the work, on the thread pool): the ack never waits behind queued work, however busy we are.
    """
    client = client or make_client(settings.bot_token, settings.api_url)
    rt = Runtime(db_path or settings.db_path, client)
    app = App(
        client=client,
        signing_secret=settings.signing_secret or "",
        request_verification_enabled=http,
        # auth.test once at start (to the stand-in when SLACK_API_URL is set): gives our bot user id,
        # which IgnoringSelfEvents uses so the bot never answers itself.
        token_verification_enabled=True,
        # Acks are sent when the ack function returns; lazy functions do the work afterwards.
        process_before_response=True,
        listener_executor=ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mamoru-listener"),
        logger=logging.getLogger("mamoru.bolt"),
    )
    app.use(dedupe_events(rt.db))

    def listen(register, *work, ack=ack_now):
        register(ack=ack, lazy=list(work))

    # ------------------------------------------------------------ questions

    def dm_question(event, context):
        if event.get("channel_type") == "im" and event.get("files") and event.get("subtype") in (None, "file_share") \
                and not event.get("bot_id") and event.get("user") and event.get("user") != context.bot_user_id:
            dm_files(event)
            return
        if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
            return  # edits, joins, bots, channel chatter: not questions
        user = event.get("user")
        if not user or user == context.bot_user_id:
            return
        target = Target(user=user, channel=event["channel"], thread_ts=event.get("thread_ts"))
        rt.guarded("DM question", target, lambda: rt.deliver(
            target, flows.message(rt.db(), user, flows.plain(event.get("text") or ""), flows.VIA_DM)))

    def dm_files(event):
        """Files shared in the DM: files.info (name, size) first; the handler decides, nothing is downloaded."""
        user = event["user"]
        target = Target(user=user, channel=event["channel"])

        def go():
            for f in event.get("files") or []:
                info = slack_files.info(rt.client, f["id"])
                rt.deliver(target, flows.file_shared(rt.db(), user, info))

        rt.guarded("file share", target, go)

    listen(app.event("message"), dm_question)

    def mention_question(event, context):
        user = event.get("user")
        if not user or event.get("bot_id"):
            return
        text = _MENTION.sub(lambda m: "" if m.group(1) == context.bot_user_id else m.group(0), event.get("text") or "")
        text = flows.plain(text).strip()
        target = Target(user=user, channel=event["channel"], thread_ts=event.get("thread_ts") or event["ts"])

        # In a channel only rule answers (and help): conversations such as an incident report or a
        # checklist reason are confidential and happen in the DM with the app.
        rt.guarded("mention question", target, lambda: rt.deliver(
            target, flows.question(rt.db(), user, text, flows.VIA_MENTION) if text else flows.command(rt.db(), user, "")))

    listen(app.event("app_mention"), mention_question)

    def slash_command(command):
        user = command["user_id"]
        target = Target(user=user, channel=command.get("channel_id"), response_url=command.get("response_url"))
        rt.guarded("/mamoru", target, lambda: rt.deliver(
            target, flows.command(rt.db(), user, flows.plain(command.get("text") or ""), flows.VIA_COMMAND)))

    listen(app.command("/mamoru"), slash_command)

    # ------------------------------------------------------------ buttons

    def button(what: str, run: Callable[[str, dict, dict], flows.Result], once: bool = True):
        """Work for a button: run(user, body, action) -> Result, once per press (double clicks are one)."""
        def work(body, action):
            user = body["user"]["id"]
            target = _action_target(body, user)

            def go():
                if once and not _once(rt, body, action, user):
                    log.info("second press of %s by %s ignored", action.get("action_id"), user)
                    return
                rt.deliver(target, run(user, body, action))

            rt.guarded(what, target, go)

        work.__name__ = f"button_{what.replace(' ', '_')}"
        return work

    listen(app.action(_action_re(rb.FEEDBACK_UP)), button(
        "feedback up", lambda u, b, a: flows.feedback(rt.db(), u, a.get("value") or "", True)))
    listen(app.action(_action_re(rb.FEEDBACK_DOWN)), button(
        "feedback down", lambda u, b, a: flows.feedback(rt.db(), u, a.get("value") or "", False)))
    listen(app.action(_action_re(rb.ASK_ROUTE)), button(
        "route question", lambda u, b, a: flows.route(rt.db(), u, a.get("value") or "")))
    listen(app.action(_action_re(rb.ASK_CONTRACT)), button(
        "choose contract", lambda u, b, a: flows.choose_contract(rt.db(), u, a.get("value") or "")))
    listen(app.action(_action_re(rb.ASK_OTHERS)), button(
        "other contracts", lambda u, b, a: flows.other_contracts(rt.db(), u, a.get("value") or "")))
    # ------------------------------------------------------------ roster forms (modals)

    def open_form(what: str, build: Callable[[str, dict, dict], "dict | flows.Result"]):
        """A button that opens a form: build(user, body, action) -> a view to open, or a Result to post."""
        def work(body, action):
            user = body["user"]["id"]
            target = _action_target(body, user)

            def go():
                if not _once(rt, body, action, user):
                    return
                view = build(user, body, action)
                if isinstance(view, flows.Result):
                    rt.deliver(target, view)
                else:
                    rt.client.views_open(trigger_id=body["trigger_id"], view=view)

            rt.guarded(what, target, go)

        work.__name__ = f"open_{what.replace(' ', '_')}"
        return work

    listen(app.action(_action_re("people_approve")), open_form(
        "approve", lambda u, b, a: flows.approve_view(rt.db(), u, a.get("value") or "",
                                                      _display_name(rt.client, {"id": a.get("value") or ""}))))
    listen(app.action(_action_re("people_add_open")), open_form(
        "add person", lambda u, b, a: flows.add_person_view(rt.db(), u)))

    def form_ack(errors: Callable[[dict, dict], dict]):
        def check(ack, body, view):
            from bot.slack import people_modals

            errs = errors(body, people_modals.values(view))
            if errs:
                ack(response_action="errors", errors=errs)
            else:
                ack()
        return check

    def submitted(what: str, run: Callable[[str, dict, dict], flows.Result], errors: Callable[[dict, dict], dict]):
        def work(body, view):
            from bot.slack import people_modals

            user = body["user"]["id"]
            v = people_modals.values(view)
            if errors(body, v):
                return        # the form stayed open with its messages
            target = Target(user=user)
            rt.guarded(what, target, lambda: rt.deliver(target, run(user, view, v)))

        work.__name__ = f"submit_{what.replace(' ', '_')}"
        return work

    def _add_errors(body, v):
        return flows.add_person_errors(rt.db(), v)

    def _approve_errors(body, v):
        return flows.approve_errors(rt.db(), (body.get("view") or {}).get("private_metadata") or "", v)

    listen(app.view("people_add_modal"), submitted(
        "add person", lambda u, view, v: flows.add_person(rt.db(), u, v, *_profile(rt.client, v["user"])),
        _add_errors), ack=form_ack(_add_errors))
    listen(app.view("people_approve_modal"), submitted(
        "approve", lambda u, view, v: flows.approve_with(rt.db(), u, view.get("private_metadata") or "", v),
        _approve_errors), ack=form_ack(_approve_errors))
    listen(app.action(_action_re("people_request_registration")), button(
        "registration request", lambda u, b, a: flows.request_registration(rt.db(), u, _display_name(rt.client, b["user"]))))

    def fetch_file(file_id: str, max_bytes: int) -> bytes:
        return slack_files.download(rt.client, slack_files.info(rt.client, file_id), max_bytes)

    def tell(user: str, body: dict):
        return lambda text: post(rt.client, _action_target(body, user), rb.text_messages(text))

    listen(app.action(_action_re("document_contract")), button(
        "document load", lambda u, b, a: flows.document_choose(rt.db(), u, a.get("value") or "", fetch_file,
                                                               tell(u, b))))

    # ------------------------------------------------------------ routed questions

    def open_answer_form(body, action, client):
        user = body["user"]["id"]
        target = _action_target(body, user)

        def work():
            routed_id = action.get("value") or ""
            q = flows.routed_question(rt.db(), routed_id)
            if q is None:
                post(rt.client, target, rb.text_messages("このご質問は見つかりませんでした。すでに削除された可能性があります。"))
                return
            refused = flows.answer_form_refusal(rt.db(), user, q)
            if refused is not None:
                rt.deliver(target, refused)
                return
            choices = flows.clause_choices(rt.db(), q["question"], q.get("clause_ids") or [])
            view = rb.routed_answer_modal(routed_id, q["question"], q.get("asker_name") or q["asker_id"], choices)
            client.views_open(trigger_id=body["trigger_id"], view=view)

        rt.guarded("open answer form", target, work)

    listen(app.action(_action_re("routing_answer")), open_answer_form)

    def _modal_values(view: dict) -> tuple[str, list[str]]:
        values = view.get("state", {}).get("values", {})
        text = (((values.get("answer") or {}).get("text") or {}).get("value") or "").strip()
        picked = [o["value"] for o in ((values.get("clauses") or {}).get("ids") or {}).get("selected_options") or []]
        typed = (((values.get("clause_ids") or {}).get("text") or {}).get("value") or "")
        typed_ids = typed.replace(",", " ").replace("、", " ").split()
        return text, list(dict.fromkeys(picked + typed_ids))

    def check_answer_form(ack, view):
        """Validation belongs in the ack: an empty answer keeps the modal open with a message."""
        text, _ = _modal_values(view)
        if not text:
            ack(response_action="errors", errors={"answer": "回答を入力してください。"})
        else:
            ack()

    def submit_answer_form(body, view):
        text, clause_ids = _modal_values(view)
        if not text:
            return
        user = body["user"]["id"]
        target = Target(user=user)
        rt.guarded("routed answer", target, lambda: rt.deliver(
            target, flows.routed_answer(rt.db(), user, view.get("private_metadata") or "", text, clause_ids)))

    listen(app.view("routing_answer_modal"), submit_answer_form, ack=check_answer_form)

    # ------------------------------------------------------------ App Home

    def home_opened(event):
        if event.get("tab") != "home":
            return
        user = event["user"]
        rt.guarded("home", Target(user=user), lambda: publish_home(rt.client, user, flows.home(rt.db(), user)))

    listen(app.event("app_home_opened"), home_opened)

    # ------------------------------------------------------------ shortcuts: incident reports

    def incident_shortcut(body):
        """「事故・インシデントを報告」 (global) and 「このメッセージから事故報告」 (message): the report
        starts in the person's DM, never in the channel; a message's text is proposed as 発生状況."""
        user = body["user"]["id"]
        target = Target(user=user)
        preset: dict = {"from": "shortcut"}
        if body.get("type") == "message_action":
            msg = body.get("message") or {}
            preset = {"from": "message_shortcut", "what_happened": flows.plain(msg.get("text") or ""),
                      "proposal_note": "ショートカットを使ったメッセージの内容",
                      "source": {"kind": "message", "channel": (body.get("channel") or {}).get("id") or "",
                                 "ts": msg.get("ts") or "", "user": msg.get("user") or ""}}

        def go():
            res = flows.press(rt.db(), user, "incident_start", json.dumps(preset, ensure_ascii=False))
            rt.deliver(target, res) if res is not None else post(rt.client, target, rb.text_messages(NOT_READY))

        rt.guarded("incident shortcut", target, go)

    listen(app.shortcut(INCIDENT_SHORTCUT), incident_shortcut)
    listen(app.shortcut(INCIDENT_MESSAGE_SHORTCUT), incident_shortcut)

    # ------------------------------------------------------------ anything else

    def capability_button(body, action):
        """Buttons of capabilities (handlers.capabilities); one nobody owns is explained, never silent."""
        user = body["user"]["id"]
        target = _action_target(body, user)

        def go():
            if not _once(rt, body, action, user):
                log.info("second press of %s by %s ignored", action.get("action_id"), user)
                return
            res = flows.press(rt.db(), user, action.get("action_id") or "", action.get("value") or "")
            if res is None:
                log.warning("no listener for action %s", action.get("action_id"))
                post(rt.client, target, rb.text_messages(NOT_READY))
            else:
                rt.deliver(target, res)

        rt.guarded("button", target, go)

    listen(app.action(re.compile(".*")), capability_button)

    @app.error
    def on_error(error, body):
        ref = reference_id()
        log.error("[%s] unhandled error: %s", ref, error, exc_info=error)

    return app, rt
