"""The slide renderer: exact sizes, cover crops, legible headlines that never overflow, no tofu,
clear refusals, deterministic output."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, JpegImagePlugin

from publishers.videotron import (
    EMERGENCY,
    HeadlineDoesNotFit,
    PhotoUnreadable,
    QrDoesNotFit,
    SlideError,
    UnsupportedCharacters,
    compose,
    min_cap_rows,
    render_slide,
)
from publishers.videotron.fonts import BOLD, REGULAR
from publishers.videotron.layout import DARK, Plan
from publishers.videotron.text import clean, missing_glyphs
from tests.videotron.helpers import photo_jpeg

SIZES = [(1408, 400), (288, 176), (504, 336), (1920, 1080), (1080, 1920), (400, 1408)]
SHORT = "Banjir"
LONG = "Posyandu serentak pekan ini di seluruh kelurahan Kota Bekasi mulai Senin pagi"
INDONESIAN = "Vaksinasi gratis 💉 untuk lansia 👵🏽 di Puskesmas Pengasinan ✅ — “ayo” datang!"
OPD = "Dinas Kependudukan dan Pencatatan Sipil"
DATE = "24 November 2026"


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _inside(box: tuple[int, int, int, int], outer: tuple[int, int, int, int]) -> bool:
    return outer[0] <= box[0] and outer[1] <= box[1] and box[2] <= outer[2] and box[3] <= outer[3]


def _assert_text_inside(plan: Plan) -> None:
    frame = plan.frame
    for line in plan.lines:
        assert _inside(line.bbox, frame.safe), (line.text, line.bbox, frame.safe)
        assert _inside(line.bbox, frame.text), (line.text, line.bbox, frame.text)
        # The ink as FreeType draws it, not only as the layout computed it.
        drawn = ImageDraw.Draw(Image.new("RGB", frame.size)).textbbox(
            (line.x, line.baseline), line.text, font=line.freetype, anchor="ls"
        )
        assert _inside(tuple(int(v) for v in drawn), frame.safe), (line.text, drawn)  # type: ignore[arg-type]
    if plan.qr_box is not None:
        assert _inside(plan.qr_box, frame.text)
        for line in plan.lines:
            l0, t0, r0, b0 = line.bbox
            q0, q1, q2, q3 = plan.qr_box
            assert r0 <= q0 or l0 >= q2 or b0 <= q1 or t0 >= q3, "text under the QR code"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("headline", [SHORT, LONG, INDONESIAN], ids=["short", "long", "emoji"])
def test_every_size_renders_exactly_with_text_inside_the_safe_area(
    photo: bytes, size: tuple[int, int], headline: str
) -> None:
    composed = compose(photo, headline, size=size, opd=OPD, date=DATE)
    assert composed.image.size == size
    plan = composed.plan
    _assert_text_inside(plan)
    assert plan.cap_rows >= 7
    # The capital H as FreeType rasterises it covers at least 7 pixel rows.
    ink = BOLD.at(plan.headline_size).getmask("H").getbbox()
    assert ink is not None and ink[3] - ink[1] >= 7
    drawn = " ".join(line.text for line in plan.lines)
    for word in clean(headline, [BOLD]).split():
        assert word in drawn
    data = render_slide(photo, headline, size=size, opd=OPD, date=DATE)
    image = _open(data)
    assert image.size == size
    if size[0] * size[1] <= 250_000:
        assert image.format == "PNG"
    else:
        assert image.format == "JPEG"
        assert JpegImagePlugin.get_sampling(image) == 0  # 4:4:4, no chroma subsampling


def test_nothing_but_background_around_the_text(photo: bytes) -> None:
    """Pixels of the text panel outside the text box are untouched background: no overflow."""
    for size in SIZES:
        composed = compose(photo, LONG, size=size, opd=OPD, date=DATE)
        frame, image = composed.plan.frame, composed.image
        left, top, right, bottom = frame.text
        panel = frame.panel
        accent = frame.accent or (0, 0, 0, 0)
        pixels = image.load()
        assert pixels is not None
        for x in range(panel[0], panel[2]):
            for y in range(panel[1], panel[3]):
                in_text = left <= x < right and top <= y < bottom
                in_accent = accent[0] <= x < accent[2] and accent[1] <= y < accent[3]
                if not in_text and not in_accent:
                    assert pixels[x, y] == DARK.background, (size, x, y)


def test_indonesian_text_with_emoji_has_no_tofu(photo: bytes) -> None:
    composed = compose(photo, INDONESIAN, size=(1408, 400), opd="Dinas Kesehatan", date=DATE)
    text = " ".join(line.text for line in composed.plan.lines)
    assert "Vaksinasi gratis untuk lansia di Puskesmas Pengasinan — “ayo” datang!" in text
    for line in composed.plan.lines:
        assert missing_glyphs(line.text, line.font) == set(), line.text
    for char in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éÉèàçñ–—“”‘’·…%&":
        assert BOLD.has(char) and REGULAR.has(char), char


def test_emoji_are_removed_cleanly() -> None:
    assert clean("Ayo vaksin 💉!", [BOLD]) == "Ayo vaksin!"
    assert clean("🎉 Hari Jadi Kota Bekasi ke-29 🇮🇩🎂", [BOLD]) == "Hari Jadi Kota Bekasi ke-29"
    assert clean("Keluarga 👨‍👩‍👧 sehat", [BOLD]) == "Keluarga sehat"
    assert clean("❤️Bekasi", [BOLD]) == "Bekasi"


def test_letters_the_font_lacks_are_refused_not_drawn_as_boxes(photo: bytes) -> None:
    with pytest.raises(UnsupportedCharacters, match="U\\+5317"):
        render_slide(photo, "Kunjungan delegasi 北京", size=(1408, 400))


def test_a_headline_of_only_emoji_is_refused(photo: bytes) -> None:
    with pytest.raises(HeadlineDoesNotFit, match="kosong"):
        render_slide(photo, "🎉🎉 🎂", size=(1408, 400))


def test_a_headline_that_cannot_fit_legibly_is_refused(photo: bytes) -> None:
    speech = " ".join(["Pemerintah Kota Bekasi mengajak warga menjaga kebersihan lingkungan"] * 4)
    with pytest.raises(HeadlineDoesNotFit, match="terkecil yang masih terbaca") as caught:
        render_slide(photo, speech, size=(288, 176))
    assert "Persingkat" in caught.value.message
    with pytest.raises(HeadlineDoesNotFit, match="Kata 'Pertanggungjawabannya"):
        render_slide(photo, "Pertanggungjawabannya", size=(288, 176))


def test_viewing_distance_raises_the_minimum(photo: bytes) -> None:
    assert min_cap_rows() == 7
    assert min_cap_rows(25, 10) == 56  # 25 m ÷ 45 = 556 mm = 55.6 rows of 10 mm
    assert min_cap_rows(2, 10) == 7
    composed = compose(photo, "Posyandu serentak", size=(1408, 400), viewing_distance_m=25)
    assert composed.plan.cap_rows >= 56 and composed.plan.min_cap_rows == 56
    _assert_text_inside(composed.plan)
    with pytest.raises(HeadlineDoesNotFit):
        render_slide(photo, LONG, size=(1408, 400), viewing_distance_m=120, pixel_pitch_mm=10)


def _circle_photo(size: tuple[int, int]) -> bytes:
    image = Image.new("RGB", size, (0, 0, 0))
    w, h = size
    r = min(size) // 4
    ImageDraw.Draw(image).ellipse(
        (w // 2 - r, h // 2 - r, w // 2 + r, h // 2 + r), fill=(255, 0, 0)
    )
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("source", [(600, 600), (300, 900), (1600, 400), (16, 12)])
def test_photos_are_cover_cropped_without_distortion(source: tuple[int, int]) -> None:
    for size in [(1408, 400), (400, 1408), (288, 176)]:
        composed = compose(_circle_photo(source), "Uji foto", size=size)
        photo_box = composed.plan.frame.photo
        assert photo_box is not None
        crop = composed.image.crop(photo_box)
        red = crop.getchannel("R").point(lambda v: 255 if v > 128 else 0)
        mask = Image.eval(crop.getchannel("G"), lambda v: 255 if v < 100 else 0)
        box = Image.composite(red, Image.new("L", crop.size, 0), mask).getbbox()
        assert box is not None
        width, height = box[2] - box[0], box[3] - box[1]
        # A circle stays a circle (its edges may be cut by the crop, never stretched).
        cut = box[0] == 0 or box[1] == 0 or box[2] == crop.width or box[3] == crop.height
        if not cut:
            assert abs(width - height) <= max(3, width * 0.04), (source, size, width, height)


def test_focal_point_chooses_the_crop() -> None:
    image = Image.new("RGB", (1000, 200), (0, 0, 255))
    ImageDraw.Draw(image).rectangle((0, 0, 499, 199), fill=(255, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    left = compose(out.getvalue(), "Fokus", size=(1408, 400), focus=(0.0, 0.5))
    right = compose(out.getvalue(), "Fokus", size=(1408, 400), focus=(1.0, 0.5))
    box = left.plan.frame.photo
    assert box is not None
    centre = ((box[0] + box[2]) // 2, (box[1] + box[3]) // 2)
    assert left.image.getpixel(centre)[0] > 200  # type: ignore[index]
    assert right.image.getpixel(centre)[2] > 200  # type: ignore[index]


def test_portrait_and_tiny_photos_render(photo: bytes) -> None:
    for source in [(900, 1600), (16, 12), (1, 1)]:
        data = render_slide(photo_jpeg(source), "Foto kecil", size=(1408, 400))
        assert _open(data).size == (1408, 400)


def test_a_photo_that_fails_to_decode_is_a_clear_error(photo: bytes, tmp_path: Path) -> None:
    with pytest.raises(PhotoUnreadable, match="tidak dapat dibaca"):
        render_slide(b"this is not a photo", SHORT, size=(1408, 400))
    with pytest.raises(PhotoUnreadable, match="rusak"):
        render_slide(photo[: len(photo) // 2], SHORT, size=(1408, 400))
    with pytest.raises(PhotoUnreadable, match="tidak dapat dibuka"):
        render_slide(tmp_path / "missing.jpg", SHORT, size=(1408, 400))


@pytest.mark.parametrize("fmt", ["BMP", "TGA", "TIFF", "GIF", "DDS"])
def test_only_the_photo_intakes_formats_are_decoded(fmt: str) -> None:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "navy").save(out, fmt)
    with pytest.raises(PhotoUnreadable, match="bukan gambar JPEG, PNG, WebP atau HEIC"):
        render_slide(out.getvalue(), SHORT, size=(288, 176))


def test_photo_from_a_path(photo: bytes, tmp_path: Path) -> None:
    path = tmp_path / "foto.jpg"
    path.write_bytes(photo)
    assert render_slide(path, SHORT, size=(288, 176)) == render_slide(photo, SHORT, size=(288, 176))


@pytest.mark.parametrize("size", [(1408, 400), (288, 176)])
def test_identical_input_gives_identical_bytes(photo: bytes, size: tuple[int, int]) -> None:
    first = render_slide(photo, INDONESIAN, size=size, opd=OPD, date=DATE)
    second = render_slide(photo, INDONESIAN, size=size, opd=OPD, date=DATE)
    assert first == second
    assert render_slide(photo, SHORT, size=size, opd=OPD, date=DATE) != first


def test_qr_code_fits_or_is_refused(photo: bytes) -> None:
    url = "https://bekasikota.go.id/berita/2026/11/posyandu-serentak"
    composed = compose(photo, LONG, size=(1408, 400), opd=OPD, date=DATE, qr_url=url)
    plan = composed.plan
    assert plan.qr_box is not None and plan.qr_module >= 2
    _assert_text_inside(plan)
    tile = composed.image.crop(plan.qr_box).convert("L")
    assert tile.getextrema() == (0, 235)  # dark modules on a light square
    with pytest.raises(QrDoesNotFit, match="tanpa QR"):
        render_slide(photo, SHORT, size=(288, 176), qr_url=url)


def test_canvas_and_offset_place_the_slide_inside_the_controller_input(photo: bytes) -> None:
    alone = _open(render_slide(photo, SHORT, size=(288, 176), format="png"))
    data = render_slide(
        photo, SHORT, size=(288, 176), canvas=(640, 480), offset=(100, 50), format="png"
    )
    full = _open(data).convert("RGB")
    assert full.size == (640, 480)
    assert full.crop((100, 50, 388, 226)).tobytes() == alone.convert("RGB").tobytes()
    assert full.getpixel((10, 10)) == (0, 0, 0)
    with pytest.raises(SlideError, match="keluar"):
        render_slide(photo, SHORT, size=(288, 176), canvas=(300, 200), offset=(100, 50))


def test_emergency_theme_is_dark_red_without_a_photo() -> None:
    composed = compose(None, "Banjir: hindari Jl. Ahmad Yani", size=(1408, 400), theme=EMERGENCY)
    assert composed.plan.frame.photo is None
    assert composed.plan.lines[0].text == "INFORMASI SERTA-MERTA"
    assert composed.image.getpixel((5, 5)) == EMERGENCY.background
    _assert_text_inside(composed.plan)


def test_text_is_bounded(photo: bytes) -> None:
    with pytest.raises(HeadlineDoesNotFit, match="300"):
        render_slide(photo, "kata " * 100, size=(1920, 1080))
    with pytest.raises(SlideError, match="200"):
        render_slide(photo, SHORT, size=(1920, 1080), opd="Dinas " * 50)


def test_sizes_are_bounded(photo: bytes) -> None:
    with pytest.raises(SlideError):
        render_slide(photo, SHORT, size=(0, 400))
    with pytest.raises(SlideError):
        render_slide(photo, SHORT, size=(20000, 400))
