"""The categories of a recorded call: what kinds of request content it exercises.

    >>> categorise("chat", {"messages": [{"role": "user", "content": "hi"}]})
    ['messages_only']
    >>> categorise("responses", {"input": "hi", "tools": [{"type": "function", "name": "f"}],
    ...                          "tool_choice": "required"})
    ['responses_api', 'tool_definitions', 'tool_choice']

A call is in every category it shows; ``messages_only`` is a call with nothing else (a
Responses call is also ``responses_api``). ``tool_choice`` is a choice other than the
default ``auto``; ``tool_call_history`` is an assistant's tool or function call, or its
result, among the messages (or the Responses items ``function_call`` /
``function_call_output``).
"""

from __future__ import annotations

from typing import Any

HISTORY_ITEMS = ("function_call", "function_call_output", "custom_tool_call", "custom_tool_call_output")
IMAGE_PARTS = ("image_url", "input_image")


def categorise(api: str, body: dict[str, Any]) -> list[str]:
    """The categories of a request ``body`` sent to ``api`` (``chat``, ``responses`` or ``input_tokens``)."""
    responses = api != "chat"
    items = body.get("input") if responses else body.get("messages")
    items = [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
    history = any(
        i.get("tool_calls")
        or i.get("function_call")
        or i.get("role") in ("tool", "function")
        or i.get("type") in HISTORY_ITEMS
        for i in items
    )
    images = any(
        isinstance(p, dict) and p.get("type") in IMAGE_PARTS
        for i in items
        if isinstance(i.get("content"), list)
        for p in i["content"]
    )
    choice = body.get("tool_choice", body.get("function_call"))
    fmt = (body.get("text") or {}).get("format") if responses else body.get("response_format")
    fmt_type = fmt.get("type") if isinstance(fmt, dict) else None
    shown = {
        "responses_api": responses,
        "tool_definitions": bool(body.get("tools")),
        "legacy_functions": bool(body.get("functions")),
        "tool_call_history": history,
        "tool_choice": choice is not None and choice != "auto",
        "images": images,
        "reasoning_items": any(i.get("type") == "reasoning" for i in items),
        "structured_output_json_schema": fmt_type == "json_schema",
        "json_object": fmt_type == "json_object",
    }
    categories = [name for name, present in shown.items() if present]
    if categories in ([], ["responses_api"]):
        categories.append("messages_only")
    return categories
