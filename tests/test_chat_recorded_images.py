"""Image parts on patch models against recorded API calls (docs/chat.md, "Images in a request").

Each request is copied from a VCR cassette of pydantic/pydantic-ai (MIT), named with its
interaction and the date of the response; the image's size was read from the recorded image.
The rule: a request pays the image's patch product (patches x multiplier, rounded down, as
docs/images.md) and 2 tokens more per image part (the patch rule's ``part_tokens``).
"""

from __future__ import annotations

import pytest

import tokencmp

VEGETABLE = "https://example.invalid/vegetable.jpeg"  # 540x360 in the recording
FILE = "https://example.invalid/1.png"  # 400x301 (gstatic webp gallery3/1.png)
GET_FILE = [
    {
        "type": "function",
        "function": {
            "name": "get_file",
            "description": "",
            "parameters": {"additionalProperties": False, "properties": {}, "type": "object"},
        },
    }
]
ASKED = "Use the get_file tool now to retrieve a image file, then describe what you received."


def history(last: list[dict], result: str) -> list[dict]:
    return [
        {"role": "user", "content": ASKED},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": "call_1", "type": "function", "function": {"name": "get_file", "arguments": "{}"}}
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": result},
        {"role": "user", "content": last},
    ]


CASES = [
    # test_openai/test_image_url_input_force_download.yaml interaction1, 2025-10-07: 515
    (
        {
            "model": "gpt-4.1-nano",
            "messages": [
                {
                    "role": "user",
                    "content": [
                        {"type": "text", "text": "What is this vegetable?"},
                        {"type": "image_url", "image_url": {"url": VEGETABLE}},
                    ],
                }
            ],
        },
        {VEGETABLE: (540, 360)},
        515,
    ),
    # test_openai/test_image_url_input_force_download_response_api.yaml interaction1, 2025-10-07: 515
    (
        {
            "model": "gpt-4.1-nano",
            "input": [
                {
                    "role": "user",
                    "content": [
                        {"type": "input_text", "text": "What is this vegetable?"},
                        {"type": "input_image", "detail": "auto", "image_url": VEGETABLE},
                    ],
                }
            ],
        },
        {VEGETABLE: (540, 360)},
        515,
    ),
    # test_multimodal_tool_returns/test_multimodal_tool_return_matrix[direct-url-image-openai_chat].yaml
    # interaction1, 2026-02-09: 334
    (
        {
            "model": "gpt-5-mini",
            "tools": GET_FILE,
            "tool_choice": "auto",
            "messages": history(
                [
                    {"type": "text", "text": "This is file 6a18c6:"},
                    {"type": "image_url", "image_url": {"url": FILE}},
                ],
                "See file 6a18c6.",
            ),
        },
        {FILE: (400, 301)},
        334,
    ),
    # ...[tool_return_content-url-image-openai_chat].yaml interaction1, 2026-02-09: 317
    (
        {
            "model": "gpt-5-mini",
            "tools": GET_FILE,
            "tool_choice": "auto",
            "messages": history([{"type": "image_url", "image_url": {"url": FILE}}], "File attached"),
        },
        {FILE: (400, 301)},
        317,
    ),
]


@pytest.mark.parametrize(("body", "sizes", "observed"), CASES)
def test_an_image_part_on_a_patch_model_costs_its_product_and_two(
    body: dict, sizes: dict, observed: int
) -> None:
    c = tokencmp.count_request(body, image_sizes=sizes)
    assert c.total == observed
    assert c.low <= observed <= c.high and not c.exact  # an image at 'auto' stays an estimate
    (part,) = c.breakdown.image_parts
    # 540x360: 17 x 12 = 204 patches x 2.46 = 501.84 -> 501; 400x301: 13 x 10 = 130 x 1.2 = 156
    assert part.tokens == (501 if body["model"] == "gpt-4.1-nano" else 156)
    assert c.breakdown.images == part.tokens + 2


def test_a_tile_model_pays_nothing_more() -> None:
    # gpt-4o, a 540x360 image at 'high': not scaled, 2 x 1 tiles of 512 px: 85 + 170 x 2 = 425
    # (docs/images.md); the part adds nothing: recorded gpt-4o and gpt-4-vision calls with images
    # (pydantic-ai test_image_as_binary_content_input, openllmetry test_vision) are exact without it
    body = {
        "model": "gpt-4o",
        "messages": [
            {
                "role": "user",
                "content": [{"type": "image_url", "image_url": {"url": VEGETABLE, "detail": "high"}}],
            }
        ],
    }
    c = tokencmp.count_request(body, image_sizes={VEGETABLE: (540, 360)})
    assert c.breakdown.images == 425
