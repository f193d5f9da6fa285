"""What every export of a case starts with: the chosen part of the case, checked against the
rule packs (gaps refused unless allowed), and the complaint PDF built and PAdES-signed.

Shared by the packet (exporters/packet.py) and the upload folder (exporters/upload_folder.py);
both copy every original themselves and re-hash it on the way, so the bundle is asked not to
re-hash the originals it does not draw (``verify_blobs=False``). When one export writes
several outputs, :func:`prepare_complaint` runs this prelude once and each output takes the
:class:`PreparedComplaint` (the same checked case, the same signed PDF).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evidence_app.errors import EXIT_GAPS, EvidenceError
from evidence_app.exporters.selection import select_for_channel, select_targets
from evidence_app.jobs import NEVER_CANCELLED, CancelToken, ProgressCallback, no_progress
from evidence_app.model import Case
from evidence_app.store import CaseStore

if TYPE_CHECKING:
    from evidence_app.crypto.identities import SigningIdentity
    from evidence_app.rules.result import CheckResult


class ExportRefused(EvidenceError):
    """The case has required items missing and gaps were not allowed."""

    exit_code = EXIT_GAPS


def checked_selection(
    case: Case,
    target_ids: Sequence[str] | None,
    allow_gaps: bool,
    *,
    channel: str | None = None,
) -> tuple[Case, Any]:
    """``case`` reduced to ``target_ids`` and its check result; refused if required items are
    missing and ``allow_gaps`` is false. With ``channel`` (a profile id), the selection is
    that channel's (its own targets unless ``target_ids`` are given) and names it."""
    from evidence_app.rules import check_case

    if channel is not None:
        selected = select_for_channel(case, channel, target_ids)
    else:
        selected = select_targets(case, target_ids)
    check = check_case(selected)
    if not check.ready and not allow_gaps:
        raise ExportRefused("packet.export_gaps", count=len(check.gaps()))
    return selected, check


def write_complaint(
    case: Case,
    store: CaseStore,
    check: Any,
    dest: Path,
    work: Path,
    signing: Any,
    *,
    clock: _dt.datetime,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER_CANCELLED,
) -> None:
    """Build the complaint bundle in ``work`` and write it to ``dest``, PAdES-signed by
    ``signing`` (a SigningIdentity), or as built when ``signing`` is None."""
    from evidence_app.exporters.pdf import build_bundle

    bundle = work / "bundle.pdf"
    build_bundle(
        case,
        store.blobs,
        bundle,
        clock=clock,
        check_result=check,
        progress=progress,
        cancel=cancel,
        verify_blobs=False,
    )
    cancel.raise_if_cancelled()
    if signing is None:
        bundle.replace(dest)
        return
    from evidence_app.crypto.pades import sign_pdf

    sign_pdf(bundle, dest, signing)
    bundle.unlink()


@dataclass(frozen=True)
class PreparedComplaint:
    """The prelude of an export, done once: the selected part of the case (with the channel
    of this export), its check, and the complaint PDF written to ``pdf`` (PAdES-signed by
    ``signing`` when given)."""

    case: Case
    check: CheckResult
    pdf: Path
    signing: SigningIdentity | None
    allow_gaps: bool


def prepare_complaint(
    store: CaseStore,
    work: Path,
    *,
    target_ids: Sequence[str] | None,
    allow_gaps: bool,
    signing: SigningIdentity | None,
    channel: str | None = None,
    clock: Callable[[], _dt.datetime],
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER_CANCELLED,
) -> PreparedComplaint:
    """Select, check (gaps refused unless allowed) and write ``work/complaint.pdf``.
    ``channel`` (a profile id) replaces the case's channel for this export: the PDF, the
    forms and every manifest name the channel the complaint goes to."""
    full = store.load()
    if channel:
        full = dataclasses.replace(full, channel=channel)
    # scoped to the channel: a platform's complaint speaks only of its own targets
    case, check = checked_selection(full, target_ids, allow_gaps, channel=full.channel or None)
    pdf = work / "complaint.pdf"
    write_complaint(
        case, store, check, pdf, work, signing, clock=clock(), progress=progress, cancel=cancel
    )
    return PreparedComplaint(case, check, pdf, signing, allow_gaps)
