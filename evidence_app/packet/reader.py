"""Verify a packet: decrypt, check structure, signatures, hashes and the custody log.

One pass, no plaintext spool: a thread decrypts (our age reader) and parses the stored ZIP
as a stream (zipstream: strict shape, names, limits, central directory checked against every
entry at the end), handing member bytes to this thread, which hashes them with SHA-256. Only
complaint.pdf is copied, to a 0600 file in a fresh private (0700) temporary folder deleted
whatever happens (pyHanko reads it from there); with ``extract_to`` every member is also
written into a private staging folder, renamed into place only when everything passed.
Nothing is trusted before it is proven: age header (bounded scrypt, strict grammar) → ZIP
shape and names, while decrypting → CMS signature over manifest.json (and the chain, with
trust roots) → manifest → the member set (no extra, none missing) → every member's size and
SHA-256 → the PAdES signature of complaint.pdf, by the same certificate → the custody chain
and its head.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import shutil
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, cast

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from evidence_app import boundedjson
from evidence_app.crypto import age_keys, age_stream
from evidence_app.crypto.cms import verify_detached
from evidence_app.crypto.pades import verify_pdf
from evidence_app.errors import EvidenceError, UsageError, VerificationFailed
from evidence_app.jobs import NEVER_CANCELLED, CancelToken, ProgressCallback, no_progress
from evidence_app.lazy_import import preload
from evidence_app.packet import layout
from evidence_app.packet.manifest import parse_manifest
from evidence_app.packet.pipe import Channel, PipeAborted
from evidence_app.packet.report import (
    EXTRA,
    MISMATCH,
    MISSING,
    OK,
    SIZE_MISMATCH,
    UNCHECKED,
    FileStatus,
    VerifyReport,
)
from evidence_app.packet.zipstream import Entry, StreamReader
from evidence_app.store.custody import CustodyEntry, verify_chain
from evidence_app.store.lock import job_dir, reap

CHUNK = 1024 * 1024
SPOOL_IN_MEMORY = 256 * 1024 * 1024  # complaint.pdf up to this stays in memory
_CRC_MISMATCH = hashlib.sha256(b"crc mismatch").hexdigest()


def _private_file(path: Path) -> BinaryIO:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    return os.fdopen(fd, "wb", buffering=CHUNK)


_VALIDATION_MODULES = (
    "pyhanko.sign.validation",
    "pyhanko.sign.validation.generic_cms",
    "pyhanko.pdf_utils.reader",
    "pyhanko.pdf_utils.filters",
    "pyhanko_certvalidator",
)


def _identities_for(
    packet: Path, identities: Sequence[age_stream.Identity], passphrase: str | None
) -> list[age_stream.Identity]:
    result = list(identities)
    if passphrase is not None:
        key_file = Path(layout.packet_key_path(str(packet)))
        if not key_file.is_file():
            raise VerificationFailed("packet.key_file_missing", path=str(key_file))
        failure: EvidenceError | None = None
        # A re-export interrupted between its two renames leaves the old packet beside the
        # new key: the old key is then one of the hidden previous copies (writer).
        for candidate in [key_file, *map(Path, layout.previous_key_paths(str(packet)))]:
            try:
                result += age_keys.load_age_identity(candidate, passphrase)
            except EvidenceError as exc:
                failure = failure or exc
        if failure is not None and len(result) == len(identities):
            if isinstance(failure, VerificationFailed):
                raise failure
            raise VerificationFailed(failure.key, **failure.params) from failure
    if not result:
        raise UsageError("packet.no_identity")
    return result


def verify_packet(
    path: Path,
    *,
    identities: Sequence[age_stream.Identity] = (),
    passphrase: str | None = None,
    trust: Sequence[x509.Certificate] | None = None,
    extract_to: Path | None = None,
    limits: layout.Limits = layout.DEFAULT_LIMITS,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER_CANCELLED,
) -> VerifyReport:
    """Verify the packet at ``path``. Verification failures are returned in the report
    (``report.ok``, ``report.error``) with per-file states; usage errors and cancellation
    raise."""
    path = Path(path)
    report = VerifyReport(packet=path)
    if not path.is_file():
        raise UsageError("cli.file_missing", path=str(path))
    if extract_to is not None:
        # a link to an (empty) folder means that folder: resolved before anything is written
        extract_to = Path(os.path.abspath(extract_to)).resolve(strict=False)
        if extract_to.exists() and (not extract_to.is_dir() or any(extract_to.iterdir())):
            raise UsageError("packet.extract_not_empty", path=str(extract_to))
    try:
        keys = _identities_for(path, identities, passphrase)
    except VerificationFailed as exc:
        report.fail(exc)
        return report
    # complaint.pdf (for pyHanko) stays in memory, or past SPOOL_IN_MEMORY in an unnamed
    # temporary file: no name on any disk, gone with the process however it ends.
    pdf_copy = cast(BinaryIO, tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY))
    staging: Path | None = None
    staging_owner = None
    try:
        if extract_to is not None:
            extract_to.parent.mkdir(parents=True, exist_ok=True)
            # leftovers of killed extractions here (their owner provably gone: store.lock)
            reap(extract_to.parent, ".*.partial-*", require_lock=True)
            reap(extract_to.parent, f".{extract_to.name}.partial-*")  # older versions: no lock
            staging, staging_owner = job_dir(extract_to.parent, f".{extract_to.name}.partial-")
        try:
            streamed = _stream(path, keys, pdf_copy, staging, limits, progress, cancel)
            _check_members(streamed, pdf_copy, report, trust, limits)
        except VerificationFailed as exc:
            report.fail(exc)
        except (EvidenceError, OSError, KeyboardInterrupt):
            raise  # usage, cancellation, the disk: not a verdict on the packet
        except Exception as exc:
            report.fail(
                VerificationFailed(
                    "packet.malformed", detail=f"{type(exc).__name__}: {str(exc)[:200]}"
                )
            )
        if report.ok and staging is not None and extract_to is not None:
            if extract_to.exists():
                extract_to.rmdir()  # checked empty above
            os.replace(staging, extract_to)
            staging = None
            report.extracted_to = extract_to
        return report
    finally:
        pdf_copy.close()
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
        if staging_owner is not None:
            staging_owner.release(remove=True)


@dataclass
class _Streamed:
    entries: dict[str, Entry]
    sha256: dict[str, str]
    small: dict[str, bytes]
    sm3: dict[str, str] = dataclasses.field(default_factory=dict)


class _Collector:
    """Main-thread side of the stream: SHA-256 of every member, copies where needed
    (complaint.pdf for PAdES, everything into the staging folder when extracting), and the
    small members kept in memory within their limits."""

    def __init__(
        self,
        pdf_copy: BinaryIO,
        staging: Path | None,
        limits: layout.Limits,
        progress: ProgressCallback,
        total: int,
        cancel: CancelToken,
    ) -> None:
        self._pdf_copy = pdf_copy
        self._to_pdf = False
        self._staging = staging
        self._small_limits = {
            layout.MANIFEST: limits.max_manifest_size,
            layout.SIGNATURE: limits.max_signature_size,
            layout.CUSTODY: limits.max_custody_size,
        }
        self._progress = progress
        self._total = total
        self._cancel = cancel
        self._done = 0
        self._name = ""
        self._digest = hashlib.sha256()
        self._sm3: Any = None  # originals (evidence/...) are hashed with SM3 as well
        self._sinks: list[BinaryIO] = []
        self._small: bytearray | None = None
        self.result = _Streamed({}, {}, {})

    def begin(self, name: str) -> None:
        self._name = name
        self._digest = hashlib.sha256()
        self._sm3 = (
            hashes.Hash(hashes.SM3()) if name.startswith(layout.EVIDENCE_DIR + "/") else None
        )
        self._small = bytearray() if name in self._small_limits else None
        self._to_pdf = name == layout.COMPLAINT
        if self._to_pdf:
            self._pdf_copy.seek(0)
            self._pdf_copy.truncate()
        if self._staging is not None and name not in layout.SIGNED_MEMBERS:
            target = self._staging / name
            target.parent.mkdir(mode=0o700, exist_ok=True)
            self._sinks.append(_private_file(target))

    def data(self, view: memoryview) -> None:
        self._digest.update(view)
        if self._to_pdf:
            self._pdf_copy.write(view)
        if self._sm3 is not None:
            self._sm3.update(view)
        for sink in self._sinks:
            sink.write(view)
        if self._small is not None:
            limit = self._small_limits[self._name]
            if len(self._small) + len(view) > limit:
                raise VerificationFailed("packet.member_too_large", name=self._name, limit=limit)
            self._small += view
        self._done += len(view)
        self._progress(self._done, self._total, self._name)
        self._cancel.raise_if_cancelled()

    def end(self, entry: Entry) -> None:
        self.close()
        self._to_pdf = False
        self.result.entries[entry.name] = entry
        self.result.sha256[entry.name] = self._digest.hexdigest()
        if self._sm3 is not None:
            self.result.sm3[entry.name] = self._sm3.finalize().hex()
            self._sm3 = None
        if self._small is not None:
            self.result.small[entry.name] = bytes(self._small)
            self._small = None

    def close(self) -> None:
        sinks, self._sinks = self._sinks, []
        for sink in sinks:
            sink.close()


class _ChannelSink:
    """Decrypt-and-parse thread side: hands each event to the main thread."""

    def __init__(self, channel: Channel) -> None:
        self._channel = channel

    def begin(self, name: str) -> None:
        self._channel.put("begin", name)

    def data(self, view: memoryview) -> None:
        self._channel.put("data", view, len(view))

    def end(self, entry: Entry) -> None:
        self._channel.put("end", entry)


def _stream(
    path: Path,
    keys: Sequence[age_stream.Identity],
    pdf_copy: BinaryIO,
    staging: Path | None,
    limits: layout.Limits,
    progress: ProgressCallback,
    cancel: CancelToken,
) -> _Streamed:
    """Decrypt and parse the ZIP in one thread (ChaCha20-Poly1305 and CRC-32 release the GIL)
    while this one hashes the members with SHA-256 (so does hashlib): two cores, one pass,
    no plaintext spooled. Authenticated plaintext only ever reaches the parser; an age error
    surfaces before the ZIP parser could see the damaged bytes."""
    collector = _Collector(pdf_copy, staging, limits, progress, path.stat().st_size, cancel)
    channel = Channel()
    with open(path, "rb", buffering=0) as src:
        _header, blocks = age_stream.open_payload(src, keys, cancel=cancel)
        # pyHanko's validation modules load while the packet streams: the decrypt thread and
        # this one import nothing meanwhile (zipstream pre-imports its codec), and the preload
        # is joined before anything uses them, so no two threads ever import at once.
        loading = preload(_VALIDATION_MODULES)

        def produce() -> None:
            try:
                entries = StreamReader(blocks, _ChannelSink(channel), limits).run()
                channel.put("done", entries)
            except BaseException as exc:  # handed to the main thread, which raises it
                with contextlib.suppress(PipeAborted):
                    channel.put("error", exc)

        thread = threading.Thread(target=produce, name="packet-decrypt", daemon=True)
        thread.start()
        try:
            while True:
                kind, value = channel.get()
                if kind == "data":
                    collector.data(value)  # type: ignore[arg-type]
                elif kind == "begin":
                    collector.begin(value)  # type: ignore[arg-type]
                elif kind == "end":
                    collector.end(value)  # type: ignore[arg-type]
                elif kind == "done":
                    break
                else:
                    raise value  # type: ignore[misc]
        except BaseException as exc:
            channel.abort(exc)
            raise
        finally:
            thread.join()
            loading.join()
            collector.close()
    return collector.result


def _check_members(
    streamed: _Streamed,
    pdf_copy: BinaryIO,
    report: VerifyReport,
    trust: Sequence[x509.Certificate] | None,
    limits: layout.Limits,
) -> None:
    entries = streamed.entries
    for required in layout.SIGNED_MEMBERS:
        if required not in entries:
            raise VerificationFailed("packet.missing_file", path=required)
    manifest_bytes = streamed.small[layout.MANIFEST]
    signature = streamed.small[layout.SIGNATURE]
    report.signer = verify_detached(manifest_bytes, signature, list(trust) if trust else None)
    manifest = parse_manifest(manifest_bytes, limits)
    report.manifest = manifest

    listed = {f.path for f in manifest.files}
    present = set(entries) - set(layout.SIGNED_MEMBERS)
    for name in sorted(present - listed):
        report.files.append(FileStatus(name, EXTRA, entries[name].size))
    for entry in manifest.files:
        if entry.path not in present:
            report.files.append(FileStatus(entry.path, MISSING, entry.size, entry.sha256))
    if present != listed:
        first = sorted(present - listed) or sorted(listed - present)
        key = "packet.extra_file" if present - listed else "packet.missing_file"
        raise VerificationFailed(key, path=layout._printable(first[0]))

    statuses: list[FileStatus] = []
    for entry in manifest.files:
        found = entries[entry.path]
        status = FileStatus(entry.path, UNCHECKED, entry.size, entry.sha256)
        statuses.append(status)
        if found.size != entry.size:
            status.status = SIZE_MISMATCH
            continue
        # data that disagrees with its own CRC is reported as a mismatch, whatever its hash
        status.actual_sha256 = streamed.sha256[entry.path] if found.crc_ok else _CRC_MISMATCH
        status.status = OK if status.actual_sha256 == entry.sha256 else MISMATCH
        if entry.sm3:
            status.expected_sm3 = entry.sm3
            status.actual_sm3 = streamed.sm3.get(entry.path, "")
            if status.actual_sm3 != entry.sm3:
                status.status = MISMATCH
    report.files.extend(statuses)
    for status in statuses:
        if status.status == SIZE_MISMATCH:
            raise VerificationFailed("packet.size_mismatch", path=status.path)
        if status.status == MISMATCH:
            raise VerificationFailed("packet.hash_mismatch", path=status.path)

    pdf_copy.seek(0)
    report.pades = verify_pdf(pdf_copy, list(trust) if trust else None)
    if report.pades.signer.fingerprint != report.signer.fingerprint:
        raise VerificationFailed("packet.pdf_signer_differs")
    report.custody_entries = _verify_custody(
        streamed.small[layout.CUSTODY], manifest.custody.get("head")
    )
    _bind_signer(report, trust)


def _normal_name(text: str) -> str:
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", text).split()).casefold()


def _bind_signer(report: VerifyReport, trust: Sequence[x509.Certificate] | None) -> None:
    """Who vouches for the signer. A valid signature proves only that the holder of some
    key signed: anyone can re-sign a packet with a self-signed certificate. Without
    ``--trust`` the certificate must at least name the complainant of the manifest
    (organisation and USCC, as ``keys new-signing`` writes them); with ``--trust`` the chain
    to a chosen root is the anchor (checked in crypto.cms)."""
    signer = report.signer
    complainant = (report.case_summary() or {}).get("complainant") or {}
    if signer is None:
        return
    name, uscc = str(complainant.get("name", "")), str(complainant.get("uscc", ""))
    matches = bool(
        uscc
        and signer.uscc.upper() == uscc.strip().upper()
        and _normal_name(signer.organisation) == _normal_name(name)
    )
    report.matches_complainant = matches
    if trust:
        report.trust_level = "anchored"
    elif matches:
        report.trust_level = "complainant"
    else:
        report.trust_level = "none"
        raise VerificationFailed(
            "packet.signer_not_complainant",
            organisation=signer.organisation or "-",
            uscc=signer.uscc or "-",
            name=name or "-",
            complainant_uscc=uscc or "-",
        )


def _verify_custody(data: bytes, head: object) -> int:
    entries: list[CustodyEntry] = []
    try:
        for line in data.decode("utf-8").splitlines():
            raw = boundedjson.loads(line)
            entries.append(
                CustodyEntry(
                    seq=int(raw["seq"]),
                    at=str(raw["at"]),
                    actor=str(raw["actor"]),
                    action=str(raw["action"]),
                    subject=str(raw["subject"]),
                    details=dict(raw["details"]),
                    prev=str(raw["prev"]),
                    hash=str(raw["hash"]),
                )
            )
    except (UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise VerificationFailed("packet.custody_invalid", why=str(exc)[:300]) from exc
    broken = verify_chain(entries)
    if broken is not None:
        raise VerificationFailed("packet.custody_broken", seq=broken.seq, reason=broken.reason)
    last = entries[-1].hash if entries else ""
    if last != head:
        raise VerificationFailed("packet.custody_head_mismatch")
    return len(entries)
