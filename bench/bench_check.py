"""Rules engine speed: check_case on 500 targets and 5,000 evidence items (goal < 100 ms).

Usage: .venv/bin/python bench/bench_check.py [--targets 500] [--evidence 5000] [--repeat 7]

Builds the case in memory (every category, agent filing, a mix of complete and incomplete
exhibits, stale captures, dispute keywords), loads the packs once, then times:

- baseline: ``model.to_dict(case)`` — merely walking the case once into plain dicts;
- ``check_case(case, packs)`` — the full check, items built (not worded);
- ``check_case`` + ``to_json_dict("zh_CN")`` — the check worded for the CLI's ``--json``.

Prints the best of N runs for each, the ratio check / baseline, and the peak Python memory of
one check (tracemalloc, measured in a separate run so that it does not slow the timings).
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from evidence_app import model
from evidence_app.model import (
    Case,
    Category,
    Complainant,
    EvidenceItem,
    EvidenceKind,
    Filer,
    FilerRole,
    Statement,
    Target,
)
from evidence_app.rules import check_case, load_packs
from evidence_app.validators import uscc_check_character

CATS = list(Category)
PER_TARGET = [
    EvidenceKind.CAPTURE,
    EvidenceKind.ACCOUNT_CAPTURE,
    EvidenceKind.AUDIT_REPORT,
    EvidenceKind.LEGAL_OPINION,
    EvidenceKind.PUBLIC_PLATFORM_QUERY,
    EvidenceKind.ORIGINAL_CONTENT,
    EvidenceKind.EXTORTION_DEMAND,
    EvidenceKind.COORDINATION_ANALYSIS,
    EvidenceKind.SITUATION_STATEMENT,
]
FIELDS = {
    EvidenceKind.CAPTURE: {
        "source_url": "https://weibo.com/1/x",
        "captured_at": "2026-11-21T09:00:00+08:00",
    },
    EvidenceKind.ACCOUNT_CAPTURE: {
        "source_url": "https://weibo.com/u/1",
        "captured_at": "2026-11-19T09:00:00+08:00",
    },
    EvidenceKind.AUDIT_REPORT: {"issuer": "某会计师事务所", "issued_at": "2024-10-15"},
    EvidenceKind.LEGAL_OPINION: {"issuer": "某律所"},  # incomplete on purpose
    EvidenceKind.PUBLIC_PLATFORM_QUERY: {"platform": "ICP", "queried_at": "2026-11-24"},
}


def build_case(n_targets: int, n_evidence: int) -> Case:
    base = "91310115MA1K4B2X3"
    case = Case(
        title="bench",
        complainant=Complainant(
            name="华辰智能",
            uscc=base + uscc_check_character(base),
            contact_name="周敏",
            contact_phone="021-58880000",
        ),
        filer=Filer(
            role=FilerRole.LAW_FIRM,
            name="李律师",
            organisation="某律所",
            id_number="",
            phone="13800000000",
        ),
        statement=Statement(facts="前员工称公司拖欠工资，散布虚假信息。", reasons="内容不实。"),
    )
    for i in range(n_targets):
        case.targets.append(
            Target(
                id=f"T{i + 1}",
                url=f"https://weibo.com/{i}/abc",
                platform="微博",
                excerpt="这家公司欠款不还" if i % 7 == 0 else "某某公司产品有毒",
                published_at="2026-11-20T21:14:00+08:00",
                categories=[CATS[i % len(CATS)], CATS[(i * 3 + 1) % len(CATS)]],
                time_sensitive=i % 5 == 0,
                facts_settled=i % 11 != 0,
            )
        )
    case.evidence.append(EvidenceItem(id="E0", number=1, kind=EvidenceKind.BUSINESS_LICENCE))
    for n in range(2, n_evidence + 1):
        kind = PER_TARGET[n % len(PER_TARGET)]
        target = case.targets[n % n_targets].id
        case.evidence.append(
            EvidenceItem(
                id=f"E{n}",
                number=n,
                kind=kind,
                target_ids=[target],
                fields=dict(FIELDS.get(kind, {})),
            )
        )
    return case


def best_of(repeat: int, fn: Callable[[], Any]) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--targets", type=int, default=500)
    ap.add_argument("--evidence", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    case = build_case(args.targets, args.evidence)
    packs = load_packs()
    today = dt.date(2026, 11, 29)

    t = time.perf_counter()
    first = check_case(case, packs, today=today)
    cold = time.perf_counter() - t

    baseline = best_of(args.repeat, lambda: model.to_dict(case))
    check = best_of(args.repeat, lambda: check_case(case, packs, today=today))
    default_packs = best_of(args.repeat, lambda: check_case(case, today=today))
    worded = best_of(
        args.repeat, lambda: check_case(case, packs, today=today).to_json_dict("zh_CN")
    )

    tracemalloc.start()
    check_case(case, packs, today=today)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    s = first.summary()
    counts = f"{s['satisfied']} satisfied, {s['missing']} missing, {s['advisory']} advisory"
    verdict = "PASS" if check < 0.1 else "FAIL"
    print(f"case: {len(case.targets)} targets, {len(case.evidence)} evidence items")
    print(f"result: {len(first.items)} items ({counts})")
    print(f"baseline model.to_dict(case):        {baseline * 1000:8.1f} ms")
    print(f"check_case (packs loaded):           {check * 1000:8.1f} ms", end="")
    print(f"   ratio {check / baseline:.2f}x baseline   goal < 100 ms: {verdict}")
    print(f"check_case (default packs, cached):  {default_packs * 1000:8.1f} ms", end="")
    print(f"   ratio {default_packs / baseline:.2f}x")
    print(f"check_case + to_json_dict (worded):  {worded * 1000:8.1f} ms", end="")
    print(f"   ratio {worded / baseline:.2f}x")
    print(f"first check (cold):                  {cold * 1000:8.1f} ms")
    print(f"peak Python memory of one check:     {peak / 1048576:8.1f} MiB (tracemalloc)")


if __name__ == "__main__":
    main()
