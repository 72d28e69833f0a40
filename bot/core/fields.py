"""Reading JSON and TOML objects into the core's frozen dataclasses, naming every problem's place.

The core's records are standard-library dataclasses, not pydantic models: ``kfor-bot ask`` answers
in a fresh process, and pydantic's import alone (≈ 0.15 s here) was more than half of that answer's
time (issue #9). What pydantic gave the files we read — a type check per field, unknown keys
refused, every problem with its location — is this module's one job; the values' own rules (a
troop figure is ≥ 0, a date is ``YYYY-MM``) stay in each record's ``__post_init__``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any, TypeGuard, TypeVar

T = TypeVar("T")


class InvalidRecord(ValueError):
    """A document that does not describe a record; ``problems`` are ``"where: what"`` lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def is_whole(value: object) -> TypeGuard[int]:
    """An integer that is not a bool (JSON's ``true`` is no troop figure)."""
    return isinstance(value, int) and not isinstance(value, bool)


def require(condition: bool, field: str, message: str) -> None:
    """A record's own rule: ``ValueError("field: message")`` unless ``condition`` holds."""
    if not condition:
        raise ValueError(f"{field}: {message}")


class FieldReader:
    """One object's fields, read by name and type; problems are collected, not raised one by one.

    Reading a missing required field or a field of the wrong type records a problem and returns a
    placeholder, so one pass reports everything wrong with a document (as pydantic did). What is not
    an object at all is one problem: its fields are not then each reported missing.
    """

    def __init__(self, data: object, where: str, problems: list[str], known: Collection[str]) -> None:
        self.where = where
        self.problems = problems
        self._before = len(problems)
        self._shapeless = not isinstance(data, Mapping)
        if not isinstance(data, Mapping):
            self.fail(None, "missing" if data is None else f"must be an object, not {type(data).__name__}")
            data = {}
        self.data: Mapping[str, Any] = data
        for key in data:
            if key not in known:
                self.fail(str(key), "unknown field")

    @property
    def ok(self) -> bool:
        """Nothing wrong was found in this object (nor in anything read through it so far)."""
        return len(self.problems) == self._before

    def path(self, key: str | int | None) -> str:
        if key is None:
            return self.where or "document"
        return f"{self.where}.{key}" if self.where else str(key)

    def fail(self, key: str | int | None, message: str) -> None:
        self.problems.append(f"{self.path(key)}: {message}")

    def _get(self, key: str, accepts: Callable[[object], bool], kind: str, default: Any, required: bool) -> Any:
        if key not in self.data or (self.data[key] is None and not required):
            if required and not self._shapeless:
                self.fail(key, "missing")
            return default
        value = self.data[key]
        if not accepts(value):
            self.fail(key, f"must be {kind}, not {value!r:.40}")
            return default
        return value

    def text(self, key: str, default: str | None = None, *, required: bool = False) -> Any:
        return self._get(key, lambda v: isinstance(v, str), "text", default, required)

    def whole(self, key: str, default: int | None = None, *, required: bool = False) -> Any:
        return self._get(key, is_whole, "a whole number", default, required)

    def flag(self, key: str, default: bool = False) -> bool:
        return bool(self._get(key, lambda v: isinstance(v, bool), "true or false", default, False))

    def items(self, key: str, *, required: bool = False) -> list[tuple[str, object]]:
        """A list's items, each with its path (``contingents.3``), for the caller to read in turn."""
        values = self._get(key, lambda v: isinstance(v, list | tuple), "a list", [], required)
        return [(self.path(f"{key}.{index}"), value) for index, value in enumerate(values)]

    def wholes(self, key: str) -> list[int]:
        """A list of whole numbers (``unattributed``); any other item is a problem."""
        numbers: list[int] = []
        for where, item in self.items(key):
            if is_whole(item):
                numbers.append(item)
            else:
                self.problems.append(f"{where}: must be a whole number, not {item!r:.40}")
        return numbers

    def choice(self, key: str, convert: Callable[[Any], T], default: T) -> T:
        """A value one of a fixed set (an enum): the set's own constructor says which."""
        if key not in self.data or self.data[key] is None:
            return default
        try:
            return convert(self.data[key])
        except ValueError as exc:
            self.fail(key, str(exc))
            return default


def build(construct: Callable[..., T], reader: FieldReader, **values: Any) -> T | None:
    """The record, or None when its fields were wrong or its own rule refuses it (then said in ``problems``)."""
    if not reader.ok:
        return None
    try:
        return construct(**values)
    except ValueError as exc:
        reader.problems.append(f"{reader.where}.{exc}" if reader.where else str(exc))
        return None
