"""tokencmp: exact token counts, fits and costs for OpenAI-style models, before you send.

    >>> import tokencmp
    >>> tokencmp.count_tokens("hello world", model="gpt-4o")
    2
    >>> tokencmp.resolve_model("azure/gpt-35-turbo").encoding
    'cl100k_base'

Everything public is listed in ``__all__`` and imported on first use, so
``import tokencmp`` stays cheap for command-line use.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # errors
    "TokencmpError": "errors",
    "UnknownModelError": "errors",
    "UnknownEncodingError": "errors",
    "EncodingUnavailableError": "errors",
    "EncodingIntegrityError": "errors",
    "InvalidTextError": "errors",
    "CatalogError": "errors",
    "CorpusError": "errors",
    "InvalidRequestError": "errors",
    "UnsupportedModelError": "errors",
    "InvalidImageError": "errors",
    "ImageSizeUnknownError": "errors",
    "PriceUnknownError": "errors",
    "ContextOverflowError": "errors",
    "BudgetExceededError": "errors",
    "MissingExtraError": "errors",
    "SpeedTestError": "errors",
    "token_count": "errors",
    # catalog
    "ModelInfo": "catalog",
    "Prices": "catalog",
    "Catalog": "catalog",
    "resolve_model": "catalog",
    "load_catalog": "catalog",
    "get_catalog": "catalog",
    "list_models": "catalog",
    "TIERS": "catalog",
    # encodings
    "get_encoding": "encodings",
    "list_encodings": "encodings",
    # text
    "count_tokens": "text",
    "count_file": "text",
    "encoding_for_model": "text",
    "choose_encoding": "text",
    "normalization_form": "text.stream",
    # chat
    "count_request": "chat",
    "count_messages": "chat",
    "RequestCount": "chat",
    "MessageCount": "chat",
    "ToolsCount": "chat",
    "Breakdown": "chat",
    # images
    "image_tokens": "images",
    "estimate_image": "images",
    "max_image_tokens": "images",
    "image_size": "images",
    "image_part_tokens": "images",
    "ImageEstimate": "images",
    "ImagePartCount": "images",
    # cost
    "CostEstimate": "money",
    "estimate_cost": "money",
    "cost_from_usage": "money",
    "prices_for": "money",
    "parse_usd": "money.usd",
    # budget
    "BudgetReport": "money",
    "ModelCost": "money",
    "FitResult": "money",
    "check_budget": "money",
    "ensure_budget": "money",
    "rank_models": "money",
    "compare_models": "money",
    "cheapest_fit": "money",
    "fit_messages": "money",
    # compare
    "compare_text": "compare",
    "compare_file": "compare",
    "compare_corpus": "compare",
    "Comparison": "compare",
    "ScriptCounts": "compare",
    "CorpusReport": "compare",
    "LanguageResult": "compare",
    "offset_progress": "compare",
    # corpus
    "read_corpus": "compare.corpus",
    # speed
    "SpeedClient": "speed",
    "SpeedMeter": "speed",
    "SpeedResult": "speed",
    "SpeedSummary": "speed",
    "speed_test": "speed",
    # async
    "acount_tokens": "aio",
    "acount_file": "aio",
    "acount_request": "aio",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'tokencmp' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])


if TYPE_CHECKING:
    from .aio import acount_file, acount_request, acount_tokens
    from .catalog import (
        TIERS,
        Catalog,
        ModelInfo,
        Prices,
        get_catalog,
        list_models,
        load_catalog,
        resolve_model,
    )
    from .chat import Breakdown, MessageCount, RequestCount, ToolsCount, count_messages, count_request
    from .compare import (
        Comparison,
        CorpusReport,
        LanguageResult,
        ScriptCounts,
        compare_corpus,
        compare_file,
        compare_text,
        offset_progress,
    )
    from .compare.corpus import read_corpus
    from .encodings import get_encoding, list_encodings
    from .errors import (
        BudgetExceededError,
        CatalogError,
        ContextOverflowError,
        CorpusError,
        EncodingIntegrityError,
        EncodingUnavailableError,
        ImageSizeUnknownError,
        InvalidImageError,
        InvalidRequestError,
        InvalidTextError,
        MissingExtraError,
        PriceUnknownError,
        SpeedTestError,
        TokencmpError,
        UnknownEncodingError,
        UnknownModelError,
        UnsupportedModelError,
        token_count,
    )
    from .images import (
        ImageEstimate,
        ImagePartCount,
        estimate_image,
        image_part_tokens,
        image_size,
        image_tokens,
        max_image_tokens,
    )
    from .money import (
        BudgetReport,
        CostEstimate,
        FitResult,
        ModelCost,
        cheapest_fit,
        check_budget,
        compare_models,
        cost_from_usage,
        ensure_budget,
        estimate_cost,
        fit_messages,
        prices_for,
        rank_models,
    )
    from .money.usd import parse_usd
    from .speed import SpeedClient, SpeedMeter, SpeedResult, SpeedSummary, speed_test
    from .text import choose_encoding, count_file, count_tokens, encoding_for_model
    from .text.stream import normalization_form
