"""Tests of app.media.processing. Every test image is generated here with Pillow (or by hand)."""

from __future__ import annotations

import asyncio
import hashlib
import io
import struct
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Iterator

import pytest
from PIL import ExifTags, Image, ImageCms, ImageDraw, ImageFile, JpegImagePlugin
from starlette.datastructures import UploadFile

from app.errors import PayloadTooLarge, Unprocessable, UnsupportedMediaType
from app.media.processing import (
    SIZES,
    ProcessedImage,
    process_image,
    read_upload_bounded,
    spool_chunks,
)

RED = (255, 0, 0)

# --------------------------------------------------------------------------------------------------
# Helpers


def encode(img: Image.Image, fmt: str, **params: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **params)
    return buf.getvalue()


def process_bytes(data: bytes, **kw: int) -> ProcessedImage:
    return process_image(io.BytesIO(data), **kw)


def gradient_photo(width: int, height: int) -> Image.Image:
    """Smooth colour gradients: cheap to build at 12 MP."""
    r = Image.linear_gradient("L").resize((width, height))
    g = Image.radial_gradient("L").resize((width, height))
    b = Image.linear_gradient("L").transpose(Image.Transpose.ROTATE_90).resize((width, height))
    return Image.merge("RGB", (r, g, b))


def textured_photo(width: int, height: int) -> Image.Image:
    """Gradients plus blotchy multi-scale noise and sensor grain: compresses like a busy photo."""
    base = gradient_photo(width, height)
    blotches = Image.effect_noise((24, 18), 64).resize((width, height), Image.Resampling.BICUBIC)
    grain = Image.effect_noise((width, height), 10)
    texture = Image.blend(blotches, grain, 0.5).convert("RGB")
    return Image.blend(base, texture, 0.35)


def webp_chunks(data: bytes) -> list[bytes]:
    """FourCCs of the chunks of a RIFF/WebP file."""
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    chunks, pos = [], 12
    while pos + 8 <= len(data):
        fourcc, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        chunks.append(fourcc)
        pos += 8 + size + (size & 1)
    return chunks


def assert_no_metadata(data: bytes) -> None:
    assert set(webp_chunks(data)) <= {b"VP8 ", b"VP8L", b"VP8X", b"ALPH"}
    # Longer needles than b"GPS" so compressed pixel data cannot match by chance.
    for needle in (b"Exif", b"EXIF", b"GPSLatitude", b"XMP ", b"xmpmeta", b"ICCP", b"TestPhone"):
        assert needle not in data
    with Image.open(io.BytesIO(data)) as img:
        assert img.format == "WEBP"
        assert len(img.getexif()) == 0
        assert not {"exif", "xmp", "icc_profile"} & set(img.info)


def decode(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as img:
        img.load()
        return img.copy()


def png_chunk(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def handmade_png(width: int, height: int, bit_depth: int, colour_type: int, idat: bytes) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, bit_depth, colour_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def close_to(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 12) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


# --------------------------------------------------------------------------------------------------
# A 12-megapixel phone photo: orientation 6, GPS, XMP and an ICC profile


@pytest.fixture(scope="module")
def phone_jpeg() -> bytes:
    img = gradient_photo(4000, 3000)
    # A red square in the stored top-left corner ends up top-right once turned upright.
    ImageDraw.Draw(img).rectangle((0, 0, 499, 499), fill=RED)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "TestPhone"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (17.0, 58.0, 12.5)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (102.0, 36.0, 3.0)
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>17,58.2N</exif:GPSLatitude></x:xmpmeta>'
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = encode(img, "JPEG", quality=90, exif=exif, xmp=xmp, icc_profile=icc)
    with Image.open(io.BytesIO(data)) as check:  # the input really carries what we strip
        assert check.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert {"exif", "xmp", "icc_profile"} <= set(check.info)
    return data


@pytest.fixture(scope="module")
def phone_result(phone_jpeg: bytes) -> ProcessedImage:
    return process_bytes(phone_jpeg)


def test_phone_photo_is_upright_with_three_sizes(phone_jpeg: bytes, phone_result: ProcessedImage) -> None:
    assert (phone_result.width, phone_result.height) == (3000, 4000)
    assert phone_result.source_format == "JPEG"
    assert phone_result.content_hash == hashlib.sha256(phone_jpeg).hexdigest()
    assert set(phone_result.variants) == set(SIZES)
    for size in SIZES:
        img = decode(phone_result.variants[size])
        assert img.size == phone_result.dimensions[size] == (size * 3 // 4, size)
        assert img.mode == "RGB"
    thumb = decode(phone_result.variants[320])
    assert close_to(thumb.getpixel((thumb.width - 10, 10)), RED, 40)
    assert not close_to(thumb.getpixel((10, 10)), RED, 40)


def test_phone_photo_outputs_carry_no_metadata(phone_result: ProcessedImage) -> None:
    for data in phone_result.variants.values():
        assert_no_metadata(data)


def test_typical_photo_thumbnail_is_small() -> None:
    result = process_bytes(encode(textured_photo(2000, 1500), "JPEG", quality=90))
    assert len(result.variants[320]) < 25_000
    assert len(result.variants[800]) < len(result.variants[1600])


def test_jpeg_is_decoded_at_reduced_scale(monkeypatch: pytest.MonkeyPatch) -> None:
    drafted: list[tuple[int, int]] = []
    real_draft = JpegImagePlugin.JpegImageFile.draft

    def spy(self: JpegImagePlugin.JpegImageFile, mode: str | None, size: tuple[int, int] | None) -> object:
        result = real_draft(self, mode, size)
        drafted.append(self.size)
        return result

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", spy)
    result = process_bytes(encode(gradient_photo(3600, 2400), "JPEG"))
    assert drafted == [(1800, 1200)]  # libjpeg decoded at 1/2 scale, still >= 1600 px
    assert result.dimensions[1600] == (1600, 1067)
    assert (result.width, result.height) == (3600, 2400)


# --------------------------------------------------------------------------------------------------
# Other inputs


def test_png_with_alpha_keeps_transparency() -> None:
    img = Image.new("RGBA", (600, 400), (0, 0, 0, 0))
    ImageDraw.Draw(img).ellipse((150, 50, 450, 350), fill=(0, 128, 255, 255))
    result = process_bytes(encode(img, "PNG"))
    assert result.source_format == "PNG"
    for size, expected in ((320, (320, 213)), (800, (600, 400)), (1600, (600, 400))):
        out = decode(result.variants[size])
        assert out.mode == "RGBA"
        assert out.size == result.dimensions[size] == expected
        assert out.getpixel((2, 2))[3] == 0
        assert out.getpixel((out.width // 2, out.height // 2))[3] == 255
        assert_no_metadata(result.variants[size])


def test_palette_png_with_transparency() -> None:
    img = Image.new("P", (400, 300), 0)
    img.putpalette([255, 255, 255, 200, 30, 30] + [0] * 762)
    ImageDraw.Draw(img).rectangle((100, 100, 300, 200), fill=1)
    result = process_bytes(encode(img, "PNG", transparency=0))
    out = decode(result.variants[320])
    assert out.mode == "RGBA"
    assert out.getpixel((2, 2))[3] == 0
    assert close_to(out.getpixel((160, 120)), (200, 30, 30, 255))


def test_webp_input() -> None:
    result = process_bytes(encode(gradient_photo(1000, 500), "WEBP", quality=90))
    assert result.source_format == "WEBP"
    assert result.dimensions == {320: (320, 160), 800: (800, 400), 1600: (1000, 500)}
    assert decode(result.variants[1600]).size == (1000, 500)


def test_cmyk_jpeg_becomes_rgb() -> None:
    img = Image.new("CMYK", (640, 480), (0, 255, 255, 0))  # pure red in CMYK
    result = process_bytes(encode(img, "JPEG", quality=90))
    out = decode(result.variants[320])
    assert out.mode == "RGB"
    assert close_to(out.getpixel((160, 120)), RED, 20)


def test_sixteen_bit_grey_png_is_scaled_not_clipped() -> None:
    img = Image.new("I;16", (256, 64))
    img.putdata([x * 257 for _ in range(64) for x in range(256)])  # 0 … 65535 left to right
    result = process_bytes(encode(img, "PNG"))
    out = decode(result.variants[320])
    assert out.size == (256, 64)
    assert out.getpixel((5, 32))[0] < 30
    assert 100 < out.getpixel((128, 32))[0] < 156
    assert out.getpixel((250, 32))[0] > 225


def test_sixteen_bit_rgb_png() -> None:
    # Pillow cannot write 16-bit RGB PNGs, so build one: 64×32, every pixel (0xFFFF, 0x8000, 0).
    row = b"\x00" + b"\xff\xff\x80\x00\x00\x00" * 64
    data = handmade_png(64, 32, 16, 2, zlib.compress(row * 32))
    out = decode(process_bytes(data).variants[320])
    assert out.size == (64, 32)
    assert close_to(out.getpixel((32, 16)), (255, 128, 0))


def test_icc_profile_is_dropped_and_a_broken_one_is_ignored() -> None:
    img = Image.new("RGB", (200, 100), (40, 160, 90))
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    for icc in (srgb, b"not an icc profile" * 10):
        result = process_bytes(encode(img, "PNG", icc_profile=icc))
        assert_no_metadata(result.variants[320])
        assert close_to(decode(result.variants[320]).getpixel((100, 50)), (40, 160, 90))


def test_tiny_image_is_not_upscaled() -> None:
    result = process_bytes(encode(Image.new("RGB", (10, 10), RED), "PNG"))
    assert result.dimensions == {320: (10, 10), 800: (10, 10), 1600: (10, 10)}
    assert result.variants[320] is result.variants[800] is result.variants[1600]
    assert close_to(decode(result.variants[1600]).getpixel((5, 5)), RED, 20)


def test_mid_size_photo_reuses_its_own_size_above_it() -> None:
    result = process_bytes(encode(gradient_photo(500, 400), "JPEG"))
    assert result.dimensions == {320: (320, 256), 800: (500, 400), 1600: (500, 400)}
    assert result.variants[800] is result.variants[1600]
    assert result.variants[320] != result.variants[800]


def test_phone_mpo_jpeg_is_accepted() -> None:
    first, second = gradient_photo(400, 300), Image.new("RGB", (400, 300), RED)
    data = encode(first, "MPO", save_all=True, append_images=[second])
    result = process_bytes(data)
    assert result.source_format == "JPEG"
    assert result.dimensions[320] == (320, 240)


# --------------------------------------------------------------------------------------------------
# Refusals


@pytest.mark.parametrize(
    ("data", "mentions"),
    [
        (b"hello, this is not a photo\n" * 10, "not a supported image"),
        (
            b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
            b"<script>alert(1)</script></svg>",
            "SVG",
        ),
        (encode(Image.new("RGB", (20, 20), RED), "GIF"), "GIF"),
        (encode(Image.new("RGB", (20, 20), RED), "BMP"), "BMP"),
        (encode(Image.new("RGB", (20, 20), RED), "TIFF"), "TIFF"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64, "HEIC"),
    ],
    ids=["text", "svg", "gif", "bmp", "tiff", "heic"],
)
def test_unsupported_formats_are_415(data: bytes, mentions: str) -> None:
    with pytest.raises(UnsupportedMediaType) as info:
        process_bytes(data)
    assert info.value.status_code == 415
    assert mentions in info.value.detail
    assert "JPEG, PNG or WebP" in info.value.detail


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_truncated_image_is_422(fmt: str) -> None:
    data = encode(textured_photo(800, 600), fmt)
    for cut in (len(data) // 2, 40):  # pixel data cut off; header cut off
        with pytest.raises(Unprocessable) as info:
            process_bytes(data[:cut])
        assert info.value.status_code == 422
        assert "damaged or incomplete" in info.value.detail


def test_empty_file_is_422() -> None:
    with pytest.raises(Unprocessable, match="The file is empty"):
        process_bytes(b"")


def test_too_many_pixels_for_the_configured_limit() -> None:
    with pytest.raises(PayloadTooLarge) as info:
        process_bytes(encode(Image.new("RGB", (1000, 1000)), "PNG"), max_pixels=500_000)
    assert info.value.status_code == 413
    assert "megapixels" in info.value.detail


@pytest.mark.parametrize(
    ("side", "max_pixels"),
    [(30_000, 40_000_000), (60_000, 10**12)],  # our limit; Pillow's own DecompressionBombError
    ids=["our-limit", "pillow-bomb-error"],
)
def test_decompression_bomb_is_refused_without_decoding(
    monkeypatch: pytest.MonkeyPatch, side: int, max_pixels: int
) -> None:
    # A ~100-byte PNG claiming side×side RGB pixels (2.7 GB / 10.8 GB once decoded).
    row = b"\x00" + b"\x00" * 3 * side
    bomb = handmade_png(side, side, 8, 2, zlib.compress(row * 4, 9))
    assert len(bomb) < 1000

    def no_decoding(self: ImageFile.ImageFile) -> None:
        raise AssertionError("pixel data must not be decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    tracemalloc.start()
    try:
        with pytest.raises(PayloadTooLarge) as info:
            process_bytes(bomb, max_pixels=max_pixels)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.value.status_code == 413
    assert peak < 2 * 1024 * 1024


# --------------------------------------------------------------------------------------------------
# Bounded reading


class CountingUpload:
    """Stands in for UploadFile: serves `total` bytes through `async read(n)` and counts them."""

    def __init__(self, total: int) -> None:
        self.remaining = total
        self.served = 0
        self.requested: list[int] = []

    async def read(self, size: int = -1) -> bytes:
        self.requested.append(size)
        n = self.remaining if size < 0 else min(size, self.remaining)
        self.remaining -= n
        self.served += n
        return b"\xab" * n


def test_stream_over_the_limit_stops_reading() -> None:
    upload = CountingUpload(10 * 1024 * 1024)
    with pytest.raises(PayloadTooLarge) as info:
        asyncio.run(read_upload_bounded(upload, 1024 * 1024))
    assert info.value.status_code == 413
    assert "1 MB" in info.value.detail
    assert upload.served == 1024 * 1024 + 1  # one byte past the limit, not the 10 MB
    assert max(upload.requested) <= 64 * 1024  # read in chunks, never all at once


def test_stream_within_the_limit_is_spooled() -> None:
    upload = CountingUpload(300_000)
    with asyncio.run(read_upload_bounded(upload, 300_000)) as spooled:
        assert spooled.read() == b"\xab" * 300_000
    assert upload.served == 300_000


def test_starlette_upload_file() -> None:
    data = encode(gradient_photo(400, 300), "JPEG")
    upload = UploadFile(file=io.BytesIO(data), filename="../../etc/passwd.jpg")
    with asyncio.run(read_upload_bounded(upload, 10 * 1024 * 1024)) as spooled:
        assert process_image(spooled).content_hash == hashlib.sha256(data).hexdigest()


def test_declared_size_over_the_limit_reads_nothing() -> None:
    upload = UploadFile(file=io.BytesIO(b"x" * 2000), size=2000)
    with pytest.raises(PayloadTooLarge):
        asyncio.run(read_upload_bounded(upload, 1000))
    assert upload.file.tell() == 0


def test_async_iterable_stream() -> None:
    async def body() -> AsyncIterator[bytes]:
        for _ in range(100):
            yield b"z" * 1000

    with pytest.raises(PayloadTooLarge):
        asyncio.run(read_upload_bounded(body(), 50_000))
    with asyncio.run(read_upload_bounded(body(), 100_000)) as spooled:
        assert len(spooled.read()) == 100_000


def test_empty_upload_is_422() -> None:
    with pytest.raises(Unprocessable, match="The file is empty"):
        asyncio.run(read_upload_bounded(CountingUpload(0), 1000))
    with pytest.raises(Unprocessable, match="The file is empty"):
        spool_chunks(iter([b"", b""]), 1000)


def test_sync_chunks_are_abandoned_past_the_limit() -> None:
    consumed = 0

    def chunks() -> Iterator[bytes]:
        nonlocal consumed
        for _ in range(1000):
            consumed += 1
            yield b"y" * 1024

    with pytest.raises(PayloadTooLarge):
        spool_chunks(chunks(), 10 * 1024)
    assert consumed == 11
