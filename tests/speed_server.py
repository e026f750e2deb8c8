"""A scripted OpenAI-compatible streaming server on 127.0.0.1, for the speed tests.

Each request is answered by the next :class:`Reply` in the script (the last
one repeats): a status, headers, and body pieces each sent after a delay,
with chunked transfer encoding so every piece reaches the client as its own
write. ``abort=True`` drops the connection instead of ending the body.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/event-stream"})
    pieces: Sequence[tuple[float, bytes]] = ()  # (seconds to wait first, bytes to send)
    abort: bool = False


def chunk(content: str | None = None, *, role: str | None = None, finish: str | None = None,
          model: str = "gpt-4o-2024-08-06") -> dict[str, Any]:
    delta: dict[str, Any] = {}
    if role is not None:
        delta["role"] = role
    if content is not None:
        delta["content"] = content
    return {"id": "chatcmpl-test", "object": "chat.completion.chunk", "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], "usage": None}


def usage_chunk(prompt: int, completion: int) -> dict[str, Any]:
    return {"id": "chatcmpl-test", "object": "chat.completion.chunk", "model": "gpt-4o-2024-08-06",
            "choices": [], "usage": {"prompt_tokens": prompt, "completion_tokens": completion,
                                     "total_tokens": prompt + completion}}


def event(payload: dict[str, Any] | str) -> bytes:
    data = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    return f"data: {data}\n\n".encode()


def stream(contents: Iterable[tuple[float, str]], *, first_delay: float = 0.0,
           usage: tuple[int, int] | None = None, done: bool = True) -> Reply:
    """A normal completion: role chunk, content chunks after their delays, finish, usage, [DONE]."""
    pieces: list[tuple[float, bytes]] = [(0.0, event(chunk(role="assistant", content="")))]
    for i, (delay, text) in enumerate(contents):
        pieces.append(((first_delay if i == 0 else 0.0) + delay, event(chunk(text))))
    pieces.append((0.0, event(chunk(finish="stop"))))
    if usage is not None:
        pieces.append((0.0, event(usage_chunk(*usage))))
    if done:
        pieces.append((0.0, event("[DONE]")))
    return Reply(pieces=pieces)


def json_error(status: int, message: str, headers: dict[str, str] | None = None) -> Reply:
    body = json.dumps({"error": {"message": message, "type": "test", "code": None}}).encode()
    return Reply(status=status, headers={"Content-Type": "application/json", **(headers or {})},
                 pieces=[(0.0, body)])


class ScriptedServer:
    def __init__(self, *replies: Reply) -> None:
        self.replies = list(replies)
        self.requests: list[dict[str, Any]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # TCP_NODELAY: each chunk leaves when written, as timed

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                server.requests.append({"path": self.path, "headers": dict(self.headers),
                                        "json": json.loads(body or b"null"), "peer": self.client_address})
                reply = server.replies[min(len(server.requests), len(server.replies)) - 1]
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                self.wfile.flush()
                try:
                    for delay, data in reply.pieces:
                        if delay:
                            time.sleep(delay)
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                        self.wfile.flush()
                    if reply.abort:
                        self.close_connection = True
                        self.connection.shutdown(socket.SHUT_RDWR)
                        return
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                except OSError:  # the client went away (a timeout test)
                    self.close_connection = True

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.01,), daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
