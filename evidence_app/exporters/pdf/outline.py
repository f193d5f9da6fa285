"""Bookmarks per section and per exhibit, and the index's links to the exhibits.

reportlab resolves the index links (``<a href="#exhibit-N">``) to explicit destinations on its
own overlay pages, which do not survive assembly (they become stamps). Before the front pages
are copied, each link's destination is replaced by a page number (:func:`detach_links`), and
afterwards pointed at the same page number of the bundle (:func:`retarget_links`): the bundle
has exactly the pages of the drawn document, in the same order.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem

PRINT_FLAG = 4  # annotation flag "Print": PDF/A wants it on every annotation


def add_outline(pdf: pikepdf.Pdf, entries: list[tuple[str, int, list[tuple[str, int]]]]) -> None:
    """``entries``: (title, page index, children as (title, page index))."""
    with pdf.open_outline() as outline:
        outline.root.clear()
        for title, page, children in entries:
            item = OutlineItem(title, page)
            for child_title, child_page in children:
                item.children.append(OutlineItem(child_title, child_page))
            outline.root.append(item)


def detach_links(drawn: pikepdf.Pdf, front_pages: int) -> None:
    """Replace page references in the front pages' links by ``page:N`` strings, so that
    copying the page does not drag the overlay pages along."""
    index: dict[object, int] = {p.objgen: i for i, p in enumerate(drawn.pages)}
    for page in list(drawn.pages)[:front_pages]:
        for annot in page.obj.get(Name.Annots, Array()):
            dest = _dest(annot)
            if isinstance(dest, Array) and len(dest) > 0 and dest[0].objgen in index:
                if Name.A in annot:
                    del annot[Name.A]
                annot.Dest = pikepdf.String(f"page:{index[dest[0].objgen]}")


def _dest(annot: pikepdf.Object) -> pikepdf.Object | None:
    if annot.get(Name.Subtype) != Name.Link:
        return None
    dest = annot.get(Name.Dest)
    action = annot.get(Name.A)
    if dest is None and isinstance(action, Dictionary) and action.get(Name.S) == Name.GoTo:
        dest = action.get(Name.D)
    return dest


def retarget_links(page: pikepdf.Page, pages: list[pikepdf.Page]) -> None:
    """Point ``page:N`` links at page N of the bundle; drop links that point nowhere."""
    keep = Array()
    for annot in page.obj.get(Name.Annots, Array()):
        dest = _dest(annot)
        if dest is None:
            annot.F = PRINT_FLAG
            keep.append(annot)
            continue
        text = str(dest)
        if not text.startswith("page:") or not text[5:].isdigit() or int(text[5:]) >= len(pages):
            continue
        annot.Dest = Array([pages[int(text[5:])].obj, Name.Fit])
        annot.F = PRINT_FLAG
        keep.append(annot)
    if Name.Annots in page.obj:
        page.obj.Annots = keep
