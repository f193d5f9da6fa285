"""Bookmarks per section and per exhibit, and the index's links to the exhibits.

The exhibit pages are not in the document reportlab draws, so an index link cannot name them
there: reportlab writes it as a URI action to ``x-evidence-exhibit:N`` (:func:`exhibit_link`),
and once every page is in the bundle, :func:`retarget_links` turns it into a destination, the
first page of exhibit N. Such a link never reaches the output as a URI.
"""

from __future__ import annotations

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem

PRINT_FLAG = 4  # annotation flag "Print": PDF/A wants it on every annotation
LINK_SCHEME = "x-evidence-exhibit:"


def exhibit_link(number: int) -> str:
    """A link target for reportlab markup: the first page of exhibit ``number``."""
    return f"{LINK_SCHEME}{number}"


def add_outline(pdf: pikepdf.Pdf, entries: list[tuple[str, int, list[tuple[str, int]]]]) -> None:
    """``entries``: (title, page index, children as (title, page index))."""
    with pdf.open_outline() as outline:
        outline.root.clear()
        for title, page, children in entries:
            item = OutlineItem(title, page)
            for child_title, child_page in children:
                item.children.append(OutlineItem(child_title, child_page))
            outline.root.append(item)


def _link_target(annot: pikepdf.Object) -> str | None:
    """The ``x-evidence-exhibit:N`` URI of a link annotation, else None."""
    if annot.get(Name.Subtype) != Name.Link:
        return None
    action = annot.get(Name.A)
    if not isinstance(action, Dictionary) or action.get(Name.S) != Name.URI:
        return None
    uri = str(action.get(Name.URI, ""))
    return uri if uri.startswith(LINK_SCHEME) else None


def retarget_links(page: pikepdf.Page, firsts: dict[int, pikepdf.Page]) -> None:
    """Point ``x-evidence-exhibit:N`` links at ``firsts[N]``, exhibit N's first page; drop
    those that point nowhere. Every annotation kept gets the Print flag."""
    if Name.Annots not in page.obj:
        return
    keep = Array()
    for annot in page.obj.Annots:
        target = _link_target(annot)
        if target is not None:
            number = target[len(LINK_SCHEME) :]
            if not number.isdigit() or int(number) not in firsts:
                continue
            del annot[Name.A]
            annot.Dest = Array([firsts[int(number)].obj, Name.Fit])
        annot.F = PRINT_FLAG
        keep.append(annot)
    page.obj.Annots = keep
