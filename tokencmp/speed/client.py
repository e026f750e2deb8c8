"""Timed streaming requests to an OpenAI-compatible Chat Completions endpoint (needs ``tokencmp[speed]``).

    >>> from tokencmp.speed import Endpoint, SpeedClient
    >>> endpoint = Endpoint.from_env("http://127.0.0.1:8000/v1")   # doctest: +SKIP
    >>> with SpeedClient(endpoint) as client:                       # doctest: +SKIP
    ...     result = client.measure("gpt-4o", "Write a haiku about tokens.")

One request per call, and never a retry: a rate limit or a server error is
reported (with the server's ``Retry-After``) and the measurement stops, so a
speed test cannot turn into a retry storm. The API key comes from an
environment variable, is held as a ``SecretStr``, and is removed from any
server text quoted in an error.

httpx is imported when a client is created, not when this module is.
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from ..errors import MissingExtraError, SpeedTestError, TokencmpError
from .endpoint import DEFAULT_BASE_URL, Endpoint, Messages
from .measure import SpeedMeter
from .results import SpeedResult
from .sse import DONE, SSEDecoder, api_error_message, chunk_from_event

if TYPE_CHECKING:
    import httpx

__all__ = ["DEFAULT_BASE_URL", "Endpoint", "SpeedClient", "speed_test"]

_ERROR_BODY_LIMIT = 64 * 1024
"""The most bytes of an error response read to quote the server's message."""
# OpenAI's rate-limit headers, shown on a 429 that has no Retry-After.
_RESET_HEADERS = ("x-ratelimit-reset-requests", "x-ratelimit-reset-tokens")


def _import_httpx() -> Any:
    try:
        import httpx
    except ImportError:
        raise MissingExtraError("Measuring an endpoint's speed", "speed", "httpx") from None
    return httpx


class SpeedClient:
    """An HTTP client for timed streaming requests; reuses one connection across trials.

    Use as a context manager, or call :meth:`close`.
    """

    def __init__(
        self, endpoint: Endpoint | None = None, *, clock: Callable[[], float] = time.perf_counter
    ) -> None:
        http = _import_httpx()
        self.endpoint = endpoint or Endpoint.from_env()
        self._clock = clock
        self._http: httpx.Client = http.Client(timeout=http.Timeout(self.endpoint.timeout))

    def __enter__(self) -> SpeedClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def __repr__(self) -> str:
        return f"SpeedClient({self.endpoint.base_url!r})"

    def measure(
        self,
        model: str,
        prompt: str | Messages,
        *,
        max_tokens: int = 256,
        encoding: str | None = None,
    ) -> SpeedResult:
        """Send one streamed request and measure it. Raises :class:`SpeedTestError` on any failure.

        ``prompt`` is a user message, or a whole ``messages`` list. ``encoding``
        counts the response with a named encoding instead of the model's.
        """
        httpx = _import_httpx()
        messages = [{"role": "user", "content": prompt}] if isinstance(prompt, str) else prompt
        meter = SpeedMeter(model=model, encoding=encoding)  # resolve the encoding before timing
        headers = {"Accept": "text/event-stream"}
        if self.endpoint.api_key is not None:
            headers["Authorization"] = f"Bearer {self.endpoint.api_key.get_secret_value()}"
        body = self.endpoint.body(model, messages, max_tokens)
        try:
            meter.start = self._clock()
            with self._http.stream("POST", self.endpoint.url, json=body, headers=headers) as response:
                if response.status_code != 200:
                    raise self._status_error(response, model)
                self._check_content_type(response)
                return self._read(response, meter)
        except httpx.HTTPError as e:
            raise self._transport_error(e, meter) from None

    def _read(self, response: httpx.Response, meter: SpeedMeter) -> SpeedResult:
        decoder = SSEDecoder()
        pieces = response.iter_bytes()
        for data in pieces:
            now = self._clock()
            for event in decoder.feed(data):
                if self._take(event, meter, now):
                    result = meter.result(end=now)
                    self._drain(pieces)
                    return result
        now = self._clock()
        for event in decoder.close():
            if self._take(event, meter, now):
                return meter.result(end=now)
        raise SpeedTestError(
            f"the stream from {self.endpoint.url} ended without 'data: [DONE]' after "
            f"{meter.chunks} content chunks: the server stopped mid-response."
        )

    def _drain(self, pieces: Iterator[bytes]) -> None:
        """Read what follows ``[DONE]`` (normally nothing), so the connection can serve the next trial."""
        httpx = _import_httpx()
        try:
            for _ in pieces:
                pass
        except httpx.HTTPError:
            pass  # the measurement is complete; the next request opens a new connection

    def _take(self, event: Any, meter: SpeedMeter, now: float) -> bool:
        """Feed one event to the meter; True at ``[DONE]``."""
        try:
            chunk = chunk_from_event(event)
        except SpeedTestError as e:
            raise SpeedTestError(self._redact(f"{e} (after {meter.chunks} content chunks)")) from None
        if chunk is DONE:
            return True
        meter.add(chunk, at=now)
        return False

    def _check_content_type(self, response: httpx.Response) -> None:
        kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind in ("", "text/event-stream"):
            return
        if kind == "application/json":
            body = self._read_body(response)
            message = api_error_message(_json_or_none(body))
            if message:
                raise SpeedTestError(self._redact(f"{self.endpoint.url} answered with an error: {message}"))
            raise SpeedTestError(
                f"{self.endpoint.url} answered with one JSON response instead of a stream: "
                "the server ignored stream=true, so there is no time to first token to measure."
            )
        raise SpeedTestError(
            f"{self.endpoint.url} answered with {kind}, not an event stream: is --base-url the "
            "API's base (usually ending in /v1)?"
        )

    def _status_error(self, response: httpx.Response, model: str) -> SpeedTestError:
        status = response.status_code
        url = self.endpoint.url
        message = api_error_message(_json_or_none(self._read_body(response)))
        said = f" Server says: {message}" if message else ""
        if status == 401:
            env = self.endpoint.api_key_env or "the API key variable"
            if self.endpoint.api_key is None:
                hint = f"no API key was sent: ${env} is not set."
            else:
                hint = f"the API key in ${env} was rejected."
            text = f"401 Unauthorized from {url}: {hint}{said}"
        elif status == 403:
            text = f"403 Forbidden from {url}: the key may not use model {model!r}.{said}"
        elif status == 404:
            text = (
                f"404 Not Found from {url}: no model {model!r} there, or the URL is wrong "
                f"(--base-url usually ends in /v1).{said}"
            )
        elif status == 429:
            raw = response.headers.get("retry-after")
            retry_after = _retry_after(raw)
            if retry_after is not None:
                wait = f" Retry after {round(retry_after, 1):g} s (Retry-After: {raw})."
            elif raw:
                wait = f" Retry-After: {raw}."
            else:
                resets = [f"{h}: {response.headers[h]}" for h in _RESET_HEADERS if h in response.headers]
                wait = f" No Retry-After; {', '.join(resets)}." if resets else " No Retry-After given."
            text = f"429 Too Many Requests from {url}: rate limited or out of quota.{wait}{said}"
            return SpeedTestError(self._redact(text), status=status, retry_after=retry_after)
        elif status >= 500:
            text = f"{status} server error from {url}; try again later.{said}"
        else:
            text = f"{status} from {url}.{said}{_hint(message or '')}"
        return SpeedTestError(self._redact(text), status=status)

    def _transport_error(self, error: Exception, meter: SpeedMeter) -> SpeedTestError:
        httpx = _import_httpx()
        url, timeout = self.endpoint.url, self.endpoint.timeout
        if isinstance(error, httpx.ConnectTimeout):
            text = f"could not connect to {url} within {timeout:g} s (connect timeout)."
        elif isinstance(error, httpx.ConnectError):
            text = f"could not connect to {url}: {error or 'connection failed'}. Is the server running?"
        elif isinstance(error, httpx.ReadTimeout):
            text = (
                f"no data from {url} for {timeout:g} s (read timeout) after {meter.chunks} content "
                "chunks; raise --timeout for a slow server."
            )
        elif isinstance(error, (httpx.RemoteProtocolError, httpx.ReadError)):
            text = (
                f"the connection to {url} broke after {meter.chunks} content chunks: {error or 'closed'}."
            )
        elif isinstance(error, (httpx.UnsupportedProtocol, httpx.InvalidURL)):
            text = f"invalid URL {url!r}: {error}. --base-url needs http:// or https://."
        else:
            text = f"the request to {url} failed: {type(error).__name__}: {error}."
        return SpeedTestError(self._redact(text))

    def _read_body(self, response: httpx.Response) -> str:
        data = b""
        for piece in response.iter_bytes():
            data += piece
            if len(data) >= _ERROR_BODY_LIMIT:
                break
        return data.decode("utf-8", "replace")

    def _redact(self, text: str) -> str:
        key = self.endpoint.api_key.get_secret_value() if self.endpoint.api_key else ""
        return text.replace(key, "***") if key else text


def speed_test(
    model: str,
    prompt: str | Messages,
    *,
    trials: int = 3,
    endpoint: Endpoint | None = None,
    max_tokens: int = 256,
    encoding: str | None = None,
    on_trial: Callable[[int, SpeedResult], None] | None = None,
) -> list[SpeedResult]:
    """Run ``trials`` streamed requests one after another; see :func:`tokencmp.speed.summarize`.

    ``on_trial(number, result)`` is called after each (numbered from 1). The
    first failure raises :class:`SpeedTestError`; nothing is retried.
    """
    if trials < 1:
        raise TokencmpError(f"trials must be at least 1, not {trials}.")
    results = []
    with SpeedClient(endpoint) as client:
        for number in range(1, trials + 1):
            result = client.measure(model, prompt, max_tokens=max_tokens, encoding=encoding)
            results.append(result)
            if on_trial is not None:
                on_trial(number, result)
    return results


def _hint(message: str) -> str:
    """What to change when a server refuses one of the request's optional fields."""
    if "max_tokens" in message or "max_completion_tokens" in message:
        return " Try --max-tokens-param max_tokens or max_completion_tokens."
    if "stream_options" in message:
        return " Try --no-usage (the server does not take stream_options)."
    return ""


def _json_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # not JSON, or nested too deeply to read
        return None


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: a number of seconds, or an HTTP date."""
    if not value:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)
