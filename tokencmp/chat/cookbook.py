"""The OpenAI cookbook's tool formula, for flat schemas whose functions and properties all
have descriptions (openai/openai-cookbook ``examples/How_to_count_tokens_with_tiktoken.ipynb``,
section 7 "Counting tokens for chat completions API calls with tool calls").

Per function ``func_init`` + tokens of ``name:description``; per property
``prop_key`` + tokens of ``key:type:description`` (+ ``enum_init`` and, per
value, ``enum_item`` + its tokens); ``prop_init`` once per function with
properties; ``func_end`` once per request. One trailing period of each
description is dropped, as the cookbook does. The constants are the
catalog's ``cookbook_tools`` of each chat format.

The renderer no longer applies it: on the recorded API calls it fits it is
exact on none (off by -4 to +3), while the namespace rule (:mod:`.namespace`
and the formats' tool layouts) reproduces both its printed figures and the
calls (docs/chat.md, tool definitions). It stays as the published formula to
compare with.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..catalog import CookbookToolConstants
from .layout import TOOLS, Layout
from .request import FunctionDef

FLAT_TYPES = ("string", "number", "integer", "boolean")


def cookbook_applies(functions: Sequence[FunctionDef]) -> bool:
    """Whether the cookbook formula can count ``functions``: flat schemas, every description given."""
    for f in functions:
        if not isinstance(f.description, str) or not isinstance(f.parameters, dict):
            return False
        props = f.parameters.get("properties")
        if not isinstance(props, dict):
            return False
        for prop in props.values():
            if not (
                isinstance(prop, dict)
                and prop.get("type") in FLAT_TYPES
                and isinstance(prop.get("description"), str)
                and not {"anyOf", "items", "properties"} & prop.keys()
                and (
                    "enum" not in prop
                    or (isinstance(prop["enum"], list) and all(isinstance(v, str) for v in prop["enum"]))
                )
            ):
                return False
    return True


def layout_cookbook(functions: Sequence[FunctionDef], c: CookbookToolConstants, out: Layout) -> None:
    """The segments of ``functions`` by the cookbook's ``num_tokens_for_tools`` (``func_end`` is the
    tools' ``overhead``, the rest their ``definitions``).

    >>> from tokencmp.catalog import get_catalog
    >>> f = FunctionDef("f", "Do it.", {"properties": {"x": {"type": "string", "description": "X"}}}, "")
    >>> out = Layout()
    >>> layout_cookbook([f], get_catalog().chat_formats["chatml-gpt-4o"].cookbook_tools, out)
    >>> [piece for _, _, piece in out.segments]  # func_init, name:description, prop_init, ...
    [7, 'f:Do it', 3, 3, 'x:string:X', 12]
    """
    for f in functions:
        assert f.parameters is not None and f.description is not None  # cookbook_applies
        out.add(TOOLS, "definitions", c.func_init)
        out.add(TOOLS, "definitions", f"{f.name}:{f.description.removesuffix('.')}")
        props: dict[str, Any] = f.parameters["properties"]
        if props:
            out.add(TOOLS, "definitions", c.prop_init)
        for key, prop in props.items():
            out.add(TOOLS, "definitions", c.prop_key)
            if "enum" in prop:
                out.add(TOOLS, "definitions", c.enum_init)
                for value in prop["enum"]:
                    out.add(TOOLS, "definitions", c.enum_item)
                    out.add(TOOLS, "definitions", value)
            out.add(TOOLS, "definitions", f"{key}:{prop['type']}:{prop['description'].removesuffix('.')}")
    out.add(TOOLS, "overhead", c.func_end)
