"""Lay an overlay (stamp, caption, page number) over an exhibit page.

The overlay's content was written upright for the page's displayed size (:mod:`overlay`); it
becomes a form XObject (with resources of its own, so that its font names cannot clash with
the page's) placed with a matrix that undoes the page's /Rotate and /CropBox offset, so it
reads upright whatever the source page's orientation. The page's own content is wrapped in
q/Q first so that a graphics state it leaves behind cannot move or recolour the stamp.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Dictionary, Name

from evidence_app.exporters.pdf.geometry import Box, display_to_user, fmt_matrix


def visible_box(page: pikepdf.Page) -> Box:
    box = [float(v) for v in page.cropbox]
    media = [float(v) for v in page.mediabox]
    x0, y0 = min(box[0], box[2]), min(box[1], box[3])
    x1, y1 = max(box[0], box[2]), max(box[1], box[3])
    mx0, my0 = min(media[0], media[2]), min(media[1], media[3])
    mx1, my1 = max(media[0], media[2]), max(media[1], media[3])
    # The visible area is the crop box clipped to the media box.
    return (max(x0, mx0), max(y0, my0), min(x1, mx1), min(y1, my1))


def page_rotation(page: pikepdf.Page) -> int:
    try:
        return int(page.obj.get(Name.Rotate, 0)) % 360
    except (TypeError, ValueError):
        return 0


def own_resources(page: pikepdf.Page) -> Dictionary:
    """The page's /Resources as a dictionary of its own: pages copied from one source often
    share one, and a name added for this page must not appear on the others."""
    res = page.obj.get(Name.Resources)
    mine = Dictionary()
    if isinstance(res, Dictionary):
        for key in res.keys():
            mine[key] = res[key]
    xobjects = mine.get(Name.XObject)
    own_x = Dictionary()
    if isinstance(xobjects, Dictionary):
        for key in xobjects.keys():
            own_x[key] = xobjects[key]
    mine[Name.XObject] = own_x
    page.obj[Name.Resources] = mine
    return mine


def overlay_form(
    pdf: pikepdf.Pdf, content: bytes, size: tuple[float, float], fonts: pikepdf.Object
) -> pikepdf.Stream:
    """A form XObject drawing ``content`` over a ``size`` page, using the fonts ``fonts``."""
    form = pikepdf.Stream(pdf, content)
    form.Type = Name.XObject
    form.Subtype = Name.Form
    form.BBox = pikepdf.Array([0, 0, size[0], size[1]])
    form.Resources = Dictionary(Font=fonts)
    return form


def place_overlay(pdf: pikepdf.Pdf, page: pikepdf.Page, form: pikepdf.Object) -> None:
    """Draw ``form`` (already owned by ``pdf``) over ``page``, upright."""
    resources = own_resources(page)
    xobjects = resources[Name.XObject]
    name = "/EvStamp"
    n = 0
    while name in xobjects:
        n += 1
        name = f"/EvStamp{n}"
    xobjects[name] = form
    matrix = display_to_user(visible_box(page), page_rotation(page))
    page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
    tail = b"\nQ\nq " + fmt_matrix(matrix) + b" " + name.encode("ascii") + b" Do Q\n"
    page.contents_add(pikepdf.Stream(pdf, tail))
