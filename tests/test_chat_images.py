"""Image parts inside whole chat requests: counted, located by JSON path, labelled when estimated.

Image token figures are OpenAI's worked examples for gpt-4o (the images and vision guide,
guides/images-vision, as mirrored in piercecohen1/openai-docs at commit 3e48887, 2026-02-26;
later versions dropped them): 1024x1024 at high = 765, 2048x4096 at high = 1105, 4096x8192 at low = 85. The
message formula is the cookbook's for gpt-4o: 3 tokens per message plus its role and content,
3 for the reply priming.
Text tokens come from the o200k_base encoding (shown equal to tiktoken's in test_encodings).
"""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys

import pytest
from PIL import Image

import tokencmp
from tests.helpers import ROOT
from tokencmp.errors import ImageSizeUnknownError, InvalidImageError, UnsupportedModelError

O200K = tokencmp.get_encoding("o200k_base")
REMOTE = "https://example.com/cat.png"


def tok(text: str) -> int:
    return len(O200K.encode_ordinary(text))


def png_url(width: int, height: int) -> str:
    out = io.BytesIO()
    Image.new("L", (width, height)).save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def image_message(url: str, detail: str | None = "high", text: str = "What is in this image?") -> dict:
    image: dict = {"url": url} if detail is None else {"url": url, "detail": detail}
    parts = [{"type": "text", "text": text}, {"type": "image_url", "image_url": image}]
    return {"role": "user", "content": parts}


def test_the_issue_request_counts_end_to_end_through_the_cli(tmp_path) -> None:
    system, question, answer = "You are a helpful assistant.", "What is in this image?", "A black square."
    body = {
        "model": "gpt-4o",
        "messages": [
            {"role": "system", "content": system},
            image_message(png_url(1024, 1024), text=question),
            {"role": "assistant", "content": answer},
        ],
        "temperature": 0.2,
        "max_tokens": 300,
        "top_p": 0.9,
        "frequency_penalty": 0.5,
        "presence_penalty": -0.5,
    }
    path = tmp_path / "request.json"
    path.write_text(json.dumps(body))
    proc = subprocess.run(
        [sys.executable, "-m", "tokencmp", "request", str(path), "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    # The cookbook: each message costs 3 plus the tokens of its role and content; 3 reply priming.
    expected = (
        (3 + tok("system") + tok(system))
        + (3 + tok("user") + tok(question) + 765)
        + (3 + tok("assistant") + tok(answer))
        + 3
    )
    assert out["total"] == expected
    assert out["output_tokens_max"] == 300
    assert [m["images"] for m in out["breakdown"]["messages"]] == [0, 765, 0]
    # The image count is OpenAI's own worked example; a list content costs the sum of its parts, as
    # recorded gpt-4o calls show (docs/chat.md, "Rules fitted to recorded calls"): exact
    assert out["exact"] is True and out["notes"] == []
    assert out["low"] == out["high"] == expected


def test_sizes_given_by_the_caller_count_remote_images_exactly_by_the_tile_rule() -> None:
    body = {"model": "gpt-4o", "messages": [image_message(REMOTE)]}
    count = tokencmp.count_request(body, image_sizes={REMOTE: (2048, 4096)})
    assert count.breakdown.messages[0].images == 1105
    count = tokencmp.count_request(body, image_sizes=lambda url: (1024, 1024) if url == REMOTE else None)
    assert count.breakdown.messages[0].images == 765


def test_low_detail_is_a_flat_85_whatever_the_size() -> None:
    body = {"model": "gpt-4o", "messages": [image_message(REMOTE, detail="low")]}
    count = tokencmp.count_request(body, image_sizes={REMOTE: (4096, 8192)})
    assert count.breakdown.messages[0].images == 85


def test_an_unknown_remote_size_counts_the_upper_bound_and_says_so() -> None:
    body = {"model": "gpt-4o", "messages": [image_message(REMOTE)]}
    count = tokencmp.count_request(body)
    # The largest high-detail image on gpt-4o after resizing (fit 2048 square, short side 768) is
    # 768x2048: ceil(768/512) * ceil(2048/512) = 2 * 4 = 8 tiles -> 85 + 170 * 8 = 1445.
    assert count.breakdown.messages[0].images == 1445
    assert not count.exact
    assert any(n.startswith("messages[0].content[1]: Size of") for n in count.notes)


def test_strict_images_fails_on_an_unknown_size_naming_the_part() -> None:
    body = {"model": "gpt-4o", "messages": [{"role": "system", "content": "x"}, image_message(REMOTE)]}
    with pytest.raises(ImageSizeUnknownError, match=r"^messages\[1\]\.content\[1\]: .*never fetches"):
        tokencmp.count_request(body, strict_images=True)


def test_a_broken_data_url_is_an_image_error_naming_the_part() -> None:
    body = {"model": "gpt-4o", "messages": [image_message("data:image/png;base64,AAAA")]}
    with pytest.raises(InvalidImageError, match=r"^messages\[0\]\.content\[1\]: "):
        tokencmp.count_request(body)


def test_a_model_without_vision_refuses_image_parts() -> None:
    body = {"model": "gpt-3.5-turbo", "messages": [image_message(png_url(8, 8))]}
    with pytest.raises(UnsupportedModelError, match=r"^messages\[0\]\.content\[1\]: "):
        tokencmp.count_request(body)


def test_responses_input_image_parts_are_counted_too() -> None:
    body = {
        "model": "gpt-4o",
        "input": [
            {
                "role": "user",
                "content": [{"type": "input_image", "image_url": png_url(1024, 1024), "detail": "high"}],
            }
        ],
    }
    count = tokencmp.count_request(body)
    assert count.breakdown.messages[0].images == 765


def test_cli_image_size_and_strict_images(tmp_path) -> None:
    path = tmp_path / "request.json"
    path.write_text(json.dumps({"model": "gpt-4o", "messages": [image_message(REMOTE, detail="high")]}))

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "tokencmp", "request", str(path), "--format", "json", *args],
            capture_output=True, text=True, cwd=ROOT, timeout=60,
        )

    sized = run("--image-size", f"{REMOTE}=2048x4096")
    assert sized.returncode == 0, sized.stderr
    assert json.loads(sized.stdout)["breakdown"]["messages"][0]["images"] == 1105
    strict = run("--strict-images")
    assert strict.returncode == 1 and strict.stderr.count("\n") == 1
    assert "messages[0].content[1]" in strict.stderr and "Traceback" not in strict.stderr
    bad = run("--image-size", "1024x768")
    assert bad.returncode == 2 and "URL=WIDTHxHEIGHT" in bad.stderr


def test_the_breakdown_details_each_image_part_and_the_cli_shows_it(tmp_path) -> None:
    cat, dog = "https://example.com/cat.png", "https://example.com/dog.png"
    message = image_message(cat)
    message["content"].append({"type": "image_url", "image_url": {"url": dog, "detail": "low"}})
    body = {"model": "gpt-4o", "messages": [{"role": "system", "content": "Be brief."}, message]}
    count = tokencmp.count_request(body, image_sizes={cat: (1024, 1024)})
    parts = count.breakdown.image_parts
    assert [(p.path, p.tokens, p.width, p.detail, p.exact) for p in parts] == [
        ("messages[1].content[1]", 765, 1024, "high", True),  # the guide's 1024x1024 example
        ("messages[1].content[2]", 85, None, "low", True),  # low on gpt-4o: 85 at any size
    ]
    assert count.breakdown.messages[1].images == 765 + 85
    path = tmp_path / "request.json"
    path.write_text(json.dumps(body))
    proc = subprocess.run(
        [sys.executable, "-m", "tokencmp", "request", str(path), "--image-size", f"{cat}=1024x1024"],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    row = next(i for i, line in enumerate(lines) if line.startswith("messages[1] "))
    # Each image part on its own row under its message: size (or "?") and detail (issue 16: short
    # enough for 80 columns; the path and method are in the JSON).
    assert lines[row + 1].split() == ["image", "1024x1024,", "high", "765"]
    assert lines[row + 2].split() == ["image", "size", "?,", "low", "85"]


def test_a_responses_image_given_by_file_id_is_counted_by_its_id() -> None:
    part = {"type": "input_image", "file_id": "file-abc123", "detail": "high"}
    body = {"model": "gpt-4o", "input": [{"role": "user", "content": [part]}]}
    # unknown size: gpt-4o's high-detail bound, 1445 (8 tiles, as above), an estimate
    unknown = tokencmp.count_request(body)
    assert unknown.breakdown.image_parts[0].tokens == 1445 and not unknown.exact
    # the size given under the file's id: the guide's 1024x1024 example, 765
    sized = tokencmp.count_request(body, image_sizes={"file-abc123": (1024, 1024)})
    assert sized.breakdown.image_parts[0].tokens == 765
    bare = {**body, "input": [{"role": "user", "content": [{"type": "input_image"}]}]}
    with pytest.raises(tokencmp.InvalidRequestError, match=r"^input\[0\]\.content\[0\]: .*or file_id"):
        tokencmp.count_request(bare)


def test_an_unknown_detail_is_refused_at_its_json_path() -> None:
    chat = {"model": "gpt-4o", "messages": [image_message(REMOTE, detail="medium")]}
    with pytest.raises(tokencmp.InvalidRequestError) as e:
        tokencmp.count_request(chat)
    assert e.value.path == "messages[0].content[1].image_url.detail" and "'medium'" in e.value.problem
    part = {"type": "input_image", "image_url": REMOTE, "detail": "medium"}
    responses = {"model": "gpt-4o", "input": [{"role": "user", "content": [part]}]}
    with pytest.raises(tokencmp.InvalidRequestError) as e:
        tokencmp.count_request(responses)
    assert e.value.path == "input[0].content[0].detail"
