"""Trimming: drop the oldest turns of a conversation until it fits the model.

    >>> history = [{"role": "system", "content": "Be brief."},
    ...            {"role": "user", "content": "Tell me about Paris. " * 40},
    ...            {"role": "assistant", "content": "Paris is in France. " * 40},
    ...            {"role": "user", "content": "And Rome?"}]
    >>> fit = fit_messages(history, model="gpt-4o", max_prompt_tokens=60)
    >>> [m["role"] for m in fit.kept], len(fit.dropped)
    (['system', 'user'], 2)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..catalog import resolve_model
from ..chat import count_messages
from ..errors import ContextOverflowError, InvalidRequestError, UnsupportedModelError, token_count
from ..result import Result
from .limits import prompt_limit

Message = Mapping[str, Any]

_PINNED_ROLES = ("system", "developer")
_RESULT_ROLES = ("tool", "function")


@dataclass(frozen=True, kw_only=True)
class FitResult(Result):
    """What :func:`fit_messages` kept and dropped (each in the original order), and the kept count."""

    kept: tuple[Message, ...]
    dropped: tuple[Message, ...]
    prompt_tokens: int
    limit: int
    model: str


def fit_messages(
    messages: Sequence[Message],
    *,
    model: str,
    max_prompt_tokens: int | None = None,
    reserve_output: int = 0,
    tools: Sequence[Mapping[str, Any]] | None = None,
    tool_choice: Any = None,
) -> FitResult:
    """Drop the oldest turns of a conversation until it fits.

    The limit is the model's input limit, or the context window less
    ``reserve_output``, or ``max_prompt_tokens``, whichever is lowest. What
    is never dropped: system and developer messages, and the last user
    message. What is dropped together: a whole earlier turn (a user message
    and every reply up to the next user message); after the last user
    message, an assistant message with tool calls together with its tool
    results. So a tool call is never kept without its result, or the reverse.
    Messages after the last user message go only after every earlier turn.

    Raises :class:`~tokencmp.errors.ContextOverflowError` when even the
    messages that are never dropped do not fit.
    """
    given: object = messages  # a caller may pass anything: refuse text and non-sequences clearly
    if isinstance(given, (str, bytes)) or not isinstance(given, Sequence):
        raise InvalidRequestError("messages", f"expected a list of messages, not {type(messages).__name__}.")
    info = resolve_model(model)
    limit = prompt_limit(info, token_count(reserve_output, "reserve_output"))
    if max_prompt_tokens is not None:
        cap = token_count(max_prompt_tokens, "max_prompt_tokens")
        limit = cap if limit is None else min(limit, cap)
    if limit is None:
        raise UnsupportedModelError(
            f"The catalog has no input limit or context window for {info.name}; pass max_prompt_tokens."
        )
    messages = list(messages)
    # Counting the whole conversation first validates every message (InvalidRequestError with its
    # path), so the grouping below only ever reads well-formed messages.
    # Fit at the upper bound: an estimated count may be below what the API will count.
    whole = count_messages(messages, model=model, tools=tools, tool_choice=tool_choice).high
    units = _droppable_units(messages)

    def count_without(k: int) -> int:
        gone = {i for unit in units[:k] for i in unit}
        kept = [m for i, m in enumerate(messages) if i not in gone]
        return count_messages(kept, model=model, tools=tools, tool_choice=tool_choice).high

    # Dropping more never adds tokens, so the fewest units to drop is found by bisection.
    lo, hi = 0, len(units)
    if whole <= limit:
        hi = 0
    else:
        floor = count_without(hi)
        if floor > limit:
            raise ContextOverflowError(
                f"{info.name}: even the messages that are never dropped (system/developer and the last "
                f"user message) take {floor:,} prompt tokens, over the limit of {limit:,} by "
                f"{floor - limit:,}. Shorten them or use a model with a larger context.",
                prompt_tokens=floor, limit=limit,
            )
        while hi - lo > 1:
            mid = (lo + hi) // 2
            if count_without(mid) <= limit:
                hi = mid
            else:
                lo = mid
    gone = {i for unit in units[:hi] for i in unit}
    return FitResult(
        kept=tuple(m for i, m in enumerate(messages) if i not in gone),
        dropped=tuple(m for i, m in enumerate(messages) if i in gone),
        prompt_tokens=count_without(hi),
        limit=limit,
        model=info.name,
    )


def _droppable_units(messages: list[Message]) -> list[list[int]]:
    """Groups of message indexes that are dropped together, oldest first."""
    roles = []
    for i, m in enumerate(messages):
        if not isinstance(m, Mapping):
            raise InvalidRequestError(f"messages[{i}]", f"expected an object, not {type(m).__name__}.")
        roles.append(m.get("role"))
    last_user = max((i for i, r in enumerate(roles) if r == "user"), default=None)
    if last_user is None:
        raise InvalidRequestError("messages", "there is no user message to keep.")
    # Earlier turns: each user message with the replies that follow it.
    turns: list[list[int]] = []
    for i in range(last_user):
        if roles[i] in _PINNED_ROLES:
            continue
        if roles[i] == "user" or not turns:
            turns.append([])
        turns[-1].append(i)
    # The current turn: each assistant message with the tool results that answer it.
    current: list[list[int]] = []
    for i in range(last_user + 1, len(messages)):
        if roles[i] in _PINNED_ROLES:
            continue
        if roles[i] in _RESULT_ROLES and current and _answers(messages[current[-1][0]], messages[i]):
            current[-1].append(i)
        else:
            current.append([i])
    return turns + current


def _answers(call: Message, result: Message) -> bool:
    """Whether a tool/function result message belongs to an assistant message's calls."""
    if call.get("role") != "assistant":
        return False
    if result.get("role") == "function":
        return bool(call.get("function_call"))
    ids = {c.get("id") for c in call.get("tool_calls") or () if isinstance(c, Mapping)}
    return bool(ids) and result.get("tool_call_id") in ids | {None}
