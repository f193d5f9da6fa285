"""Export as one plan: select the targets, check them, build and sign the complaint ONCE,
then write the packet and/or the upload folder and/or the complaint PDF from it.

Both faces build an :class:`ExportPlan` (the CLI from its options, the export wizard from
its pages), ask it for :meth:`ExportPlan.problems` before any work, and run it through
:func:`export_operation`. The channel of this export (``channel``, default the case's) is
named in every output — the complaint, forms/, both manifests — and recorded: it becomes
the case's channel (a custody entry) and each output's custody event names it.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from evidence_app.app.operation import Operation
from evidence_app.jobs import NEVER_CANCELLED, CancelToken, ProgressCallback, no_progress
from evidence_app.messages import Message
from evidence_app.packet.layout import packet_key_path
from evidence_app.store.case_store import EXPORT_WORK_DIR, Clock, utc_now
from evidence_app.store.lock import job_dir

if TYPE_CHECKING:
    from evidence_app.crypto.identities import SigningIdentity
    from evidence_app.exporters.packet import ExportResult
    from evidence_app.exporters.upload_folder import UploadFolderResult

PACKET_SUFFIX = ".evpkt"
MIN_PASSPHRASE = 8

SigningMode = Literal["none", "new", "existing"]


@dataclass(frozen=True)
class SigningSpec:
    """The signing identity: none (an unsigned upload folder or PDF), a new one written to
    ``path``, or an existing PKCS#12 file at ``path``."""

    mode: SigningMode = "none"
    path: Path | None = None
    passphrase: str = ""
    name: str = ""  # new identities only: the signer's name and USCC
    uscc: str = ""

    def problems(self) -> list[Message]:
        """What is wrong with this identity choice (shared by the wizard's identity page)."""
        from evidence_app.validators import is_valid_uscc

        spec = self
        if spec.mode == "none":
            return []
        if spec.path is None or not str(spec.path).strip():
            return [Message("ui.export.need_path")]
        if spec.mode == "new":
            if not spec.name.strip():
                return [Message("ui.export.identity.need_name")]
            if not is_valid_uscc(spec.uscc.strip()):
                return [Message("validation.uscc")]
            if spec.path.exists():
                return [Message("ui.export.identity.exists")]
            if len(spec.passphrase) < MIN_PASSPHRASE:
                return [Message("ui.export.passphrase_short", {"min": MIN_PASSPHRASE})]
            return []
        if not spec.path.is_file():
            return [Message("ui.export.identity.missing")]
        if not spec.passphrase:
            return [Message("ui.export.passphrase_needed")]
        return []


@dataclass(frozen=True)
class PacketSpec:
    out_path: Path
    recipients: tuple[str, ...] = ()
    passphrase: str | None = None  # instead of recipients


@dataclass(frozen=True)
class ExportPlan:
    case_root: Path
    target_ids: tuple[str, ...] = ()  # () = the whole case
    allow_gaps: bool = False
    channel: str | None = None  # a channel profile id; None = the case's channel
    signing: SigningSpec = field(default_factory=SigningSpec)
    packet: PacketSpec | None = None
    folder: Path | None = None  # an upload folder (NOT encrypted)
    pdf: Path | None = None  # a copy of the complaint PDF
    clean_up: bool = True  # False when a window has the case open (its own clean-up rules)
    overwrite: bool = False  # replace existing outputs (never a case file or an input)

    def problems(self) -> list[Message]:
        """What stops this plan before any work, in the order a person fixes them. The
        wizard shows them on its pages; the CLI exits with the first as a usage error."""
        out: list[Message] = []
        if self.packet is None and self.folder is None and self.pdf is None:
            out.append(Message("cli.export.need_output"))
        if self.packet is not None:
            if self.signing.mode == "none":
                out.append(Message("cli.export.need_sign"))
            if not self.packet.recipients and self.packet.passphrase is None:
                out.append(Message("cli.export.need_recipient"))
            key = (
                [Path(packet_key_path(str(self.packet.out_path)))] if self.packet.passphrase else []
            )
            out += self._output_problems(self.packet.out_path, companions=key)
        if self.folder is not None:
            out += self._output_problems(self.folder, folder=True)
        if self.pdf is not None:
            out += self._output_problems(self.pdf)
        outputs = [p for p in (self.packet and self.packet.out_path, self.folder, self.pdf) if p]
        if len({str(p.resolve()) for p in outputs}) != len(outputs):
            out.append(Message("output.is_input", {"path": str(outputs[-1])}))
        if self.channel:
            from evidence_app.channels import load_profiles

            profiles = load_profiles()
            if self.channel not in profiles:
                known = ", ".join(profiles)
                out.append(Message("channels.unknown", {"channel": self.channel, "known": known}))
        out += self.signing.problems()
        return out

    def _output_problems(
        self, path: Path, *, folder: bool = False, companions: Sequence[Path] = ()
    ) -> list[Message]:
        """Never inside the case, never over an input (the signing key), never over an
        existing path unless ``overwrite`` (evidence_app.output_guard); the folder an output
        goes into must exist."""
        from evidence_app.errors import UsageError
        from evidence_app.output_guard import check_output

        inputs = [self.signing.path] if self.signing.mode == "existing" else []
        try:
            check_output(
                path,
                overwrite=self.overwrite,
                folder=folder,
                cases=[self.case_root],
                inputs=inputs,
                companions=companions,
            )
        except UsageError as exc:
            return [Message(exc.key, exc.params)]
        if not path.parent.is_dir():
            return [Message("upload.no_parent", {"path": str(path.parent)})]
        return []


@dataclass(frozen=True)
class ExportOutcome:
    channel: str  # the channel every output names
    signer_fingerprint: str | None
    gaps: int
    packet: ExportResult | None = None
    upload_folder: UploadFolderResult | None = None
    pdf: Path | None = None
    key_path: Path | None = None  # a new signing identity written by this export


def _signing(spec: SigningSpec, clock: Clock) -> SigningIdentity | None:
    from evidence_app.crypto import identities

    if spec.mode == "none":
        return None
    assert spec.path is not None  # problems() refused a plan without one
    if spec.mode == "new":
        return identities.new_signing_identity(
            spec.name, spec.uscc, spec.passphrase, spec.path, clock
        )
    return identities.load_signing_identity(spec.path, spec.passphrase)


def run_export(
    plan: ExportPlan,
    clock: Clock = utc_now,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER_CANCELLED,
) -> ExportOutcome:
    """Carry out ``plan``. Outputs are written one after the other, each atomically; a
    failure or cancel leaves none of the unfinished ones behind."""
    from evidence_app.errors import UsageError
    from evidence_app.exporters.complaint import prepare_complaint
    from evidence_app.exporters.packet import export_packet
    from evidence_app.exporters.upload_folder import export_upload_folder
    from evidence_app.store import CaseStore

    problems = plan.problems()
    if problems:
        raise UsageError(problems[0].key, **problems[0].params)
    if plan.packet is not None:
        from evidence_app.crypto.age_stream import parse_recipient

        for recipient in plan.packet.recipients:
            parse_recipient(recipient)  # a typo fails now, not after the PDF work
    signing = _signing(plan.signing, clock)
    cancel.raise_if_cancelled()
    steps = _Steps(progress)
    # A window that has the case open exports through a helper process: the window's own
    # session owns the case then; a command takes the case lock (a second writer is refused).
    lock_for = "export" if plan.clean_up else None
    with CaseStore.open(
        plan.case_root, clock=clock, clean_up=plan.clean_up, lock_for=lock_for
    ) as store:
        channel = plan.channel or store.load().channel
        if plan.channel and plan.channel != store.load().channel:
            store.set_channel(plan.channel)  # recorded in the custody log
        # a private work folder, locked: a concurrent opener's clean-up never takes it
        work, work_owner = job_dir(store.root / EXPORT_WORK_DIR, "plan-")
        try:
            prepared = prepare_complaint(
                store,
                work,
                target_ids=plan.target_ids or None,
                allow_gaps=plan.allow_gaps,
                signing=signing,
                channel=channel,
                clock=clock,
                progress=steps.stage("pdf"),
                cancel=cancel,
            )
            packet = folder = None
            if plan.packet is not None:
                assert signing is not None
                packet = export_packet(
                    store,
                    plan.packet.out_path,
                    recipients=list(plan.packet.recipients),
                    passphrase=plan.packet.passphrase,
                    signing=signing,
                    clock=clock,
                    progress=steps.stage("packet"),
                    cancel=cancel,
                    prepared=prepared,
                )
            if plan.folder is not None:
                folder = export_upload_folder(
                    store,
                    plan.folder,
                    channel=channel,
                    clock=clock,
                    progress=steps.stage("folder"),
                    cancel=cancel,
                    prepared=prepared,
                    overwrite=plan.overwrite,
                )
            if plan.pdf is not None:
                _write_pdf(store, prepared.pdf, plan.pdf, channel)
        finally:
            shutil.rmtree(work, ignore_errors=True)
            work_owner.release(remove=True)
    return ExportOutcome(
        channel=channel,
        signer_fingerprint=signing.fingerprint if signing is not None else None,
        gaps=len(prepared.check.gaps()),
        packet=packet,
        upload_folder=folder,
        pdf=plan.pdf,
        key_path=plan.signing.path if plan.signing.mode == "new" else None,
    )


def _write_pdf(store: object, source: Path, dest: Path, channel: str) -> None:
    from evidence_app.durable import write_atomic
    from evidence_app.store import CaseStore
    from evidence_app.store.blobs import sha256_file

    assert isinstance(store, CaseStore)
    write_atomic(dest, source.read_bytes())
    store.record_event(
        "export.pdf", {"name": dest.name, "sha256": sha256_file(dest), "channel": channel}
    )


class _Steps:
    """One progress line for the whole plan: each stage's steps, prefixed by its name."""

    def __init__(self, progress: ProgressCallback) -> None:
        self.progress = progress

    def stage(self, name: str) -> ProgressCallback:
        def report(done: int, total: int, label: str) -> None:
            self.progress(done, total, f"{name}: {label}")

        return report


def export_operation(plan: ExportPlan, clock: Clock = utc_now) -> Operation[ExportOutcome]:
    """The export as an operation: isolated (signing opens PKCS#12 with PBKDF2, qpdf and
    the PDF work hold the interpreter lock)."""
    return Operation("export", run_export, (plan, clock), isolated=True)
