"""JSON from untrusted hands (case.json, a packet's manifest and custody log), within bounds.

Why: Python's json module recurses per nesting level (a few thousand ``[`` raise
RecursionError), turns a 5,000-digit number into "Exceeds the limit for integer string
conversion", and accepts lone surrogates (``"\\ud800"``) that fail later when written out.
Each of those surfaced as "Unexpected error". Here the parser's own recursion guard is
caught, and after parsing the depth, every string and every number is checked, so a failure
is a :class:`JsonBoundsError` naming the JSON path (``$.targets[3].url``) and the bound.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class JsonBounds:
    max_depth: int = 64
    max_string: int = 1_000_000  # characters of one string
    max_number_digits: int = 40
    max_items: int = 1_000_000  # members of one array or object


DEFAULT_BOUNDS = JsonBounds()


class JsonBoundsError(ValueError):
    """``reason`` is one of depth, string, number, surrogate, items, syntax."""

    def __init__(self, reason: str, path: str, detail: str = "") -> None:
        super().__init__(f"{reason} at {path}: {detail}")
        self.reason = reason
        self.path = path
        self.detail = detail


class _BigNumber(str):
    """A number with more digits than allowed, kept as text until its path is known."""


_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}:,]')


def _locate_depth(text: str, limit: int) -> None:
    stack: list[Any] = []  # per open container: [is_object, key or index, expecting key]
    last_string = ""
    for match in _TOKENS.finditer(text):
        tok = match.group()
        if tok[0] == '"':
            last_string = tok
            continue
        if tok in "[{":
            if len(stack) >= limit:
                raise JsonBoundsError("depth", _path_of(stack), f"deeper than {limit}")
            stack.append([tok == "{", 0 if tok == "[" else None])
        elif tok in "]}":
            if stack:
                stack.pop()
        elif tok == ":" and stack and stack[-1][0]:
            try:
                stack[-1][1] = json.loads(last_string)
            except ValueError:
                stack[-1][1] = "?"
        elif tok == "," and stack and not stack[-1][0]:
            stack[-1][1] += 1


def _path_of(stack: list[Any]) -> str:
    path = "$"
    for _is_object, key in stack:
        if key is None:
            continue
        path += f"[{key}]" if isinstance(key, int) else f".{key}"
    return path if len(path) <= 200 else path[:120] + "…" + path[-60:]


def _fine(value: Any, bounds: JsonBounds, depth: int = 0) -> bool:
    """The quick pass, without paths (a valid 10,000-target case.json is checked in a few
    hundredths of a second); :func:`_walk` re-walks a failing document to name the path."""
    if depth > bounds.max_depth:
        return False
    if type(value) is str:
        return (len(value) <= bounds.max_string and value.isascii()) or _encodable(value, bounds)
    if type(value) is dict:
        if len(value) > bounds.max_items:
            return False
        return all(
            _fine(k, bounds, depth) and _fine(v, bounds, depth + 1) for k, v in value.items()
        )
    if type(value) is list:
        if len(value) > bounds.max_items:
            return False
        return all(_fine(v, bounds, depth + 1) for v in value)
    return not isinstance(value, _BigNumber)


def _encodable(value: str, bounds: JsonBounds) -> bool:
    if len(value) > bounds.max_string:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _walk(value: Any, path: str, bounds: JsonBounds, depth: int = 0) -> None:
    if depth > bounds.max_depth:
        raise JsonBoundsError("depth", path, f"deeper than {bounds.max_depth}")
    if isinstance(value, _BigNumber):
        raise JsonBoundsError("number", path, f"{len(value)} digits > {bounds.max_number_digits}")
    if isinstance(value, str):
        if len(value) > bounds.max_string:
            raise JsonBoundsError("string", path, f"{len(value)} > {bounds.max_string}")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise JsonBoundsError("surrogate", path, "lone surrogate") from exc
    elif isinstance(value, dict):
        if len(value) > bounds.max_items:
            raise JsonBoundsError("items", path, f"{len(value)} > {bounds.max_items}")
        for key, item in value.items():
            _walk(key, f"{path}.{key}", bounds, depth + 1)
            _walk(item, f"{path}.{key}", bounds, depth + 1)
    elif isinstance(value, list):
        if len(value) > bounds.max_items:
            raise JsonBoundsError("items", path, f"{len(value)} > {bounds.max_items}")
        for i, item in enumerate(value):
            _walk(item, f"{path}[{i}]", bounds, depth + 1)


def loads(
    text: str | bytes,
    bounds: JsonBounds = DEFAULT_BOUNDS,
    object_pairs_hook: Any = None,
) -> Any:
    """Parse ``text`` within ``bounds``; raises JsonBoundsError (with the JSON path)."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise JsonBoundsError("syntax", "$", f"not UTF-8 at byte {exc.start}") from exc
    limit = bounds.max_number_digits

    def number(raw: str, convert: Any) -> Any:
        digits = sum(c.isdigit() for c in raw)
        return _BigNumber(raw) if digits > limit else convert(raw)

    try:
        value = json.loads(
            text,
            parse_int=lambda raw: number(raw, int),
            parse_float=lambda raw: number(raw, float),
            object_pairs_hook=object_pairs_hook,
        )
    except RecursionError:  # the C parser's own guard (~1000 levels): find where, and say so
        _locate_depth(text, bounds.max_depth)
        raise JsonBoundsError("depth", "$", f"deeper than {bounds.max_depth}") from None
    except ValueError as exc:
        raise JsonBoundsError("syntax", "$", str(exc)) from exc
    if not _fine(value, bounds):
        _walk(value, "$", bounds)
    return value
