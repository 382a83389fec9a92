"""A small pool of generated product photos, stored through the real upload pipeline.

Every (motif, variant) of `drawing.MOTIFS` that the demo catalogue needs is drawn once, saved as a JPEG
the way a phone would send it, and run through `process_image` and `MediaStore.save_variants` like an
upload. Products then share these photos: each `ProductImage` row points at the pool's paths, and the
content-addressed store keeps one file per rendition however many rows use it.

Rendered photos are kept for the life of the process, so a second seeding in the same process (the
tests) only re-saves them. (Rendering in worker processes was tried: no faster on the 2-core machine
this runs on, where the WebP encoder is the bottleneck.)
"""

from __future__ import annotations

import io
import random
from collections.abc import Iterable
from dataclasses import dataclass

from app.demo.drawing import MOTIFS, draw_motif
from app.media.processing import ProcessedImage, process_image
from app.media.storage import MediaStore

JPEG_QUALITY = 90  # what a phone camera typically writes

_rendered: dict[tuple[str, str], ProcessedImage] = {}


@dataclass(frozen=True, slots=True)
class StoredPhoto:
    """What a ProductImage row records about one photo."""

    content_hash: str
    paths: dict[str, str]  # {"320": relpath, "800": relpath, "1600": relpath}
    width: int
    height: int


def render(motif: str, variant: str) -> ProcessedImage:
    """Draw one motif variant and run it through the upload pipeline, as if a producer had sent it."""
    upload = io.BytesIO()
    draw_motif(motif, variant).save(upload, "JPEG", quality=JPEG_QUALITY)
    upload.seek(0)
    return process_image(upload)


class PhotoPool:
    """The stored photos of each motif, by variant."""

    def __init__(self, store: MediaStore) -> None:
        self.store = store
        self._photos: dict[str, dict[str, StoredPhoto]] = {}

    def prepare(self, motifs: Iterable[str]) -> int:
        """Render and store every variant of these motifs; return how many distinct photos the pool holds."""
        wanted = sorted(set(motifs) - self._photos.keys())
        for motif, variant in ((m, v) for m in wanted for v in MOTIFS[m][0]):
            processed = _rendered.get((motif, variant))
            if processed is None:
                processed = _rendered[(motif, variant)] = render(motif, variant)
            paths = self.store.save_variants(processed)  # idempotent: existing files are reused
            self._photos.setdefault(motif, {})[variant] = StoredPhoto(
                content_hash=processed.content_hash,
                paths={str(size): path for size, path in paths.items()},
                width=processed.width,
                height=processed.height,
            )
        return self.size

    @property
    def size(self) -> int:
        return sum(len(variants) for variants in self._photos.values())

    def choose(self, rng: random.Random, motif: str, tint: str | None, count: int) -> list[StoredPhoto]:
        """`count` different photos of a motif; the cover matches the product's colour when it has one."""
        variants = self._photos[motif]
        cover = variants[tint] if tint in variants else rng.choice(list(variants.values()))
        others = [photo for photo in variants.values() if photo is not cover]
        rng.shuffle(others)
        return [cover, *others][:count]
