"""Image sizes from headers: real files of every supported format, and hostile input.

The images are made here with Pillow (a test-only dependency; tokencmp never
imports it). Expected sizes are the sizes the images were made with.
"""

from __future__ import annotations

import base64
import contextlib
import io
import struct
import tracemalloc
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from tokencmp import image_size
from tokencmp.errors import ImageSizeUnknownError, InvalidImageError

from .helpers import run_python

SIZE = (37, 23)


def make(fmt: str, size: tuple[int, int] = SIZE, mode: str = "RGB", **options: object) -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 60, 128)[: len(mode)]).save(out, fmt, **options)
    return out.getvalue()


def data_url(data: bytes, media_type: str = "image/png") -> str:
    return f"data:{media_type};base64," + base64.b64encode(data).decode()


def jpeg_markers(data: bytes) -> list[int]:
    """The segment markers of a JPEG up to its scan, in order."""
    out, i = [], 2
    while data[i + 1] != 0xDA:
        out.append(data[i + 1])
        i += 2 + struct.unpack(">H", data[i + 2 : i + 4])[0]
    return out


def exif_first_jpeg(exif_bytes: int = 20000, **options: object) -> bytes:
    """A JPEG whose first segment is a large APP1 EXIF (no JFIF APP0), so SOF comes late."""
    exif = Image.Exif()
    exif[0x010E] = "x" * exif_bytes  # ImageDescription
    data = make("JPEG", exif=exif.tobytes(), **options)
    if data[3] == 0xE0:  # drop Pillow's JFIF APP0 segment so EXIF comes first
        length = struct.unpack(">H", data[4:6])[0]
        data = data[:2] + data[4 + length :]
    return data


FORMATS = {
    "png": make("PNG"),
    "png-rgba": make("PNG", mode="RGBA"),
    "gif": make("GIF"),
    "jpeg-baseline": make("JPEG"),
    "jpeg-progressive": make("JPEG", progressive=True),
    "jpeg-exif-first": exif_first_jpeg(),
    "jpeg-exif-first-progressive": exif_first_jpeg(progressive=True),
    "webp-lossy-vp8": make("WEBP", lossless=False),
    "webp-lossless-vp8l": make("WEBP", lossless=True),
    "webp-extended-vp8x-alpha": make("WEBP", mode="RGBA", lossless=False),
}


def test_the_test_images_are_what_they_claim() -> None:
    # Guard the fixtures: the right WebP chunk, SOF0 vs SOF2, EXIF before the frame header.
    assert FORMATS["webp-lossy-vp8"][12:16] == b"VP8 "
    assert FORMATS["webp-lossless-vp8l"][12:16] == b"VP8L"
    assert FORMATS["webp-extended-vp8x-alpha"][12:16] == b"VP8X"
    assert 0xC0 in jpeg_markers(FORMATS["jpeg-baseline"])
    assert 0xC2 in jpeg_markers(FORMATS["jpeg-progressive"])
    for name in ("jpeg-exif-first", "jpeg-exif-first-progressive"):
        markers = jpeg_markers(FORMATS[name])
        assert markers[0] == 0xE1 and markers.index(0xE1) < min(markers.index(m) for m in (0xC0, 0xC2)
                                                                  if m in markers)
        assert FORMATS[name].find(b"\xff\xc0") > 20000 or FORMATS[name].find(b"\xff\xc2") > 20000


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_size_from_bytes_file_and_data_url(name: str, tmp_path: Path) -> None:
    data = FORMATS[name]
    path = tmp_path / f"image.{name.split('-')[0]}"
    path.write_bytes(data)
    assert image_size(data) == SIZE
    assert image_size(bytearray(data)) == SIZE
    assert image_size(memoryview(data)) == SIZE
    assert image_size(path) == SIZE
    assert image_size(str(path)) == SIZE
    assert image_size(data_url(data)) == SIZE


@pytest.mark.parametrize("size", [(1, 1), (16383, 1), (3000, 2000)])
def test_large_and_tiny_sizes(size: tuple[int, int]) -> None:
    for fmt, opts in (("PNG", {}), ("WEBP", {"lossless": True}), ("JPEG", {"progressive": True})):
        assert image_size(make(fmt, size, **opts)) == size, fmt


def test_gif_from_a_data_url_doctest_value() -> None:
    assert image_size("data:image/gif;base64,R0lGODlhAQACAAAAACwAAAAAAQACAAAC") == (1, 2)


def test_unpadded_base64_and_surrounding_whitespace_are_accepted() -> None:
    url = data_url(FORMATS["png"]).rstrip("=")
    assert image_size("  " + url + "\n") == SIZE


# --- hostile input --------------------------------------------------------------------------


def png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + b"IHDR" + ihdr + struct.pack(
        ">I", zlib.crc32(b"IHDR" + ihdr)
    )


@pytest.mark.parametrize(
    "data, message",
    [
        (png_header(100000, 100000), "not a plausible image"),
        (png_header(0, 10), "width is 0"),
        (png_header(65535, 65535), "not a plausible image"),
        (FORMATS["png"][:20], "truncated"),
        (FORMATS["gif"][:8], "truncated"),
        (FORMATS["webp-lossy-vp8"][:25], "truncated"),
        (FORMATS["jpeg-exif-first"][:5000], "truncated"),
        (FORMATS["jpeg-baseline"][:2], "truncated"),
        (b"", "empty"),
        (b"BM" + bytes(60), "not a PNG, JPEG, GIF or WebP"),
        (b"%PDF-1.7\n" + bytes(40), "not a PNG, JPEG, GIF or WebP"),
        (b"\xff\xd8\xff\xda\x00\x02" + bytes(20), "no frame header"),
        (b"\xff\xd8\x00\x00" + bytes(20), "expected a marker"),
        (b"\xff\xd8\xff\xe0\x00\x01" + bytes(20), "bad segment length"),
        (b"\xff\xd8" + b"\xff\xfe\x00\x02" * 5000, "no JPEG frame header within"),
        (b"\xff\xd8\xff\xc0\x00\x11\x08\xff\xff\xff\xff" + bytes(20), "not a plausible image"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8X" + bytes(8) + b"\xff\xff\xff\xff\xff\xff", "not a plausible image"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 " + bytes(20), "bad VP8 start code"),
        (b"RIFF\x00\x00\x00\x00WEBPABCD" + bytes(20), "unknown first chunk"),
        (b"\x89PNG\r\n\x1a\n" + bytes(4) + b"IDAT" + bytes(16), "not IHDR"),
    ],
)
def test_bad_images_raise_invalid_image_error(data: bytes, message: str) -> None:
    with pytest.raises(InvalidImageError, match=message):
        image_size(data)
    with pytest.raises(InvalidImageError, match=message):
        image_size(data_url(data)) if data else image_size("data:image/png;base64,")


@pytest.mark.parametrize(
    "url, message",
    [
        ("data:image/png;base64,!!!!not-base64!!!!", "invalid near character 0"),
        ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAAB" + "*" * 40, "invalid near character"),
        ("data:image/png;base64,iVBORw0KGgo", "truncated"),  # 11 characters: 4k+3, decodes to 8 bytes
        ("data:image/png;base64,iVBORw0KG", "truncated"),  # 9 characters: not valid base64
        ("data:image/png;base64,iVBO=w0KGgoAAAANSUhEUgAAAAEAAAAB", "invalid"),
        ("data:text/plain;base64,aGVsbG8=", "not an image"),
        ("data:,hello", "not an image"),
        ("data:image/png,%89PNG", "Only base64"),
        ("data:image/png;base64", "no ','"),
        ("data:image/png;base64,", "empty"),
        ("data:image/png;base64,ï¿½ï¿½ï¿½ï¿½", "non-ASCII"),
        (data_url(b"hello, I am text", "image/png"), "not a PNG"),
    ],
)
def test_bad_data_urls(url: str, message: str) -> None:
    with pytest.raises(InvalidImageError, match=message):
        image_size(url)


def test_remote_urls_are_never_fetched() -> None:
    # tests/conftest.py turns any connection into a NetworkBlocked error, which is not a TokencmpError
    for url in ("https://example.com/cat.png", "http://127.0.0.1:9/x.png", "HTTPS://EXAMPLE.COM/A.JPG"):
        with pytest.raises(ImageSizeUnknownError, match="never fetches"):
            image_size(url)


def test_missing_file_and_wrong_types() -> None:
    with pytest.raises(InvalidImageError, match="Cannot read image file"):
        image_size("/nonexistent/cat.png")
    with pytest.raises(InvalidImageError, match="Cannot read an image from a int"):
        image_size(42)  # type: ignore[arg-type]


def test_a_huge_data_url_is_read_without_decoding_it() -> None:
    # 24 MB of base64 after a valid PNG header: only the first window is decoded.
    url = data_url(png_header(640, 480)) + "A" * 24_000_000
    tracemalloc.start()
    try:
        assert image_size(url) == (640, 480)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100_000, peak


def test_a_jpeg_with_a_huge_exif_segment_is_read_with_seeks(tmp_path: Path) -> None:
    # The EXIF segment is skipped by its length (up to 64 KiB), not read: a data URL is decoded only
    # around segment headers, and the frame header after ~60 KB of EXIF is still found.
    data = exif_first_jpeg(exif_bytes=60000)
    url = data_url(data, "image/jpeg")
    tracemalloc.start()
    try:
        assert image_size(url) == SIZE
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 20_000, peak


def test_tokencmp_never_imports_pillow() -> None:
    # Pillow is a test-only dependency: reading sizes and counting must work without it.
    code = (
        "import base64, json, sys, tokencmp\n"
        "url = 'data:image/gif;base64,R0lGODlhAQACAAAAACwAAAAAAQACAAAC'\n"
        "size = tokencmp.image_size(url)\n"
        "print(json.dumps([list(size), tokencmp.image_tokens(*size, model='gpt-4o'),"
        " any(m == 'PIL' or m.startswith('PIL.') for m in sys.modules)]))\n"
    )
    # 1x2 high on gpt-4o: one tile, 85 + 170 = 255
    assert run_python(code) == [[1, 2], 255, False]


RIFF = b"RIFF\x00\x00\x00\x00WEBP"
MAGICS = [b"", b"\x89PNG\r\n\x1a\n", b"GIF89a", b"\xff\xd8", b"\xff\xd8\xff\xe1", RIFF + b"VP8 ",
          RIFF + b"VP8L", RIFF + b"VP8X"]


@settings(max_examples=300, deadline=None)
@given(magic=st.sampled_from(MAGICS), tail=st.binary(max_size=64))
def test_arbitrary_bytes_give_a_size_or_invalid_image_error(magic: bytes, tail: bytes) -> None:
    data = magic + tail
    for source in (data, data_url(data)):
        try:
            width, height = image_size(source)
        except InvalidImageError:
            continue
        assert 1 <= width <= 65535 and 1 <= height <= 65535


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=40))
def test_arbitrary_data_urls_give_a_size_or_invalid_image_error(text: str) -> None:
    with contextlib.suppress(InvalidImageError):
        image_size("data:image/png;base64," + text)
