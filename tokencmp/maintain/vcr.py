"""Read recorded OpenAI API calls out of VCR cassettes, keeping only the genuine, countable ones.

A VCR cassette (vcrpy, pytest-recording; YAML or JSON) holds ``interactions``, each a
``request`` (``uri``, ``headers``, ``body`` or pydantic-ai's ``parsed_body``) and the
``response`` (``status``, ``headers``, ``body.string`` or ``parsed_body``; a gzip-encoded
body is decoded). :func:`read_interaction` turns one into a :class:`Recording`, or raises
:class:`Rejected` with the reason. A recording is kept only when

* it is a 200 answer of ``api.openai.com`` to ``/v1/chat/completions``, ``/v1/responses``
  or ``/v1/responses/input_tokens``;
* it looks live: the response carries OpenAI's headers (``openai-organization``,
  ``openai-processing-ms``, ``openai-version`` ...: at least one ``openai-*`` header, and an
  ``x-request-id`` of the form ``req_...`` where there is one and the recorder did not blank
  it) and a real response id (``chatcmpl-`` and 20 or more letters and digits, ``resp_``
  and 32 or more hex digits; the ``input_tokens`` endpoint answers without one), not a
  hand-written ``chatcmpl-123``;
* the request body is as sent: where the request's ``content-length`` was recorded, the
  body has that length, as recorded or in one of the JSON layouts clients send (a
  cassette's serializer may parse or pretty-print the body; an edit changes the length);
* it depends on no state kept by the server (``previous_response_id``, ``conversation``,
  ``prompt`` templates, ``item_reference`` items, files by id);
* a stream reports its usage (``stream_options.include_usage`` on Chat, the
  ``response.completed`` event on Responses);
* every input can be counted offline: no files, audio or built-in tools (web search, file
  search, code interpreter, computer use, MCP ...), and every image's size is known
  (a ``data:`` URL's from its header, replaced by a placeholder URL to keep the fixture
  small, or given by the maintainer).

The usage kept is ``prompt_tokens`` (Chat) or ``input_tokens`` (Responses).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from ..errors import TokencmpError
from ..images import image_size

ENDPOINTS = {
    "/v1/chat/completions": "chat",
    "/v1/responses": "responses",
    "/v1/responses/input_tokens": "input_tokens",
}
CHAT_ID = re.compile(r"chatcmpl-[A-Za-z0-9]{20,}")
RESPONSE_ID = re.compile(r"resp_[0-9a-f]{32,}")
REQUEST_ID = re.compile(r"req_[0-9a-f]{16,}")
REDACTED = re.compile(r"XXX|REDACTED|FILTERED", re.IGNORECASE)
"""A header value a cassette's recorder blanked (crewAI writes ``X-REQUEST-ID-XXX``): no evidence."""
STATE_FIELDS = ("previous_response_id", "conversation", "prompt")
UNCOUNTABLE_PARTS = ("input_audio", "input_file", "file", "audio")
PLACEHOLDER = "https://placeholder.invalid/{digest}.{ext}"


class Rejected(Exception):
    """A recorded interaction that cannot go into a fixture, and why."""


@dataclass
class Recording:
    """One recorded call, as a fixture case needs it."""

    api: str
    model: str
    body: dict[str, Any]
    observed: int
    observed_field: str
    date: str | None
    content_length_checked: bool
    response_model: str | None = None
    image_sizes: dict[str, list[int]] = field(default_factory=dict)


def load_cassette(path: str | Path) -> list[dict[str, Any]]:
    """The interactions of a cassette file (YAML, or JSON for ``.json``); YAML needs pyyaml."""
    text = Path(path).read_text("utf-8")
    if str(path).endswith(".json"):
        data = json.loads(text)
    else:
        import yaml  # the maintainer extra: pip install -e '.[test]'

        data = yaml.safe_load(text)
    interactions = data.get("interactions") if isinstance(data, dict) else None
    if not isinstance(interactions, list):
        raise Rejected(f"{path}: no 'interactions' list; not a VCR cassette")
    return interactions


def headers_of(part: Mapping[str, Any]) -> dict[str, str]:
    """A request's or response's headers, lower-cased names, first value of each."""
    out = {}
    for name, value in (part.get("headers") or {}).items():
        if isinstance(value, list):
            value = value[0] if value else ""
        out[str(name).lower()] = str(value)
    return out


def read_interaction(
    interaction: Mapping[str, Any], *, image_sizes: Mapping[str, list[int]] | None = None
) -> Recording:
    """The recording of one interaction, or :class:`Rejected` naming the check it failed."""
    request, response = interaction.get("request") or {}, interaction.get("response") or {}
    api = _endpoint(str(request.get("uri", "")))
    status = (response.get("status") or {}).get("code")
    if status != 200:
        raise Rejected(f"status {status}, not 200")
    answer_headers = headers_of(response)
    _check_openai_headers(answer_headers)
    body, checked = _request_body(request)
    _check_no_state(body)
    _check_countable(body, api)
    answer = _response_body(response, answer_headers)
    final = _final_response(answer, api) if isinstance(answer, list) else answer
    if final is None:
        raise Rejected("a stream recorded without usage")
    _check_id(final, api)
    observed_field = "prompt_tokens" if api == "chat" else "input_tokens"
    usage = final if api == "input_tokens" else final.get("usage") or {}
    observed = usage.get(observed_field)
    if not isinstance(observed, int) or isinstance(observed, bool):
        raise Rejected(f"no usage.{observed_field} in the response")
    body, sizes = _sized_images(body, dict(image_sizes or {}))
    model = body.get("model")
    if not isinstance(model, str):
        raise Rejected("no model in the request")
    return Recording(
        api=api,
        model=model,
        body=body,
        observed=observed,
        observed_field=observed_field,
        date=_date(final, answer_headers),
        content_length_checked=checked,
        response_model=final.get("model") if isinstance(final.get("model"), str) else None,
        image_sizes=sizes,
    )


def _endpoint(uri: str) -> str:
    match = re.fullmatch(r"https://api\.openai\.com(/v1/[a-z_/]+?)/?(\?.*)?", uri)
    if match is None or match.group(1) not in ENDPOINTS:
        raise Rejected(f"not a call of api.openai.com's chat or responses endpoint: {uri[:80]}")
    return ENDPOINTS[match.group(1)]


def _check_openai_headers(headers: Mapping[str, str]) -> None:
    if not any(name.startswith("openai-") for name in headers):
        raise Rejected("no OpenAI response headers (openai-organization, openai-processing-ms ...)")
    request_id = headers.get("x-request-id")
    if request_id is not None and not REDACTED.search(request_id) and not REQUEST_ID.fullmatch(request_id):
        raise Rejected(f"x-request-id {request_id!r} is not one of OpenAI's")


def _request_body(request: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """The body and whether its length was checked against the recorded content-length."""
    length = headers_of(request).get("content-length")
    if "parsed_body" in request:
        body = request["parsed_body"]
        layouts = _layouts(body)
    else:
        raw = request.get("body")
        if isinstance(raw, Mapping) and "string" in raw:
            raw = raw["string"]
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        if not isinstance(raw, bytes):
            raise Rejected("no request body")
        try:
            body = json.loads(raw)
        except ValueError as e:
            raise Rejected(f"the request body is not JSON: {e}") from e
        # as recorded, or re-laid out by the cassette's serializer (some pretty-print bodies)
        layouts = [raw, *_layouts(body)]
    if not isinstance(body, dict):
        raise Rejected("the request body is not a JSON object")
    if length is None:
        return body, False
    if not any(str(len(layout)) == length.strip() for layout in layouts):
        raise Rejected(
            f"the body's length is not the recorded content-length {length}: edited after recording"
        )
    return body, True


def _layouts(body: Any) -> list[bytes]:
    """``body`` in the JSON layouts clients send: compact or spaced, escaped or UTF-8."""
    return [
        json.dumps(body, separators=separators, ensure_ascii=ascii_only).encode("utf-8")
        for separators in ((",", ":"), (", ", ": "))
        for ascii_only in (False, True)
    ]


def _check_no_state(body: Mapping[str, Any]) -> None:
    for name in STATE_FIELDS:
        if body.get(name) not in (None, ""):
            raise Rejected(f"depends on server-side state: {name}")
    for item in _items(body):
        if item.get("type") == "item_reference":
            raise Rejected("depends on server-side state: an item_reference")
        for part in _parts(item):
            if part.get("file_id") or (
                part.get("type") in ("image_url", "input_image") and not _image_url(part)
            ):
                raise Rejected("depends on server-side state: a file by id")


def _check_countable(body: Mapping[str, Any], api: str) -> None:
    if "audio" in (body.get("modalities") or []) or body.get("audio"):
        raise Rejected("audio cannot be counted locally")
    for tool in body.get("tools") or []:
        if not isinstance(tool, dict) or tool.get("type") != "function":
            kind = tool.get("type") if isinstance(tool, dict) else tool
            raise Rejected(f"a built-in tool ({kind}) cannot be counted locally")
    for item in _items(body):
        for part in _parts(item):
            if part.get("type") in UNCOUNTABLE_PARTS:
                raise Rejected(f"a {part.get('type')} input cannot be counted locally")


def _items(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    items = body.get("messages", body.get("input"))
    return [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []


def _parts(item: Mapping[str, Any]) -> list[dict[str, Any]]:
    content = item.get("content")
    if not isinstance(content, list) and item.get("type") == "function_call_output":
        content = item.get("output")
    return [p for p in content if isinstance(p, dict)] if isinstance(content, list) else []


def _image_url(part: Mapping[str, Any]) -> str | None:
    url = part.get("image_url")
    if isinstance(url, dict):
        url = url.get("url")
    return url if isinstance(url, str) and url else None


def _response_body(
    response: Mapping[str, Any], headers: Mapping[str, str]
) -> dict[str, Any] | list[dict[str, Any]]:
    """The response as JSON, or the list of a stream's JSON events."""
    if "parsed_body" in response:
        parsed = response["parsed_body"]
        if isinstance(parsed, dict):
            return parsed
        raw: Any = parsed
    else:
        raw = response.get("body")
        if isinstance(raw, Mapping):
            encoded = raw.get("base64_string")
            raw = base64.b64decode(encoded) if isinstance(encoded, str) else raw.get("string")
    if isinstance(raw, bytes):
        if raw[:2] == b"\x1f\x8b" or headers.get("content-encoding") == "gzip":
            raw = gzip.decompress(raw)
        raw = raw.decode("utf-8")
    if not isinstance(raw, str):
        raise Rejected("no response body")
    text = raw.strip()
    if text.startswith("{"):
        try:
            parsed = json.loads(text)
        except ValueError as e:
            raise Rejected(f"the response body is not JSON: {e}") from e
        if isinstance(parsed, dict):
            return parsed
    events = []
    for line in text.splitlines():
        if line.startswith("data:") and line[5:].strip() not in ("", "[DONE]"):
            try:
                events.append(json.loads(line[5:]))
            except ValueError as e:
                raise Rejected(f"a stream event is not JSON: {e}") from e
    if not events:
        raise Rejected("the response is neither JSON nor a stream of JSON events")
    return [e for e in events if isinstance(e, dict)]


def _final_response(events: list[dict[str, Any]], api: str) -> dict[str, Any] | None:
    """The part of a stream that carries the usage (with the id), or None."""
    for event in reversed(events):
        if api == "chat" and isinstance(event.get("usage"), dict):
            chunk: dict[str, Any] = event
            return chunk
        if (
            api != "chat"
            and event.get("type") == "response.completed"
            and isinstance(event.get("response"), dict)
        ):
            final: dict[str, Any] = event["response"]
            return final if isinstance(final.get("usage"), dict) else None
    return None


def _check_id(answer: Mapping[str, Any], api: str) -> None:
    if api == "input_tokens":
        if answer.get("object") != "response.input_tokens":
            raise Rejected("not a response.input_tokens object")
        return
    pattern = CHAT_ID if api == "chat" else RESPONSE_ID
    given = answer.get("id")
    if not isinstance(given, str) or not pattern.fullmatch(given):
        raise Rejected(f"response id {given!r} is not a real one (made up for a test?)")


def _date(answer: Mapping[str, Any], headers: Mapping[str, str]) -> str | None:
    created = answer.get("created", answer.get("created_at"))
    if isinstance(created, (int, float)) and not isinstance(created, bool):
        return datetime.fromtimestamp(created, tz=timezone.utc).date().isoformat()
    if "date" in headers:
        try:
            return parsedate_to_datetime(headers["date"]).astimezone(timezone.utc).date().isoformat()
        except (TypeError, ValueError):
            return None
    return None


def _sized_images(
    body: dict[str, Any], sizes: dict[str, list[int]]
) -> tuple[dict[str, Any], dict[str, list[int]]]:
    """The body with each ``data:`` image URL replaced by a placeholder, and every image's size."""
    found: dict[str, list[int]] = {}

    def visit(value: Any) -> Any:
        if isinstance(value, dict):
            if value.get("type") in ("image_url", "input_image"):
                url = _image_url(value)
                if url is not None:
                    new = _sized(url, sizes, found)
                    if isinstance(value.get("image_url"), dict):
                        return {**value, "image_url": {**value["image_url"], "url": new}}
                    return {**value, "image_url": new}
            return {k: visit(v) for k, v in value.items()}
        if isinstance(value, list):
            return [visit(v) for v in value]
        return value

    return visit(body), found


def _sized(url: str, sizes: Mapping[str, list[int]], found: dict[str, list[int]]) -> str:
    if url in sizes:
        found[url] = list(sizes[url])
        return url
    if not url.startswith("data:"):
        raise Rejected(f"the size of the image at {url[:80]} is not known; give it with --image-size URL=WxH")
    try:
        width, height = image_size(url)
    except TokencmpError as e:
        raise Rejected(f"an image's size cannot be read from its data: URL: {e}") from e
    ext = url[5:].split(";", 1)[0].split("/")[-1] or "img"
    placeholder = PLACEHOLDER.format(digest=hashlib.sha256(url.encode("utf-8")).hexdigest()[:16], ext=ext)
    found[placeholder] = [width, height]
    return placeholder
