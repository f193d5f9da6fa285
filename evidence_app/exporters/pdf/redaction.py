"""Redaction: personal data is destroyed in a derivative copy, never only covered.

Images: decoded, turned upright, the rectangles filled black, written as a new PNG without
metadata. PDFs (no renderer is available on every platform, so pages are not rasterised): the
redacted pages' content streams are rewritten with pikepdf -

- every glyph whose box (from the font's widths, generous ascent/descent) touches an area is
  removed from its string and replaced by the equivalent positioning, so the rest of the line
  does not move; text in fonts whose encoding we cannot decode glyph by glyph (non-Identity CMaps)
  is removed a whole string at a time;
- images touching an area have those pixels blacked out and are re-encoded (JPEG stays JPEG);
  images we cannot decode, stencil masks and inline images touching an area are removed whole;
- form XObjects touching an area are copied and filtered the same way (depth-limited);
- annotations are flattened first (form field values become content) and those touching an area
  are removed; then a black box is drawn over each area.

Vector paths under an area are kept (hidden by the box): they are lines and shapes, not text.
Rectangles are page-relative (0..1, origin top-left of the page as displayed, i.e. after
/Rotate; for images after EXIF orientation).
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Dictionary, Name
from PIL import Image, ImageDraw, ImageOps

from evidence_app.exporters.pdf.errors import ExhibitRefused, short
from evidence_app.exporters.pdf.geometry import Box, Matrix, display_size, display_to_user_point
from evidence_app.exporters.pdf.images import normalise_mode
from evidence_app.exporters.pdf.preflight import IMAGE_FORMATS, MAX_IMAGE_PIXELS
from evidence_app.exporters.pdf.stamping import own_resources, page_rotation, visible_box
from evidence_app.model import EvidenceItem, Redaction

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
ASCENT, DESCENT = 1.1, -0.35  # generous glyph box, in text space units of the font size
MAX_FORM_DEPTH = 6


# --- images ----------------------------------------------------------------------------------


def redact_image(item: EvidenceItem, source: Path, orientation: int, dest: Path) -> Path:
    old = Image.MAX_IMAGE_PIXELS
    try:
        Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
        with Image.open(source, formats=IMAGE_FORMATS) as im:
            im.seek(0)
            upright = ImageOps.exif_transpose(im) if orientation != 1 else im.copy()
            upright = normalise_mode(upright or im)
            if upright.mode == "1":
                upright = upright.convert("L")
            draw = ImageDraw.Draw(upright)
            w, h = upright.size
            fill: Any = 0 if upright.mode in ("L",) else (0, 0, 0, 255)[: len(upright.mode)]
            if upright.mode == "LA":
                fill = (0, 255)
            for r in item.redactions:
                box = _pixel_box(r, w, h)
                draw.rectangle(box, fill=fill)
            upright.save(dest, format="PNG")  # no EXIF, no text chunks: nothing else leaks
    except Exception as exc:
        raise ExhibitRefused("pdf.redaction.failed", item, detail=short(exc)) from exc
    finally:
        Image.MAX_IMAGE_PIXELS = old
    return dest


def _pixel_box(r: Redaction, w: int, h: int) -> tuple[int, int, int, int]:
    """Pixels covered by ``r``, rounded outwards (never leave a half-covered pixel row)."""
    import math

    x0, y0 = math.floor(r.x * w), math.floor(r.y * h)
    x1, y1 = math.ceil((r.x + r.w) * w) - 1, math.ceil((r.y + r.h) * h) - 1
    return (max(0, x0), max(0, y0), min(w - 1, x1), min(h - 1, y1))


# --- PDFs ------------------------------------------------------------------------------------


def redact_pdf(item: EvidenceItem, source: Path, dest: Path) -> Path:
    try:
        with pikepdf.open(source) as pdf:
            if any(Name.Annots in p.obj for p in pdf.pages):
                pdf.flatten_annotations(mode="print")
            by_page: dict[int, list[Redaction]] = {}
            for r in item.redactions:
                by_page.setdefault(r.page, []).append(r)
            for index, redactions in sorted(by_page.items()):
                _redact_page(pdf, pdf.pages[index], redactions)
            pdf.save(dest, deterministic_id=True, fix_metadata_version=False)
    except ExhibitRefused:
        raise
    except Exception as exc:
        raise ExhibitRefused("pdf.redaction.failed", item, detail=short(exc)) from exc
    return dest


def user_rect(box: Box, rotate: int, r: Redaction) -> Box:
    """A page-relative rectangle (as displayed) in the page's user space."""
    dw, dh = display_size(box, rotate)
    u0, u1 = r.x * dw, (r.x + r.w) * dw
    v0, v1 = dh - (r.y + r.h) * dh, dh - r.y * dh
    pts = [display_to_user_point(box, rotate, u, v) for u in (u0, u1) for v in (v0, v1)]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    return (min(xs), min(ys), max(xs), max(ys))


def _redact_page(pdf: pikepdf.Pdf, page: pikepdf.Page, redactions: list[Redaction]) -> None:
    rects = [user_rect(visible_box(page), page_rotation(page), r) for r in redactions]
    resources = own_resources(page)
    ops = pikepdf.parse_content_stream(page)
    filtered = _Filter(pdf, resources, rects, 0).run(ops, IDENTITY)
    boxes = b"".join(
        f"{x0:.3f} {y0:.3f} {x1 - x0:.3f} {y1 - y0:.3f} re\n".encode() for x0, y0, x1, y1 in rects
    )
    content = (
        b"q\n" + pikepdf.unparse_content_stream(filtered) + b"\nQ\nq 0 0 0 rg\n" + boxes + b"f\nQ\n"
    )
    page.obj.Contents = pikepdf.Stream(pdf, content)
    annots = page.obj.get(Name.Annots)
    if isinstance(annots, pikepdf.Array):
        keep = pikepdf.Array()
        for annot in annots:
            rect = annot.get(Name.Rect)
            if rect is not None and _touches(_norm_box([float(v) for v in rect]), rects):
                continue
            keep.append(annot)
        page.obj.Annots = keep


# --- content stream filtering ----------------------------------------------------------------


def _mul(m: Matrix, n: Matrix) -> Matrix:
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


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])


def _bbox(m: Matrix, pts: Iterable[tuple[float, float]]) -> Box:
    mapped = [_apply(m, x, y) for x, y in pts]
    xs, ys = [p[0] for p in mapped], [p[1] for p in mapped]
    return (min(xs), min(ys), max(xs), max(ys))


def _norm_box(v: list[float]) -> Box:
    return (min(v[0], v[2]), min(v[1], v[3]), max(v[0], v[2]), max(v[1], v[3]))


def _touches(box: Box, rects: list[Box]) -> bool:
    return any(box[0] < r[2] and box[2] > r[0] and box[1] < r[3] and box[3] > r[1] for r in rects)


@dataclass
class _TextState:
    font: Any = None
    size: float = 0.0
    char_space: float = 0.0
    word_space: float = 0.0
    scale: float = 1.0
    leading: float = 0.0
    rise: float = 0.0


class _FontMetrics:
    """Code length and widths of a font, as far as the file tells them."""

    def __init__(self, font: Any) -> None:
        self.two_byte = False
        self.known = True
        self.widths: dict[int, float] = {}
        self.default = 1.0  # unknown widths are taken wide: removal errs towards covering
        self.unit = 0.001
        if not isinstance(font, Dictionary):
            self.known = False
            return
        subtype = font.get(Name.Subtype)
        if subtype == Name.Type0:
            encoding = font.get(Name.Encoding)
            self.two_byte = True
            self.known = encoding in (Name("/Identity-H"),)
            descendants = font.get(Name.DescendantFonts)
            cid = descendants[0] if isinstance(descendants, pikepdf.Array) else Dictionary()
            self.default = float(cid.get(Name.DW, 1000)) * self.unit
            self._read_w(cid.get(Name.W))
            return
        if subtype == Name.Type3:
            matrix = font.get(Name.FontMatrix)
            if isinstance(matrix, pikepdf.Array):
                self.unit = abs(float(matrix[0])) or 0.001
        first = int(font.get(Name.FirstChar, 0))
        widths = font.get(Name.Widths)
        if isinstance(widths, pikepdf.Array):
            for i, w in enumerate(widths):
                self.widths[first + i] = float(w) * self.unit
        elif Name.BaseFont in font:
            self._standard(str(font.BaseFont).lstrip("/"))

    def _read_w(self, w: Any) -> None:
        if not isinstance(w, pikepdf.Array):
            return
        items = list(w)
        i = 0
        while i < len(items):
            start = int(items[i])
            nxt = items[i + 1] if i + 1 < len(items) else None
            if isinstance(nxt, pikepdf.Array):
                for k, each in enumerate(nxt):
                    self.widths[start + k] = float(each) * self.unit
                i += 2
            elif i + 2 < len(items):
                end, same = int(items[i + 1]), float(items[i + 2])
                for code in range(start, min(end, start + 65535) + 1):
                    self.widths[code] = same * self.unit
                i += 3
            else:
                break

    def _standard(self, base: str) -> None:
        from reportlab.pdfbase import pdfmetrics

        try:
            face = pdfmetrics.getFont(base)
        except Exception:
            return
        for code, width in enumerate(getattr(face, "widths", [])):
            self.widths[code] = float(width) * self.unit

    def codes(self, data: bytes) -> list[int]:
        if self.two_byte:
            return [int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data) - 1, 2)]
        return list(data)

    def width(self, code: int) -> float:
        return self.widths.get(code, self.default)


class _Filter:
    def __init__(self, pdf: pikepdf.Pdf, resources: Any, rects: list[Box], depth: int) -> None:
        self.pdf = pdf
        self.resources = resources if isinstance(resources, Dictionary) else Dictionary()
        self.rects = rects
        self.depth = depth
        self.metrics: dict[str, _FontMetrics] = {}

    def run(self, ops: list[Any], ctm: Matrix) -> list[Any]:
        out: list[Any] = []
        stack: list[tuple[Matrix, _TextState]] = []
        ts = _TextState()
        tm = tlm = IDENTITY
        for op in ops:
            if isinstance(op, pikepdf.ContentStreamInlineImage):
                if _touches(_bbox(ctm, [(0, 0), (1, 0), (0, 1), (1, 1)]), self.rects):
                    continue  # small by nature: removed whole
                out.append(op)
                continue
            name = str(op.operator)
            args = list(op.operands)
            if name == "q":
                stack.append((ctm, replace(ts)))
            elif name == "Q":
                if stack:
                    ctm, ts = stack.pop()
            elif name == "cm" and len(args) == 6:
                ctm = _mul(tuple(float(a) for a in args), ctm)  # type: ignore[arg-type]
            elif name == "BT":
                tm = tlm = IDENTITY
            elif name == "Tf" and len(args) == 2:
                fonts = self.resources.get(Name.Font, Dictionary())
                key = str(args[0])
                ts.font = fonts.get(key) if isinstance(fonts, Dictionary) else None
                ts.size = float(args[1])
            elif name == "Tc" and args:
                ts.char_space = float(args[0])
            elif name == "Tw" and args:
                ts.word_space = float(args[0])
            elif name == "Tz" and args:
                ts.scale = float(args[0]) / 100.0
            elif name == "TL" and args:
                ts.leading = float(args[0])
            elif name == "Ts" and args:
                ts.rise = float(args[0])
            elif name in ("Td", "TD") and len(args) == 2:
                tx, ty = float(args[0]), float(args[1])
                if name == "TD":
                    ts.leading = -ty
                tlm = _mul((1, 0, 0, 1, tx, ty), tlm)
                tm = tlm
            elif name == "Tm" and len(args) == 6:
                tlm = tm = tuple(float(a) for a in args)  # type: ignore[assignment]
            elif name == "T*":
                tlm = _mul((1, 0, 0, 1, 0, -ts.leading), tlm)
                tm = tlm
            elif name in ("Tj", "TJ", "'", '"'):
                if name == '"' and len(args) == 3:
                    ts.word_space, ts.char_space = float(args[0]), float(args[1])
                    out.append(pikepdf.ContentStreamInstruction(args[:2], pikepdf.Operator("Tw")))
                    # Tc is set by the replacement below through the same values.
                    out.append(pikepdf.ContentStreamInstruction([args[1]], pikepdf.Operator("Tc")))
                if name in ("'", '"'):
                    tlm = _mul((1, 0, 0, 1, 0, -ts.leading), tlm)
                    tm = tlm
                    out.append(pikepdf.ContentStreamInstruction([], pikepdf.Operator("T*")))
                items = list(args[0]) if name == "TJ" else [args[-1]]
                new_items, tm = self._show(items, ts, tm, ctm)
                out.append(
                    pikepdf.ContentStreamInstruction(
                        [pikepdf.Array(new_items)], pikepdf.Operator("TJ")
                    )
                )
                continue
            elif name == "Do" and args:
                replacement = self._do(str(args[0]), ctm)
                if replacement is None:
                    continue
                op = pikepdf.ContentStreamInstruction([Name(replacement)], op.operator)
            out.append(op)
        return out

    # -- text --

    def _metrics(self, font: Any) -> _FontMetrics:
        indirect = isinstance(font, Dictionary) and font.is_indirect
        key = str(font.objgen) if indirect else str(id(font))
        if key not in self.metrics:
            self.metrics[key] = _FontMetrics(font)
        return self.metrics[key]

    def _show(
        self, items: list[Any], ts: _TextState, tm: Matrix, ctm: Matrix
    ) -> tuple[list[Any], Matrix]:
        metrics = self._metrics(ts.font)
        size, th = ts.size, ts.scale
        out: list[Any] = []
        for part in items:
            if not isinstance(part, pikepdf.String):
                adv = -float(part) / 1000.0 * size * th  # type: ignore[arg-type]
                tm = _mul((1, 0, 0, 1, adv, 0), tm)
                out.append(part)
                continue
            data = bytes(part)
            if not metrics.known or size == 0 or th == 0:
                out.extend(self._whole(data, metrics, ts, tm, ctm))
                tm = _mul((1, 0, 0, 1, self._advance(data, metrics, ts), 0), tm)
                continue
            kept = bytearray()
            step = 2 if metrics.two_byte else 1
            for i, code in enumerate(metrics.codes(data)):
                raw = data[i * step : (i + 1) * step]
                w0 = metrics.width(code)
                trm = _mul(_mul((size * th, 0, 0, size, 0, ts.rise), tm), ctm)
                box = _bbox(trm, [(0, DESCENT), (w0, DESCENT), (0, ASCENT), (w0, ASCENT)])
                space = ts.word_space if (step == 1 and code == 32) else 0.0
                adv = (w0 * size + ts.char_space + space) * th
                if _touches(box, self.rects):
                    if kept:
                        out.append(pikepdf.String(bytes(kept)))
                        kept = bytearray()
                    out.append(-adv / (size * th) * 1000.0)  # a gap instead of the glyph
                else:
                    kept += raw
                tm = _mul((1, 0, 0, 1, adv, 0), tm)
            if kept:
                out.append(pikepdf.String(bytes(kept)))
        return out, tm

    def _advance(self, data: bytes, metrics: _FontMetrics, ts: _TextState) -> float:
        return sum(
            (metrics.width(c) * ts.size + ts.char_space) * ts.scale for c in metrics.codes(data)
        )

    def _whole(
        self, data: bytes, metrics: _FontMetrics, ts: _TextState, tm: Matrix, ctm: Matrix
    ) -> list[Any]:
        """A string we cannot split: kept or removed whole, judged by a generous box."""
        n = max(1, len(data))
        trm = _mul(_mul((ts.size or 1.0, 0, 0, ts.size or 1.0, 0, ts.rise), tm), ctm)
        box = _bbox(trm, [(-n, -n), (n, -n), (-n, n), (n, n)])
        if not _touches(box, self.rects):
            return [pikepdf.String(data)]
        if ts.size and ts.scale:
            return [-self._advance(data, metrics, ts) / (ts.size * ts.scale) * 1000.0]
        return []

    # -- XObjects --

    def _do(self, key: str, ctm: Matrix) -> str | None:
        """The name to draw instead of ``key`` (itself when untouched), or None to drop it."""
        xobjects = self.resources.get(Name.XObject)
        xo = xobjects.get(key) if isinstance(xobjects, Dictionary) else None
        if not isinstance(xo, pikepdf.Stream):
            return key
        subtype = xo.get(Name.Subtype)
        if subtype == Name.Image:
            if not _touches(_bbox(ctm, [(0, 0), (1, 0), (0, 1), (1, 1)]), self.rects):
                return key
            burnt = self._burn_image(xo, ctm)
            if burnt is None:
                self._drop_xobject(key)
                return None
            return self._add_xobject(key, burnt)
        if subtype == Name.Form:
            matrix = xo.get(Name.Matrix)
            m: Matrix = (
                tuple(float(v) for v in matrix)  # type: ignore[assignment]
                if isinstance(matrix, pikepdf.Array) and len(matrix) == 6
                else IDENTITY
            )
            form_ctm = _mul(m, ctm)
            bbox = xo.get(Name.BBox)
            corners = [float(v) for v in bbox] if isinstance(bbox, pikepdf.Array) else [0, 0, 1, 1]
            box = _bbox(
                form_ctm,
                [
                    (corners[0], corners[1]),
                    (corners[2], corners[1]),
                    (corners[0], corners[3]),
                    (corners[2], corners[3]),
                ],
            )
            if not _touches(box, self.rects):
                return key
            if self.depth >= MAX_FORM_DEPTH:
                self._drop_xobject(key)
                return None
            return self._add_xobject(key, self._filter_form(xo, form_ctm))
        return key

    def _filter_form(self, form: pikepdf.Stream, form_ctm: Matrix) -> pikepdf.Stream:
        res = form.get(Name.Resources)
        own = Dictionary()
        source_res = res if isinstance(res, Dictionary) else self.resources
        for k in source_res.keys():
            own[k] = source_res[k]
        xo = own.get(Name.XObject)
        own_x = Dictionary()
        if isinstance(xo, Dictionary):
            for k in xo.keys():
                own_x[k] = xo[k]
        own[Name.XObject] = own_x
        ops = pikepdf.parse_content_stream(form)
        sub = _Filter(self.pdf, own, self.rects, self.depth + 1)
        content = pikepdf.unparse_content_stream(sub.run(ops, form_ctm))
        new = pikepdf.Stream(self.pdf, content)
        for k in form.keys():
            if k not in (Name.Length, Name.Filter, Name.DecodeParms, Name.Resources):
                new[k] = form[k]
        new[Name.Resources] = own
        return new

    def _add_xobject(self, key: str, obj: pikepdf.Object) -> str:
        """Put ``obj`` under ``key`` in these (page- or form-own) resources, replacing the
        original there, so that the original is no longer referenced and is not written."""
        xobjects = self.resources.get(Name.XObject)
        if not isinstance(xobjects, Dictionary):
            xobjects = Dictionary()
            self.resources[Name.XObject] = xobjects
        xobjects[key] = self.pdf.make_indirect(obj)
        return key

    def _drop_xobject(self, key: str) -> None:
        """Remove a dropped XObject from these resources so it is not written at all."""
        xobjects = self.resources.get(Name.XObject)
        if isinstance(xobjects, Dictionary) and key in xobjects:
            del xobjects[key]

    def _burn_image(self, xo: pikepdf.Stream, ctm: Matrix) -> pikepdf.Stream | None:
        """A copy of the image with the covered pixels black, or None to drop the image."""
        if xo.get(Name.ImageMask):
            return None
        try:
            image = pikepdf.PdfImage(xo)
            pil = image.as_pil_image()
        except Exception:
            return None
        pil = pil.convert("L") if pil.mode in ("1", "L", "LA", "I", "I;16") else pil
        if pil.mode not in ("L", "RGB", "CMYK"):
            pil = pil.convert("RGB")
        w, h = pil.size
        inverse = _invert(ctm)
        if inverse is None:
            return None
        draw = ImageDraw.Draw(pil)
        black: Any = 0 if pil.mode == "L" else ((0, 0, 0, 255) if pil.mode == "CMYK" else (0, 0, 0))
        for x0, y0, x1, y1 in self.rects:
            s0, t0, s1, t1 = _bbox(inverse, [(x0, y0), (x1, y0), (x0, y1), (x1, y1)])
            if s1 <= 0 or t1 <= 0 or s0 >= 1 or t0 >= 1:
                continue
            import math

            px0, px1 = math.floor(max(0, s0) * w), math.ceil(min(1, s1) * w) - 1
            py0, py1 = math.floor((1 - min(1, t1)) * h), math.ceil((1 - max(0, t0)) * h) - 1
            draw.rectangle((px0, py0, max(px0, px1), max(py0, py1)), fill=black)
        return self._encode(pil, xo)

    def _encode(self, pil: Image.Image, original: pikepdf.Stream) -> pikepdf.Stream:
        colour = {"L": Name.DeviceGray, "RGB": Name.DeviceRGB, "CMYK": Name.DeviceCMYK}[pil.mode]
        if original.get(Name.Filter) == Name.DCTDecode:
            buf = io.BytesIO()
            pil.save(buf, format="JPEG", quality=92)
            data, filt = buf.getvalue(), Name.DCTDecode
        else:
            data, filt = zlib.compress(pil.tobytes(), 6), Name.FlateDecode
        stream = pikepdf.Stream(self.pdf, data)
        stream[Name.Type] = Name.XObject
        stream[Name.Subtype] = Name.Image
        stream[Name.Width], stream[Name.Height] = pil.size
        stream[Name.ColorSpace] = colour
        stream[Name.BitsPerComponent] = 8
        stream[Name.Filter] = filt
        for key in (Name.SMask, Name.Interpolate, Name.Intent):
            if key in original:
                stream[key] = original[key]
        return stream


def _invert(m: Matrix) -> Matrix | None:
    a, b, c, d, e, f = m
    det = a * d - b * c
    if abs(det) < 1e-12:
        return None
    ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
    return (ia, ib, ic, id_, -(e * ia + f * ic), -(e * ib + f * id_))
