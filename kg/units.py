"""Unit normalisation for extracted indicators.

Chinese news writes magnitudes into the unit (4400万元, 0.44亿元, 53万亿元), so
two figures can only be compared, stored or scored once the magnitude prefix is
moved into the value. These are pure functions over :class:`~decimal.Decimal`
so that no float rounding creeps into values that are compared within 0.5 %.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation, localcontext

# Magnitude prefixes of a unit as written. They are peeled repeatedly, so the
# compounds 万亿 (10^12), 千万 (10^7) and 百万 (10^6) need no entries of their own.
MAGNITUDES: dict[str, int] = {"亿": 8, "万": 4, "千": 3, "百": 2}

# Units that begin with a magnitude character but are words in their own right.
_NOT_PREFIXED = frozenset({"百分点", "百分比", "千分点", "万分点"})

_PRECISION = 60


def _as_decimal(value: Decimal | str | int) -> Decimal:
    """Read a value written with ASCII or full-width digits and optional commas."""
    if isinstance(value, Decimal):
        number = value
    else:
        text = unicodedata.normalize("NFKC", str(value)).replace(",", "").strip()
        try:
            number = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(f"not a decimal number: {value!r}") from exc
    if not number.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return number


def canonical_decimal(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation.

    ``Decimal.normalize`` turns 44000000 into ``4.4E+7``; integers are therefore
    quantized to an exponent of 0 and only fractions are normalised, so equal
    values always print the same way.
    """
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        if value == value.to_integral_value():
            return value.quantize(Decimal(1))
        return value.normalize()


def split_magnitude(unit: str) -> tuple[int, str]:
    """Split a unit as written into (power of ten, base unit): 万亿元 → (12, 元).

    Full-width forms (％) are folded by NFKC. Prefixes are peeled repeatedly, so
    compound spellings such as 亿千瓦时 become (11, 瓦时); a bare magnitude
    (9000万 people) leaves an empty base unit.
    """
    unit = unicodedata.normalize("NFKC", unit).strip()
    power = 0
    while unit and unit not in _NOT_PREFIXED:
        exponent = MAGNITUDES.get(unit[0])
        if exponent is None:
            break
        power += exponent
        unit = unit[1:]
    return power, unit


def normalise_unit(value: Decimal | str | int, unit: str) -> tuple[Decimal, str]:
    """Return the value in base units and the base unit.

    >>> normalise_unit("4400", "万元")
    (Decimal('44000000'), '元')
    >>> normalise_unit("1.8", "万人次")
    (Decimal('18000'), '人次')
    """
    number = _as_decimal(value)
    power, base = split_magnitude(unit)
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        scaled = number.scaleb(power)
    return canonical_decimal(scaled), base


def same_quantity(
    a: tuple[Decimal | str | int, str],
    b: tuple[Decimal | str | int, str],
    tolerance: Decimal | str = "0.005",
) -> bool:
    """True when two (value, unit) pairs have the same base unit and agree within tolerance.

    This is the indicator matching rule of the scoring notes (0.5 % relative).
    """
    va, ua = normalise_unit(*a)
    vb, ub = normalise_unit(*b)
    if ua != ub:
        return False
    if va == vb:
        return True
    largest = max(abs(va), abs(vb))
    return abs(va - vb) <= largest * Decimal(tolerance)
