"""The ``timestamps/`` folder of a packet: RFC 3161 replies that travel with the evidence.

Each exhibit's tokens (``timestamps/E001-1.tsr`` ...), the tokens over earlier packets'
manifests (``timestamps/manifest-<sha>.tsr``) and the trust anchors they were validated
against at import (``timestamps/TSA-ROOT-<sha>.pem``), all listed in the manifest like every
other member. VERIFY.txt gains one ``openssl ts -verify`` command per token.
"""

from __future__ import annotations

import functools
import shlex
from dataclasses import dataclass, field
from typing import Any

from evidence_app.model import Case
from evidence_app.packet import layout
from evidence_app.packet.writer import Member
from evidence_app.store import CaseStore

_STEP_HEAD = """
4b. 可信时间戳 Trusted timestamps (RFC 3161)
   timestamps/ 中的 .tsr 是时间戳服务对原件 SHA-256（或此前导出证据包的 manifest.json
   SHA-256）签发的回复；TSA-ROOT-*.pem 是导入时用以验证的信任根证书，请与时间戳服务公布的
   根证书核对。每条命令须输出 "Verification: OK"：
   Each .tsr in timestamps/ is a timestamp authority's reply over an original's SHA-256 (or
   an earlier packet's manifest.json SHA-256); TSA-ROOT-*.pem is the trust anchor it was
   validated against at import: compare it with the root the authority publishes. Each
   command must print "Verification: OK":
"""


@dataclass
class TimestampFiles:
    members: list[Member] = field(default_factory=list)
    by_exhibit: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    manifests: list[dict[str, Any]] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)

    def verify_step(self) -> str:
        if not self.commands:
            return ""
        return _STEP_HEAD + "".join(f"   $ {c}\n" for c in self.commands)


def timestamp_files(
    case: Case, store: CaseStore, evidence_members: dict[str, str]
) -> TimestampFiles:
    out = TimestampFiles()
    roots: dict[str, str] = {}

    def blob(path: str, sha: str) -> None:
        size = store.blobs.path_for(sha).stat().st_size
        out.members.append(Member(path, size, sha, opener=functools.partial(store.blobs.open, sha)))

    def root(sha: str) -> str:
        if sha not in roots:
            roots[sha] = f"{layout.TIMESTAMPS_DIR}/TSA-ROOT-{sha[:12]}.pem"
            blob(roots[sha], sha)
        return roots[sha]

    for item in case.evidence:
        for n, stamp in enumerate(item.timestamps, start=1):
            path = f"{layout.TIMESTAMPS_DIR}/{item.label}-{n}.tsr"
            blob(path, stamp.token_sha256)
            anchor = root(stamp.root_sha256)
            out.by_exhibit.setdefault(item.id, []).append(
                {"path": path, "gen_time": stamp.gen_time, "tsa": stamp.tsa, "root": anchor}
            )
            out.commands.append(
                "openssl ts -verify -in {} -data {} -CAfile {}".format(
                    *map(shlex.quote, (path, evidence_members[item.id], anchor))
                )
            )
    for entry in store.custody_log():
        if entry.action != "timestamp.manifest":
            continue
        details = entry.details
        sha = str(details["sha256"])
        path = f"{layout.TIMESTAMPS_DIR}/manifest-{sha[:12]}.tsr"
        if any(m.path == path for m in out.members):
            continue
        blob(path, str(details["token_sha256"]))
        anchor = root(str(details["root_sha256"]))
        out.manifests.append(
            {
                "path": path,
                "manifest_sha256": sha,
                "packet": details.get("packet", ""),
                "gen_time": details.get("gen_time", ""),
                "tsa": details.get("tsa", ""),
                "root": anchor,
            }
        )
        quoted = shlex.quote(path), shlex.quote(anchor)
        out.commands.append(f"openssl ts -verify -in {quoted[0]} -digest {sha} -CAfile {quoted[1]}")
    return out
