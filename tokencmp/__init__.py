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

from typing import TYPE_CHECKING

from .lazy import exports

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # errors
    "TokencmpError": "errors",
    "UnknownModelError": "errors",
    "AssumedModelError": "errors",
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
    "TIER_NAMES": "catalog",
    "stale_facts": "catalog",
    # encodings
    "get_encoding": "encodings",
    "list_encodings": "encodings",
    "load_tokenizer": "encodings",
    # text
    "count_tokens": "text",
    "count_file": "text",
    "encoding_for_model": "text",
    "choose_encoding": "text",
    "normalization_form": "text.stream",
    # cutting and seeing tokens
    "truncate_text": "text.cut",
    "split_text": "text.cut",
    "Truncation": "text.cut",
    "Piece": "text.cut",
    "token_pieces": "text.view",
    "decode_tokens": "text.view",
    "TokenPiece": "text.view",
    "token_label": "text.view",
    "iter_token_pieces": "text.view",
    "decode_pieces": "text.view",
    "truncate_pieces": "text.cut",
    "split_pieces": "text.cut",
    "read_pieces": "text.stream",
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
    # files of requests
    "check_batch": "files",
    "check_finetune": "files",
    "cost_of_outputs": "files",
    "BatchReport": "files",
    "BatchModelReport": "files",
    "FileLimits": "files",
    "FineTuneReport": "files",
    "FineTuneFile": "files",
    "UsageReport": "files",
    "UsageRow": "files",
    "Distribution": "files",
    "LineProblem": "files",
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
    # guard
    "guard": "guards",
    "GuardedClient": "guards",
    "LedgerRecord": "guards",
    "LedgerSummary": "guards",
    "read_ledger": "guards",
    "summarize_ledger": "guards",
    # async
    "acount_tokens": "aio",
    "acount_file": "aio",
    "acount_request": "aio",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = exports(__name__, _EXPORTS, globals())


if TYPE_CHECKING:  # `name as name`: re-exported for type checkers (mypy's no implicit re-export)
    from .aio import acount_file as acount_file
    from .aio import acount_request as acount_request
    from .aio import acount_tokens as acount_tokens
    from .catalog import TIER_NAMES as TIER_NAMES
    from .catalog import TIERS as TIERS
    from .catalog import Catalog as Catalog
    from .catalog import ModelInfo as ModelInfo
    from .catalog import Prices as Prices
    from .catalog import get_catalog as get_catalog
    from .catalog import list_models as list_models
    from .catalog import load_catalog as load_catalog
    from .catalog import resolve_model as resolve_model
    from .catalog import stale_facts as stale_facts
    from .chat import Breakdown as Breakdown
    from .chat import MessageCount as MessageCount
    from .chat import RequestCount as RequestCount
    from .chat import ToolsCount as ToolsCount
    from .chat import count_messages as count_messages
    from .chat import count_request as count_request
    from .compare import Comparison as Comparison
    from .compare import CorpusReport as CorpusReport
    from .compare import LanguageResult as LanguageResult
    from .compare import ScriptCounts as ScriptCounts
    from .compare import compare_corpus as compare_corpus
    from .compare import compare_file as compare_file
    from .compare import compare_text as compare_text
    from .compare import offset_progress as offset_progress
    from .compare.corpus import read_corpus as read_corpus
    from .encodings import get_encoding as get_encoding
    from .encodings import list_encodings as list_encodings
    from .encodings import load_tokenizer as load_tokenizer
    from .errors import AssumedModelError as AssumedModelError
    from .errors import BudgetExceededError as BudgetExceededError
    from .errors import CatalogError as CatalogError
    from .errors import ContextOverflowError as ContextOverflowError
    from .errors import CorpusError as CorpusError
    from .errors import EncodingIntegrityError as EncodingIntegrityError
    from .errors import EncodingUnavailableError as EncodingUnavailableError
    from .errors import ImageSizeUnknownError as ImageSizeUnknownError
    from .errors import InvalidImageError as InvalidImageError
    from .errors import InvalidRequestError as InvalidRequestError
    from .errors import InvalidTextError as InvalidTextError
    from .errors import MissingExtraError as MissingExtraError
    from .errors import PriceUnknownError as PriceUnknownError
    from .errors import SpeedTestError as SpeedTestError
    from .errors import TokencmpError as TokencmpError
    from .errors import UnknownEncodingError as UnknownEncodingError
    from .errors import UnknownModelError as UnknownModelError
    from .errors import UnsupportedModelError as UnsupportedModelError
    from .errors import token_count as token_count
    from .files import BatchModelReport as BatchModelReport
    from .files import BatchReport as BatchReport
    from .files import Distribution as Distribution
    from .files import FileLimits as FileLimits
    from .files import FineTuneFile as FineTuneFile
    from .files import FineTuneReport as FineTuneReport
    from .files import LineProblem as LineProblem
    from .files import UsageReport as UsageReport
    from .files import UsageRow as UsageRow
    from .files import check_batch as check_batch
    from .files import check_finetune as check_finetune
    from .files import cost_of_outputs as cost_of_outputs
    from .guards import GuardedClient as GuardedClient
    from .guards import LedgerRecord as LedgerRecord
    from .guards import LedgerSummary as LedgerSummary
    from .guards import guard as guard
    from .guards import read_ledger as read_ledger
    from .guards import summarize_ledger as summarize_ledger
    from .images import ImageEstimate as ImageEstimate
    from .images import ImagePartCount as ImagePartCount
    from .images import estimate_image as estimate_image
    from .images import image_part_tokens as image_part_tokens
    from .images import image_size as image_size
    from .images import image_tokens as image_tokens
    from .images import max_image_tokens as max_image_tokens
    from .money import BudgetReport as BudgetReport
    from .money import CostEstimate as CostEstimate
    from .money import FitResult as FitResult
    from .money import ModelCost as ModelCost
    from .money import cheapest_fit as cheapest_fit
    from .money import check_budget as check_budget
    from .money import compare_models as compare_models
    from .money import cost_from_usage as cost_from_usage
    from .money import ensure_budget as ensure_budget
    from .money import estimate_cost as estimate_cost
    from .money import fit_messages as fit_messages
    from .money import prices_for as prices_for
    from .money import rank_models as rank_models
    from .money.usd import parse_usd as parse_usd
    from .speed import SpeedClient as SpeedClient
    from .speed import SpeedMeter as SpeedMeter
    from .speed import SpeedResult as SpeedResult
    from .speed import SpeedSummary as SpeedSummary
    from .speed import speed_test as speed_test
    from .text import choose_encoding as choose_encoding
    from .text import count_file as count_file
    from .text import count_tokens as count_tokens
    from .text import encoding_for_model as encoding_for_model
    from .text.cut import Piece as Piece
    from .text.cut import Truncation as Truncation
    from .text.cut import split_pieces as split_pieces
    from .text.cut import split_text as split_text
    from .text.cut import truncate_pieces as truncate_pieces
    from .text.cut import truncate_text as truncate_text
    from .text.stream import normalization_form as normalization_form
    from .text.stream import read_pieces as read_pieces
    from .text.view import TokenPiece as TokenPiece
    from .text.view import decode_pieces as decode_pieces
    from .text.view import decode_tokens as decode_tokens
    from .text.view import iter_token_pieces as iter_token_pieces
    from .text.view import token_label as token_label
    from .text.view import token_pieces as token_pieces
