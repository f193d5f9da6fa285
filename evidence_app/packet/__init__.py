"""Packet format 1 (docs/packet-format.md): layout, manifest, writer and verifier."""

from evidence_app.packet.reader import verify_packet
from evidence_app.packet.report import FileStatus, VerifyReport

__all__ = ["FileStatus", "VerifyReport", "verify_packet"]
