"""The content-stream filter of PDF redaction: walks a page's (or form's) operators, removes
every glyph, image and form XObject that touches a redacted area (re-encoding images with the
area blacked out), and keeps everything else where it was."""

from __future__ import annotations

import io
import zlib
from dataclasses import replace
from typing import Any

import pikepdf
from pikepdf import Dictionary, Name
from PIL import Image, ImageDraw

from evidence_app.exporters.pdf.font_metrics import ASCENT, DESCENT, FontMetrics, TextState
from evidence_app.exporters.pdf.geometry import (
    IDENTITY,
    Box,
    Matrix,
    bbox,
    invert,
    mul,
    touches,
)

MAX_FORM_DEPTH = 6


class ContentFilter:
    def __init__(self, pdf: pikepdf.Pdf, resources: Any, rects: list[Box], depth: int) -> None:
        self.pdf = pdf
        self.resources = resources if isinstance(resources, Dictionary) else Dictionary()
        self.rects = rects
        self.depth = depth
        self.metrics: dict[str, FontMetrics] = {}

    def run(self, ops: list[Any], ctm: Matrix) -> list[Any]:
        out: list[Any] = []
        stack: list[tuple[Matrix, TextState]] = []
        ts = TextState()
        tm = tlm = IDENTITY
        for op in ops:
            if isinstance(op, pikepdf.ContentStreamInlineImage):
                if touches(bbox(ctm, [(0, 0), (1, 0), (0, 1), (1, 1)]), self.rects):
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
                ctm = mul(tuple(float(a) for a in args), ctm)  # type: ignore[arg-type]
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
                tlm = mul((1, 0, 0, 1, tx, ty), tlm)
                tm = tlm
            elif name == "Tm" and len(args) == 6:
                tlm = tm = tuple(float(a) for a in args)  # type: ignore[assignment]
            elif name == "T*":
                tlm = mul((1, 0, 0, 1, 0, -ts.leading), tlm)
                tm = tlm
            elif name in ("Tj", "TJ", "'", '"'):
                if name == '"' and len(args) == 3:
                    ts.word_space, ts.char_space = float(args[0]), float(args[1])
                    out.append(pikepdf.ContentStreamInstruction(args[:2], pikepdf.Operator("Tw")))
                    # Tc is set by the replacement below through the same values.
                    out.append(pikepdf.ContentStreamInstruction([args[1]], pikepdf.Operator("Tc")))
                if name in ("'", '"'):
                    tlm = mul((1, 0, 0, 1, 0, -ts.leading), tlm)
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

    def _metrics(self, font: Any) -> FontMetrics:
        indirect = isinstance(font, Dictionary) and font.is_indirect
        key = str(font.objgen) if indirect else str(id(font))
        if key not in self.metrics:
            self.metrics[key] = FontMetrics(font)
        return self.metrics[key]

    def _show(
        self, items: list[Any], ts: TextState, tm: Matrix, ctm: Matrix
    ) -> tuple[list[Any], Matrix]:
        metrics = self._metrics(ts.font)
        size, th = ts.size, ts.scale
        out: list[Any] = []
        for part in items:
            if not isinstance(part, pikepdf.String):
                adv = -float(part) / 1000.0 * size * th  # type: ignore[arg-type]
                tm = mul((1, 0, 0, 1, adv, 0), tm)
                out.append(part)
                continue
            data = bytes(part)
            if not metrics.known or size == 0 or th == 0:
                out.extend(self._whole(data, metrics, ts, tm, ctm))
                tm = mul((1, 0, 0, 1, self._advance(data, metrics, ts), 0), tm)
                continue
            kept = bytearray()
            step = 2 if metrics.two_byte else 1
            for i, code in enumerate(metrics.codes(data)):
                raw = data[i * step : (i + 1) * step]
                w0 = metrics.width(code)
                trm = mul(mul((size * th, 0, 0, size, 0, ts.rise), tm), ctm)
                box = bbox(trm, [(0, DESCENT), (w0, DESCENT), (0, ASCENT), (w0, ASCENT)])
                space = ts.word_space if (step == 1 and code == 32) else 0.0
                adv = (w0 * size + ts.char_space + space) * th
                if touches(box, self.rects):
                    if kept:
                        out.append(pikepdf.String(bytes(kept)))
                        kept = bytearray()
                    out.append(-adv / (size * th) * 1000.0)  # a gap instead of the glyph
                else:
                    kept += raw
                tm = mul((1, 0, 0, 1, adv, 0), tm)
            if kept:
                out.append(pikepdf.String(bytes(kept)))
        return out, tm

    def _advance(self, data: bytes, metrics: FontMetrics, ts: TextState) -> float:
        return sum(
            (metrics.width(c) * ts.size + ts.char_space) * ts.scale for c in metrics.codes(data)
        )

    def _whole(
        self, data: bytes, metrics: FontMetrics, ts: TextState, tm: Matrix, ctm: Matrix
    ) -> list[Any]:
        """A string we cannot split: kept or removed whole, judged by a generous box."""
        n = max(1, len(data))
        trm = mul(mul((ts.size or 1.0, 0, 0, ts.size or 1.0, 0, ts.rise), tm), ctm)
        box = bbox(trm, [(-n, -n), (n, -n), (-n, n), (n, n)])
        if not touches(box, self.rects):
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
            if not touches(bbox(ctm, [(0, 0), (1, 0), (0, 1), (1, 1)]), self.rects):
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
            form_ctm = mul(m, ctm)
            form_box = xo.get(Name.BBox)
            corners = (
                [float(v) for v in form_box]
                if isinstance(form_box, pikepdf.Array)
                else [0, 0, 1, 1]
            )
            box = bbox(
                form_ctm,
                [
                    (corners[0], corners[1]),
                    (corners[2], corners[1]),
                    (corners[0], corners[3]),
                    (corners[2], corners[3]),
                ],
            )
            if not touches(box, self.rects):
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
        sub = ContentFilter(self.pdf, own, self.rects, self.depth + 1)
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
        inverse = invert(ctm)
        if inverse is None:
            return None
        draw = ImageDraw.Draw(pil)
        black: Any = 0 if pil.mode == "L" else ((0, 0, 0, 255) if pil.mode == "CMYK" else (0, 0, 0))
        for x0, y0, x1, y1 in self.rects:
            s0, t0, s1, t1 = bbox(inverse, [(x0, y0), (x1, y0), (x0, y1), (x1, y1)])
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
