"""`mamoru serve [--http] [--port N] [--host H]`: run the Slack app.

Socket Mode (the default) needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN and no public URL;
--http serves POST /slack/events and needs SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET.
SLACK_API_URL, when set, replaces https://slack.com/api/ (tests point it at a local stand-in).
"""
from __future__ import annotations

import importlib
import logging
import signal
import sys
import threading

from bot.config import Settings

log = logging.getLogger("mamoru.slack")


def _fail(msg: str) -> int:
    print(msg, file=sys.stderr)
    return 2


def _start_scheduler(db_path, sender):
    """bot.scheduler.start_scheduler(db_path, sender), when that module is installed."""
    try:
        mod = importlib.import_module("bot.scheduler")
    except ModuleNotFoundError as e:
        if e.name == "bot.scheduler":
            return None
        raise
    return mod.start_scheduler(db_path, sender)


def _stop(obj) -> None:
    for name in ("shutdown", "stop", "close"):
        fn = getattr(obj, name, None)
        if callable(fn):
            try:
                fn(wait=False) if name == "shutdown" else fn()
            except TypeError:
                fn()
            except Exception:  # noqa: BLE001
                log.exception("stopping %r failed", obj)
            return


def _warm(db_path) -> None:
    """Ready what the first question needs, off the main thread, so the first person to ask after a start does
    not wait for it: the search index and the concept map, the meaning model, and the meaning vector of any
    clause stored without one (a database from before vectors were kept: a 10,000-clause attachment takes
    minutes to embed, stored as it goes; search.searcher_for). Answers work the same if it is not done yet."""
    try:
        from knowledge import meaning, search
        from storage.db import open_db

        db = open_db(db_path)
        try:
            search.searcher_for(db)
            meaning.query("準備")
        finally:
            db.conn.close()
        log.info("search index ready")
    except Exception:  # noqa: BLE001 — the first question builds it instead
        log.exception("preparing the search index failed")


def serve(settings: Settings, http: bool, port: int, host: str = "0.0.0.0", scheduler: bool = True) -> int:
    from bot.slack import logsafe

    logsafe.setup()
    if not settings.bot_token:
        return _fail("SLACK_BOT_TOKEN が設定されていません。README の「Slack につなぐ」をご覧ください。")
    if http and not settings.signing_secret:
        return _fail("HTTP モードには SLACK_SIGNING_SECRET が必要です。README の「Slack につなぐ」をご覧ください。")
    if not http and not settings.app_token:
        return _fail("Socket Mode には SLACK_APP_TOKEN（xapp- で始まるアプリレベルトークン）が必要です。"
                     "公開 URL で受ける場合は `mamoru serve --http --port 3000` をお使いください。")

    from slack_bolt.error import BoltError
    from slack_sdk.errors import SlackClientError

    from bot.slack.app import build_app
    from knowledge import library
    from storage.db import open_db

    from storage import audit

    db = open_db(settings.db_path)        # refuses a database whose audit key is missing (auditkey.KeyMissing)
    audit.check_key(db, match=True)       # and one sealed with another key: every record would be refused
    library.ensure_builtin(db)            # the shipped rules, loaded once
    threading.Thread(target=_warm, args=(settings.db_path,), name="mamoru-warm", daemon=True).start()
    try:
        app, rt = build_app(settings, http=http)
    except BoltError as e:  # the token was refused (auth.test)
        return _fail(f"Slack がボットトークンを受け付けませんでした（auth.test に失敗）: {e}")
    except (OSError, SlackClientError) as e:  # network: no route to Slack (or to SLACK_API_URL)
        return _fail(f"Slack の Web API（{settings.api_url or 'https://slack.com/api/'}）に接続できませんでした: {e}")

    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    for sig in (signal.SIGTERM, signal.SIGINT):
        try:
            signal.signal(sig, on_signal)
        except ValueError:  # not the main thread (embedded use)
            pass

    sched = _start_scheduler(settings.db_path, rt.sender) if scheduler else None
    try:
        if http:
            from bot.slack.http import PATH, make_server

            from bot import health

            server = make_server(app, host, port, health=lambda: health.healthz(settings.db_path, sched))
            t = threading.Thread(target=server.serve_forever, name="mamoru-http", daemon=True)
            t.start()
            bound = server.server_address[1]
            log.info("HTTP mode: listening on http://%s:%s%s", host, bound, PATH)
            print(f"mamoru: HTTP モードで待ち受けています http://{host}:{bound}{PATH}", file=sys.stderr, flush=True)
            stop.wait()
            server.shutdown()
            server.server_close()
        else:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            handler = SocketModeHandler(app, settings.app_token)
            handler.connect()
            log.info("Socket Mode: connected")
            print("mamoru: Socket Mode で接続しました", file=sys.stderr, flush=True)
            stop.wait()
            handler.close()
    finally:
        if sched is not None:
            _stop(sched)
        app.listener_runner.listener_executor.shutdown(wait=True, cancel_futures=False)
    return 0


def cmd_serve(args) -> int:
    return serve(Settings.from_env(), http=bool(args.http), port=args.port, host=args.host,
                 scheduler=not args.no_scheduler)


def register(subparsers) -> None:
    p = subparsers.add_parser("serve", help="Slack アプリを起動する（既定は Socket Mode、--http で HTTP）")
    p.add_argument("--http", action="store_true", help="POST /slack/events で受ける（SLACK_SIGNING_SECRET が必要）")
    p.add_argument("--port", type=int, default=3000, help="HTTP モードのポート（既定 3000）")
    p.add_argument("--host", default="0.0.0.0", help="HTTP モードの待ち受けアドレス（既定 0.0.0.0）")
    p.add_argument("--no-scheduler", action="store_true", help="通知のスケジューラを起動しない")
    p.set_defaults(func=cmd_serve)
