"""Image input tokens for every vision model, offline.

Three steps, one module each:

- :mod:`.headers`: an image's size from its header bytes (bytes, a file, a
  ``data:`` URL); never a network fetch, never a pixel decoded.
- :mod:`.rules`: tokens from a size, by the model's tile or patch rule (the
  numbers are ``image_rules`` in the catalog).
- :mod:`.parts`: the tokens of one image part of a request, with a stated
  upper bound when the size is unknown.

    >>> import tokencmp
    >>> tokencmp.image_tokens(1024, 1024, model="gpt-4o", detail="high")
    765
"""

from __future__ import annotations

from .headers import image_size
from .parts import ImagePartCount, SizeLookup, image_part_tokens
from .rules import ImageEstimate, estimate_image, image_tokens, max_image_tokens

__all__ = [
    "ImageEstimate",
    "ImagePartCount",
    "SizeLookup",
    "estimate_image",
    "image_part_tokens",
    "image_size",
    "image_tokens",
    "max_image_tokens",
]
