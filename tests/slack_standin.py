"""A stand-in for Slack on 127.0.0.1: the Web API, response_url webhooks, and a Socket Mode WebSocket.

A real HTTP server (the pattern of bolt-python's tests/mock_web_api_server): the app's WebClient
gets `base_url = standin.api_url`; every call is recorded with its parameters. On demand it answers
a method with 429 + Retry-After, or with {"ok": false, "error": …}. apps.connections.open returns
a ws://127.0.0.1 URL served by the same server, through which a test pushes Socket Mode envelopes
and reads the app's acks.

    with SlackStandIn() as slack:
        ...                                    # run the app with SLACK_API_URL=slack.api_url
        calls = slack.wait_for("chat.postMessage", lambda c: c.params["channel"] == "D1")
"""
from __future__ import annotations

import base64
import hashlib
import itertools
import json
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import parse_qs, quote, urlparse

WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
BOT_USER = "UBOT0001"
BOT_ID = "BBOT0001"
TEAM = "T0TEST01"


@dataclass
class Call:
    method: str             # "chat.postMessage", or "hook:/hooks/…" for response_url posts
    params: dict
    headers: dict
    at: float
    status: int = 200
    error: str | None = None    # the error answered ({"ok": false, …}) when a fault was armed with fail()

    def blocks(self) -> list[dict]:
        """The message's blocks, or the view's (views.publish / views.open)."""
        b = self.params.get("blocks")
        if b is None and self.params.get("view"):
            v = self.params["view"]
            b = (json.loads(v) if isinstance(v, str) else v).get("blocks")
        b = b or []
        return json.loads(b) if isinstance(b, str) else b

    def text_of_blocks(self) -> str:
        """All visible text in the blocks (section, context, header, button labels)."""
        out = []

        def walk(x):
            if isinstance(x, dict):
                if x.get("type") in ("mrkdwn", "plain_text") and isinstance(x.get("text"), str):
                    out.append(x["text"])
                for v in x.values():
                    walk(v)
            elif isinstance(x, list):
                for v in x:
                    walk(v)

        walk(self.blocks())
        return "\n".join(out)


@dataclass
class _Fault:
    method: str
    count: int
    status: int = 429
    retry_after: int = 1
    error: str | None = None


@dataclass
class _WsClient:
    sock: socket.socket
    lock: threading.Lock = field(default_factory=threading.Lock)
    alive: bool = True


class SlackStandIn:
    def __init__(self, host: str = "127.0.0.1"):
        self.host = host
        self.calls: list[Call] = []
        self.acks: list[dict] = []
        self._faults: list[_Fault] = []
        self._lock = threading.Condition()
        self._ts = itertools.count(1)
        self._ws: list[_WsClient] = []
        # The workspace's people, for users.info / users.lookupByEmail: user id -> profile fields
        # (real_name, email, display_name). Anyone not listed gets their id as their name.
        self.directory: dict[str, dict] = {}
        # Files shared with the app: file id -> {"name", "data": bytes, "filetype", "mimetype", "user"}.
        # files.info answers from here; url_private (served below) needs the bot token.
        self.files: dict[str, dict] = {}
        # What auth.test's x-oauth-scopes header says the token has.
        self.scopes = "app_mentions:read,chat:write,commands,files:read,files:write,im:history,im:write,users:read,users:read.email"
        class Server(ThreadingHTTPServer):
            daemon_threads = True
            request_queue_size = 128

        self._server = Server((host, 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True, name="slack-standin")

    # ---------------------------------------------------------------- lifecycle

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    def hook_url(self, name: str = "x") -> str:
        """A response_url that lands here (recorded as method "hook:/hooks/<name>")."""
        return f"{self.base}/hooks/{name}"

    def start(self) -> "SlackStandIn":
        self._thread.start()
        return self

    def stop(self) -> None:
        for c in list(self._ws):
            c.alive = False
            try:
                c.sock.close()
            except OSError:
                pass
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # ---------------------------------------------------------------- faults

    def rate_limit(self, method: str, count: int = 1, retry_after: int = 1) -> None:
        """The next `count` calls of `method` get 429 with Retry-After."""
        with self._lock:
            self._faults.append(_Fault(method, count, 429, retry_after))

    def fail(self, method: str, error: str = "internal_error", count: int = 1) -> None:
        """The next `count` calls of `method` get {"ok": false, "error": error}."""
        with self._lock:
            self._faults.append(_Fault(method, count, 200, 0, error))

    def _take_fault(self, method: str) -> _Fault | None:
        with self._lock:
            for f in self._faults:
                if f.method == method and f.count > 0:
                    f.count -= 1
                    return f
        return None

    # ---------------------------------------------------------------- inspection

    def find(self, method: str | None = None, where: Callable[[Call], bool] | None = None,
             status: int | None = 200) -> list[Call]:
        with self._lock:
            calls = list(self.calls)
        return [c for c in calls if (method is None or c.method == method)
                and (status is None or c.status == status) and (where is None or where(c))]

    def wait_for(self, method: str | None = None, where: Callable[[Call], bool] | None = None, *,
                 count: int = 1, timeout: float = 10.0, status: int | None = 200) -> list[Call]:
        """Poll until at least `count` matching calls were recorded; raise AssertionError on timeout."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                found = [c for c in self.calls if (method is None or c.method == method)
                         and (status is None or c.status == status) and (where is None or where(c))]
                if len(found) >= count:
                    return found
                left = deadline - time.monotonic()
                if left <= 0:
                    seen = [(c.method, c.status, {k: v for k, v in c.params.items() if k != "blocks"})
                            for c in self.calls[-10:]]
                    raise AssertionError(f"timed out waiting for {count} × {method}; last calls: {seen}")
                self._lock.wait(min(left, 0.05))

    def wait_ack(self, envelope_id: str, timeout: float = 10.0) -> dict:
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                for a in self.acks:
                    if a.get("envelope_id") == envelope_id:
                        return a
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no ack for envelope {envelope_id}")
                self._lock.wait(min(left, 0.05))

    def _record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)
            self._lock.notify_all()

    # ---------------------------------------------------------------- Web API answers

    def _answer(self, method: str, params: dict) -> dict:
        if method == "auth.test":
            return {"ok": True, "url": "https://test.slack.com/", "team": "test", "user": "mamoru",
                    "team_id": TEAM, "user_id": BOT_USER, "bot_id": BOT_ID, "is_enterprise_install": False}
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://{self.host}:{self.port}/link/?ticket=t1"}
        if method == "chat.postMessage":
            ts = f"{1700000000 + next(self._ts)}.000100"
            return {"ok": True, "channel": params.get("channel"), "ts": ts,
                    "message": {"text": params.get("text"), "ts": ts, "bot_id": BOT_ID}}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": f"{1700000000 + next(self._ts)}.000200"}
        if method == "conversations.open":
            users = str(params.get("users") or "")
            return {"ok": True, "channel": {"id": "D" + users.split(",")[0][1:]}}
        if method in ("views.publish", "views.open", "views.update", "views.push"):
            view = params.get("view")
            view = json.loads(view) if isinstance(view, str) else (view or {})
            return {"ok": True, "view": dict(view, id=f"V{next(self._ts):08d}")}
        if method == "files.getUploadURLExternal":
            fid = f"F{next(self._ts):08d}"
            return {"ok": True, "upload_url": f"{self.base}/upload/{fid}", "file_id": fid}
        if method == "files.completeUploadExternal":
            files = params.get("files")
            files = json.loads(files) if isinstance(files, str) else (files or [])
            return {"ok": True, "files": [{"id": f.get("id"), "title": f.get("title")} for f in files]}
        if method == "users.info":
            uid = params.get("user")
            prof = self.directory.get(uid, {})
            real = prof.get("real_name") or uid
            return {"ok": True, "user": {"id": uid, "name": uid, "real_name": real, "tz": "Asia/Tokyo",
                                         "profile": {"real_name": real, "display_name": prof.get("display_name", ""),
                                                     "email": prof.get("email", "")}}}
        if method == "users.lookupByEmail":
            email = str(params.get("email") or "").lower()
            for uid, prof in self.directory.items():
                if (prof.get("email") or "").lower() == email:
                    return {"ok": True, "user": {"id": uid, "name": uid, "real_name": prof.get("real_name") or uid,
                                                 "profile": {"email": prof.get("email")}}}
            return {"ok": False, "error": "users_not_found"}
        if method == "files.info":
            f = self.files.get(params.get("file") or "")
            if f is None:
                return {"ok": False, "error": "file_not_found"}
            return {"ok": True, "file": self.file_object(params["file"])}
        return {"ok": True}

    def file_object(self, file_id: str) -> dict:
        """The file object Slack sends (files.info, file_shared events): url_private points here."""
        f = self.files[file_id]
        return {"id": file_id, "name": f["name"], "title": f["name"], "filetype": f.get("filetype", ""),
                "mimetype": f.get("mimetype", "application/octet-stream"), "size": f.get("size", len(f["data"])),
                "user": f.get("user", ""), "url_private": f"{self.base}/files-pri/{file_id}/{quote(f['name'])}",
                "url_private_download": f"{self.base}/files-pri/{file_id}/download/{quote(f['name'])}"}

    # ---------------------------------------------------------------- HTTP handler

    def _handler_class(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _reply(self, status: int, body: bytes, ctype: str = "application/json; charset=utf-8",
                       extra: dict | None = None):
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                for k, v in (extra or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _params(self) -> dict:
                n = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(n).decode("utf-8") if n else ""
                url = urlparse(self.path)
                params = {k: v[0] for k, v in parse_qs(url.query).items()}
                ctype = self.headers.get("Content-Type") or ""
                if raw:
                    if "json" in ctype:
                        params.update(json.loads(raw))
                    else:
                        params.update({k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()})
                return params

            def do_GET(self):
                if self.path.startswith("/link") and self.headers.get("Upgrade", "").lower() == "websocket":
                    standin._serve_websocket(self)
                    return
                url = urlparse(self.path)
                if url.path.startswith("/files-pri/"):     # url_private: bytes only with the bot token
                    fid = url.path.split("/")[2]
                    auth = self.headers.get("Authorization") or ""
                    standin._record(Call(f"download:{fid}", {"file_id": fid}, {"authorization": auth}, time.time(),
                                         200))
                    f = standin.files.get(fid)
                    if f is None:
                        self._reply(404, b"not found", "text/plain")
                    elif auth != f"Bearer {BOT_TOKEN}":
                        self._reply(200, b"<html>login</html>", "text/html")   # what Slack does without a token
                    else:
                        self._reply(200, f["data"], f.get("mimetype", "application/octet-stream"))
                    return
                self._reply(404, b"{}")

            def do_POST(self):
                url = urlparse(self.path)
                if url.path.startswith("/upload/"):    # files_upload_v2's step 2: the file's bytes
                    n = int(self.headers.get("Content-Length") or 0)
                    data = self.rfile.read(n) if n else b""
                    standin._record(Call(f"upload:{url.path}", {"file_id": url.path.rsplit("/", 1)[-1], "data": data,
                                                                 "length": len(data)}, {}, time.time(), 200))
                    self._reply(200, b"OK - " + str(len(data)).encode(), "text/plain")
                    return
                params = self._params()
                headers = {k.lower(): v for k, v in self.headers.items()}
                if url.path.startswith("/hooks/"):
                    method = f"hook:{url.path}"
                elif url.path.startswith("/api/"):
                    method = url.path[len("/api/"):]
                else:
                    self._reply(404, b"{}")
                    return
                fault = standin._take_fault(method)
                if fault and fault.status == 429:
                    standin._record(Call(method, params, headers, time.time(), 429))
                    self._reply(429, b'{"ok":false,"error":"ratelimited"}', extra={"Retry-After": str(fault.retry_after)})
                    return
                if fault and fault.error:
                    standin._record(Call(method, params, headers, time.time(), 200, fault.error))
                    self._reply(200, json.dumps({"ok": False, "error": fault.error}).encode())
                    return
                standin._record(Call(method, params, headers, time.time(), 200))
                if method.startswith("hook:"):
                    self._reply(200, b"ok", "text/plain")
                    return
                extra = {"x-oauth-scopes": standin.scopes} if method == "auth.test" else None
                self._reply(200, json.dumps(standin._answer(method, params), ensure_ascii=False).encode("utf-8"),
                            extra=extra)

        return Handler

    # ---------------------------------------------------------------- Socket Mode (RFC 6455, minimal)

    def _serve_websocket(self, h: BaseHTTPRequestHandler) -> None:
        key = h.headers.get("Sec-WebSocket-Key", "")
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        h.send_response(101, "Switching Protocols")
        h.send_header("Upgrade", "websocket")
        h.send_header("Connection", "Upgrade")
        h.send_header("Sec-WebSocket-Accept", accept)
        h.end_headers()
        h.wfile.flush()
        client = _WsClient(h.connection)
        with self._lock:
            self._ws.append(client)
            self._lock.notify_all()
        self._ws_send(client, 0x1, json.dumps({"type": "hello", "num_connections": 1,
                                                 "connection_info": {"app_id": "A0TEST01"}}).encode())
        rfile = h.rfile
        try:
            while client.alive:
                head = rfile.read(2)
                if len(head) < 2:
                    break
                opcode, masked, n = head[0] & 0x0F, head[1] & 0x80, head[1] & 0x7F
                if n == 126:
                    n = struct.unpack("!H", rfile.read(2))[0]
                elif n == 127:
                    n = struct.unpack("!Q", rfile.read(8))[0]
                mask = rfile.read(4) if masked else b""
                data = bytearray(rfile.read(n))
                if mask:
                    for i in range(len(data)):
                        data[i] ^= mask[i % 4]
                if opcode == 0x9:      # ping → pong with the same payload
                    self._ws_send(client, 0xA, bytes(data))
                elif opcode == 0x8:    # close
                    break
                elif opcode == 0x1:    # text: an ack from the app
                    try:
                        msg = json.loads(data.decode("utf-8"))
                    except ValueError:
                        continue
                    with self._lock:
                        self.acks.append(msg)
                        self._lock.notify_all()
        except OSError:
            pass
        finally:
            client.alive = False
            h.close_connection = True

    def _ws_send(self, client: _WsClient, opcode: int, payload: bytes) -> None:
        n = len(payload)
        if n < 126:
            head = struct.pack("!BB", 0x80 | opcode, n)
        elif n < 65536:
            head = struct.pack("!BBH", 0x80 | opcode, 126, n)
        else:
            head = struct.pack("!BBQ", 0x80 | opcode, 127, n)
        with client.lock:
            client.sock.sendall(head + payload)

    def wait_socket(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        with self._lock:
            while not any(c.alive for c in self._ws):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("the app did not open a Socket Mode connection")
                self._lock.wait(min(left, 0.05))

    def push(self, envelope: dict) -> None:
        """Deliver one Socket Mode envelope to the connected app."""
        live = [c for c in self._ws if c.alive]
        if not live:
            raise AssertionError("no Socket Mode connection")
        self._ws_send(live[-1], 0x1, json.dumps(envelope, ensure_ascii=False).encode("utf-8"))


# -------------------------------------------------------------------- driving `mamoru serve`

import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import urllib.error  # noqa: E402
import urllib.request  # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import urlencode  # noqa: E402

from slack_sdk.signature import SignatureVerifier  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MAMORU = str(Path(sys.executable).with_name("mamoru"))
BOT_TOKEN = "xoxb-test"
APP_TOKEN = "xapp-1-test-app-token"
SIGNING_SECRET = "test-signing-secret-5f3c9a"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServeProcess:
    """`mamoru serve` as a subprocess (HTTP or Socket Mode), logs in a file."""

    def __init__(self, standin: SlackStandIn, db: Path, log: Path, *, http: bool = True,
                 extra_env: dict | None = None, args: list[str] | None = None):
        self.port = free_port() if http else None
        self.log = log
        env = dict(os.environ, MAMORU_DB=str(db), SLACK_API_URL=standin.api_url, SLACK_BOT_TOKEN=BOT_TOKEN,
                   PYTHONIOENCODING="utf-8", MAMORU_TZ="Asia/Tokyo")
        env.pop("SLACK_APP_TOKEN", None)
        env.pop("SLACK_SIGNING_SECRET", None)
        if http:
            env["SLACK_SIGNING_SECRET"] = SIGNING_SECRET
        else:
            env["SLACK_APP_TOKEN"] = APP_TOKEN
        env.update(extra_env or {})
        cmd = [MAMORU, "serve", *(["--http", "--host", "127.0.0.1", "--port", str(self.port)] if http else []),
               *(args or [])]
        self._log_f = open(log, "wb")
        self.proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=self._log_f, stderr=subprocess.STDOUT)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/slack/events"

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"mamoru serve exited {self.proc.returncode}:\n{self.log_text()}")
            if self.port is None:
                if "Socket Mode で接続しました" in self.log_text():
                    return
            else:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=1) as r:
                        if r.status == 200:
                            return
                except OSError:
                    pass
            time.sleep(0.05)
        raise AssertionError(f"mamoru serve not ready in {timeout}s:\n{self.log_text()}")

    def log_text(self) -> str:
        if not self._log_f.closed:
            self._log_f.flush()
        return self.log.read_bytes().decode("utf-8", errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._log_f.close()

    # ---- signed requests

    def post(self, body: str, content_type: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None,
             headers: dict | None = None, signature: str | None = None) -> tuple[int, str, float]:
        """POST a body signed like Slack signs it; returns (status, body, seconds to the response)."""
        ts = str(int(time.time()) if timestamp is None else timestamp)
        sig = signature or SignatureVerifier(secret).generate_signature(timestamp=ts, body=body)
        h = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig}
        h.update(headers or {})
        req = urllib.request.Request(self.url, data=body.encode("utf-8"), headers=h, method="POST")
        t0 = time.perf_counter()
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return r.status, r.read().decode("utf-8"), time.perf_counter() - t0
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8"), time.perf_counter() - t0

    def event(self, event: dict, event_id: str, **kw) -> tuple[int, str, float]:
        return self.post(json.dumps(event_envelope(event, event_id), ensure_ascii=False), "application/json", **kw)

    def command(self, user: str, text: str, response_url: str, channel: str = "C0GENERAL", **kw):
        body = urlencode({"token": "legacy", "team_id": TEAM, "team_domain": "test", "channel_id": channel,
                          "channel_name": "general", "user_id": user, "user_name": user.lower(),
                          "command": "/mamoru", "text": text, "api_app_id": "A0TEST01",
                          "response_url": response_url, "trigger_id": f"trig.{time.time_ns()}"})
        return self.post(body, "application/x-www-form-urlencoded", **kw)

    def interactive(self, payload: dict, **kw):
        body = urlencode({"payload": json.dumps(payload, ensure_ascii=False)})
        return self.post(body, "application/x-www-form-urlencoded", **kw)


_ts_counter = itertools.count(1)


def serve_env(standin: SlackStandIn, d: Path, people_argv, *, now: str | None = None, setup=None,
              contracts=()):
    """A module's end-to-end world: a database in `d` with the shipped documents, these contracts
    (`mamoru contract add`) and people (`mamoru users` argument lists) and whatever `setup(db)` adds,
    and `mamoru serve --http` on it (its clock at `now` when given). A generator for a fixture:
    `yield from serve_env(...)`."""
    from conftest import add_contracts
    from handlers import people
    from knowledge import library
    from storage.db import open_db

    db_path = d / "mamoru.db"
    db = open_db(db_path)
    library.ensure_builtin(db)
    add_contracts(db, *contracts)
    for argv in people_argv:
        status, reply = people.run_users(db, "cli", argv, "cli")
        assert status == 0, reply.text
    if setup is not None:
        setup(db)
    server = ServeProcess(standin, db_path, d / "serve.log", args=["--no-scheduler"],
                          extra_env={"MAMORU_NOW": now} if now else None)
    try:
        server.wait_ready()
        yield {"server": server, "db_path": db_path, "db": db, "dir": d}
    finally:
        server.stop()


def new_ts() -> str:
    return f"{int(time.time())}.{next(_ts_counter):06d}"


def event_envelope(event: dict, event_id: str) -> dict:
    return {"token": "legacy", "team_id": TEAM, "api_app_id": "A0TEST01", "event": event,
            "type": "event_callback", "event_id": event_id, "event_time": int(time.time()),
            "authorizations": [{"enterprise_id": None, "team_id": TEAM, "user_id": BOT_USER, "is_bot": True,
                                "is_enterprise_install": False}],
            "is_ext_shared_channel": False}


def dm_event(user: str, text: str, channel: str | None = None, ts: str | None = None) -> dict:
    ts = ts or new_ts()
    return {"type": "message", "channel_type": "im", "channel": channel or "D" + user[1:], "user": user,
            "text": text, "ts": ts, "event_ts": ts, "team": TEAM}


def mention_event(user: str, text: str, channel: str = "C0GENERAL", ts: str | None = None) -> dict:
    ts = ts or new_ts()
    return {"type": "app_mention", "channel": channel, "user": user, "text": f"<@{BOT_USER}> {text}",
            "ts": ts, "event_ts": ts, "team": TEAM}


def block_actions(user: str, action_id: str, value: str, *, response_url: str | None,
                  message_ts: str | None = None, channel: str | None = None, view_id: str | None = None,
                  view_hash: str = "h1") -> dict:
    """A button press on a message (message_ts) or on the Home tab (view_id, view_hash)."""
    container = ({"type": "view", "view_id": view_id} if view_id else
                 {"type": "message", "message_ts": message_ts or new_ts(), "channel_id": channel or "D" + user[1:],
                  "is_ephemeral": False})
    p = {"type": "block_actions", "team": {"id": TEAM, "domain": "test"},
         "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM},
         "api_app_id": "A0TEST01", "token": "legacy", "container": container,
         "trigger_id": f"trig.{time.time_ns()}",
         "actions": [{"action_id": action_id, "block_id": "b1", "value": value, "type": "button",
                      "text": {"type": "plain_text", "text": "x"}, "action_ts": f"{time.time():.6f}"}]}
    if response_url:
        p["response_url"] = response_url
    if view_id:
        p["view"] = {"id": view_id, "type": "home", "hash": view_hash, "blocks": []}
    else:
        p["channel"] = {"id": container["channel_id"], "name": "directmessage"}
        p["message"] = {"type": "message", "ts": container["message_ts"], "text": "x", "bot_id": BOT_ID}
    return p


def view_submission(user: str, callback_id: str, values: dict[str, dict], private_metadata: str = "") -> dict:
    """A modal submitted: `values` maps block_id to the element's state, e.g. {"user": {"type":
    "users_select", "selected_user": "U1"}, "start": {"type": "datepicker", "selected_date": "2026-12-01"}}."""
    return {"type": "view_submission", "team": {"id": TEAM, "domain": "test"},
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM},
            "api_app_id": "A0TEST01", "token": "legacy", "trigger_id": f"trig.{time.time_ns()}",
            "view": {"id": f"V{time.time_ns()}", "type": "modal", "callback_id": callback_id, "hash": "h",
                     "private_metadata": private_metadata, "blocks": [],
                     "state": {"values": {b: {"value": dict(v)} for b, v in values.items()}}}}


def selected(kind: str, value: str) -> dict:
    """One input's state for view_submission: kind is users_select, static_select, datepicker or text."""
    if kind == "users_select":
        return {"type": kind, "selected_user": value}
    if kind == "static_select":
        return {"type": kind, "selected_option": {"text": {"type": "plain_text", "text": value}, "value": value}}
    if kind == "datepicker":
        return {"type": kind, "selected_date": value}
    return {"type": "plain_text_input", "value": value}
