"""PDF exhibits: page sizes, room for the stamp, annotations, embedded fonts.

The pages themselves are merged by qpdf (:mod:`merge`), which keeps their rotation and
inherited attributes. Annotations are flattened into the page (form fields and comments are
printed as they look); what cannot be flattened (links, attachments) is dropped: it would point
into the source document or carry files a reading copy should not.
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
from pikepdf import Dictionary, Name

from evidence_app.exporters.pdf.errors import ExhibitRefused, short
from evidence_app.exporters.pdf.geometry import display_size
from evidence_app.exporters.pdf.stamping import page_rotation, visible_box
from evidence_app.model import EvidenceItem


def page_sizes(item: EvidenceItem, path: Path) -> list[tuple[float, float]]:
    """Displayed sizes of the PDF's pages as they will be in the bundle."""
    try:
        with pikepdf.open(path) as pdf:
            return [displayed_size(p) for p in pdf.pages]
    except Exception as exc:
        raise ExhibitRefused("pdf.preflight.pdf_unreadable", item, detail=short(exc)) from exc


# A page smaller than this (points, as displayed) gets white margins so that its stamp and
# page number fit; its content keeps its size and position.
MIN_WIDTH, MIN_HEIGHT = 240.0, 160.0


def prepare_page(page: pikepdf.Page) -> None:
    """An exhibit page merged into the bundle: what annotations remain after flattening
    (links, attachments) pointed into the source file, so they go; tiny pages get room."""
    obj = page.obj
    for key in (Name.Annots, Name.B, Name.StructParents, Name.Tabs, Name.AA):
        if key in obj:
            del obj[key]
    _ensure_room(page)


def displayed_size(page: pikepdf.Page) -> tuple[float, float]:
    """The page's size as shown once copied (with the margins :func:`append_page` adds)."""
    w, h = display_size(visible_box(page), page_rotation(page))
    return (max(w, MIN_WIDTH), max(h, MIN_HEIGHT))


def _ensure_room(page: pikepdf.Page) -> None:
    x0, y0, x1, y1 = visible_box(page)
    w, h = x1 - x0, y1 - y0
    if page_rotation(page) % 180 == 90:
        w, h = h, w
        min_w, min_h = MIN_HEIGHT, MIN_WIDTH
    else:
        min_w, min_h = MIN_WIDTH, MIN_HEIGHT
    dx, dy = max(0.0, (min_w - w) / 2), max(0.0, (min_h - h) / 2)
    if page_rotation(page) % 180 == 90:
        dx, dy = dy, dx
    if dx == 0 and dy == 0:
        return
    box = pikepdf.Array([x0 - dx, y0 - dy, x1 + dx, y1 + dy])
    page.obj.MediaBox = box
    page.obj.CropBox = box


def unembedded_fonts(page: pikepdf.Page) -> set[str]:
    """Base names of fonts used on the page (and its forms) whose program is not embedded."""
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()

    def walk(resources: object, depth: int) -> None:
        if not isinstance(resources, Dictionary) or depth > 8:
            return
        fonts = resources.get(Name.Font)
        if isinstance(fonts, Dictionary):
            for key in fonts.keys():
                font = fonts[key]
                if not isinstance(font, Dictionary):
                    continue
                if font.is_indirect:
                    if font.objgen in seen:
                        continue
                    seen.add(font.objgen)
                if not _embedded(font):
                    found.add(str(font.get(Name.BaseFont, key)).lstrip("/"))
        xobjects = resources.get(Name.XObject)
        if isinstance(xobjects, Dictionary):
            for key in xobjects.keys():
                xo = xobjects[key]
                if isinstance(xo, pikepdf.Stream) and xo.get(Name.Subtype) == Name.Form:
                    if xo.objgen in seen:
                        continue
                    seen.add(xo.objgen)
                    walk(xo.get(Name.Resources), depth + 1)

    walk(page.obj.get(Name.Resources), 0)
    return found


def _embedded(font: Dictionary) -> bool:
    subtype = font.get(Name.Subtype)
    if subtype == Name.Type3:
        return True  # glyphs are content streams in the file
    if subtype == Name.Type0:
        descendants = font.get(Name.DescendantFonts)
        if not isinstance(descendants, pikepdf.Array) or len(descendants) == 0:
            return False
        descendant = descendants[0]
        if not isinstance(descendant, Dictionary):
            return False
        font = descendant
    descriptor = font.get(Name.FontDescriptor)
    if not isinstance(descriptor, Dictionary):
        return False
    return any(k in descriptor for k in (Name.FontFile, Name.FontFile2, Name.FontFile3))
