"""Bech32 (BIP 173) as age uses it for keys: ``age1…`` recipients, ``AGE-SECRET-KEY-1…``
identities.

age lifts BIP 173's 90-character limit and nothing else: one case throughout (identities are
written upper-case), a 6-character checksum, 5-to-8-bit regrouping with zero padding. pyrage
can parse key strings but does not hand out the raw key bytes our own age implementation
needs, so this small codec does; tests check it against pyrage both ways.
"""

from __future__ import annotations

CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_VALUES = {c: i for i, c in enumerate(CHARSET)}
_GENERATOR = (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)


class Bech32Error(ValueError):
    """Not a valid Bech32 string."""


def _polymod(values: list[int]) -> int:
    chk = 1
    for value in values:
        top = chk >> 25
        chk = ((chk & 0x1FFFFFF) << 5) ^ value
        for i, gen in enumerate(_GENERATOR):
            if (top >> i) & 1:
                chk ^= gen
    return chk


def _hrp_expand(hrp: str) -> list[int]:
    return [ord(c) >> 5 for c in hrp] + [0] + [ord(c) & 31 for c in hrp]


def _regroup(data: bytes | list[int], src: int, dst: int, pad: bool) -> list[int]:
    acc = bits = 0
    out = []
    for value in data:
        acc = (acc << src) | value
        bits += src
        while bits >= dst:
            bits -= dst
            out.append((acc >> bits) & ((1 << dst) - 1))
    if pad:
        if bits:
            out.append((acc << (dst - bits)) & ((1 << dst) - 1))
    elif bits >= src or (acc << (dst - bits)) & ((1 << dst) - 1):
        raise Bech32Error("non-zero padding")
    return out


def encode(hrp: str, data: bytes) -> str:
    """Lower-case Bech32 of ``data`` under ``hrp`` (upper-case it for identities)."""
    hrp = hrp.lower()
    values = _regroup(data, 8, 5, pad=True)
    polymod = _polymod([*_hrp_expand(hrp), *values, 0, 0, 0, 0, 0, 0]) ^ 1
    checksum = [(polymod >> 5 * (5 - i)) & 31 for i in range(6)]
    return hrp + "1" + "".join(CHARSET[v] for v in values + checksum)


def decode(text: str) -> tuple[str, bytes]:
    """(lower-case hrp, data bytes); raises Bech32Error on any deviation."""
    if text.lower() != text and text.upper() != text:
        raise Bech32Error("mixed case")
    text = text.lower()
    sep = text.rfind("1")
    if sep < 1 or sep + 7 > len(text):
        raise Bech32Error("missing separator or checksum")
    hrp, rest = text[:sep], text[sep + 1 :]
    if any(ord(c) < 33 or ord(c) > 126 for c in hrp):
        raise Bech32Error("bad human-readable part")
    try:
        values = [_VALUES[c] for c in rest]
    except KeyError:
        raise Bech32Error("bad character") from None
    if _polymod(_hrp_expand(hrp) + values) != 1:
        raise Bech32Error("bad checksum")
    return hrp, bytes(_regroup(values[:-6], 5, 8, pad=False))
