"""Verify a packet: decrypt, check structure, signatures, hashes and the custody log.

The decrypted ZIP is spooled to a 0600 file inside a fresh private (0700) temporary folder,
which is deleted whatever happens. Checks run in an order where nothing is trusted before it
is proven: age header (bounded scrypt, strict grammar) → decryption → ZIP shape and names →
CMS signature over manifest.json (and the chain, with trust roots) → manifest → the member
set (no extra, none missing) → every member's size and SHA-256 → the PAdES signature of
complaint.pdf, by the same certificate → the custody chain and its head. Extraction writes
into a private staging folder renamed into place only when everything passed.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import BinaryIO

import pyrage
from cryptography import x509

from evidence_app.crypto import age_keys, age_stream
from evidence_app.crypto.cms import verify_detached
from evidence_app.crypto.pades import verify_pdf
from evidence_app.errors import EvidenceError, UsageError, VerificationFailed
from evidence_app.jobs import NEVER_CANCELLED, CancelToken, ProgressCallback, no_progress
from evidence_app.packet import layout
from evidence_app.packet.manifest import FileEntry, parse_manifest
from evidence_app.packet.preload import preload
from evidence_app.packet.range_hash import RangeDigest, RangeHasher
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
from evidence_app.packet.zipcheck import check_zip, data_offset
from evidence_app.store.custody import CustodyEntry, verify_chain

CHUNK = 1024 * 1024
_CRC_MISMATCH = hashlib.sha256(b"crc mismatch").hexdigest()


def _private_file(path: Path) -> BinaryIO:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    return os.fdopen(fd, "wb", buffering=CHUNK)


_VALIDATION_MODULES = (
    "pyhanko.sign.validation",
    "pyhanko.sign.validation.generic_cms",
    "pyhanko.pdf_utils.reader",
    "pyhanko_certvalidator",
)


def _identities_for(
    packet: Path, identities: Sequence[pyrage.x25519.Identity], passphrase: str | None
) -> list[pyrage.x25519.Identity]:
    result = list(identities)
    if passphrase is not None:
        key_file = Path(layout.packet_key_path(str(packet)))
        if not key_file.is_file():
            raise VerificationFailed("packet.key_file_missing", path=str(key_file))
        try:
            result += age_keys.load_age_identity(key_file, passphrase)
        except VerificationFailed:
            raise
        except EvidenceError as exc:
            raise VerificationFailed(exc.key, **exc.params) from exc
    if not result:
        raise UsageError("packet.no_identity")
    return result


def verify_packet(
    path: Path,
    *,
    identities: Sequence[pyrage.x25519.Identity] = (),
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
        extract_to = Path(extract_to)
        if extract_to.exists() and (not extract_to.is_dir() or any(extract_to.iterdir())):
            raise UsageError("packet.extract_not_empty", path=str(extract_to))
    try:
        keys = _identities_for(path, identities, passphrase)
    except VerificationFailed as exc:
        report.fail(exc)
        return report
    preload(_VALIDATION_MODULES)  # imported while pyrage decrypts, used after
    workdir = Path(tempfile.mkdtemp(prefix="evpkt-verify-"))  # 0700
    staging: Path | None = None
    try:
        spool = workdir / "packet.zip"
        total = path.stat().st_size
        try:
            with open(path, "rb") as src, _private_file(spool) as out:
                age_stream.decrypt_stream(
                    src, out, keys, cancel=cancel, on_write=lambda n: progress(n, total, "decrypt")
                )
        except VerificationFailed as exc:
            report.fail(exc)
            return report
        if extract_to is not None:
            extract_to.parent.mkdir(parents=True, exist_ok=True)
            staging = Path(
                tempfile.mkdtemp(prefix=f".{extract_to.name}.partial-", dir=extract_to.parent)
            )
        try:
            _verify_zip(spool, workdir, report, trust, staging, limits, progress, cancel)
        except VerificationFailed as exc:
            report.fail(exc)
        except zipfile.BadZipFile as exc:
            report.fail(VerificationFailed("packet.zip_invalid", why=str(exc)))
        if report.ok and staging is not None and extract_to is not None:
            if extract_to.exists():
                extract_to.rmdir()  # checked empty above
            os.replace(staging, extract_to)
            staging = None
            report.extracted_to = extract_to
        return report
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def _verify_zip(
    spool: Path,
    workdir: Path,
    report: VerifyReport,
    trust: Sequence[x509.Certificate] | None,
    staging: Path | None,
    limits: layout.Limits,
    progress: ProgressCallback,
    cancel: CancelToken,
) -> None:
    with open(spool, "rb") as fh, zipfile.ZipFile(fh) as zf:
        infos = {i.filename: i for i in check_zip(fh, zf, limits)}
        for required in layout.SIGNED_MEMBERS:
            if required not in infos:
                raise VerificationFailed("packet.missing_file", path=required)
        manifest_bytes = _read_small(zf, infos[layout.MANIFEST], limits.max_manifest_size)
        signature = _read_small(zf, infos[layout.SIGNATURE], limits.max_signature_size)
        report.signer = verify_detached(manifest_bytes, signature, list(trust) if trust else None)
        manifest = parse_manifest(manifest_bytes, limits)
        report.manifest = manifest

        listed = {f.path for f in manifest.files}
        present = set(infos) - set(layout.SIGNED_MEMBERS)
        for name in sorted(present - listed):
            report.files.append(FileStatus(name, EXTRA, infos[name].file_size))
        for entry in manifest.files:
            if entry.path not in present:
                report.files.append(FileStatus(entry.path, MISSING, entry.size, entry.sha256))
        if present != listed:
            first = sorted(present - listed) or sorted(listed - present)
            key = "packet.extra_file" if present - listed else "packet.missing_file"
            raise VerificationFailed(key, path=layout._printable(first[0]))

        total = sum(f.size for f in manifest.files)
        done = 0
        pdf_copy = workdir / "complaint.pdf"
        statuses: list[FileStatus] = []
        with RangeHasher(spool, cancel) as hasher:
            # members copied nowhere are hashed in parallel, straight from the spool
            futures = {
                entry.path: hasher.submit(data_offset(fh, infos[entry.path]), entry.size)
                for entry in manifest.files
                if entry.size == infos[entry.path].file_size
                and entry.path != layout.COMPLAINT
                and staging is None
            }
            for entry in manifest.files:
                done = _check_member(
                    zf, infos[entry.path], entry, futures.get(entry.path), statuses, pdf_copy,
                    staging, done, total, progress, cancel,
                )  # fmt: skip
        report.files.extend(statuses)
        for status in statuses:
            if status.status == SIZE_MISMATCH:
                raise VerificationFailed("packet.size_mismatch", path=status.path)
            if status.status == MISMATCH:
                raise VerificationFailed("packet.hash_mismatch", path=status.path)

        report.pades = verify_pdf(pdf_copy, list(trust) if trust else None)
        if report.pades.signer.fingerprint != report.signer.fingerprint:
            raise VerificationFailed("packet.pdf_signer_differs")
        custody = _read_small(zf, infos[layout.CUSTODY], limits.max_custody_size)
        report.custody_entries = _verify_custody(custody, manifest.custody.get("head"))


def _check_member(
    zf: zipfile.ZipFile,
    info: zipfile.ZipInfo,
    entry: FileEntry,
    future: Future[RangeDigest] | None,
    statuses: list[FileStatus],
    pdf_copy: Path,
    staging: Path | None,
    done: int,
    total: int,
    progress: ProgressCallback,
    cancel: CancelToken,
) -> int:
    """Hash one member (copying it where needed), append its status; returns bytes done."""
    status = FileStatus(entry.path, UNCHECKED, entry.size, entry.sha256)
    statuses.append(status)
    if info.file_size != entry.size:
        status.status = SIZE_MISMATCH
        return done
    if future is not None:
        result = future.result()
        crc_ok = result.crc == info.CRC and result.size == info.file_size
        status.actual_sha256 = result.sha256 if crc_ok else _CRC_MISMATCH
        status.status = OK if status.actual_sha256 == entry.sha256 else MISMATCH
        done += info.file_size
        progress(done, total, entry.path)
        cancel.raise_if_cancelled()
        return done
    sinks: list[BinaryIO] = []
    if entry.path == layout.COMPLAINT:
        sinks.append(_private_file(pdf_copy))
    if staging is not None:
        target = staging / entry.path
        target.parent.mkdir(mode=0o700, exist_ok=True)
        sinks.append(_private_file(target))
    digest = hashlib.sha256()
    try:
        with zf.open(info) as member:
            while chunk := member.read(CHUNK):
                digest.update(chunk)
                for sink in sinks:
                    sink.write(chunk)
                done += len(chunk)
                progress(done, total, entry.path)
                cancel.raise_if_cancelled()
    except zipfile.BadZipFile:  # CRC error
        digest = hashlib.sha256(b"crc mismatch")  # its hex digest is _CRC_MISMATCH
    finally:
        for sink in sinks:
            sink.close()
    status.actual_sha256 = digest.hexdigest()
    status.status = OK if status.actual_sha256 == entry.sha256 else MISMATCH
    return done


def _read_small(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    if info.file_size > limit:
        raise VerificationFailed("packet.member_too_large", name=info.filename, limit=limit)
    with zf.open(info) as fh:
        return fh.read(limit + 1)


def _verify_custody(data: bytes, head: object) -> int:
    entries: list[CustodyEntry] = []
    try:
        for line in data.decode("utf-8").splitlines():
            raw = json.loads(line)
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
    except (UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise VerificationFailed("packet.custody_invalid", why=str(exc)) from exc
    broken = verify_chain(entries)
    if broken is not None:
        raise VerificationFailed("packet.custody_broken", seq=broken.seq, reason=broken.reason)
    last = entries[-1].hash if entries else ""
    if last != head:
        raise VerificationFailed("packet.custody_head_mismatch")
    return len(entries)
