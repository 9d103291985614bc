"""HTTP mode: POST /slack/events (Events API, interactivity, slash commands) on a stdlib server.

One thread per connection (ThreadingHTTPServer); bolt verifies the signing secret (a bad or
stale signature gets 401 and reaches no listener) and acks before the work runs.
"""
from __future__ import annotations

import json
import logging
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

from slack_bolt import App
from slack_bolt.request import BoltRequest

log = logging.getLogger("mamoru.slack.http")

PATH = "/slack/events"
MAX_BODY = 1_000_000


def make_server(app: App, host: str, port: int, path: str = PATH, health=None) -> ThreadingHTTPServer:
    """`health`: () -> (status, dict) for GET /healthz (bot.health.healthz); without it, a plain ok."""
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "mamoru"

        def log_message(self, fmt, *args):  # request lines only at DEBUG (bodies never)
            log.debug("%s %s", self.address_string(), fmt % args)

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
                return
            if length > MAX_BODY:
                self._send(413)
                self.close_connection = True
                return
            body = self.rfile.read(length).decode("utf-8", errors="replace")
            headers: dict[str, list[str]] = {}
            for k, v in self.headers.items():
                headers.setdefault(k.lower(), []).append(v)
            req = BoltRequest(body=body, query=parsed.query, headers=headers)
            resp = app.dispatch(req)
            out_headers = {}
            for k, vs in resp.headers.items():
                if k.lower() != "content-length":
                    out_headers[k] = ", ".join(vs) if isinstance(vs, (list, tuple)) else str(vs)
            self._send(resp.status, (resp.body or "").encode("utf-8"), out_headers)

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 128   # listen backlog: bursts of deliveries are queued, not reset

    return Server((host, port), Handler)
