"""The error a broken rule pack raises: which file, which entry (JSON path), what is wrong."""

from __future__ import annotations

from typing import Any

from evidence_app.errors import EvidenceError


class RulePackError(EvidenceError):
    """A rule pack cannot be used.

    ``params`` always hold ``file`` and ``path`` (a JSON path such as
    ``$.categories.rumour.requirements[1].evidence.any_of[0]``, ``$`` for the whole file) and
    ``problem_key`` / ``problem_params`` naming the problem, so that the message is worded
    at the edge in the user's language while tests can assert on the structured parts.
    """

    def __init__(self, file: str, path: str, problem_key: str, **problem_params: Any) -> None:
        super().__init__(
            "rules.pack.invalid",
            file=file,
            path=path,
            problem_key=problem_key,
            problem_params=problem_params,
        )

    @property
    def file(self) -> str:
        return str(self.params["file"])

    @property
    def path(self) -> str:
        return str(self.params["path"])

    @property
    def problem_key(self) -> str:
        return str(self.params["problem_key"])

    def message(self, lang: str | None = None) -> str:  # type: ignore[override]
        from evidence_app.i18n import tr

        problem = tr(self.problem_key, lang, **self.params["problem_params"])
        return tr(self.key, lang, file=self.file, path=self.path, problem=problem)


class UnknownPackError(EvidenceError):
    """``load_packs`` was asked for a pack id that no file under resources/rules/ defines."""

    def __init__(self, pack_id: str, known: list[str]) -> None:
        super().__init__("rules.pack.unknown_id", id=pack_id, known=", ".join(known))
