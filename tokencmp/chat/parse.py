"""The one way in: any request body, read into the one normalised request.

A body with ``messages`` is a Chat Completions body (:mod:`.completions`); one
with ``input`` or ``instructions`` and no ``messages`` a Responses body
(:mod:`.responses`). Both arrive as plain dicts, the OpenAI SDK's TypedDicts,
or SDK pydantic objects (anything with ``model_dump()``; the ``openai``
package is never imported), which are dumped to plain data first::

    >>> req = parse_request({"model": "gpt-4o", "input": "hello"})
    >>> req.api, req.messages[0].role
    ('responses', 'user')
"""

from __future__ import annotations

from typing import Any

from ..errors import InvalidRequestError
from .completions import parse_chat
from .jsonpath import SCALARS, kind, plain
from .request import ChatRequest
from .responses import parse_responses


def parse_request(request: Any) -> ChatRequest:
    """A Chat Completions or Responses body, validated and read into a :class:`ChatRequest`."""
    if _plain_but_messages(request):  # the common shape: skip copying the body
        body: Any = request
        plain_body = False
    else:
        body = plain(request)
        plain_body = True
    if not isinstance(body, dict):
        raise InvalidRequestError("", f"the request body must be a JSON object, not {kind(body)}")
    if "messages" not in body and ("input" in body or "instructions" in body):
        return parse_responses(body)  # without messages, a body that passed the check is all plain
    return parse_chat(body, plain_body=plain_body)


def _plain_but_messages(body: Any) -> bool:
    """Whether ``body`` is a dict of JSON scalars but for a ``messages`` list (whose
    messages the Chat parser then checks one by one). Exact types only: a subclass may
    carry a ``model_dump``."""
    if type(body) is not dict:
        return False
    for key, value in body.items():
        if type(value) not in SCALARS and (key != "messages" or type(value) is not list):
            return False
    return True
