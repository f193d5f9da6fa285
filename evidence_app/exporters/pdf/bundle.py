"""Orchestration of complaint.pdf: preflight, exhibits, front matter, stamps, outline, write.

Order of work: check every exhibit (nothing is written before that passes); prepare image
and PDF sources (redacted copies and img2pdf batches made in a private work folder beside the
output); decide every page's size; lay out the front matter until its page count is stable (the
index prints page numbers); draw front matter and overlays with reportlab; merge every page into
one file with qpdf; in that file, place images, stamps, outline, links and metadata; write to a
temporary file in the destination folder, fsync, rename. The work folder is always removed.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pikepdf
from pikepdf import Name

from evidence_app import model
from evidence_app.exporters.pdf import layout, redaction
from evidence_app.exporters.pdf.fonts import GlyphReport
from evidence_app.exporters.pdf.frontmatter import IndexRow, anchor, build_sections, source_of
from evidence_app.exporters.pdf.geometry import oriented_size
from evidence_app.exporters.pdf.images import (
    ImageEmbedder,
    ImageJob,
    PageRef,
    lay_out_image_page,
    to_png,
)
from evidence_app.exporters.pdf.layout import OverlaySpec
from evidence_app.exporters.pdf.merge import merge
from evidence_app.exporters.pdf.metadata import apply as apply_metadata
from evidence_app.exporters.pdf.outline import add_outline, detach_links, retarget_links
from evidence_app.exporters.pdf.output import atomic_output
from evidence_app.exporters.pdf.pdfpages import page_sizes, prepare_page, unembedded_fonts
from evidence_app.exporters.pdf.preflight import ExhibitPlan, plan_exhibits
from evidence_app.exporters.pdf.stamping import place_overlay
from evidence_app.exporters.pdf.words import DOCUMENT_LANGUAGE, Words
from evidence_app.jobs import NEVER_CANCELLED, CancelToken, ProgressCallback, no_progress
from evidence_app.store.blobs import BlobStore, sha256_file


@dataclass
class ExhibitPages:
    number: int
    first_page: int  # 1-based page numbers in the bundle
    last_page: int
    redacted_sha256: str | None = None


@dataclass
class BundleWarning:
    """Something the user should know about a bundle that was nevertheless written."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def message(self) -> str:
        from evidence_app.i18n import tr

        return tr(self.key, **self.params)


@dataclass
class BundleResult:
    path: Path
    page_count: int
    exhibits: list[ExhibitPages]
    sha256: str
    pdfa: bool = False  # PDF/A-2b identification written (our checks passed)
    warnings: list[BundleWarning] = field(default_factory=list)


@dataclass
class _Prepared:
    plan: ExhibitPlan
    redacted_sha256: str | None = None
    image_job: ImageJob | None = None
    refs: list[PageRef] = field(default_factory=list)  # where its base pages come from
    sizes: list[tuple[float, float]] = field(default_factory=list)  # displayed page sizes


def preflight(case: model.Case, blobs: BlobStore) -> None:
    """Check every exhibit; raise :class:`ExhibitRefused` naming the first that cannot go in."""
    plan_exhibits(case, blobs)


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
) -> BundleResult:
    """Write the complaint bundle to ``out_path``; the same case and clock give the same bytes.

    ``check_result`` is accepted for the packet exporter's convenience and not printed yet.
    """
    del check_result
    out_path = Path(out_path)
    plans = plan_exhibits(case, blobs, cancel)
    total_steps = len(plans) + 2
    out_path.parent.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(dir=out_path.parent, prefix=".bundle-work-"))
    embedder = ImageEmbedder(workdir)
    try:
        words = Words(lang, GlyphReport())
        styles = layout.make_styles()
        prepared = []
        for done, plan in enumerate(plans):
            cancel.raise_if_cancelled()
            progress(done, total_steps, plan.item.title)
            prepared.append(_prepare(plan, workdir))
        image_jobs = [p for p in prepared if p.image_job is not None]
        pages = embedder.convert([p.image_job for p in image_jobs if p.image_job is not None])
        for prep, ref in zip(image_jobs, pages, strict=True):
            prep.refs = [ref]
        cancel.raise_if_cancelled()
        progress(len(plans), total_steps, "")
        result = _assemble(case, prepared, out_path, workdir, clock, words, styles, cancel)
        progress(total_steps, total_steps, "")
        return result
    finally:
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
        else:
            dest = to_png(item, plan.path, workdir / f"converted-{item.number}.png")
            prep.image_job = ImageJob(item, dest, 1)
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
        details.append(words.tr("pdf.caption.captured_at", where, value=item.fields["captured_at"]))
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
            spec = OverlaySpec(size, stamp, anchor(item) if i == 0 else None)
            rect = None
            if prep.plan.mode == "image":
                spec.caption = _captions(prep, words)
                box = layout.image_box(size, spec.caption, words, styles)
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
        (words.tr("pdf.placeholder.imported_at"), words.plain(item.imported_at, where)),
        (words.tr("pdf.index.col.source"), words.plain(source_of(item, words), where)),
        (words.tr("pdf.index.col.proves"), words.plain(item.proves, where)),
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


def _assemble(
    case: model.Case,
    prepared: list[_Prepared],
    out_path: Path,
    workdir: Path,
    clock: _dt.datetime,
    words: Words,
    styles: layout.Styles,
    cancel: CancelToken,
) -> BundleResult:
    exhibit_pages = sum(len(p.sizes) for p in prepared)
    # The index prints page numbers, which depend on the front matter's own length: measure
    # once with a guess, then draw for real, and again in the rare case the count changed.
    sections = build_sections(case, _index_rows(prepared, 3), clock, words, styles, links=False)
    front = layout.render(
        io.BytesIO(), sections, [], 3 + exhibit_pages, words, styles, measure_only=True
    ).front_pages
    specs, rects = _overlays(prepared, words, styles)
    layout_path = workdir / "layout.pdf"
    for _ in range(6):
        rows = _index_rows(prepared, front)
        sections = build_sections(case, rows, clock, words, styles)
        total = front + exhibit_pages
        with open(layout_path, "wb") as fh:
            info = layout.render(fh, sections, specs, total, words, styles)
        if info.front_pages == front:
            break
        front = info.front_pages
    cancel.raise_if_cancelled()

    # One qpdf merge puts every page in place (front matter, image pages, PDF pages, and the
    # drawn placeholder pages); the pass after it edits that file in place, so no page's data
    # is ever copied into memory.
    drawn_path = workdir / "drawn.pdf"
    with pikepdf.open(layout_path) as drawn:
        detach_links(drawn, front)
        drawn.save(drawn_path)
    refs = [PageRef(drawn_path, i) for i in range(front)]
    k = front
    for prep in prepared:
        if prep.plan.mode == "placeholder":
            prep.refs = [PageRef(drawn_path, k)]
        refs += prep.refs
        k += len(prep.sizes)
    merged_path = workdir / "merged.pdf"
    merge(refs, merged_path)
    cancel.raise_if_cancelled()

    warnings: list[BundleWarning] = []
    firsts: dict[int, int] = {}
    with pikepdf.open(merged_path) as out, pikepdf.open(drawn_path) as drawn:
        pages = list(out.pages)
        if any(Name.Annots in p.obj for p in pages[front:]):
            out.flatten_annotations(mode="print")
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
                    assert prep.image_job is not None and rect is not None
                    lay_out_image_page(out, page, prep.sizes[i], rect, prep.image_job.orientation)
                else:
                    prepare_page(page)
                form = out.copy_foreign(drawn.pages[g + i].as_form_xobject())
                place_overlay(out, page, form)
            if prep.plan.mode == "pdf":
                fonts = sorted(set().union(*(unembedded_fonts(p) for p in mine)))
                if fonts:
                    warnings.append(
                        BundleWarning(
                            "pdf.warn.unembedded_fonts",
                            {"number": item.number, "fonts": ", ".join(fonts)},
                        )
                    )
            g += len(prep.sizes)
        for page in pages[:front]:
            retarget_links(page, pages)
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
        sha = _write(out, out_path)
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


def _write(out: pikepdf.Pdf, out_path: Path) -> str:
    """Write next to the destination, fsync, then rename: a reader never sees half a file."""
    with atomic_output(out_path) as temp:
        out.save(
            temp,
            static_id=True,  # the first /ID element is ours (metadata.apply); no MD5 pass
            min_version="1.7",
            fix_metadata_version=False,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
        sha = sha256_file(temp)
    return sha
