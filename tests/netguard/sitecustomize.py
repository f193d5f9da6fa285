"""Loaded by every Python subprocess the tests start (via PYTHONPATH): refuse network use.

The app must never open a network connection. In-process the guard is installed by
tests/conftest.py; this file extends it to CLI subprocesses and crash-test children.
"""

import os

if os.environ.get("EVIDENCE_APP_NETGUARD") == "1":
    import sys

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    from netguard_impl import install

    install()
