"""Fixtures for packet tests: throwaway keys, a small real case, one exported packet."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pyrage
import pytest

sys.path.append(str(Path(__file__).resolve().parent))
from packet_helpers import CERT_CLOCK, SIGN_PASS, USCC, frozen, make_case

from evidence_app.crypto.identities import new_signing_identity
from evidence_app.exporters.packet import export_packet
from evidence_app.store import CaseStore


@pytest.fixture(scope="session")
def signing(tmp_path_factory):
    p12 = tmp_path_factory.mktemp("keys") / "signer.p12"
    return new_signing_identity("测试科技有限公司", USCC, SIGN_PASS, p12, lambda: CERT_CLOCK)


@pytest.fixture(scope="session")
def signing_p12(signing, tmp_path_factory):
    from evidence_app.crypto.identities import serialize_p12

    p12 = tmp_path_factory.mktemp("keys") / "signer2.p12"
    p12.write_bytes(serialize_p12(signing, SIGN_PASS))
    return p12


@pytest.fixture(scope="session")
def other_signing(tmp_path_factory):
    p12 = tmp_path_factory.mktemp("keys") / "other.p12"
    return new_signing_identity("另一家公司", USCC, SIGN_PASS, p12, lambda: CERT_CLOCK)


@pytest.fixture(scope="session")
def age_identity():
    return pyrage.x25519.Identity.generate()


@pytest.fixture(scope="session")
def case_path(tmp_path_factory):
    return make_case(tmp_path_factory.mktemp("case"))


@pytest.fixture(scope="session")
def exported(case_path, signing, age_identity, tmp_path_factory):
    """One packet exported from the case, shared read-only; copy it before changing it."""
    out = tmp_path_factory.mktemp("packet") / "case.evpkt"
    with CaseStore.open(case_path, clock=frozen) as store:
        result = export_packet(
            store,
            out,
            recipients=[str(age_identity.to_public())],
            passphrase=None,
            signing=signing,
            allow_gaps=True,
            clock=frozen,
        )
    return result


@pytest.fixture
def packet_copy(exported, tmp_path):
    dst = tmp_path / "copy.evpkt"
    shutil.copyfile(exported.packet_path, dst)
    return dst
