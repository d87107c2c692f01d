"""Unit normalisation: magnitudes move into the value, exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.units import canonical_decimal, normalise_unit, same_quantity, split_magnitude


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        ("4400", "万元", (Decimal("44000000"), "元")),
        ("0.44", "亿元", (Decimal("44000000"), "元")),
        ("53.02", "万亿元", (Decimal("53020000000000"), "元")),
        ("1.8", "万人次", (Decimal("18000"), "人次")),
        ("91.8", "%", (Decimal("91.8"), "%")),
        ("2", "千万元", (Decimal("20000000"), "元")),
        ("5", "百万元", (Decimal("5000000"), "元")),
        ("9000", "万", (Decimal("90000000"), "")),
        ("7", "家", (Decimal("7"), "家")),
    ],
)
def test_normalise_unit_scales_magnitude_prefixes(value, unit, expected):
    assert normalise_unit(value, unit) == expected


def test_values_stay_exact_decimals():
    value, _ = normalise_unit("0.1", "万元")
    assert value == Decimal("1000")
    assert str(value) == "1000"  # no 1E+3, no float residue


def test_trailing_zeros_are_normalised_deterministically():
    assert str(normalise_unit("91.80", "%")[0]) == "91.8"
    assert str(normalise_unit("4400.0", "万元")[0]) == "44000000"
    assert str(canonical_decimal(Decimal("1.2300"))) == "1.23"
    assert normalise_unit("4400", "万元") == normalise_unit(Decimal("0.4400"), "亿元")


def test_full_width_forms_and_thousands_separators():
    assert normalise_unit("１２", "％") == (Decimal("12"), "%")
    assert normalise_unit("1,070", "亿元") == (Decimal("107000000000"), "元")


def test_words_starting_with_a_magnitude_character_are_not_prefixed():
    assert normalise_unit("3", "百分点") == (Decimal("3"), "百分点")
    assert normalise_unit("1.5", "个百分点") == (Decimal("1.5"), "个百分点")


def test_physical_prefixes_peel_like_the_scorer():
    assert split_magnitude("亿千瓦时") == (11, "瓦时")
    assert split_magnitude("千米") == (3, "米")


def test_rejects_non_numbers():
    with pytest.raises(ValueError):
        normalise_unit("很多", "个")
    with pytest.raises(ValueError):
        normalise_unit("NaN", "个")


def test_same_quantity_uses_half_percent_tolerance_and_base_unit():
    assert same_quantity(("4400", "万元"), ("0.44", "亿元"))
    assert same_quantity(("1000", "万元"), ("0.1004", "亿元"))
    assert not same_quantity(("1000", "万元"), ("0.11", "亿元"))
    assert not same_quantity(("16", "部"), ("16", "项"))
