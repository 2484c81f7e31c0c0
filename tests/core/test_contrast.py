"""WCAG contrast maths, and finding the text colour among anti-aliased pixels."""

import pytest

from autograd_playground.core.appearance.contrast import (
    contrast_ratio,
    hex_rgb,
    relative_luminance,
    text_contrast,
)

BLACK, WHITE = (0, 0, 0), (255, 255, 255)


def test_luminance_and_contrast_match_wcag_reference_values():
    assert relative_luminance(BLACK) == 0
    assert relative_luminance(WHITE) == pytest.approx(1)
    assert contrast_ratio(BLACK, WHITE) == pytest.approx(21)
    assert contrast_ratio(WHITE, BLACK) == pytest.approx(21)
    assert contrast_ratio((119, 119, 119), WHITE) == pytest.approx(4.48, abs=0.01)  # #777
    assert contrast_ratio((118, 118, 118), WHITE) == pytest.approx(4.54, abs=0.01)  # #767676
    assert contrast_ratio(hex_rgb("#555"), hex_rgb("#2b2d31")) < 2


def test_hex_rgb_reads_short_and_long_forms():
    assert hex_rgb("#555") == (85, 85, 85)
    assert hex_rgb("#1f77b4") == (31, 119, 180)
    with pytest.raises(ValueError, match="rrggbb"):
        hex_rgb("#12345")


def test_text_colour_is_found_among_antialiased_edges():
    background, text = (43, 45, 49), (230, 230, 230)
    blends = [
        tuple(round(b + (t - b) * k / 5) for b, t in zip(background, text, strict=True))
        for k in (1, 2)
    ]
    pixels = [background] * 400 + [text] * 30 + blends * 12 + [WHITE]  # one stray pixel
    contrast, found, behind = text_contrast(pixels)
    assert found == text  # not the single white pixel, nor a blend
    assert behind == background
    assert contrast == pytest.approx(contrast_ratio(text, background))


def test_dim_text_is_measured_dim_and_empty_regions_have_no_text():
    background = (43, 45, 49)
    contrast, _text, _background = text_contrast([background] * 300 + [(85, 85, 85)] * 40)
    assert contrast < 4.5
    assert text_contrast([background] * 50) is None
    assert text_contrast([background] * 50 + [(255, 255, 255)] * 3) is None  # a speck
    assert text_contrast([]) is None


def test_background_shading_is_not_taken_for_text():
    shading = [(240 - k, 240 - k, 240 - k) for k in range(12)]  # a button's gradient
    text = (26, 26, 26)
    pixels = shading * 40 + [(240, 240, 240)] * 100 + [text] * 20 + [(120, 120, 120)] * 10
    contrast, found, _background = text_contrast(pixels)
    assert found == text
    assert contrast > 12
