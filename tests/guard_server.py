"""A loopback OpenAI-compatible server for the guard's tests: Chat Completions, Responses and
embeddings, JSON or SSE, with the usage it is told to report; it counts what it receives.

The shapes follow OpenAI's API reference (the chat completion object and its chunk object,
the response object and its streaming events, the embedding object). ``usage`` is what every
reply reports; ``status`` answers with an error instead; ``delay`` waits before answering
(a hung server, for the timeout and kill tests). Run as a script (``python -m
tests.guard_server``), it serves until killed and prints its base URL.
"""

from __future__ import annotations

import base64
import json
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that went away (a timeout, a stream closed early, a killed process)


@dataclass
class Behaviour:
    prompt: int = 8
    completion: int = 5
    cached: int = 0
    reasoning: int = 0
    service_tier: str | None = "default"
    status: int = 200
    delay: float = 0.0
    usage: bool = True  # False: replies carry no usage at all
    model: str | None = None  # the model the reply names; None: the request's
    cut: bool = False  # streams: the connection dropped after the first two events
    running_usage: bool = False  # streams: usage so far on every chunk, no usage-only chunk (vLLM's
    # continuous_usage_stats)


@dataclass
class GuardServer:
    behaviour: Behaviour = field(default_factory=Behaviour)
    received: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"null")
                with server._lock:
                    server.received.append({"path": self.path, "json": body})
                    n = len(server.received)
                b = server.behaviour
                if b.delay:
                    time.sleep(b.delay)
                if b.status != 200:
                    error = {"error": {"message": "test error", "type": "server_error", "code": None}}
                    self._send(b.status, "application/json", json.dumps(error).encode(), n)
                    return
                model = b.model or body["model"]
                if self.path.endswith("/embeddings"):
                    self._send(200, "application/json", json.dumps(embeddings(body, model, b)).encode(), n)
                elif self.path.endswith("/responses"):
                    if body.get("stream"):
                        self._sse(responses_events(model, b), n)
                    else:
                        self._send(200, "application/json", json.dumps(response(model, b)).encode(), n)
                elif body.get("stream"):
                    usage = bool((body.get("stream_options") or {}).get("include_usage"))
                    self._sse(chat_chunks(model, b, usage), n)
                else:
                    self._send(200, "application/json", json.dumps(completion(model, b)).encode(), n)

            def _send(self, status: int, kind: str, data: bytes, n: int) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.send_header("x-request-id", f"req_{n}")
                self.end_headers()
                self.wfile.write(data)

            def _sse(self, events: list[bytes], n: int) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.send_header("x-request-id", f"req_{n}")
                self.end_headers()
                try:
                    for data in events[:2] if server.behaviour.cut else events:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                    if server.behaviour.cut:
                        self.wfile.flush()
                        self.close_connection = True
                        self.connection.shutdown(socket.SHUT_RDWR)
                        return
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                except OSError:  # the client closed the stream early
                    self.close_connection = True

        self._httpd = _QuietServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._httpd.block_on_close = False
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.01,), daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def count(self, path: str = "") -> int:
        with self._lock:
            return sum(1 for r in self.received if r["path"].endswith(path))

    def __enter__(self) -> GuardServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def chat_usage(b: Behaviour) -> dict[str, Any] | None:
    if not b.usage:
        return None
    return {"prompt_tokens": b.prompt, "completion_tokens": b.completion,
            "total_tokens": b.prompt + b.completion,
            "prompt_tokens_details": {"cached_tokens": b.cached},
            "completion_tokens_details": {"reasoning_tokens": b.reasoning}}


def completion(model: str, b: Behaviour) -> dict[str, Any]:
    return {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": model,
            "service_tier": b.service_tier,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello"},
                         "finish_reason": "stop"}],
            "usage": chat_usage(b)}


def chat_chunks(model: str, b: Behaviour, include_usage: bool) -> list[bytes]:
    def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 0,
                               "model": model, "service_tier": b.service_tier,
                               "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
        if include_usage:
            out["usage"] = None
        return out

    chunks = [chunk({"role": "assistant", "content": ""}), chunk({"content": "Hel"}),
              chunk({"content": "lo"}), chunk({}, "stop")]
    if b.running_usage:
        for i, c in enumerate(chunks):  # completion tokens so far: 0, 1, ..., all of them on the last
            done = b.completion if i == len(chunks) - 1 else i
            c["usage"] = {"prompt_tokens": b.prompt, "completion_tokens": done,
                          "total_tokens": b.prompt + done}
        return [f"data: {json.dumps(c)}\n\n".encode() for c in chunks] + [b"data: [DONE]\n\n"]
    if include_usage and b.usage:
        chunks.append({"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 0, "model": model,
                       "service_tier": b.service_tier, "choices": [], "usage": chat_usage(b)})
    return [f"data: {json.dumps(c)}\n\n".encode() for c in chunks] + [b"data: [DONE]\n\n"]


def response(model: str, b: Behaviour, status: str = "completed") -> dict[str, Any]:
    usage = None if not b.usage else {
        "input_tokens": b.prompt, "output_tokens": b.completion, "total_tokens": b.prompt + b.completion,
        "input_tokens_details": {"cached_tokens": b.cached},
        "output_tokens_details": {"reasoning_tokens": b.reasoning}}
    return {"id": "resp_1", "object": "response", "created_at": 0, "model": model, "status": status,
            "service_tier": b.service_tier, "output": [
                {"type": "message", "id": "msg_1", "status": "completed", "role": "assistant",
                 "content": [{"type": "output_text", "text": "Hello", "annotations": []}]}],
            "usage": usage}


def responses_events(model: str, b: Behaviour) -> list[bytes]:
    events = [("response.created", {"type": "response.created", "sequence_number": 0,
                                    "response": {**response(model, b, "in_progress"), "usage": None}}),
              ("response.output_text.delta", {"type": "response.output_text.delta", "sequence_number": 1,
                                              "item_id": "msg_1", "output_index": 0, "content_index": 0,
                                              "delta": "Hello"}),
              ("response.completed", {"type": "response.completed", "sequence_number": 2,
                                      "response": response(model, b)})]
    return [f"event: {name}\ndata: {json.dumps(data)}\n\n".encode() for name, data in events]


def embeddings(body: dict[str, Any], model: str, b: Behaviour) -> dict[str, Any]:
    many = isinstance(body["input"], list) and not isinstance(body["input"][0], int)
    inputs = body["input"] if many else [0]
    vector = [0.5, -0.25]
    data = []
    for i, _ in enumerate(inputs):
        value: Any = vector
        if body.get("encoding_format") == "base64":
            value = base64.b64encode(struct.pack("<2f", *vector)).decode()
        data.append({"object": "embedding", "index": i, "embedding": value})
    return {"object": "list", "data": data, "model": model,
            "usage": {"prompt_tokens": b.prompt, "total_tokens": b.prompt} if b.usage else None}


if __name__ == "__main__":  # a server for another process: print its URL, serve until killed
    import sys

    with GuardServer(Behaviour(delay=float(sys.argv[1]) if len(sys.argv) > 1 else 0.0)) as s:
        print(s.base_url, flush=True)
        threading.Event().wait()
