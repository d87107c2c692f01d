"""Small real HTTP servers on 127.0.0.1 for the remote-client tests (no mocks).

``scripted`` answers each request with the next of a list of canned responses and records
what it received; ``proxy`` forwards to a real upstream (the test Virtuoso) and lets a test
fail chosen requests (or stall them, never answering), to break a push half way. Both run
in a daemon thread and are shut down when the ``with`` block ends.
"""

from __future__ import annotations

import http.client
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Reply:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (timeout tests)


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def _running(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class _Base(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # keep pytest output clean
        pass

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _reply(self, status: int, body: bytes, headers: dict[str, str]) -> None:
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextmanager
def scripted(replies: list[Reply]) -> Iterator[tuple[str, list[Seen]]]:
    """Serve ``replies`` in order (the last one repeats); yield (base URL, requests seen)."""
    seen: list[Seen] = []
    lock = threading.Lock()

    class Handler(_Base):
        def _any(self) -> None:
            body = self._read_body()
            with lock:
                seen.append(Seen(self.command, self.path, dict(self.headers.items()), body))
                reply = replies[min(len(seen) - 1, len(replies) - 1)]
            if reply.delay:
                time.sleep(reply.delay)
            data = reply.body.encode("utf-8") if isinstance(reply.body, str) else reply.body
            try:
                self._reply(reply.status, data, reply.headers)
            except (BrokenPipeError, ConnectionResetError):
                pass

        do_GET = do_POST = do_PUT = do_DELETE = _any

    with _running(Handler) as url:
        yield url, seen


# fail(method, path, headers, body) -> a status to answer instead of forwarding, or None
FailRule = Callable[[str, str, dict[str, str], bytes], int | None]
STALL = -1  # a FailRule result: read the request, never answer (until the proxy stops)


@contextmanager
def proxy(upstream: str, fail: FailRule) -> Iterator[tuple[str, list[Seen]]]:
    """Forward every request to ``upstream`` unless ``fail`` returns a status for it."""
    up = urllib.parse.urlsplit(upstream)
    seen: list[Seen] = []
    lock = threading.Lock()
    stopped = threading.Event()

    class Handler(_Base):
        def _any(self) -> None:
            body = self._read_body()
            headers = dict(self.headers.items())
            with lock:
                seen.append(Seen(self.command, self.path, headers, body))
                status = fail(self.command, self.path, headers, body)
            if status == STALL:
                stopped.wait()
                return
            if status is not None:
                self._reply(status, b"injected failure", {"Content-Type": "text/plain"})
                return
            conn = http.client.HTTPConnection(up.hostname, up.port, timeout=60)
            try:
                fwd = {k: v for k, v in headers.items()
                       if k.lower() not in ("host", "connection", "keep-alive")}
                conn.request(self.command, self.path, body=body or None, headers=fwd)
                resp = conn.getresponse()
                data = resp.read()
                out = {k: v for k, v in resp.getheaders()
                       if k.lower() not in ("content-length", "connection", "keep-alive",
                                            "transfer-encoding")}
                self._reply(resp.status, data, out)
            finally:
                conn.close()

        do_GET = do_POST = do_PUT = do_DELETE = _any

    with _running(Handler) as url:
        try:
            yield url, seen
        finally:
            stopped.set()
