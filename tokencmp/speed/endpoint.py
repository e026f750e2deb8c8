"""Where and how the speed client sends its requests: :class:`Endpoint`.

    >>> endpoint = Endpoint(base_url="http://localhost:8000/v1")
    >>> endpoint.url
    'http://localhost:8000/v1/chat/completions'
    >>> sorted(endpoint.body("llama3", [{"role": "user", "content": "hi"}], 16))
    ['max_tokens', 'messages', 'model', 'stream', 'stream_options']
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, SecretStr

DEFAULT_BASE_URL = "https://api.openai.com/v1"
DEFAULT_API_KEY_ENV = "OPENAI_API_KEY"

MaxTokensParam = Literal["auto", "max_tokens", "max_completion_tokens"]
Messages = Sequence[Mapping[str, Any]]


class Endpoint(BaseModel):
    """Where and how to send the requests.

    ``max_tokens_param``: OpenAI's newer models take ``max_completion_tokens``
    and refuse ``max_tokens``, while many self-hosted servers know only
    ``max_tokens``; ``auto`` sends the first to api.openai.com and the second
    elsewhere. ``include_usage`` asks for the usage chunk
    (``stream_options={"include_usage": true}``); turn it off for a server
    that rejects ``stream_options``.

    A pydantic model, unlike tokencmp's results (frozen dataclasses): it holds
    settings that come from the user (a command line, the environment), so it
    validates them (a positive ``timeout``, a known ``max_tokens_param``) and
    keeps the API key as a ``SecretStr``, which no repr or error shows.
    """

    model_config = ConfigDict(frozen=True)

    base_url: str = DEFAULT_BASE_URL
    api_key: SecretStr | None = None
    api_key_env: str | None = Field(None, description="the variable the key was read from, for messages")
    timeout: float = Field(60.0, gt=0, description="seconds to connect, and the longest wait for data")
    max_tokens_param: MaxTokensParam = "auto"
    include_usage: bool = True

    @classmethod
    def from_env(
        cls, base_url: str | None = None, *, api_key_env: str = DEFAULT_API_KEY_ENV, **options: Any
    ) -> Endpoint:
        """An endpoint whose key is read from ``api_key_env`` (none if unset: fine for local servers).

        ``base_url`` defaults to ``$OPENAI_BASE_URL``, else OpenAI's. Reads the
        environment; never changes it.
        """
        key = os.environ.get(api_key_env) or None
        url = base_url or os.environ.get("OPENAI_BASE_URL") or DEFAULT_BASE_URL
        return cls(base_url=url, api_key=key, api_key_env=api_key_env, **options)

    @property
    def url(self) -> str:
        """The Chat Completions URL: ``base_url`` + ``/chat/completions``."""
        return self.base_url.rstrip("/") + "/chat/completions"

    def body(self, model: str, messages: Messages, max_tokens: int) -> dict[str, Any]:
        """The JSON request body for one streamed completion."""
        param = self.max_tokens_param
        if param == "auto":
            host = urlsplit(self.base_url).hostname or ""
            param = "max_completion_tokens" if host == "api.openai.com" else "max_tokens"
        body: dict[str, Any] = {"model": model, "messages": list(messages), "stream": True, param: max_tokens}
        if self.include_usage:
            body["stream_options"] = {"include_usage": True}
        return body
