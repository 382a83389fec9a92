"""Benchmark of the upload pipeline against bare Pillow doing the same work.

Run by hand:  .venv/bin/python bench/upload_pipeline.py [--runs N]

Generates a 12-megapixel phone-like JPEG (4000×3000, gradients + blotchy texture + sensor grain,
quality 90, EXIF orientation 6 and GPS like a phone photo held upright), then times, median of N runs:

  (a) app.media.processing.process_image
  (b) bare Pillow: open, draft, exif_transpose, 3 LANCZOS resizes, 3 WebP saves, with the same draft
      request, the same 1600 → 800 → 320 cascade and the same quality/method as (a)

and prints both, their ratio (goal ≤ 1.3), and the size of each variant. For information it also
times bare Pillow with the square draft request seen in tutorials, and the whole upload path
(bounded spooling + processing + atomic storage in a temporary directory).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PIL import ExifTags, Image, ImageChops, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.media.processing import (
    SIZES,
    WEBP_LARGE_FROM_EDGE,
    WEBP_METHOD,
    WEBP_QUALITY_LARGE,
    WEBP_QUALITY_SMALL,
    process_image,
    read_upload_bounded,
)
from app.media.storage import MediaStore

WIDTH, HEIGHT = 4000, 3000


def make_photo_jpeg() -> bytes:
    """A 12-MP JPEG that compresses like a busy phone photo (~4 MB at quality 90)."""
    size = (WIDTH, HEIGHT)
    bases = (
        Image.linear_gradient("L").resize(size),
        Image.radial_gradient("L").resize(size),
        Image.linear_gradient("L").rotate(90).resize(size),
    )
    # Noise at three scales, enlarged smoothly: blotches, mid-size texture and fine detail.
    octaves = [
        Image.effect_noise((cell, cell * 3 // 4), 64).resize(size, Image.Resampling.BICUBIC) for cell in (8, 32, 128)
    ]
    amplitudes = (60, 40, 25)
    grain = Image.effect_noise(size, 10)
    channels = []
    for base in bases:
        channel = base
        for octave, amplitude in zip(octaves, amplitudes, strict=True):
            scaled = octave.point(lambda v, a=amplitude: (v - 128) * a / 64 + 128)
            channel = ImageChops.add(channel, scaled, offset=-128)
        channels.append(ImageChops.add(channel, grain, offset=-128))
    photo = Image.merge("RGB", channels)

    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "BenchPhone"
    exif[ExifTags.Base.Orientation] = 6
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (17.0, 58.0, 12.5)
    buf = io.BytesIO()
    photo.save(buf, "JPEG", quality=90, exif=exif)
    return buf.getvalue()


def fit(size: tuple[int, int], edge: int, *, round_up: bool = False) -> tuple[int, int]:
    scale = edge / max(size)
    rnd = math.ceil if round_up else round
    return max(1, rnd(size[0] * scale)), max(1, rnd(size[1] * scale))


def bare_pillow(data: bytes, *, square_draft: bool = False) -> dict[int, bytes]:
    """What a careful developer would write with Pillow alone."""
    with Image.open(io.BytesIO(data)) as im:
        largest = max(SIZES)
        if square_draft:
            im.draft("RGB", (largest, largest))
        else:
            # Same aspect ratio as the photo, so libjpeg may scale by 1/2 (a square box would not).
            im.draft("RGB", fit(im.size, largest, round_up=True))
        upright = ImageOps.exif_transpose(im)
        out: dict[int, bytes] = {}
        source = upright
        for edge in sorted(SIZES, reverse=True):
            source = source.resize(fit(upright.size, edge), Image.Resampling.LANCZOS)
            quality = WEBP_QUALITY_LARGE if edge >= WEBP_LARGE_FROM_EDGE else WEBP_QUALITY_SMALL
            buf = io.BytesIO()
            source.save(buf, "WEBP", quality=quality, method=WEBP_METHOD)
            out[edge] = buf.getvalue()
        return out


class ChunkedUpload:
    """Serves bytes through `async read(n)`, like Starlette's UploadFile."""

    def __init__(self, data: bytes) -> None:
        self.stream = io.BytesIO(data)

    async def read(self, size: int = -1) -> bytes:
        return self.stream.read(size)


def whole_upload_path(data: bytes, store: MediaStore) -> None:
    with asyncio.run(read_upload_bounded(ChunkedUpload(data), 15 * 1024 * 1024)) as spooled:
        processed = process_image(spooled)
    store.delete(store.save_variants(processed).values())  # delete: measure a fresh write each run


def median_ms(candidates: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """Median wall time of each candidate, in ms.

    The candidates run round-robin (a, b, c, a, b, c, …) so that background load on a shared machine
    affects all of them alike instead of skewing whichever happened to run during a busy spell.
    """
    for fn in candidates.values():
        fn()  # warm-up: imports, plugin registration, caches
    times: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(runs):
        for name, fn in candidates.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) * 1000 for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=9, help="timed runs per measurement (default 9)")
    args = parser.parse_args()

    start = time.perf_counter()
    data = make_photo_jpeg()
    print(
        f"input: {WIDTH}×{HEIGHT} JPEG q90, EXIF orientation 6 + GPS, {len(data) / 1e6:.2f} MB "
        f"(generated in {time.perf_counter() - start:.1f} s)"
    )
    print(f"timing: median of {args.runs} interleaved runs after one warm-up\n")

    with tempfile.TemporaryDirectory() as tmp:
        store = MediaStore(tmp)
        ms = median_ms(
            {
                "pipeline": lambda: process_image(io.BytesIO(data)),
                "bare": lambda: bare_pillow(data),
                "square": lambda: bare_pillow(data, square_draft=True),
                "full": lambda: whole_upload_path(data, store),
            },
            args.runs,
        )
    pipeline_ms, bare_ms, square_ms, full_ms = ms["pipeline"], ms["bare"], ms["square"], ms["full"]

    print(f"(a) process_image                        {pipeline_ms:7.1f} ms")
    print(f"(b) bare Pillow, same work               {bare_ms:7.1f} ms")
    print(f"    ratio (a)/(b)                        {pipeline_ms / bare_ms:7.2f}   (goal ≤ 1.30)")
    print(f"    bare Pillow, draft((1600, 1600))     {square_ms:7.1f} ms   (square request: no JPEG scaling)")
    print(f"    spool + process_image + MediaStore   {full_ms:7.1f} ms")

    result = process_image(io.BytesIO(data))
    bare = bare_pillow(data)
    print(f"\nupright original: {result.width}×{result.height}, content_hash {result.content_hash[:16]}…")
    for size in SIZES:
        w, h = result.dimensions[size]
        print(
            f"  {size:>4}: {w:>4}×{h:<4} {len(result.variants[size]):>8,} bytes"
            f"   (bare Pillow: {len(bare[size]):>8,} bytes)"
        )


if __name__ == "__main__":
    main()
