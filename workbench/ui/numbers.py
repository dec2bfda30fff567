"""Numbers as people write them, the same in every panel, form and language.

Counts always carry thousands separators ("1,438", as the form's spin boxes show them); other
values are written with a few significant digits in plain positional notation ("0.00006", not
"6e-05"). Only values too small or too large to read that way (below a millionth, a thousand
trillion and above) are written as powers of ten ("2.5 × 10⁻⁹"), never as "e-09". Both of the
window's languages (English, Simplified Chinese) group digits by three with a comma and use a
point for decimals, so the same text serves both; spin boxes are given the same convention with
:func:`use_number_locale`, whatever the system's own locale says.
"""

from __future__ import annotations

import math
from decimal import Decimal

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QAbstractSpinBox

_SMALLEST_PLAIN = 1e-6
_LARGEST_PLAIN = 1e15
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def count(value: int) -> str:
    """A whole number with thousands separators: 8, 1,438, 12,500."""
    return f"{int(value):,}"


def number(value: float, digits: int = 3) -> str:
    """``value`` to ``digits`` significant digits, trailing zeros dropped, in positional
    notation with thousands separators: 0.00006, 0.0316, 2.5, 1,438, 120,000."""
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "∞" if value > 0 else "−∞"
    if value == 0:
        return "0"
    rounded = Decimal(f"{value:.{digits}g}")
    magnitude = abs(rounded)
    if magnitude < Decimal(str(_SMALLEST_PLAIN)) or magnitude >= Decimal(str(_LARGEST_PLAIN)):
        return _power_of_ten(float(rounded), digits)
    text = f"{rounded:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def percent(fraction: float, digits: int = 3) -> str:
    """A fraction as a percentage: 0.934 → "93.4 %"."""
    return f"{number(100 * fraction, digits)} %"


def _power_of_ten(value: float, digits: int) -> str:
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    power = "10" + str(int(exponent)).translate(_SUPERSCRIPT)
    return power if mantissa == "1" else f"{mantissa} × {power}"


def number_locale() -> QLocale:
    """The convention every number is written in: comma groups, point decimals."""
    locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    locale.setNumberOptions(QLocale.NumberOption.DefaultNumberOptions)
    return locale


def use_number_locale(*boxes: QAbstractSpinBox, grouped: bool = True) -> None:
    """Spin boxes show and read numbers as :func:`count` and :func:`number` write them, with
    the thousands separators shown unless ``grouped`` is False (a seed is a name, not an
    amount)."""
    locale = number_locale()
    for box in boxes:
        box.setLocale(locale)
        box.setGroupSeparatorShown(grouped)
