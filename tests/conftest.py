"""Test-wide set-up: headless Qt, Chinese by default, and no network, ever.

The network guard is installed for the whole session in this process and, through
``tests/netguard/sitecustomize.py`` on PYTHONPATH, in every Python subprocess the tests start.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent

# Qt must never look for a display in tests; set before any QApplication exists.
os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("EVIDENCE_APP_LANG", "zh_CN")
os.environ["EVIDENCE_APP_NETGUARD"] = "1"
os.environ["PYTHONPATH"] = os.pathsep.join(
    [str(TESTS / "netguard"), str(REPO), os.environ.get("PYTHONPATH", "")]
).rstrip(os.pathsep)

sys.path.insert(0, str(TESTS))
from netguard_impl import NetworkBlocked, install  # noqa: E402
from testenv import CORPUS, FROZEN  # noqa: E402

install()


@pytest.fixture
def frozen_clock():
    return lambda: FROZEN


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"test corpus not found at {CORPUS}")
    return CORPUS


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Settings and user data of the app go to a per-test folder, never the real home."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("EVIDENCE_APP_HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    from evidence_app import i18n

    i18n.set_language("zh_CN")
    yield


__all__ = ["CORPUS", "FROZEN", "REPO", "NetworkBlocked"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--run-soak",
        action="store_true",
        help="also run tests marked soak (long loops; `scripts/soak-tests.sh`)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--run-soak"):
        return
    skip = pytest.mark.skip(reason="soak: run with --run-soak (scripts/soak-tests.sh)")
    for item in items:
        if "soak" in item.keywords:
            item.add_marker(skip)
