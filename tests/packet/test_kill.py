"""Kill an export (SIGKILL: no cleanup runs) in the PDF phase and mid-stream: no packet under
the final name, no plaintext in temp folders, and the next export cleans up after it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest
from packet_helpers import SIGN_PASS, make_case

from evidence_app.crypto.identities import serialize_p12

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from evidence_app.crypto.identities import load_signing_identity
    from evidence_app.exporters.packet import export_packet
    from evidence_app.store import CaseStore

    case, out, p12, recipient, phase = sys.argv[1:6]
    signing = load_signing_identity(Path(p12), "{password}")
    state = {{"told": False}}

    def progress(done, total, label):
        in_pdf = label.startswith("pdf:")
        if state["told"] or (phase == "pdf") != in_pdf or (phase == "zip" and done < 8 << 20):
            return
        state["told"] = True
        print("at", label, done, flush=True)
        sys.stdin.readline()  # wait here until the parent kills us

    with CaseStore.open(case) as store:
        export_packet(store, Path(out), recipients=[recipient], passphrase=None,
                      signing=signing, allow_gaps=True, progress=progress)
    print("finished", flush=True)
    """
).format(password=SIGN_PASS)


@pytest.fixture(scope="module")
def big_case(tmp_path_factory):
    marker = b"PLAINTEXT-MARKER-" + os.urandom(16).hex().encode()
    blob = marker * ((32 << 20) // len(marker))
    return make_case(tmp_path_factory.mktemp("big"), extra_blob=blob), marker


@pytest.mark.parametrize("phase", ["pdf", "zip"])
def test_kill_during_export(tmp_path, big_case, signing, age_identity, phase):
    case, marker = big_case
    p12 = tmp_path / "s.p12"
    p12.write_bytes(serialize_p12(signing, SIGN_PASS))
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "case.evpkt"
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    child = subprocess.Popen(
        [
            sys.executable,
            "-c",
            CHILD,
            str(case),
            str(out),
            str(p12),
            str(age_identity.to_public()),
            phase,
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    line = child.stdout.readline()
    assert line.startswith("at"), line
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    child.stdin.close()

    assert not out.exists()
    assert not list(temp.rglob("*")), list(temp.rglob("*"))  # nothing in the temp folder
    for leftover in out_dir.iterdir():  # at most ciphertext under a .part name (+ its lock)
        assert leftover.name.startswith(".case.evpkt.")
        assert leftover.name.endswith((".part", ".part.lock"))
        assert marker not in leftover.read_bytes()
        assert b"manifest.json" not in leftover.read_bytes()

    # the next export removes the leftovers and succeeds
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            str(case),
            str(out),
            str(p12),
            str(age_identity.to_public()),
            "none",
        ],
        input="",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 0 and "finished" in run.stdout, run.stderr
    assert [p.name for p in out_dir.iterdir()] == ["case.evpkt"]
    assert not (case / ".export-tmp").exists() or not list((case / ".export-tmp").iterdir())


VERIFY_CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    import pyrage
    from evidence_app.packet import verify_packet

    packet, identity, dest = sys.argv[1:4]
    told = []

    def progress(done, total, label):
        if not told and label.startswith("evidence/"):
            told.append(1)
            print("at", label, flush=True)
            sys.stdin.readline()  # wait here until the parent kills us

    key = pyrage.x25519.Identity.from_str(identity)
    verify_packet(Path(packet), identities=[key], extract_to=Path(dest), progress=progress)
    """
)


def test_kill_during_verify_extract_leaves_nothing_after_the_next_run(
    tmp_path, exported, age_identity
):
    """A killed verify used to leave decrypted members in a hidden ``.DIR.partial-*`` folder
    (and complaint.pdf in $TMPDIR) that nothing ever removed."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    dest_parent = tmp_path / "dest"
    dest_parent.mkdir()
    env = {**os.environ, "TMPDIR": str(temp)}
    args = [sys.executable, "-c", VERIFY_CHILD, str(exported.packet_path), str(age_identity)]
    child = subprocess.Popen(
        [*args, str(dest_parent / "first")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    line = child.stdout.readline()
    assert line.startswith("at"), line
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    child.stdout.close()
    child.stdin.close()
    assert not list(temp.iterdir())  # nothing decrypted under a name in $TMPDIR
    assert not (dest_parent / "first").exists()
    assert [p for p in dest_parent.iterdir() if ".partial-" in p.name]  # the leftover

    run = subprocess.run(
        [*args, str(dest_parent / "second")],
        input="",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in dest_parent.iterdir()) == ["second"]
    assert (dest_parent / "second" / "complaint.pdf").is_file()
