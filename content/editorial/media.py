"""Photo intake: type sniffed from the bytes, size and pixel limits, EXIF orientation applied,
every metadata block dropped (GPS must never reach a platform), stored content-addressed.

Also the photo preparation a channel's rules call for, offered instead of a refusal: Instagram
takes JPEG between 4:5 (portrait) and 1.91:1 (landscape), and `pad_photo` puts a photo on a
canvas of the nearest allowed ratio without cropping anything out of it. The result is a new
photo (new sha256), so a post that uses it goes back through approval like any other edit."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, replace

import pillow_heif
from PIL import Image, ImageCms, ImageFilter, ImageOps
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from content import audit
from content.audit import AuditAction
from content.editorial.channels import RULES
from content.infra.config import Settings
from content.infra.errors import MediaRejected, NotFound
from content.infra.store import BlobStore, sha256_hex
from content.models import Channel, Media
from content.org.actors import Actor
from content.org.permissions import Action, require

pillow_heif.register_heif_opener()

# Sniffed kind -> the one Pillow plugin allowed to open it (no other decoder sees the bytes).
ACCEPTED = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "heif": "HEIF"}
JPEG_QUALITY = 90
STORE_MAX_SIDE = 4096  # larger than any platform keeps; bounds the disk and later decoding
# libjpeg decodes at 1/2, 1/4 or 1/8 scale on request (`Image.draft`): a JPEG is decoded no
# larger than needed to keep both sides at least this long, so its decoded size stays bounded.
JPEG_DRAFT_SIDE = STORE_MAX_SIDE // 2


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 25 * 1024 * 1024
    max_pixels: int = 50_000_000
    max_side: int = 12_000
    # PNG, WebP and HEIC cannot be decoded at a reduced scale: every pixel costs 3–4 bytes, once
    # for each copy the clean-up makes (a 49-megapixel PNG of 200 KB cost 667 MB). Above this
    # many pixels they are refused from their header, before any decoding.
    max_decoded_pixels: int = 24_000_000

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(settings.max_upload_bytes, settings.max_pixels, settings.max_side)


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    mime: str
    width: int
    height: int

    @property
    def sha256(self) -> str:
        return sha256_hex(self.data)

    @property
    def extension(self) -> str:
        return "png" if self.mime == "image/png" else "jpg"


def sniff(data: bytes) -> str | None:
    """The format the bytes really are, whatever the file is called."""
    head = data[:32]
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in {
        b"heic",
        b"heix",
        b"mif1",
        b"msf1",
        b"heim",
        b"heis",
    }:
        return "heif"
    if head[:6] in {b"GIF87a", b"GIF89a"}:
        return "gif"
    return None


def _size(size: int, *, up: bool = False) -> str:
    # A file's size is rounded up, so one byte over the limit does not read "25,0 MB melebihi
    # batas unggah 25,0 MB".
    unit, name = (1024 * 1024, "MB") if size >= 1024 * 1024 else (1024, "KB")
    tenths = size / unit * 10
    return f"{(math.ceil(tenths) if up else math.floor(tenths)) / 10:.1f} {name}".replace(".", ",")


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _open(data: bytes, limits: Limits) -> Image.Image:
    kind = sniff(data)
    if kind == "gif":
        raise MediaRejected("Berkas GIF tidak diterima; unggah foto JPEG, PNG, WebP atau HEIC.")
    if kind not in ACCEPTED:
        raise MediaRejected(
            "Berkas ini bukan foto JPEG, PNG, WebP atau HEIC (jenis dibaca dari isi berkas)."
        )
    # Our own pixel limit (checked below from the header, before decoding) is stricter than
    # Pillow's warning threshold; Pillow's hard error still guards the absurd sizes.
    try:
        image = Image.open(io.BytesIO(data), formats=[ACCEPTED[kind]])
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels(limits) from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise MediaRejected("Berkas foto rusak dan tidak dapat dibaca.") from exc
    width, height = image.size
    if width * height > limits.max_pixels or max(width, height) > limits.max_side:
        raise _too_many_pixels(limits, width, height)
    if kind == "jpeg":
        image.draft(image.mode, (JPEG_DRAFT_SIDE, JPEG_DRAFT_SIDE))
    if image.size[0] * image.size[1] > limits.max_decoded_pixels:
        raise _too_many_pixels(limits, width, height, limits.max_decoded_pixels)
    # A phone's JPEG often carries a second picture (MPO: depth map, HDR gain map); the first is
    # the photo. Only PNG, WebP and HEIC frames are an animation.
    if kind != "jpeg" and getattr(image, "n_frames", 1) > 1:
        raise MediaRejected("Gambar bergerak (animasi) tidak didukung; unggah satu foto diam.")
    return image


def _too_many_pixels(
    limits: Limits, width: int = 0, height: int = 0, max_pixels: int | None = None
) -> MediaRejected:
    size = f" ({width}×{height})" if width else ""
    if max_pixels is not None:  # the decoding bound of PNG, WebP and HEIC
        return MediaRejected(
            f"Foto PNG, WebP atau HEIC terlalu besar{size}: paling banyak "
            f"{_number(max_pixels / 1e6)} megapiksel; simpan sebagai JPEG atau perkecil dulu."
        )
    return MediaRejected(
        f"Foto terlalu besar{size}: paling banyak {_number(limits.max_pixels / 1e6)} megapiksel "
        f"dan {limits.max_side} piksel per sisi."
    )


def _to_srgb(image: Image.Image) -> Image.Image:
    icc = image.info.get("icc_profile")
    if not icc:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        mode = "RGBA" if "A" in image.getbands() else "RGB"
        converted = ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=mode
        )
        return converted if converted is not None else image
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


def _normalise_mode(image: Image.Image) -> Image.Image:
    if image.mode in {"I;16", "I;16B", "I;16L", "I"}:
        # Scale 16-bit down instead of clipping everything above 255 to white.
        return image.convert("I").point(lambda v: v / 256).convert("L")
    if image.mode in {"P", "L", "RGB"} and "transparency" in image.info:
        # A transparent colour (PNG tRNS) becomes an alpha channel instead of a solid colour.
        image = image.convert("RGBA")
    elif image.mode == "P":
        image = image.convert("RGB")
    elif image.mode in {"LA", "PA", "La", "RGBa"}:
        image = image.convert("RGBA")
    elif image.mode == "1":
        image = image.convert("L")
    elif image.mode not in {"RGB", "RGBA", "L"}:
        image = _to_srgb(image) if image.mode == "CMYK" else image
        image = image.convert("RGB")
    else:
        image = _to_srgb(image)
    if image.mode == "RGBA" and image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")
    return image


def _encode(image: Image.Image) -> tuple[bytes, str]:
    out = io.BytesIO()
    if image.mode == "RGBA":
        image.save(out, "PNG", optimize=False)
        return out.getvalue(), "image/png"
    image.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue(), "image/jpeg"


def clean_image(data: bytes, limits: Limits | None = None) -> CleanImage:
    """Bytes from a user in, a photo with no metadata out (or MediaRejected with one sentence)."""
    limits = limits or Limits()
    if not data:
        raise MediaRejected("Berkas kosong; pilih foto yang akan diunggah.")
    if len(data) > limits.max_bytes:
        raise MediaRejected(
            f"Berkas {_size(len(data), up=True)} melebihi batas unggah {_size(limits.max_bytes)}."
        )
    image = _open(data, limits)
    try:
        image.load()
        image = ImageOps.exif_transpose(image)
        image = _normalise_mode(image)
    except (OSError, SyntaxError, ValueError) as exc:
        raise MediaRejected("Berkas foto rusak atau terpotong dan tidak dapat dibaca.") from exc
    if max(image.size) > STORE_MAX_SIDE:
        image.thumbnail((STORE_MAX_SIDE, STORE_MAX_SIDE), Image.Resampling.LANCZOS)
    # A fresh image carries no info dict: EXIF, XMP, IPTC, ICC and comments all stay behind.
    bare = Image.new(image.mode, image.size)
    bare.paste(image)
    encoded, mime = _encode(bare)
    return CleanImage(encoded, mime, bare.width, bare.height)


def store_upload(
    session: Session,
    actor: Actor,
    store: BlobStore,
    data: bytes,
    *,
    filename: str = "",
    limits: Limits | None = None,
) -> Media:
    """Clean, store and register a photo; the same photo uploaded twice is one row and one file."""
    require(actor, Action.UPLOAD_MEDIA)
    image = clean_image(data, limits)
    digest = store.put(image.data, image.extension)
    existing = session.scalar(select(Media).where(Media.sha256 == digest))
    if existing is not None:
        return existing
    media = Media(
        sha256=digest,
        mime=image.mime,
        width=image.width,
        height=image.height,
        size_bytes=len(image.data),
        original_name=filename[-255:],
        uploaded_by_id=actor.user_id,
    )
    try:
        with session.begin_nested():
            session.add(media)
    except IntegrityError:  # the same photo arrived from another session a moment ago
        return session.scalars(select(Media).where(Media.sha256 == digest)).one()
    audit.record(
        session, actor, AuditAction.MEDIA_UPLOADED, "media", media.id, after={"sha256": digest}
    )
    return media


# --- padding to an allowed aspect ratio ------------------------------------------------------

INSTAGRAM_RATIOS: tuple[float, float] = RULES[Channel.INSTAGRAM].aspect_ratio or (4 / 5, 1.91)
PADDED_PREFIX = "berbingkai-"


def target_size(width: int, height: int, low: float, high: float) -> tuple[int, int]:
    """The smallest canvas holding width x height whose ratio lies in [low, high]."""
    ratio = width / height
    if ratio < low:
        return math.ceil(height * low), height
    if ratio > high:
        return width, math.ceil(width / high)
    return width, height


def pad_image(
    image: Image.Image, ratios: tuple[float, float], background: str = "blur"
) -> Image.Image:
    """An RGB image of the photo centred on a canvas of the nearest allowed ratio (the photo
    itself when already in range). Transparency is flattened on white, as a JPEG must be.

    `background` is "blur" (the photo itself, enlarged and blurred, like the apps do) or a
    colour Pillow understands ("#101820", "black")."""
    photo = ImageOps.exif_transpose(image)
    if "A" in photo.getbands() or "transparency" in photo.info:
        rgba = photo.convert("RGBA")
        photo = Image.alpha_composite(Image.new("RGBA", rgba.size, "white"), rgba)
    photo = photo.convert("RGB")
    size = target_size(photo.width, photo.height, *ratios)
    if size == photo.size:
        return photo
    if background == "blur":
        canvas = ImageOps.fit(photo, size).filter(ImageFilter.GaussianBlur(max(size) // 30 or 1))
    else:
        canvas = Image.new("RGB", size, background)
    canvas.paste(photo, ((size[0] - photo.width) // 2, (size[1] - photo.height) // 2))
    return canvas


def pad_to_aspect(
    data: bytes, ratios: tuple[float, float] = INSTAGRAM_RATIOS, background: str = "blur"
) -> bytes:
    """JPEG bytes of the photo centred on a canvas of the nearest allowed ratio (see
    `pad_image`); a photo already in range is only converted. No EXIF is carried over."""
    with Image.open(io.BytesIO(data)) as opened:
        padded = pad_image(opened, ratios, background)
    out = io.BytesIO()
    padded.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def pad_photo(
    session: Session,
    actor: Actor,
    store: BlobStore,
    media_id: int,
    channel: Channel = Channel.INSTAGRAM,
    *,
    limits: Limits | None = None,
) -> Media:
    """The framed version of a stored photo for `channel` (its ratio within the channel's rule,
    a JPEG), stored through the same intake as an upload: metadata dropped, content-addressed,
    so framing the same photo twice gives the same row. Raises NotFound for an unknown photo."""
    source = session.get(Media, media_id)
    if source is None:
        raise NotFound("Foto tidak ditemukan; unggah ulang.")
    ratios = RULES[channel].aspect_ratio or INSTAGRAM_RATIOS
    with Image.open(io.BytesIO(store.get(source.sha256, source.extension))) as opened:
        padded = pad_image(opened, ratios)
    # Handed to intake losslessly (an RGB PNG), so the JPEG is encoded once, by intake.
    out = io.BytesIO()
    padded.save(out, "PNG", compress_level=1)
    data = out.getvalue()
    # The upload byte limit guards what people send; these bytes are our own lossless handover.
    limits = limits or Limits()
    limits = replace(limits, max_bytes=max(limits.max_bytes, len(data)))
    name = source.original_name or f"{source.sha256[:12]}.{source.extension}"
    return store_upload(session, actor, store, data, filename=PADDED_PREFIX + name, limits=limits)
