"""Validators for Chinese identifiers and common fields.

- 统一社会信用代码 (unified social credit code), GB 32100-2015: 18 characters from a 31-letter
  alphabet (digits and capitals without I, O, Z, S, V); the last is a check character computed
  modulo 31 over the first 17 with fixed weights.
- 公民身份号码 (resident ID number), GB 11643-1999: 17 digits and an ISO 7064 MOD 11-2 check
  character (0-9 or X), with an embedded birth date.
"""

from __future__ import annotations

import datetime as _dt
import re
from urllib.parse import urlsplit

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def uscc_check_character(first17: str) -> str:
    """The GB 32100-2015 check character for the first 17 characters of a USCC."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def is_valid_uscc(code: str) -> bool:
    code = code.strip().upper()
    if len(code) != 18 or any(c not in USCC_ALPHABET for c in code):
        return False
    return uscc_check_character(code[:17]) == code[17]


def resident_id_check_character(first17: str) -> str:
    """The GB 11643-1999 (ISO 7064 MOD 11-2) check character of a resident ID number."""
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def is_valid_resident_id(number: str) -> bool:
    number = number.strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return False
    try:
        birth = _dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    if birth.year < 1800 or birth > _dt.date.today():
        return False
    return resident_id_check_character(number[:17]) == number[17]


def is_valid_url(url: str) -> bool:
    """An absolute http(s) URL with a host; the exact location a platform needs (Art. 5 (4))."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and " " not in url.strip()


def is_valid_datetime(value: str) -> bool:
    """ISO 8601 date or date-time (``2026-11-29`` or ``2026-11-29T10:00:00+08:00``)."""
    try:
        _dt.datetime.fromisoformat(value.strip())
    except ValueError:
        return False
    return True


def is_plausible_phone(value: str) -> bool:
    """Mainland mobile, landline with area code, or an international number."""
    digits = re.sub(r"[\s\-()]", "", value)
    return bool(re.fullmatch(r"\+?\d{5,15}", digits))


def is_plausible_email(value: str) -> bool:
    return bool(re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value.strip()))
