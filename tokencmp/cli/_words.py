"""Library messages in the words of the command line: options of the command at hand, not Python.

The library's errors and notes are written for Python callers (``errors='replace'``,
``reserve_output``, ``tokencmp.fit_messages``). Before a command prints one, each Python
name becomes the command's own option, or the suggestion is left out when the command has
no such option, so every option a message suggests is one the command takes::

    >>> speak("pass errors='replace' (--errors replace) to count U+FFFD", {"--errors"})
    'pass --errors replace to count U+FFFD'
    >>> speak("Convert the file to UTF-8, or pass errors='replace' (--errors replace) to count "
    ...       "U+FFFD in its place.", {"--model"})
    'Convert the file to UTF-8.'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection

Rule = tuple[re.Pattern[str], Callable[[Collection[str]], str]]


def _either(option: str, present: str, absent: str = "") -> Callable[[Collection[str]], str]:
    return lambda options: present if option in options else absent


RULES: list[Rule] = [
    (re.compile(r", or pass errors='replace' \(--errors replace\) to count U\+FFFD in its place"),
     _either("--errors", ", or pass --errors replace to count U+FFFD in its place")),
    (re.compile(r"errors='replace' \(--errors replace\)"), _either("--errors", "--errors replace", "")),
    (re.compile(r"\(image_sizes=\{url: \(width, height\)\} in Python, --image-size URL=WxH on the command "
                r"line\)"),
     _either("--image-size", "(--image-size URL=WxH)", "('tokencmp request --image-size URL=WxH')")),
    (re.compile(r" ?\(image_sizes=, --image-size\)"),
     _either("--image-size", " (--image-size URL=WxH)", " ('tokencmp request --image-size URL=WxH')")),
    (re.compile(r"Pass its size \(sizes= or width/height\) or use a data URL\."),
     _either("--image-size", "Give its size with --image-size URL=WxH, or use a data URL.",
             "Give its size instead (such as 1920x1080), or use a data URL.")),
    (re.compile(r"Pass reference= one of those \(--reference\), or None\."),
     _either("--reference", "Give --reference one of those.")),
    (re.compile(r" ?\(tokencmp\.fit_messages drops the oldest turns\)"), lambda options: ""),
    (re.compile(r"lower the reserved output"),
     _either("--reserve-output", "lower --reserve-output", "lower the request's max tokens")),
    (re.compile(r"\(max tokens, reserve_output\)"),
     _either("--reserve-output", "(the request's max tokens, --reserve-output or --output-tokens)",
             "(the request's max tokens, or --output-tokens)")),
    (re.compile(r"pass reserve_output or set max tokens in the request"),
     _either("--reserve-output", "pass --reserve-output or set max tokens in the request",
             "set max tokens in the request")),
    (re.compile(r"use tier='standard'"), _either("--tier", "use --tier standard", "use the standard tier")),
    (re.compile(r"(Add|add) (it|the price|one) with tokencmp\.load_catalog\(\) or TOKENCMP_CATALOG"),
     lambda options: r"\1 it with a TOKENCMP_CATALOG file (docs/catalog.md)"),
    (re.compile(r"(, or )?(add|Add) the price with tokencmp\.load_catalog\(\)"),
     lambda options: ", or add the price with a TOKENCMP_CATALOG file (docs/catalog.md)"),
    (re.compile(r"\b(model|encoding|tier|output_tokens|cached_tokens|max_cost)=(?=[,) ])"),
     lambda options: ""),  # replaced below, with the match
]


def speak(message: str, options: Collection[str]) -> str:
    """``message`` with Python names turned into the command's ``options`` (``--model``, ...)."""
    for pattern, replace in RULES[:-1]:
        message = pattern.sub(lambda m, r=replace: m.expand(r(options)), message)  # type: ignore[misc]

    def argument(m: re.Match[str]) -> str:
        option = "--" + m[1].replace("_", "-")
        return option if option in options else m[0]

    return RULES[-1][0].sub(argument, message)


def options_of(args: object) -> Collection[str]:
    """The option strings of the command ``args`` were parsed for (:func:`tokencmp.cli.build_parser`)."""
    return getattr(args, "_options", ()) or ()
