"""HTTP mode: POST /slack/events (Events API, interactivity, slash commands) on a stdlib server.

Bolt verifies the signing secret (a bad or stale signature gets 401 and reaches no listener) and
acks before the work runs. The server itself is built to stay up whatever clients do:

- a bounded pool of worker threads (MAMORU_HTTP_WORKERS, default 16) serves connections; at most
  MAMORU_HTTP_QUEUE (default 64) more wait for a worker, anything beyond gets 503 at once;
- a connection idle for MAMORU_HTTP_IDLE_SECONDS (default 10) is closed, and so is one that has
  not finished its request within MAMORU_HTTP_REQUEST_SECONDS (default 20: slow clients that
  send a byte at a time), so idle and slow connections cannot hold the workers;
- a body that is not what Slack sends (not JSON, not a form, a form whose payload is not JSON)
  gets 400 and a one-line log without the body; nothing a request carries is ever logged.
"""
from __future__ import annotations

import json
import logging
import os
import socket
import socketserver
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlparse

from slack_bolt import App
from slack_bolt.request import BoltRequest

log = logging.getLogger("mamoru.slack.http")

PATH = "/slack/events"
MAX_BODY = 1_000_000


def _env_number(name: str, default: float) -> float:
    try:
        v = float(os.environ.get(name) or default)
    except ValueError:
        return default
    return v if v > 0 else default


def malformed(body: str, content_type: str) -> str | None:
    """Why a body cannot be one of Slack's, or None (checked before bolt parses it)."""
    ct = (content_type or "").split(";")[0].strip().lower()
    if ct == "application/json" or (not ct and body.lstrip().startswith("{")):
        try:
            return None if isinstance(json.loads(body), dict) else "JSON is not an object"
        except ValueError:
            return "not JSON"
    if ct in ("application/x-www-form-urlencoded", ""):
        form = parse_qs(body, keep_blank_values=True)
        if "payload" in form:
            try:
                return None if isinstance(json.loads(form["payload"][0]), dict) else "payload is not an object"
            except ValueError:
                return "payload is not JSON"
        return None
    return f"unexpected content type {ct}"


class Server(socketserver.TCPServer):
    """TCPServer whose connections are served by a bounded pool, with a reaper for slow ones."""

    allow_reuse_address = True
    daemon_threads = True
    request_queue_size = 128   # listen backlog: bursts of deliveries are queued, not reset

    def __init__(self, addr, handler, *, workers: int, queue: int, idle: float, request_seconds: float):
        self.idle_seconds = idle
        self.request_seconds = request_seconds
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="mamoru-http")
        self._slots = threading.BoundedSemaphore(workers + queue)
        self._active: dict[socket.socket, float] = {}   # connection -> when its current request began
        self.accepted: dict[socket.socket, float] = {}  # connection -> when it was accepted (queued)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        super().__init__(addr, handler)
        self._reaper = threading.Thread(target=self._reap, name="mamoru-http-reaper", daemon=True)
        self._reaper.start()

    # a request in progress on this connection (None: waiting between requests, idle timeout applies)
    def mark(self, sock: socket.socket, started: float | None) -> None:
        with self._lock:
            if started is None:
                self._active.pop(sock, None)
            else:
                self._active[sock] = started

    def _reap(self) -> None:
        while not self._stop.wait(1.0):
            now = time.monotonic()
            with self._lock:
                late = [s for s, t in self._active.items() if now - t > self.request_seconds]
            for s in late:
                try:
                    s.shutdown(socket.SHUT_RDWR)   # the worker's blocked read returns; it closes the connection
                except OSError:
                    pass

    def process_request(self, request, client_address):
        self.accepted[request] = time.monotonic()
        if not self._slots.acquire(blocking=False):
            self.accepted.pop(request, None)
            try:
                request.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            except OSError:
                pass
            self.shutdown_request(request)
            return
        try:
            self._pool.submit(self._work, request, client_address)
        except RuntimeError:   # shutting down
            self._slots.release()
            self.shutdown_request(request)

    def _work(self, request, client_address):
        try:
            self.finish_request(request, client_address)
        except Exception:
            log.warning("HTTP connection ended with an error (details omitted)")
        finally:
            self.mark(request, None)
            self.accepted.pop(request, None)
            self.shutdown_request(request)
            self._slots.release()

    def handle_error(self, request, client_address):   # never print a traceback with request data
        log.warning("HTTP connection ended with an error (details omitted)")

    def server_close(self):
        self._stop.set()
        super().server_close()
        self._pool.shutdown(wait=False, cancel_futures=True)


def make_server(app: App, host: str, port: int, path: str = PATH, health=None) -> Server:
    """`health`: () -> (status, dict) for GET /healthz (bot.health.healthz); without it, a plain ok."""
    idle = _env_number("MAMORU_HTTP_IDLE_SECONDS", 10)
    request_seconds = _env_number("MAMORU_HTTP_REQUEST_SECONDS", 20)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "mamoru"
        timeout = idle   # socket timeout: an idle keep-alive connection (or a stalled read) ends here

        def log_message(self, fmt, *args):  # the request line only, at DEBUG (bodies never)
            log.debug("%s %s", self.address_string(), fmt % args)

        def log_error(self, fmt, *args):
            log.debug("HTTP: %s", fmt % args)

        def setup(self):
            super().setup()
            # time spent queued for a worker counts against the idle allowance of the first request
            waited = time.monotonic() - self.server.accepted.get(self.connection, time.monotonic())
            if waited > 0:
                self.connection.settimeout(max(0.05, idle - waited))

        def handle_one_request(self):
            # the clock starts with the first byte of a request, not while the connection waits
            try:
                ready = self.rfile.peek(1) if hasattr(self.rfile, "peek") else b"x"
            except (socket.timeout, OSError):
                self.close_connection = True
                return
            if not ready:
                self.close_connection = True
                return
            self.server.mark(self.connection, time.monotonic())
            self.connection.settimeout(idle)
            try:
                super().handle_one_request()
            finally:
                self.server.mark(self.connection, None)

        def _send(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

        def do_GET(self):
            where = urlparse(self.path).path
            if where == "/healthz" and health is not None:
                status, body = health()      # scheduler alive, database writable; no personal data
                self._send(status, json.dumps(body).encode("utf-8"),
                           {"Content-Type": "application/json", "Cache-Control": "no-store"})
            elif where in ("/health", "/healthz"):
                self._send(200, b"ok", {"Content-Type": "text/plain"})
            else:
                self._send(404)

        def do_POST(self):
            parsed = urlparse(self.path)
            if parsed.path != path:
                self._send(404)
                return
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                self._send(400)
                self.close_connection = True
                return
            if length < 0 or length > MAX_BODY:
                self._send(413)
                self.close_connection = True
                return
            raw = self.rfile.read(length)
            if len(raw) < length:           # the client stopped sending (or was cut off as too slow)
                self.close_connection = True
                return
            body = raw.decode("utf-8", errors="replace")
            headers: dict[str, list[str]] = {}
            for k, v in self.headers.items():
                headers.setdefault(k.lower(), []).append(v)
            why = malformed(body, self.headers.get("Content-Type") or "")
            if why:
                log.info("HTTP 400 on %s: %s (%d bytes; body not logged)", parsed.path, why, length)
                self._send(400, b'{"error":"malformed body"}', {"Content-Type": "application/json"})
                return
            try:
                resp = app.dispatch(BoltRequest(body=body, query=parsed.query, headers=headers))
            except Exception as e:   # bolt could not read it: the client's fault, and nothing of it logged
                log.info("HTTP 400 on %s: %s (body not logged)", parsed.path, type(e).__name__)
                self._send(400, b'{"error":"malformed body"}', {"Content-Type": "application/json"})
                return
            out_headers = {}
            for k, vs in resp.headers.items():
                if k.lower() != "content-length":
                    out_headers[k] = ", ".join(vs) if isinstance(vs, (list, tuple)) else str(vs)
            self._send(resp.status, (resp.body or "").encode("utf-8"), out_headers)

    workers = int(_env_number("MAMORU_HTTP_WORKERS", 16))
    queue = int(_env_number("MAMORU_HTTP_QUEUE", 64))
    return Server((host, port), Handler, workers=workers, queue=queue, idle=idle, request_seconds=request_seconds)
