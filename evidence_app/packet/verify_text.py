"""VERIFY.txt: how to check a packet with the reference age and OpenSSL tools alone.

Rendered from ``resources/packet/VERIFY.txt.tmpl`` (Chinese and English together: the
recipient's language is unknown). Command lines start with ``$ `` so that tests can run them
exactly as written.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence

from evidence_app.crypto.identities import SigningIdentity
from evidence_app.packet import layout
from evidence_app.packet.manifest import FileEntry
from evidence_app.resources import resource_path

TEMPLATE = ("packet", "VERIFY.txt.tmpl")
COMMAND_PREFIX = "$ "

_KEY_FILE_STEP = """\
   或（口令包）用包旁的口令保护身份文件，age 会询问口令：
   Or (passphrase packet) with the passphrase-protected identity beside the packet; age asks
   for the passphrase:
   $ age -d -i {key} -o packet.zip {packet}
"""


_SM3_STEP = """
   原件的 SM3（GB/T 32905）杂凑值同样列于 manifest.json；下列命令的输出须与其后的清单逐行一致：
   The originals' SM3 digests (GB/T 32905) are in manifest.json too; the output of this command
   must equal the list after it line by line:
   $ openssl dgst -sm3 -r {args}
{expected}
"""


def _sm3_step(files: Sequence[FileEntry]) -> str:
    originals = [f for f in files if f.sm3]
    if not originals:
        return ""
    return _SM3_STEP.format(
        args=" ".join(shlex.quote(f.path) for f in originals),
        expected="\n".join(f"   {f.sm3} *{f.path}" for f in originals),
    )


def render_verify_text(
    packet_name: str,
    signer: SigningIdentity,
    files: Sequence[FileEntry],
    custody_head: str,
    passphrase_packet: bool,
    timestamp_step: str = "",
) -> bytes:
    """``files`` are the members checked by hash in step 4 (everything but VERIFY.txt and
    the two signature members), in packet order."""
    template = resource_path(*TEMPLATE).read_text("utf-8")
    names = [f.path for f in files]
    expected = "\n".join(f"   {f.sha256} *{f.path}" for f in files)
    step = ""
    if passphrase_packet:
        key_name = layout.packet_key_path(packet_name)
        step = _KEY_FILE_STEP.format(key=shlex.quote(key_name), packet=shlex.quote(packet_name))
    values = {
        "PACKET": shlex.quote(packet_name),
        "SIGNER": signer.subject,
        "FINGERPRINT": _colon_hex(signer.fingerprint),
        "PASSPHRASE_STEP": step,
        "DGST_ARGS": " ".join(shlex.quote(n) for n in names),
        "EXPECTED": expected,
        "CUSTODY_HEAD": custody_head,
        "SM3_STEP": _sm3_step(files),
        "TIMESTAMP_STEP": timestamp_step,
    }
    text = template
    for key, value in values.items():
        text = text.replace(f"@@{key}@@", value)
    return text.encode("utf-8")


def _colon_hex(hex_digest: str) -> str:
    """OpenSSL prints fingerprints as upper-case colon-separated bytes; match it."""
    return ":".join(hex_digest[i : i + 2] for i in range(0, len(hex_digest), 2)).upper()
