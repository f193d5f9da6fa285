"""Orchestration of complaint.pdf: preflight, exhibits, front matter, stamps, outline, write.

Order of work: check every exhibit, each original read once on worker threads (re-hashed,
a PNG's chunks checked, an opaque PNG written as an image page as it streams past); prepare
each exhibit as soon as it and all before it have passed (redacted copies, img2pdf batches
for other images) in a private work folder beside the output; decide every page's size; draw
the front matter (laid out once: the page numbers that depend on its length are forms filled
in afterwards) and the placeholder pages with reportlab, and encode the overlays (stamps,
captions, page numbers) with the same font; gather every page into one document with qpdf,
lazily; in it, place images, overlays, outline, links and metadata; save it once, to a
temporary file in the destination folder; hash it while it is fsynced; rename. Nothing is
written to the destination before every exhibit has passed; the work folder is always removed.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import json
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
from pikepdf import Name

from evidence_app import model
from evidence_app.durable import atomic_output
from evidence_app.exporters.ordering import bundle_order
from evidence_app.exporters.pdf import layout, redaction
from evidence_app.exporters.pdf.errors import ExhibitRefused
from evidence_app.exporters.pdf.evidence_lines import placeholder_extra_rows
from evidence_app.exporters.pdf.fonts import GlyphReport
from evidence_app.exporters.pdf.frontmatter import IndexRow, build_sections, source_of
from evidence_app.exporters.pdf.geometry import oriented_size
from evidence_app.exporters.pdf.images import (
    ImageEmbedder,
    ImageJob,
    PageRef,
    lay_out_image_page,
    to_png,
)
from evidence_app.exporters.pdf.merge import merged
from evidence_app.exporters.pdf.metadata import apply as apply_metadata
from evidence_app.exporters.pdf.outline import add_outline, retarget_links
from evidence_app.exporters.pdf.overlay import OverlaySpec
from evidence_app.exporters.pdf.pdfpages import page_sizes, prepare_page, unembedded_fonts
from evidence_app.exporters.pdf.preflight import ExhibitPlan, Preflight, plan_exhibits
from evidence_app.exporters.pdf.stamping import overlay_form, place_overlay
from evidence_app.exporters.pdf.words import DOCUMENT_LANGUAGE, Words
from evidence_app.jobs import NEVER_CANCELLED, CancelToken, ProgressCallback, no_progress
from evidence_app.messages import Message
from evidence_app.store.blobs import BlobStore, sha256_file


@dataclass
class ExhibitPages:
    number: int
    first_page: int  # 1-based page numbers in the bundle
    last_page: int
    redacted_sha256: str | None = None


# Something the user should know about a bundle that was nevertheless written: a message
# key and its parameters, worded by the face that shows it.
BundleWarning = Message


@dataclass
class BundleResult:
    path: Path
    page_count: int
    exhibits: list[ExhibitPages]
    sha256: str
    pdfa: bool = False  # PDF/A-2b identification written (our checks passed)
    draft: bool = False  # required items missing: marked 草稿 — 材料不全, gaps listed last
    warnings: list[BundleWarning] = field(default_factory=list)


@dataclass
class _Prepared:
    plan: ExhibitPlan
    redacted_sha256: str | None = None
    image_job: ImageJob | None = None  # an image to be made a page (by the embedder)
    slot: int = -1  # its place among the embedder's pages
    awaits_read: bool = False  # a page may come from preflight's read of the original
    orientation: int = 1  # EXIF orientation still to apply to an image page
    refs: list[PageRef] = field(default_factory=list)  # where its base pages come from
    sizes: list[tuple[float, float]] = field(default_factory=list)  # displayed page sizes


def preflight(case: model.Case, blobs: BlobStore, *, verify_blobs: bool = True) -> None:
    """Check every exhibit; raise :class:`ExhibitRefused` naming the first that cannot go in.
    ``verify_blobs`` as for :func:`build_bundle`."""
    plan_exhibits(case, blobs, verify_blobs=verify_blobs)


def build_bundle(
    case: model.Case,
    blobs: BlobStore,
    out_path: Path,
    *,
    clock: _dt.datetime,
    check_result: object | None = None,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER_CANCELLED,
    lang: str = DOCUMENT_LANGUAGE,
    verify_blobs: bool = True,
) -> BundleResult:
    """Write the complaint bundle to ``out_path``; the same case and clock give the same bytes.

    Nothing is written before every exhibit passed preflight: each original exists with its
    recorded size and, for images and PDFs (which are read anyway), re-hashes to its recorded
    SHA-256. ``verify_blobs=True`` (the default) re-hashes the originals of non-page exhibits
    (videos, archives...) too; pass False only when the caller hashes every blob itself in
    the same job (the packet exporter does, while it writes them), to avoid reading them twice.

    ``check_result`` (the readiness check of ``case``): when required items are missing,
    every page is marked 草稿 — 材料不全 and a last page lists them (:mod:`draft`).
    """
    # Exhibits in the reviewer's order: by section (主体资格, 授权, 侵权证据, 证明不实的材料,
    # 其他), then by number; the index and the pages follow it.
    case = dataclasses.replace(case, evidence=bundle_order(case.evidence))
    out_path = Path(out_path)
    total_steps = len(case.evidence) + 2
    out_path.parent.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(dir=out_path.parent, prefix=".bundle-work-"))
    embedder = ImageEmbedder(workdir)
    try:
        words = Words.for_channel(case.channel, lang, GlyphReport())
        styles = layout.make_styles()
        prepared: list[_Prepared] = []
        with Preflight(case, blobs, cancel, verify_blobs=verify_blobs, workdir=workdir) as check:
            try:
                # Each exhibit is prepared as soon as its structure has passed, while the
                # originals are still being read (and opaque PNGs made pages) on worker
                # threads; the front matter is drawn too. Only then are the reads' results
                # awaited: nothing goes to the destination before every exhibit has passed.
                for plan in check.plans():
                    cancel.raise_if_cancelled()
                    progress(len(prepared), total_steps, plan.item.title)
                    prep = _prepare(plan, workdir)
                    if prep.image_job is not None and not prep.awaits_read:
                        prep.slot = embedder.add(prep.image_job)
                    prepared.append(prep)
                drawn = _draw(case, prepared, workdir, clock, words, styles)
                check.verify()
            except ExhibitRefused as refused:
                check.verify(upto=refused.params.get("number"))  # an earlier exhibit's?
                raise
            for prep in prepared:
                page = check.page(prep.plan) if prep.awaits_read else None
                if page is not None:
                    prep.refs, prep.image_job = [page], None
                elif prep.image_job is not None and prep.slot < 0:
                    prep.slot = embedder.add(prep.image_job)  # it could not be copied as is
        pages = embedder.finish()
        for prep in prepared:
            if prep.image_job is not None:
                prep.refs = [pages[prep.slot]]
        cancel.raise_if_cancelled()
        progress(len(prepared), total_steps, "")
        result = _assemble(case, prepared, drawn, out_path, clock, words, cancel)
        if check_result is not None and not getattr(check_result, "ready", True):
            from evidence_app.exporters.pdf.draft import gap_lines, mark_draft

            result.sha256 = mark_draft(out_path, gap_lines(check_result, lang), words)
            with pikepdf.open(out_path) as marked:
                result.page_count = len(marked.pages)
            result.draft = True
        progress(total_steps, total_steps, "")
        return result
    finally:
        embedder.close()
        shutil.rmtree(workdir, ignore_errors=True)


def _prepare(plan: ExhibitPlan, workdir: Path) -> _Prepared:
    item = plan.item
    prep = _Prepared(plan)
    if plan.mode == "image":
        display = oriented_size(plan.pixel_size, plan.orientation)
        prep.sizes = [layout.image_page_size(display)]
        if item.redactions:
            dest = workdir / f"redacted-{item.number}.png"
            redaction.redact_image(item, plan.path, plan.orientation, dest)
            prep.redacted_sha256 = sha256_file(dest)
            prep.image_job = ImageJob(item, dest, 1)
        elif plan.direct:
            prep.image_job = ImageJob(item, plan.path, plan.orientation)
            # An opaque PNG is made a page while preflight reads it (if it can be).
            prep.awaits_read = plan.image_format == "PNG"
        else:
            dest = to_png(item, plan.path, workdir / f"converted-{item.number}.png")
            prep.image_job = ImageJob(item, dest, 1)
        if prep.image_job is not None:
            prep.orientation = prep.image_job.orientation
    elif plan.mode == "pdf":
        path = plan.path
        if item.redactions:
            path = workdir / f"redacted-{item.number}.pdf"
            redaction.redact_pdf(item, plan.path, path)
            prep.redacted_sha256 = sha256_file(path)
        prep.sizes = page_sizes(item, path)
        prep.refs = [PageRef(path, i) for i in range(len(prep.sizes))]
    else:
        prep.sizes = [layout.A4]
    return prep


def _captions(prep: _Prepared, words: Words) -> list[str]:
    item = prep.plan.item
    where = f"exhibit {item.number}"
    lines = [words.tr("pdf.caption.title", where, number=item.number, title=item.title)]
    details = []
    if item.fields.get("captured_at"):
        details.append(
            words.tr("pdf.caption.captured_at", where, value=words.when(item.fields["captured_at"]))
        )
    if item.fields.get("source_url"):
        details.append(words.tr("pdf.caption.source_url", where, url=item.fields["source_url"]))
    if details:
        lines.append("　".join(details))
    lines.append(words.tr("pdf.caption.sha256", where, sha256=item.sha256))
    if prep.redacted_sha256:
        lines.append(words.tr("pdf.caption.redacted", where, sha256=prep.redacted_sha256))
    return lines


def _overlays(
    prepared: list[_Prepared], words: Words, styles: layout.Styles
) -> tuple[list[OverlaySpec], list[tuple[float, float, float, float] | None]]:
    specs: list[OverlaySpec] = []
    rects: list[tuple[float, float, float, float] | None] = []
    for prep in prepared:
        item = prep.plan.item
        where = f"exhibit {item.number}"
        n = len(prep.sizes)
        redacted_pages = {r.page for r in item.redactions}
        for i, size in enumerate(prep.sizes):
            stamp = words.tr("pdf.stamp", where, number=item.number, page=i + 1, pages=n)
            if i in redacted_pages:
                stamp += words.tr("pdf.stamp.redacted")
            spec = OverlaySpec(size, stamp, index=len(specs))
            rect = None
            if prep.plan.mode == "image":
                spec.caption = layout.wrap_caption(_captions(prep, words), size[0], styles)
                box = layout.image_box(size, spec.caption, styles)
                display = oriented_size(prep.plan.pixel_size, prep.plan.orientation)
                rect = layout.fit_image(box, display)
            elif prep.plan.mode == "placeholder":
                spec.heading = words.tr(
                    "pdf.caption.title", where, number=item.number, title=item.title
                )
                spec.placeholder = _placeholder_rows(item, words)
            specs.append(spec)
            rects.append(rect)
    return specs, rects


def _placeholder_rows(item: model.EvidenceItem, words: Words) -> list[tuple[str, str]]:
    where = f"exhibit {item.number}"
    rows = [
        (words.tr("pdf.placeholder.note_label"), words.tr("pdf.placeholder.note")),
        (words.tr("pdf.placeholder.kind"), words.enum("evidencekind", item.kind.value)),
        (words.tr("pdf.placeholder.name"), words.plain(item.original_name, where)),
        (words.tr("pdf.placeholder.media_type"), words.plain(item.media_type, where)),
        (words.tr("pdf.placeholder.size"), words.tr("pdf.placeholder.bytes", size=item.size)),
        ("SHA-256", item.sha256),
        (words.tr("pdf.placeholder.imported_at"), words.when(item.imported_at)),
        (words.tr("pdf.index.col.source"), words.plain(source_of(item, words), where)),
        (words.tr("pdf.index.col.proves"), words.plain(item.proves, where)),
        *placeholder_extra_rows(item, words),
    ]
    return [(k, v) for k, v in rows if v]


def _index_rows(prepared: list[_Prepared], front_pages: int) -> list[IndexRow]:
    rows = []
    page = front_pages + 1
    for prep in prepared:
        n = len(prep.sizes)
        rows.append(IndexRow(prep.plan.item, page, page + n - 1, prep.redacted_sha256))
        page += n
    return rows


@dataclass
class _Drawn:
    path: Path  # drawn.pdf: the front pages, then the placeholder pages in exhibit order
    info: layout.RenderInfo
    rows: list[IndexRow]
    rects: list[tuple[float, float, float, float] | None]  # image rectangle per exhibit page


def _draw(
    case: model.Case,
    prepared: list[_Prepared],
    workdir: Path,
    clock: _dt.datetime,
    words: Words,
    styles: layout.Styles,
) -> _Drawn:
    """Front matter, placeholder pages and overlays: all they need is each exhibit's plan."""
    exhibit_pages = sum(len(p.sizes) for p in prepared)
    sections = build_sections(case, _index_rows(prepared, 0), clock, words, styles)
    specs, rects = _overlays(prepared, words, styles)
    drawn_specs: list[OverlaySpec] = []
    overlay_specs: list[OverlaySpec] = []
    k = 0
    for prep in prepared:
        own = specs[k : k + len(prep.sizes)]
        (drawn_specs if prep.plan.mode == "placeholder" else overlay_specs).extend(own)
        k += len(prep.sizes)
    path = workdir / "drawn.pdf"
    with open(path, "wb") as fh:
        info = layout.render(fh, sections, drawn_specs, overlay_specs, exhibit_pages, words, styles)
    return _Drawn(path, info, _index_rows(prepared, info.front_pages), rects)


def _assemble(
    case: model.Case,
    prepared: list[_Prepared],
    drawn: _Drawn,
    out_path: Path,
    clock: _dt.datetime,
    words: Words,
    cancel: CancelToken,
) -> BundleResult:
    info, rows, rects, drawn_path = drawn.info, drawn.rows, drawn.rects, drawn.path
    front = info.front_pages
    total = front + sum(len(p.sizes) for p in prepared)
    cancel.raise_if_cancelled()

    # drawn.pdf: the front pages, then the placeholder pages in exhibit order.
    refs = [PageRef(drawn_path, i) for i in range(front)]
    placeholder = front
    for prep in prepared:
        if prep.plan.mode == "placeholder":
            prep.refs = [PageRef(drawn_path, placeholder)]
            placeholder += 1
        refs += prep.refs

    warnings: list[BundleWarning] = []
    firsts: dict[int, int] = {}
    with merged(refs) as out:
        pages = list(out.pages)
        if any(Name.Annots in p.obj for p in pages[front:]):
            out.flatten_annotations(mode="print")
        fonts = _overlay_fonts(out, pages[0], info.font_names)
        overlays = iter(info.overlays)
        g = front
        for prep in prepared:
            cancel.raise_if_cancelled()
            item = prep.plan.item
            firsts[item.number] = g
            mine = pages[g : g + len(prep.sizes)]
            for i, page in enumerate(mine):
                if prep.plan.mode == "placeholder":
                    continue  # the drawn page itself, stamp and all
                if prep.plan.mode == "image":
                    rect = rects[g - front]
                    assert rect is not None
                    lay_out_image_page(out, page, prep.sizes[i], rect, prep.orientation)
                else:
                    prepare_page(page)
                form = overlay_form(out, next(overlays), prep.sizes[i], fonts)
                place_overlay(out, page, form)
            if prep.plan.mode == "pdf":
                unembedded = sorted(set().union(*(unembedded_fonts(p) for p in mine)))
                if unembedded:
                    warnings.append(
                        BundleWarning(
                            "pdf.warn.unembedded_fonts",
                            {"number": item.number, "fonts": ", ".join(unembedded)},
                        )
                    )
            g += len(prep.sizes)
        first_pages = {number: pages[index] for number, index in firsts.items()}
        for page in pages[:front]:
            retarget_links(page, first_pages)
        _outline(out, info, prepared, firsts, words)
        for line in words.glyphs.summary():
            warnings.append(BundleWarning("pdf.warn.missing_glyph", {"detail": line}))
        pdfa = not any(w.key == "pdf.warn.unembedded_fonts" for w in warnings)
        apply_metadata(
            out,
            title=words.tr("pdf.meta.title", name=case.complainant.name),
            author=words.plain(case.complainant.name, "complainant"),
            subject=words.plain(case.title, "case title"),
            clock=clock,
            seed=_seed(case, clock),
            pdfa=pdfa,
        )
        sha = _write(out, out_path, cancel)
    return BundleResult(
        path=out_path,
        page_count=total,
        exhibits=[
            ExhibitPages(r.item.number, r.first_page, r.last_page, r.redacted_sha256) for r in rows
        ],
        sha256=sha,
        pdfa=pdfa,
        warnings=warnings,
    )


def _overlay_fonts(out: pikepdf.Pdf, cover: pikepdf.Page, names: list[str]) -> pikepdf.Object:
    """One fonts dictionary for every overlay: the subsets reportlab embedded with the front
    matter (each of its pages lists them all), found on the cover page."""
    fonts = cover.obj.Resources.Font
    return out.make_indirect(pikepdf.Dictionary({f"/{n}": fonts[f"/{n}"] for n in names}))


def _outline(
    out: pikepdf.Pdf,
    info: layout.RenderInfo,
    prepared: list[_Prepared],
    firsts: dict[int, int],
    words: Words,
) -> None:
    entries: list[tuple[str, int, list[tuple[str, int]]]] = [
        (words.tr(f"pdf.section.{key}"), page, []) for key, page in info.section_pages.items()
    ]
    if prepared:
        children = [
            (
                words.tr(
                    "pdf.outline.exhibit",
                    number=p.plan.item.number,
                    title=p.plan.item.title,
                ),
                firsts[p.plan.item.number],
            )
            for p in prepared
        ]
        entries.append((words.tr("pdf.section.exhibits"), children[0][1], children))
    add_outline(out, entries)


def _seed(case: model.Case, clock: _dt.datetime) -> bytes:
    data = json.dumps(model.to_dict(case), ensure_ascii=False, sort_keys=True)
    return (data + "|" + clock.isoformat()).encode("utf-8")


def _write(out: pikepdf.Pdf, out_path: Path, cancel: CancelToken) -> str:
    """Write next to the destination, fsync, then rename: a reader never sees half a file.
    The file is hashed while the kernel writes it to disk (fsync on a thread: both release
    the GIL), instead of one after the other."""
    cancel.raise_if_cancelled()
    with atomic_output(out_path) as temp:
        out.save(
            temp,
            static_id=True,  # the first /ID element is ours (metadata.apply); no MD5 pass
            min_version="1.7",
            fix_metadata_version=False,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
        with ThreadPoolExecutor(max_workers=1) as pool:
            synced = pool.submit(_fsync, temp)
            sha = sha256_file(temp)
            synced.result()
    return sha


def _fsync(path: Path) -> None:
    with open(path, "rb+") as fh:
        os.fsync(fh.fileno())
