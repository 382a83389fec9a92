"""Turn an uploaded photo into metadata-free WebP renditions.

Pure and synchronous (except `read_upload_bounded`, which only copies bytes): the web layer runs
`process_image` in a worker thread. Every failure a user can cause is raised as a domain error from
`app.errors`, never as a Pillow exception.

Decisions (see also the module constants):

* Allowed input: JPEG (including the MPO flavour many phone cameras write), PNG and WebP, checked by
  content, never by file name or declared content type. Anything else is 415.
* Too many pixels (decompression bombs) is 413 `PayloadTooLarge`, the same answer as a file with too
  many bytes, because the fix for the producer is the same: send a smaller photo. The pixel count is
  read from the header and checked before any pixel data is decoded.
* Damaged or truncated files are 422.
* `content_hash` is the SHA-256 of the uploaded bytes: cheap (no full-resolution decode, which would
  defeat JPEG draft mode) and stable, so the same file uploaded twice is recognised. A re-saved copy
  of the same picture gets a different hash; that is acceptable for duplicate detection.
* Variants are never upscaled. The rendition for size `s` has a longest edge of
  `min(s, longest edge of the original)`; when several sizes collapse onto the original size they
  share one encoding (the same `bytes` object), e.g. a 500-px photo gives a 320-px WebP for 320 and
  one 500-px WebP for both 800 and 1600. The dict always has the three keys.
* All metadata is dropped: EXIF (including GPS and the orientation, which is applied to the pixels
  first), XMP and ICC. A photo with a non-sRGB ICC profile (Display P3, Adobe RGB, CMYK press
  profiles) is converted to sRGB first, so dropping the profile does not shift its colours; a WebP
  without a profile is displayed as sRGB by browsers.
* 16-bit PNGs are scaled to 8 bits; palette and grey images with transparency keep their alpha.
* Animated PNG/WebP: only the first frame is used.
"""

from __future__ import annotations

import hashlib
import io
import math
from collections.abc import AsyncIterable, Iterable
from dataclasses import dataclass
from tempfile import SpooledTemporaryFile
from typing import IO, Final, Protocol, runtime_checkable

from PIL import (
    ExifTags,
    Image,
    ImageCms,
    ImageOps,
    JpegImagePlugin,  # noqa: F401  (imported so Image.open finds the allowed plugins without init())
    PngImagePlugin,  # noqa: F401
    UnidentifiedImageError,
    WebPImagePlugin,  # noqa: F401
)

from app.errors import N_, PayloadTooLarge, Unprocessable, UnsupportedMediaType

SIZES: Final[tuple[int, ...]] = (320, 800, 1600)
"""Longest edge, in pixels, of each WebP rendition."""

DEFAULT_MAX_PIXELS: Final = 40_000_000
CHUNK_SIZE: Final = 64 * 1024
# Uploads up to this size stay in memory; larger ones spill to a temporary file.
SPOOL_MEMORY_BYTES: Final = 1024 * 1024

ALLOWED_FORMATS: Final[tuple[str, ...]] = ("JPEG", "PNG", "WEBP")

# Measured with bench/upload_pipeline.py on a noisy 12-MP photo: q80 gives a ~17 KB 320-px
# thumbnail (typical, smoother photos are well under that). The 1600-px rendition is only loaded
# when zooming, over slow connections, so it trades a little quality for ~30 % fewer bytes.
WEBP_QUALITY_SMALL: Final = 80
WEBP_QUALITY_LARGE: Final = 75
WEBP_LARGE_FROM_EDGE: Final = 1200
# method 4 is libwebp's default; method 6 is twice as slow for ~10 % fewer bytes.
WEBP_METHOD: Final = 4

_RESAMPLE: Final = Image.Resampling.LANCZOS
_HEAD_BYTES: Final = 1024

# What Pillow raises for damaged data, depending on the plugin and where the damage is.
_DECODE_ERRORS: Final = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, KeyError)


@dataclass(frozen=True, slots=True)
class ProcessedImage:
    """The result of `process_image`. Treat the dicts as read-only."""

    variants: dict[int, bytes]
    """WebP bytes for each size in `SIZES` (sizes larger than the original share one encoding)."""
    dimensions: dict[int, tuple[int, int]]
    """(width, height) of each variant, e.g. for `srcset` width descriptors and `<img>` attributes."""
    width: int
    """Width of the original photo once turned upright."""
    height: int
    """Height of the original photo once turned upright."""
    content_hash: str
    """SHA-256 (hex) of the uploaded bytes."""
    source_format: str
    """"JPEG", "PNG" or "WEBP"."""


# --------------------------------------------------------------------------------------------------
# Bounded reading of the upload


@runtime_checkable
class AsyncReadable(Protocol):
    """Anything with `async read(n)`, such as FastAPI's / Starlette's `UploadFile`."""

    async def read(self, size: int = -1, /) -> bytes: ...


class _BoundedSpool:
    """Copies chunks into a spooled temporary file, refusing to go past `max_bytes`."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.total = 0
        # Handed to the caller by finish(), closed by the callers of _BoundedSpool on error.
        self.file: SpooledTemporaryFile[bytes] = SpooledTemporaryFile(max_size=SPOOL_MEMORY_BYTES)  # noqa: SIM115

    @property
    def remaining(self) -> int:
        return self.max_bytes - self.total

    def write(self, chunk: bytes) -> None:
        self.total += len(chunk)
        if self.total > self.max_bytes:
            raise _too_many_bytes(self.max_bytes)
        self.file.write(chunk)

    def finish(self) -> SpooledTemporaryFile[bytes]:
        if self.total == 0:
            raise Unprocessable(N_("The file is empty"))
        self.file.seek(0)
        return self.file


async def read_upload_bounded(
    upload: AsyncReadable | AsyncIterable[bytes], max_bytes: int, *, chunk_size: int = CHUNK_SIZE
) -> SpooledTemporaryFile[bytes]:
    """Copy an upload into a spooled temporary file, stopping as soon as it exceeds `max_bytes`.

    `upload` is either an object with `async read(n)` (FastAPI `UploadFile`) or an async iterable
    of byte chunks (`Request.stream()`). At most `max_bytes + 1` bytes are read from a readable
    upload. If the upload declares its `size` (Starlette's `UploadFile` does), an oversized upload
    is refused without reading anything.

    Returns the file positioned at 0; the caller closes it (or uses it as a context manager).
    Raises `PayloadTooLarge` (413) past the limit and `Unprocessable` (422) for an empty upload.
    """
    declared = getattr(upload, "size", None)
    if isinstance(declared, int) and declared > max_bytes:
        raise _too_many_bytes(max_bytes)
    spool = _BoundedSpool(max_bytes)
    try:
        if isinstance(upload, AsyncReadable):
            while chunk := await upload.read(min(chunk_size, spool.remaining + 1)):
                spool.write(chunk)
        else:
            async for chunk in upload:
                spool.write(chunk)
        return spool.finish()
    except BaseException:
        spool.file.close()
        raise


def spool_chunks(chunks: Iterable[bytes], max_bytes: int) -> SpooledTemporaryFile[bytes]:
    """Synchronous twin of `read_upload_bounded` for an iterable of byte chunks.

    The iterable is consumed lazily and abandoned as soon as the limit is passed.
    """
    spool = _BoundedSpool(max_bytes)
    try:
        for chunk in chunks:
            spool.write(chunk)
        return spool.finish()
    except BaseException:
        spool.file.close()
        raise


def _too_many_bytes(max_bytes: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"The file is too large: the limit is {_human_bytes(max_bytes)}.")


def _human_bytes(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.3g} MB"
    if n >= 1024:
        return f"{n / 1024:.3g} KB"
    return f"{n} bytes"


# --------------------------------------------------------------------------------------------------
# Processing


def process_image(fileobj: IO[bytes], *, max_pixels: int = DEFAULT_MAX_PIXELS) -> ProcessedImage:
    """Validate, decode and re-encode a photo as WebP at each size in `SIZES`.

    `fileobj` is a seekable binary file (e.g. the result of `read_upload_bounded`); it is read from
    the start and left open. Raises `UnsupportedMediaType` (415) for anything but JPEG, PNG or WebP,
    `PayloadTooLarge` (413) for more than `max_pixels` pixels (checked before decoding) and
    `Unprocessable` (422) for an empty, damaged or truncated file.
    """
    content_hash, head = _hash_and_head(fileobj)
    fileobj.seek(0)
    try:
        img = Image.open(fileobj, formats=ALLOWED_FORMATS)
    except UnidentifiedImageError:
        raise _unsupported_or_damaged(head) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        # Pillow's own guard (MAX_IMAGE_PIXELS) fired while reading the header.
        raise PayloadTooLarge(
            N_("The image has too many pixels: the limit is {limit} megapixels.", limit=_megapixels(max_pixels))
        ) from None
    except _DECODE_ERRORS:
        raise _damaged() from None

    with img:
        source_format = "JPEG" if img.format in ("JPEG", "MPO") else str(img.format)
        stored_w, stored_h = img.size  # from the header: nothing decoded yet
        _check_pixel_count(stored_w, stored_h, max_pixels)
        longest = max(stored_w, stored_h)
        largest_edge = min(max(SIZES), longest)
        try:
            if source_format == "JPEG":
                # Let libjpeg decode at 1/2, 1/4 or 1/8 scale, staying >= the largest rendition.
                img.draft("RGB", _fit(stored_w, stored_h, largest_edge, round_up=True))
            orientation = img.getexif().get(ExifTags.Base.Orientation, 1)
            ImageOps.exif_transpose(img, in_place=True)  # loads (decodes) the image
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PayloadTooLarge(
                N_("The image has too many pixels: the limit is {limit} megapixels.", limit=_megapixels(max_pixels))
            ) from None
        except _DECODE_ERRORS:
            raise _damaged() from None
        width, height = (stored_h, stored_w) if orientation in (5, 6, 7, 8) else (stored_w, stored_h)
        # Inside the `with`: _to_srgb may return `img` itself, which is unusable once closed.
        return _encode_variants(_to_srgb(img), width, height, content_hash, source_format)


def _hash_and_head(fileobj: IO[bytes]) -> tuple[str, bytes]:
    """SHA-256 of the whole file plus its first bytes (for error messages), in one pass."""
    fileobj.seek(0)
    digest = hashlib.sha256()
    head = b""
    while chunk := fileobj.read(1024 * 1024):
        if not head:
            head = chunk[:_HEAD_BYTES]
        digest.update(chunk)
    if not head:
        raise Unprocessable(N_("The file is empty"))
    return digest.hexdigest(), head


def _check_pixel_count(width: int, height: int, max_pixels: int) -> None:
    # Never decode anything Pillow itself would warn about, whatever max_pixels says, so its
    # DecompressionBombWarning cannot let a bomb through when warnings are not errors.
    limit = max_pixels if Image.MAX_IMAGE_PIXELS is None else min(max_pixels, Image.MAX_IMAGE_PIXELS)
    if width * height > limit:
        raise PayloadTooLarge(
            N_(
                "The image is {width}×{height} pixels ({megapixels} megapixels); "
                "the limit is {limit} megapixels. Please send a smaller photo.",
                width=width,
                height=height,
                megapixels=_megapixels(width * height),
                limit=_megapixels(limit),
            )
        )


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:.3g}"


def _damaged() -> Unprocessable:
    return Unprocessable(
        "The image file is damaged or incomplete (the upload may have been cut off). Please try again."
    )


# Only used to word the error message: the decision is Pillow's, restricted to ALLOWED_FORMATS.
_OTHER_SIGNATURES: Final[tuple[tuple[bytes, str], ...]] = (
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"%PDF", "PDF"),
    (b"BM", "BMP"),
)


def _unsupported_or_damaged(head: bytes) -> UnsupportedMediaType | Unprocessable:
    if (
        head.startswith(b"\xff\xd8\xff")
        or head.startswith(b"\x89PNG\r\n\x1a\n")
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
    ):
        # Looks like an allowed format but Pillow could not even read the header.
        return _damaged()
    kind = next((name for magic, name in _OTHER_SIGNATURES if head.startswith(magic)), None)
    if kind is None and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"avif", b"avis"):
            kind = "AVIF"
        elif brand[:3] in (b"hei", b"hev", b"mif"):
            kind = "HEIC"
    if kind is None and b"<svg" in head.lower():
        kind = "SVG"
    allowed = "Please send a JPEG, PNG or WebP photo."
    if kind == "HEIC":
        return UnsupportedMediaType(
            f"HEIC photos are not supported. {allowed} (On an iPhone: Settings › Camera › Formats › Most Compatible.)"
        )
    if kind is not None:
        return UnsupportedMediaType(f"{kind} files are not supported. {allowed}")
    return UnsupportedMediaType(f"This file is not a supported image. {allowed}")


def _fit(width: int, height: int, edge: int, *, round_up: bool = False) -> tuple[int, int]:
    """Size with the same aspect ratio as width×height whose longest edge is `edge`."""
    scale = edge / max(width, height)
    rnd = math.ceil if round_up else round
    return max(1, rnd(width * scale)), max(1, rnd(height * scale))


_NATIVE_CMS_MODES: Final = frozenset({"RGB", "RGBA", "CMYK", "L"})


def _to_srgb(img: Image.Image) -> Image.Image:
    """Convert a decoded image to 8-bit RGB or RGBA in sRGB, without any metadata."""
    icc = img.info.get("icc_profile")
    if img.mode.startswith("I;16") or img.mode == "I":
        # 16-bit grey: Pillow's convert() would clip everything above 255 to white.
        img = img.convert("I").point(lambda v: v * (1 / 257)).convert("L")
    target = "RGBA" if img.has_transparency_data else "RGB"
    if img.mode not in _NATIVE_CMS_MODES:  # P, PA, LA, 1, …
        img = img.convert(target)
    if icc and not _is_srgb_bytes(icc):
        try:
            converted = ImageCms.profileToProfile(
                img,
                ImageCms.ImageCmsProfile(io.BytesIO(icc)),
                ImageCms.createProfile("sRGB"),  # per call: profile handles are not shared across threads
                renderingIntent=ImageCms.Intent.PERCEPTUAL,
                outputMode=target,
            )
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            converted = None  # a broken or unusual profile: fall back to the plain conversion
        if converted is not None:
            img = converted
    if img.mode != target:
        img = img.convert(target)  # uses info["transparency"] of P/L/RGB images: clear info after
    img.info.clear()  # belt and braces: nothing from the source travels with the pixels
    return img


def _is_srgb_bytes(icc: bytes) -> bool:
    try:
        description = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(icc)))
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return True  # unreadable profile: ignore it rather than refuse the photo
    return "srgb" in description.lower()


def _encode_variants(
    base: Image.Image, width: int, height: int, content_hash: str, source_format: str
) -> ProcessedImage:
    longest = max(width, height)
    edges = sorted({min(size, longest) for size in SIZES}, reverse=True)
    encoded: dict[int, tuple[bytes, tuple[int, int]]] = {}
    source = base
    for edge in edges:
        size = (width, height) if edge == longest else _fit(width, height, edge)
        # Cascade (1600 → 800 → 320): each step resizes the previous, smaller rendition, which is
        # faster than resizing the base every time and visually equivalent with LANCZOS.
        rendition = source if source.size == size else source.resize(size, _RESAMPLE)
        encoded[edge] = (_webp(rendition, edge), size)
        source = rendition
    variants = {size: encoded[min(size, longest)][0] for size in SIZES}
    dimensions = {size: encoded[min(size, longest)][1] for size in SIZES}
    return ProcessedImage(
        variants=variants,
        dimensions=dimensions,
        width=width,
        height=height,
        content_hash=content_hash,
        source_format=source_format,
    )


def _webp(img: Image.Image, edge: int) -> bytes:
    quality = WEBP_QUALITY_LARGE if edge >= WEBP_LARGE_FROM_EDGE else WEBP_QUALITY_SMALL
    buf = io.BytesIO()
    # Explicitly empty metadata: Pillow only writes what is passed here, but be explicit.
    img.save(buf, "WEBP", quality=quality, method=WEBP_METHOD, exif=b"", xmp=b"", icc_profile=None)
    return buf.getvalue()
