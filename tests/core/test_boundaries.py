"""Architecture and offline guarantees."""

import socket
import subprocess
import sys
import textwrap

import pytest
from testenv import REPO, NetworkBlocked


def test_core_imports_without_qt(tmp_path):
    """Every core module and the CLI's non-GUI commands work with PySide6 unimportable."""
    code = textwrap.dedent(
        f"""
        import importlib, pkgutil, sys
        class BlockQt:
            def find_spec(self, name, path=None, target=None):
                if name == "PySide6" or name.startswith("PySide6."):
                    raise ImportError("PySide6 blocked for this test")
        sys.meta_path.insert(0, BlockQt())
        import evidence_app
        for mod in pkgutil.walk_packages(evidence_app.__path__, "evidence_app."):
            if mod.name.startswith("evidence_app.ui"):
                continue
            importlib.import_module(mod.name)
        from evidence_app.cli import main
        assert main(["demo", {str(tmp_path)!r}]) == 0
        assert main(["audit", {str(tmp_path / "demo.evcase")!r}]) == 0
        assert not any(m.startswith("PySide6") for m in sys.modules)
        print("core ok without Qt")
        """
    )
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120
    )
    assert r.returncode == 0, r.stderr
    assert "core ok without Qt" in r.stdout


def test_network_guard_blocks_in_process():
    with pytest.raises(NetworkBlocked):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(NetworkBlocked):
            s.connect(("127.0.0.1", 9))
    finally:
        s.close()
    with pytest.raises(NetworkBlocked):
        socket.getaddrinfo("example.com", 443)


def test_network_guard_blocks_subprocesses():
    code = "import socket; socket.create_connection(('192.0.2.1', 80), timeout=1)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and "NetworkBlocked" in r.stderr


def test_local_ipc_still_allowed():
    a, b = socket.socketpair()
    a.sendall(b"x")
    assert b.recv(1) == b"x"
    a.close()
    b.close()
