"""What is priced: a request body, a text, messages, a token count, or a request already counted.

One rule for :func:`tokencmp.estimate_cost`, :func:`tokencmp.rank_models` and the budget checks:

    >>> count_subject(1000, "gpt-4o").total, count_subject("hello world", "gpt-4o").total
    (1000, 9)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeGuard, runtime_checkable

from ..catalog import resolve_model
from ..errors import TokencmpError, token_count

if TYPE_CHECKING:
    from ..chat import RequestCount


@runtime_checkable
class _Counted(Protocol):
    total: int
    model: str


def output_cap(count: object) -> int | None:
    """The request's own cap on output tokens, of a count: ``output_tokens_max`` (a caller's own
    record of a count may still use the name of earlier releases, ``max_output_tokens``)."""
    cap = getattr(count, "output_tokens_max", None)
    return getattr(count, "max_output_tokens", None) if cap is None else cap


def is_request_count(value: object) -> TypeGuard[RequestCount]:
    """Whether ``value`` is a request already counted (a ``RequestCount``), not a request body.

    Anything with a ``total`` and a ``model`` that is not a mapping counts, so a
    caller's own record of a count works as well as :func:`tokencmp.count_request`'s.
    """
    return not isinstance(value, Mapping) and isinstance(value, _Counted)



@dataclass(frozen=True)
class PromptTokens:
    """A prompt already counted elsewhere: ``total`` tokens on ``model``, exact as given."""

    total: int
    model: str
    encoding: str
    exact: bool = True
    notes: tuple[str, ...] = ()

    @property
    def low(self) -> int:
        return self.total

    @property
    def high(self) -> int:
        return self.total


def count_subject(value: Any, model: str | None) -> RequestCount:
    """The count of what is priced: a whole number is a prompt of that many tokens, a string the
    text of one user message, a list the messages, a count is itself, anything else a request
    body (:func:`tokencmp.count_request`).

        >>> count_subject("hello world", "gpt-4o").total  # 2 tokens of text + the message format
        9
    """
    from ..chat import count_messages, count_request

    if is_request_count(value):
        return value
    if isinstance(value, int) and model is not None:
        info = resolve_model(model)
        return PromptTokens(token_count(value, "prompt tokens"), info.name, info.encoding)  # type: ignore[return-value]
    if isinstance(value, str):
        if model is None:
            raise TokencmpError("a text has no model of its own: pass model=.")
        return count_messages([{"role": "user", "content": value}], model=model)
    if isinstance(value, list):
        if model is None:
            raise TokencmpError("a list of messages has no model of its own: pass model=.")
        return count_messages(value, model=model)
    return count_request(value, model=model)
