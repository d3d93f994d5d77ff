"""Photo intake: what a PPID Pembantu uploads from a phone or a camera, and what is kept of it.

Every file is made here with Pillow (and pillow-heif); nothing binary is checked in. Refusals are
MediaRejected with one Indonesian sentence; accepted photos lose all metadata (GPS above all).
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from pathlib import Path

import pillow_heif
import pytest
from PIL import Image, ImageCms, ImageDraw, PngImagePlugin
from PIL.ExifTags import GPS, IFD, Base
from sqlalchemy import func, select

from content.editorial.media import CleanImage, Limits, clean_image, sniff, store_upload
from content.infra.errors import MediaRejected, PermissionDenied
from content.infra.store import sha256_hex
from content.models import AuditEvent, Media
from tests.world import World

RED, BLUE, WHITE = (255, 0, 0), (0, 0, 255), (255, 255, 255)
ENGLISH = {"the", "is", "not", "cannot", "file", "image", "error", "truncated", "identify"}
ENGLISH |= {"decompression", "bomb", "exceeds", "limit", "unsupported", "format", "mode"}


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def scene(size: tuple[int, int] = (320, 240)) -> Image.Image:
    """Something like a photo (edges and gradients), so that encoders have real work to do."""
    image = Image.new("RGB", size, (30, 90, 160))
    draw = ImageDraw.Draw(image)
    for x in range(0, size[0], 9):
        draw.line((x, 0, size[0] - x, size[1]), fill=(x % 256, 140, 255 - x % 256), width=3)
    draw.rectangle((10, 10, 60, 50), fill=(240, 200, 20))
    return image


def marked(size: tuple[int, int] = (60, 30)) -> Image.Image:
    """White, with a red block in the stored top-left corner: shows where a rotation puts it."""
    image = Image.new("RGB", size, WHITE)
    ImageDraw.Draw(image).rectangle((0, 0, 9, 9), fill=RED)
    return image


def reopen(clean: CleanImage) -> Image.Image:
    image = Image.open(io.BytesIO(clean.data))
    assert image.format == {"image/jpeg": "JPEG", "image/png": "PNG"}[clean.mime]
    assert image.size == (clean.width, clean.height)
    return image


def near(actual: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 12) -> bool:
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


def rgb_at(image: Image.Image, xy: tuple[int, int]) -> tuple[int, ...]:
    pixel = image.convert("RGB").getpixel(xy)
    assert isinstance(pixel, tuple)
    return pixel


def refusal(data: bytes, limits: Limits | None = None) -> str:
    with pytest.raises(MediaRejected) as refused:
        clean_image(data, limits)
    message = str(refused.value)
    assert_one_indonesian_sentence(message)
    return message


def assert_one_indonesian_sentence(message: str) -> None:
    assert message[:1].isupper() and message.endswith("."), message
    assert "\n" not in message and "Traceback" not in message, message
    assert not re.search(r"[.!?]\s", message), f"more than one sentence: {message}"
    words = set(re.findall(r"[a-z]+", message.lower()))
    assert not words & ENGLISH, message


def png_header_only(width: int, height: int) -> bytes:
    """A valid PNG signature and IHDR claiming width×height, then a few bytes of pixel data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def exif_with_gps(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[Base.Make] = "Samsung"
    exif[Base.Model] = "Galaxy A54"
    if orientation:
        exif[Base.Orientation] = orientation
    gps = exif.get_ifd(IFD.GPSInfo)
    gps[GPS.GPSLatitudeRef] = "S"
    gps[GPS.GPSLatitude] = (6.0, 14.0, 16.5)  # Plaza Pemkot Bekasi
    gps[GPS.GPSLongitudeRef] = "E"
    gps[GPS.GPSLongitude] = (107.0, 0.0, 6.4)
    return exif


XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="6,14.275S"/>'
    b"</rdf:RDF></x:xmpmeta>"
)
SRGB_ICC = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def assert_no_metadata(clean: CleanImage) -> None:
    image = reopen(clean)
    assert not image.getexif(), image.getexif()
    assert not image.getexif().get_ifd(IFD.GPSInfo)
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "comment", "Comment", "icc_profile", "dpi"):
        assert key not in image.info, key
    for marker in (b"Exif\0\0", b"adobe:ns:meta", b"GPS", b"Galaxy", b"Samsung", b"acsp"):
        assert marker not in clean.data, marker


def heic(image: Image.Image, **options: object) -> bytes:
    try:
        heif = pillow_heif.from_pillow(image)
        out = io.BytesIO()
        heif.save(out, quality=90, **options)
    except Exception as exc:  # any failure means this build of libheif cannot encode
        pytest.skip(f"pillow-heif cannot encode HEIC here: {type(exc).__name__}: {exc}")
    return out.getvalue()


# --- refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
@pytest.mark.parametrize("keep", [0.02, 0.5, 0.9])
def test_a_truncated_photo_is_refused_as_damaged(fmt: str, keep: float) -> None:
    data = encode(scene(), fmt)
    message = refusal(data[: max(16, int(len(data) * keep))])
    assert "rusak" in message


def test_an_empty_upload_is_refused() -> None:
    assert "kosong" in refusal(b"")


def test_a_file_over_the_byte_limit_is_refused_before_it_is_read() -> None:
    data = encode(scene(), "JPEG")
    message = refusal(data, Limits(max_bytes=len(data) - 1))
    assert "melebihi batas unggah" in message
    # 25 MB and one byte: the message must not claim "25,0 MB melebihi batas unggah 25,0 MB".
    over = b"\xff\xd8\xff" + bytes(25 * 1024 * 1024 - 2)
    assert refusal(over) == "Berkas 25,1 MB melebihi batas unggah 25,0 MB."


@pytest.mark.parametrize(
    "limits",
    [Limits(), Limits(max_pixels=2_000_000_000, max_side=40_000)],
    ids=["our-limits", "pillow-bomb-guard"],
)
def test_a_decompression_bomb_is_refused_from_its_header(limits: Limits) -> None:
    # 30000×30000 claimed by a 100-byte file: had it been decoded, the missing pixel data would
    # have made it "rusak"; "terlalu besar" shows it was refused on the header alone.
    bomb = png_header_only(30_000, 30_000)
    assert len(bomb) < 200
    message = refusal(bomb, limits)
    assert message.startswith("Foto terlalu besar")
    assert "megapiksel" in message


def test_a_49_megapixel_png_is_refused_from_its_header_before_decoding() -> None:
    # Within the 50-megapixel limit, but a PNG is decoded whole (a 200 KB one cost 667 MB):
    # "terlalu besar" rather than "rusak" shows that its missing pixels were never decoded.
    message = refusal(png_header_only(7000, 7000))
    assert message.startswith("Foto PNG, WebP atau HEIC terlalu besar (7000×7000)")
    assert "24 megapiksel" in message


def test_a_49_megapixel_jpeg_is_decoded_at_half_scale_and_kept() -> None:
    clean = clean_image(encode(Image.new("L", (7000, 7000), 128), "JPEG"))
    assert (clean.mime, clean.width, clean.height) == ("image/jpeg", 3500, 3500)


def test_too_many_pixels_names_the_size_and_the_limit() -> None:
    data = encode(scene((320, 240)), "JPEG")
    message = refusal(data, Limits(max_pixels=50_000))
    assert message == (
        "Foto terlalu besar (320×240): paling banyak 0,05 megapiksel dan 12000 piksel per sisi."
    )
    assert "(320×240)" in refusal(data, Limits(max_side=300))


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>",
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>',
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n",
        b"Daftar hadir rapat koordinasi posyandu\n",
        b"PK\x03\x04" + bytes(40),  # a .docx or .zip
        encode(scene((40, 30)), "BMP"),
        encode(scene((40, 30)), "TIFF"),
    ],
    ids=["html", "svg", "pdf", "text", "zip", "bmp", "tiff"],
)
def test_files_that_are_not_photos_are_refused_whatever_their_name(data: bytes) -> None:
    assert sniff(data) is None
    assert refusal(data) == (
        "Berkas ini bukan foto JPEG, PNG, WebP atau HEIC (jenis dibaca dari isi berkas)."
    )


def test_gif_is_refused_still_or_animated() -> None:
    still = encode(scene((40, 30)), "GIF")
    frames = [Image.new("RGB", (40, 30), c) for c in ("red", "blue", "green")]
    animated = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=200)
    for data in (still, animated):
        assert sniff(data) == "gif"
        assert refusal(data) == "Berkas GIF tidak diterima; unggah foto JPEG, PNG, WebP atau HEIC."


@pytest.mark.parametrize("fmt", ["WEBP", "PNG"], ids=["animated-webp", "apng"])
def test_animations_are_refused_with_a_clear_sentence(fmt: str) -> None:
    frames = [Image.new("RGB", (40, 30), c) for c in ("red", "blue")]
    data = encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=200)
    assert Image.open(io.BytesIO(data)).n_frames == 2
    assert refusal(data) == "Gambar bergerak (animasi) tidak didukung; unggah satu foto diam."


# --- what is accepted, and how it comes out ------------------------------------------------------


def test_a_phone_jpeg_with_a_second_picture_is_a_photo_not_an_animation() -> None:
    # Phones write MPO: the photo plus a depth or HDR gain map in the same .jpg.
    out = io.BytesIO()
    marked().save(out, "MPO", save_all=True, append_images=[Image.new("RGB", (60, 30), BLUE)])
    assert Image.open(io.BytesIO(out.getvalue())).n_frames == 2
    clean = clean_image(out.getvalue())
    image = reopen(clean)
    assert (clean.mime, image.size) == ("image/jpeg", (60, 30))
    assert near(rgb_at(image, (2, 2)), RED) and near(rgb_at(image, (50, 20)), WHITE)


def test_png_bytes_named_jpg_are_read_as_png() -> None:
    data = encode(Image.new("RGBA", (40, 30), (0, 128, 0, 128)), "PNG")
    assert sniff(data) == "png"
    clean = clean_image(data)
    assert (clean.mime, clean.extension) == ("image/png", "png")
    assert reopen(clean).getpixel((5, 5)) == (0, 128, 0, 128)


@pytest.mark.parametrize(
    ("image", "mime", "mode"),
    [
        (Image.new("RGB", (30, 20), (10, 120, 200)), "image/jpeg", "RGB"),
        (Image.new("RGBA", (30, 20), (10, 120, 200, 255)), "image/jpeg", "RGB"),  # opaque alpha
        (Image.new("L", (30, 20), 90), "image/jpeg", "L"),
        (Image.new("1", (30, 20), 1), "image/jpeg", "L"),
        (Image.new("LA", (30, 20), (90, 100)), "image/png", "RGBA"),
        (Image.new("P", (30, 20), 3), "image/jpeg", "RGB"),
    ],
    ids=["rgb", "rgba-opaque", "grey", "bilevel", "grey-alpha", "palette"],
)
def test_png_modes_become_jpeg_unless_transparency_matters(
    image: Image.Image, mime: str, mode: str
) -> None:
    clean = clean_image(encode(image, "PNG"))
    assert (clean.mime, reopen(clean).mode) == (mime, mode)


def test_cmyk_jpeg_becomes_rgb_with_its_colours() -> None:
    image = Image.new("CMYK", (60, 30), (0, 255, 255, 0))  # red in print colours
    ImageDraw.Draw(image).rectangle((30, 0, 59, 29), fill=(255, 255, 0, 0))  # blue
    clean = clean_image(encode(image, "JPEG", quality=95))
    out = reopen(clean)
    assert (clean.mime, out.mode) == ("image/jpeg", "RGB")
    assert near(rgb_at(out, (10, 15)), RED, 20)
    assert near(rgb_at(out, (50, 15)), BLUE, 20)


def test_16_bit_grey_is_scaled_not_clipped_to_white() -> None:
    image = Image.new("I;16", (30, 10))
    image.putdata(([0] * 10 + [32768] * 10 + [65535] * 10) * 10)  # black, mid-grey, white bands
    data = encode(image, "PNG")
    assert Image.open(io.BytesIO(data)).mode.startswith("I")
    out = reopen(clean_image(data))
    assert out.mode == "L"
    assert [out.getpixel((x, 5)) for x in (5, 15, 25)] == pytest.approx([0, 128, 255], abs=3)


@pytest.mark.parametrize("source", ["palette", "grey-trns", "rgb-trns"])
def test_transparent_pngs_stay_png_with_alpha(source: str) -> None:
    if source == "palette":
        image = Image.new("P", (20, 20), 0)
        image.putpalette([255, 0, 0, 0, 255, 0] + [0] * 762)
        ImageDraw.Draw(image).rectangle((10, 0, 19, 19), fill=1)
        data = encode(image, "PNG", transparency=0)
        opaque = (0, 255, 0, 255)
    elif source == "grey-trns":
        image = Image.new("L", (20, 20), 0)
        ImageDraw.Draw(image).rectangle((10, 0, 19, 19), fill=200)
        data = encode(image, "PNG", transparency=0)
        opaque = (200, 200, 200, 255)
    else:
        image = Image.new("RGB", (20, 20), (0, 0, 0))
        ImageDraw.Draw(image).rectangle((10, 0, 19, 19), fill=(0, 255, 0))
        data = encode(image, "PNG", transparency=(0, 0, 0))
        opaque = (0, 255, 0, 255)
    clean = clean_image(data)
    out = reopen(clean)
    assert (clean.mime, out.mode) == ("image/png", "RGBA")
    pixel = out.getpixel((2, 2))
    assert isinstance(pixel, tuple) and pixel[3] == 0
    assert out.getpixel((15, 10)) == opaque


@pytest.mark.parametrize(
    ("orientation", "red_corner"),
    [(1, (0, 0)), (3, (-1, -1)), (6, (-1, 0)), (8, (0, -1))],
    ids=["upright", "upside-down", "rotate-90-cw", "rotate-90-ccw"],
)
@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_exif_orientation_is_applied_as_a_viewer_would(
    fmt: str, orientation: int, red_corner: tuple[int, int]
) -> None:
    exif = Image.Exif()
    exif[Base.Orientation] = orientation
    clean = clean_image(encode(marked((60, 30)), fmt, exif=exif.tobytes()))
    out = reopen(clean)
    turned = orientation in {6, 8}
    assert out.size == ((30, 60) if turned else (60, 30))
    w, h = out.size
    corner = (2 if red_corner[0] == 0 else w - 3, 2 if red_corner[1] == 0 else h - 3)
    assert near(rgb_at(out, corner), RED, 30), (corner, rgb_at(out, corner))
    for other in {(2, 2), (w - 3, 2), (2, h - 3), (w - 3, h - 3)} - {corner}:
        assert near(rgb_at(out, other), WHITE, 30), (other, rgb_at(out, other))
    assert Base.Orientation not in out.getexif()


def test_gps_exif_xmp_icc_and_comment_never_leave_a_jpeg() -> None:
    data = encode(
        scene(),
        "JPEG",
        exif=exif_with_gps().tobytes(),
        xmp=XMP,
        icc_profile=SRGB_ICC,
        comment=b"Galaxy A54 - rumah Bu Siti",
        dpi=(300, 300),
    )
    original = Image.open(io.BytesIO(data))
    assert original.getexif().get_ifd(IFD.GPSInfo) and "xmp" in original.info
    assert "comment" in original.info and "icc_profile" in original.info
    assert_no_metadata(clean_image(data))


def test_metadata_never_leaves_a_png_or_webp() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    info.add_text("Comment", "Galaxy A54 - rumah Bu Siti")
    with_alpha = scene().convert("RGBA")
    ImageDraw.Draw(with_alpha).rectangle((0, 0, 40, 40), fill=(0, 0, 0, 0))  # a cut-out corner
    png = encode(with_alpha, "PNG", pnginfo=info, exif=exif_with_gps(), icc_profile=SRGB_ICC)
    assert Image.open(io.BytesIO(png)).getexif().get_ifd(IFD.GPSInfo)
    clean = clean_image(png)
    assert clean.mime == "image/png"
    assert_no_metadata(clean)
    webp = encode(scene(), "WEBP", exif=exif_with_gps().tobytes(), xmp=XMP, icc_profile=SRGB_ICC)
    assert_no_metadata(clean_image(webp))


def test_webp_is_stored_as_jpeg() -> None:
    clean = clean_image(encode(scene((200, 100)), "WEBP", quality=90))
    out = reopen(clean)
    assert (clean.mime, clean.extension, out.size) == ("image/jpeg", "jpg", (200, 100))
    assert near(rgb_at(out, (35, 30)), (240, 200, 20), 25)  # the yellow rectangle


def test_heic_round_trip_is_rotated_once_and_loses_its_gps() -> None:
    data = heic(marked((64, 32)), exif=exif_with_gps(orientation=6).tobytes())
    assert sniff(data) == "heif"
    clean = clean_image(data)
    out = reopen(clean)
    assert (clean.mime, out.size) == ("image/jpeg", (32, 64))
    assert near(rgb_at(out, (29, 2)), RED, 30) and near(rgb_at(out, (2, 2)), WHITE, 30)
    assert_no_metadata(clean)


def test_very_large_photos_are_kept_at_4096_pixels_a_side() -> None:
    clean = clean_image(encode(Image.new("RGB", (5000, 100), (10, 120, 200)), "PNG"))
    assert (clean.width, clean.height) == (4096, 82)


def test_the_same_photo_always_gives_the_same_bytes() -> None:
    plain = encode(scene(), "JPEG", quality=92)
    first, second = clean_image(plain), clean_image(plain)
    assert first.data == second.data and first.sha256 == second.sha256 == sha256_hex(first.data)
    # The same pixels with a phone's metadata attached are the same photo.
    tagged = encode(scene(), "JPEG", quality=92, exif=exif_with_gps().tobytes(), comment=b"x")
    assert tagged != plain
    assert clean_image(tagged).sha256 == first.sha256


# --- store_upload on both databases --------------------------------------------------------------


def _stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_the_same_photo_twice_is_one_row_and_one_file(world: World) -> None:
    s = world.session
    data = encode(scene(), "JPEG", exif=exif_with_gps().tobytes())
    before_rows = s.scalar(select(func.count()).select_from(Media))
    before_files = _stored_files(world.store.root)

    first = store_upload(s, world.pembantu, world.store, data, filename="posyandu-melati.jpg")
    again = store_upload(s, world.pembantu2, world.store, data, filename="salinan.jpg")

    assert again.id == first.id
    assert s.scalar(select(func.count()).select_from(Media)) == before_rows + 1
    new_files = sorted(set(_stored_files(world.store.root)) - set(before_files))
    assert [p.name for p in new_files] == [f"{first.sha256}.jpg"]
    stored = new_files[0].read_bytes()
    assert sha256_hex(stored) == first.sha256 and len(stored) == first.size_bytes
    assert (first.mime, first.width, first.height) == ("image/jpeg", 320, 240)
    assert first.original_name == "posyandu-melati.jpg"
    assert first.uploaded_by_id == world.pembantu.user_id
    assert b"Exif" not in stored and b"GPS" not in stored
    uploads = select(func.count()).where(
        AuditEvent.action == "media.uploaded", AuditEvent.entity_id == first.id
    )
    assert s.scalar(uploads) == 1


def test_a_disguised_png_is_stored_as_png(world: World) -> None:
    data = encode(Image.new("RGBA", (40, 30), (0, 128, 0, 128)), "PNG")
    media = store_upload(world.session, world.pembantu, world.store, data, filename="foto.jpg")
    assert (media.mime, media.extension) == ("image/png", "png")
    assert world.store.exists(media.sha256, "png")


def test_a_refused_upload_stores_nothing(world: World) -> None:
    s = world.session
    before_rows = s.scalar(select(func.count()).select_from(Media))
    before_files = _stored_files(world.store.root)
    with pytest.raises(MediaRejected) as refused:
        store_upload(s, world.pembantu, world.store, b"<html></html>", filename="foto.jpg")
    assert_one_indonesian_sentence(str(refused.value))
    assert s.scalar(select(func.count()).select_from(Media)) == before_rows
    assert _stored_files(world.store.root) == before_files


def test_an_analyst_may_not_upload(world: World) -> None:
    s = world.session
    before_files = _stored_files(world.store.root)
    before_rows = s.scalar(select(func.count()).select_from(Media))
    with pytest.raises(PermissionDenied) as refused:
        store_upload(s, world.analyst, world.store, encode(scene(), "JPEG"), filename="a.jpg")
    assert str(refused.value) == "Peran Anda tidak berhak mengunggah foto."
    assert s.scalar(select(func.count()).select_from(Media)) == before_rows
    assert _stored_files(world.store.root) == before_files
