"""Coordinate maps between what a reader sees (upright, origin bottom-left) and PDF space.

A PDF page may be shown rotated (/Rotate) and cropped (/CropBox); an image may be stored
sideways (EXIF orientation). Both are handled with one affine matrix instead of touching the
content or re-encoding the pixels.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def affine_from(fn: Callable[[float, float], tuple[float, float]]) -> Matrix:
    """The matrix [a b c d e f] of an affine map, read off at three points."""
    e, f = fn(0.0, 0.0)
    x1, y1 = fn(1.0, 0.0)
    x2, y2 = fn(0.0, 1.0)
    return (x1 - e, y1 - f, x2 - e, y2 - f, e, f)


def display_size(box: Box, rotate: int) -> tuple[float, float]:
    w, h = box[2] - box[0], box[3] - box[1]
    return (h, w) if rotate % 180 == 90 else (w, h)


def display_to_user(box: Box, rotate: int) -> Matrix:
    """Map displayed page coordinates (u, v) to user space of a page shown with /Rotate
    ``rotate`` (clockwise) and visible area ``box``."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    r = rotate % 360

    def fn(u: float, v: float) -> tuple[float, float]:
        if r == 90:
            return (x0 + w - v, y0 + u)
        if r == 180:
            return (x0 + w - u, y0 + h - v)
        if r == 270:
            return (x0 + v, y0 + h - u)
        return (x0 + u, y0 + v)

    return affine_from(fn)


def display_to_user_point(box: Box, rotate: int, u: float, v: float) -> tuple[float, float]:
    a, b, c, d, e, f = display_to_user(box, rotate)
    return (a * u + c * v + e, b * u + d * v + f)


def oriented_size(pixel_size: tuple[int, int], orientation: int) -> tuple[int, int]:
    w, h = pixel_size
    return (h, w) if orientation in (5, 6, 7, 8) else (w, h)


def image_matrix(orientation: int, rect: tuple[float, float, float, float]) -> Matrix:
    """The ``cm`` that draws an image XObject (unit square, first row at the top) into
    ``rect`` (x, y, w, h on the page) as EXIF ``orientation`` says it should be seen."""
    x, y, w, h = rect

    def fn(s: float, t: float) -> tuple[float, float]:
        c, r = s, 1.0 - t  # stored column and row, 0..1 from the top-left
        X, Y = {  # displayed position, 0..1 from the top-left
            1: (c, r),
            2: (1 - c, r),
            3: (1 - c, 1 - r),
            4: (c, 1 - r),
            5: (r, c),
            6: (1 - r, c),
            7: (1 - r, 1 - c),
            8: (r, 1 - c),
        }.get(orientation, (c, r))
        return (x + X * w, y + (1 - Y) * h)

    return affine_from(fn)


def fmt_matrix(m: Matrix) -> bytes:
    return (" ".join(fmt_num(v) for v in m) + " cm").encode("ascii")


def fmt_num(v: float) -> str:
    """A number for a content stream: at most four decimals, no trailing zeros."""
    text = f"{v:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# --- affine maths for content streams (redaction) -------------------------------------------

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


def mul(m: Matrix, n: Matrix) -> Matrix:
    """m × n (apply m, then n)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (
        a * A + b * C,
        a * B + b * D,
        c * A + d * C,
        c * B + d * D,
        e * A + f * C + E,
        e * B + f * D + F,
    )


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def bbox(m: Matrix, pts: Iterable[tuple[float, float]]) -> Box:
    mapped = [apply(m, x, y) for x, y in pts]
    xs, ys = [p[0] for p in mapped], [p[1] for p in mapped]
    return (min(xs), min(ys), max(xs), max(ys))


def norm_box(v: list[float]) -> Box:
    return (min(v[0], v[2]), min(v[1], v[3]), max(v[0], v[2]), max(v[1], v[3]))


def touches(box: Box, rects: list[Box]) -> bool:
    return any(box[0] < r[2] and box[2] > r[0] and box[1] < r[3] and box[3] > r[1] for r in rects)


def invert(m: Matrix) -> Matrix | None:
    a, b, c, d, e, f = m
    det = a * d - b * c
    if abs(det) < 1e-12:
        return None
    ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
    return (ia, ib, ic, id_, -(e * ia + f * ic), -(e * ib + f * id_))
