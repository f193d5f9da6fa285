"""``case.json``: a whole case described in one file, for ``evidence-app case init``.

The format is published as a JSON Schema (``resources/schemas/case.schema.json``). Loading
checks the schema first (errors name the JSON path, e.g. ``$.targets[1].categories[0]``),
then the domain rules (USCC and ID check characters, URLs, dates, target references), then
that every evidence file exists. The case is built in a temporary folder beside the
destination and renamed into place only when every file imported, so a failed init leaves
nothing behind.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema

from evidence_app import boundedjson, model
from evidence_app.errors import UsageError, ValidationError
from evidence_app.intake import import_files
from evidence_app.jobs import NEVER_CANCELLED, CancelToken, ProgressCallback, no_progress
from evidence_app.resources import resource_path
from evidence_app.store import CaseStore, case_path
from evidence_app.store.case_store import Clock, utc_now
from evidence_app.store.lock import job_dir, reap


@cache
def case_schema() -> dict[str, Any]:
    with open(resource_path("schemas", "case.schema.json"), encoding="utf-8") as fh:
        return dict(json.load(fh))


@dataclass
class CaseDescription:
    case: model.Case
    evidence: list[dict[str, Any]]  # raw evidence entries, files resolved to absolute paths
    base_dir: Path


def _json_path(parts: Any) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


MAX_CASE_JSON = 256 * 1024 * 1024  # 100,000 targets take about 60 MB


def parse_case_json(path: Path) -> CaseDescription:
    """Read and check case.json: bounded (size, nesting, string and number lengths: the
    message names the JSON path), schema-valid, every evidence file inside its folder."""
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_CASE_JSON + 1)
    except FileNotFoundError as exc:
        raise UsageError("casefile.not_found", path=str(path)) from exc
    except OSError as exc:
        raise UsageError("casefile.unreadable", path=str(path), detail=exc.strerror) from exc
    if len(raw) > MAX_CASE_JSON:
        raise ValidationError("casefile.too_large", path=str(path), limit=MAX_CASE_JSON)
    try:
        data = boundedjson.loads(raw)
    except boundedjson.JsonBoundsError as exc:
        if exc.reason == "syntax":
            raise ValidationError("casefile.bad_json", path=str(path), detail=exc.detail) from exc
        raise ValidationError(
            f"casefile.bounds_{exc.reason}", path=exc.path, detail=exc.detail
        ) from exc
    return parse_case_data(data, path.parent)


def _inside(base_dir: Path, name: Any, where: str) -> Path:
    """case.json names files relative to its own folder, and they stay inside it: an
    absolute path, ``..`` out of the folder or a link pointing out is refused."""
    text = str(name)
    if not text or "\x00" in text:
        raise ValidationError("casefile.file_outside", path=where, file=text)
    relative = Path(text)
    if relative.is_absolute() or relative.drive or relative.anchor:
        raise ValidationError("casefile.file_outside", path=where, file=text)
    root = base_dir.resolve()
    resolved = (root / relative).resolve()
    if resolved != root and root not in resolved.parents:
        raise ValidationError("casefile.file_outside", path=where, file=text)
    return resolved


def parse_case_data(data: Any, base_dir: Path) -> CaseDescription:
    validator = jsonschema.Draft202012Validator(case_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        raise ValidationError(
            "casefile.schema",
            path=_json_path(first.absolute_path),
            detail=first.message,
            count=len(errors),
        )
    case = model.Case(
        title=data.get("title", ""),
        channel=data.get("channel", ""),
        complainant=model.from_dict(model.Complainant, data["complainant"]),
        filer=model.from_dict(model.Filer, data.get("filer")),
        statement=model.from_dict(model.Statement, data.get("statement")),
        targets=[model.from_dict(model.Target, t) for t in data["targets"]],
    )
    problems = case.complainant.validate() + case.filer.validate()
    ids: set[str] = set()  # a set: 10,000 targets must not cost 10,000² comparisons
    for i, target in enumerate(case.targets):
        problems.extend(target.validate(f"targets[{i}]"))
        if target.id in ids:
            problems.append(model.Problem(f"targets[{i}].id", "validation.duplicate_id"))
        ids.add(target.id)
    evidence = []
    for i, entry in enumerate(data.get("evidence", [])):
        for tid in entry.get("targets", []):
            if tid not in ids:
                problems.append(
                    model.Problem(
                        f"evidence[{i}].targets", "validation.unknown_target", {"id": tid}
                    )
                )
        item = model.EvidenceItem(
            kind=model.EvidenceKind(entry["kind"]),
            title=entry.get("title", "") or "-",
            fields=dict(entry.get("fields", {})),
            redactions=[model.from_dict(model.Redaction, r) for r in entry.get("redactions", [])],
        )
        problems.extend(item.validate(f"evidence[{i}]"))
        file_path = _inside(base_dir, entry["file"], f"$.evidence[{i}].file")
        if not file_path.is_file():
            problems.append(
                model.Problem(
                    f"evidence[{i}].file", "validation.file_missing", {"file": entry["file"]}
                )
            )
        evidence.append({**entry, "file": file_path})
    # Required-field gaps (contact missing ...) are the rules engine's business, not a reason
    # to refuse the file; malformed values are.
    problems = [p for p in problems if p.key != "validation.required"]
    if problems:
        from evidence_app.i18n import tr

        first_problem = problems[0]
        raise ValidationError(
            "casefile.invalid",
            path="$." + first_problem.path,
            detail=tr(first_problem.key, **first_problem.params),
            count=len(problems),
        )
    return CaseDescription(case, evidence, base_dir)


def init_case(
    destination: Path,
    description: CaseDescription,
    *,
    clock: Clock = utc_now,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken = NEVER_CANCELLED,
) -> Path:
    """Create the case at ``destination`` from a parsed description; all or nothing."""
    final = case_path(destination)
    if final.exists():
        raise UsageError("casefile.exists", path=str(final))
    final.parent.mkdir(parents=True, exist_ok=True)
    # Half-built cases of killed inits go now (their owner is provably gone: store.lock);
    # another init running beside this one holds its lock and keeps its folder.
    reap(final.parent, ".partial-*.evcase")
    temp, owner = job_dir(final.parent, ".partial-", f"-{final.name}")
    try:
        case = description.case
        with CaseStore.create(temp, case.title, clock=clock) as store:
            if case.channel:
                store.set_channel(case.channel)
            store.set_complainant(case.complainant)
            store.set_filer(case.filer)
            store.set_statement(case.statement)
            store.add_targets(list(case.targets))
            total = len(description.evidence)
            for done, entry in enumerate(description.evidence):
                cancel.raise_if_cancelled()
                progress(done, total, entry["file"].name)
                [outcome] = import_files(
                    store,
                    [entry["file"]],
                    kind=model.EvidenceKind(entry["kind"]),
                    target_ids=entry.get("targets", []),
                    title=entry.get("title") or None,
                    fields=dict(entry.get("fields", {})),
                    proves=entry.get("proves", ""),
                    cancel=cancel,
                )
                if outcome.status == "refused" and outcome.error is not None:
                    raise outcome.error
                if outcome.status == "imported" and entry.get("redactions") and outcome.item:
                    outcome.item.redactions = [
                        model.from_dict(model.Redaction, r) for r in entry["redactions"]
                    ]
                    store.update_evidence(outcome.item)
                if outcome.status == "imported" and entry.get("holder") and outcome.item:
                    # Whose document it is: rules count identity papers per person.
                    outcome.item.holder = model.DocumentHolder(entry["holder"])
                    outcome.item.holder_name = entry.get("holder_name", "")
                    store.update_evidence(outcome.item)
            progress(total, total, "")
        os.replace(temp, final)
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    finally:
        owner.release(remove=True)
    return final
