"""pydantic's validation errors as the lines a person reads: where the problem is, then what it must be.

Every file and setting the bot reads is validated by a pydantic model (the records of
:mod:`bot.core.models`, the data files' schemas, the settings). pydantic finds every problem of a
document in one pass and gives each a location; this module words them for the one who must fix
the file ("contingents.3.troops: must be ≥ 0, not -1", "pol_minutes: unknown key; did you mean
poll_minutes?"), so every boundary reports alike. Pure: no I/O.
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

#: A quoted value is cut to this many characters: a 50 KB value must not become a 50 KB error line.
QUOTED_CHARS = 60

Location = tuple[int | str, ...]


class InvalidRecord(ValueError):
    """A document that does not describe a record; ``problems`` are ``"where: what"`` lines."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a document: where (pydantic's location) and what, in words."""

    loc: Location
    message: str

    def line(self, place: Callable[[Location], str] | None = None) -> str:
        """``where: what``; ``place`` names the location (``nation 'Albania'.nato``), else its dotted path."""
        where = place(self.loc) if place else dotted(self.loc)
        return f"{where}: {self.message}" if where else self.message


def dotted(loc: Location) -> str:
    """``contingents.3.troops``: the location as the JSON path people read."""
    return ".".join(str(part) for part in loc)


def problems_of(exc: ValidationError, model: type[BaseModel] | None = None) -> list[Problem]:
    """Each of pydantic's errors worded; with ``model``, an unknown key gets the nearest known key as a hint."""
    found: list[Problem] = []
    for error in exc.errors(include_url=False):
        loc: Location = tuple(error["loc"])
        message = describe(error)
        if error["type"] == "extra_forbidden" and model is not None and loc:
            message += did_you_mean(str(loc[-1]), keys_at(model, loc[:-1]))
        found.append(Problem(loc, message))
    return found


def did_you_mean(key: str, choices: Iterable[str]) -> str:
    """``"; did you mean poll_minutes?"`` with the nearest of ``choices``, or nothing when none is near:
    how every unknown key, variable or file entry is answered."""
    hint = difflib.get_close_matches(key, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {hint[0]}?" if hint else ""


def lines_of(exc: ValidationError, model: type[BaseModel] | None = None) -> list[str]:
    """:func:`problems_of` as ``where: what`` lines, for an :class:`InvalidRecord`."""
    return [problem.line() for problem in problems_of(exc, model)]


def describe(error: Any) -> str:
    """What a value must be, in words, and the value given (cut short)."""
    kind, message = error["type"], str(error["msg"])
    if kind == "missing":
        return "missing"
    if kind == "extra_forbidden":
        return "unknown key"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        message = "must be a table of keys and values"
    elif kind in {"int_type", "int_parsing", "int_from_float"}:
        message = "must be a whole number"
    elif kind in {"float_type", "float_parsing"}:
        message = "must be a number"
    elif kind == "finite_number":
        message = "must be a finite number"
    elif kind in {"string_type", "str_type"}:
        message = "must be text"
    elif kind in {"bool_type", "bool_parsing"}:
        message = "must be true or false"
    elif kind in {"list_type", "tuple_type", "set_type", "frozen_set_type"}:
        message = "must be a list"
    elif kind == "greater_than_equal":
        message = f"must be ≥ {_number(error['ctx']['ge'])}"
    elif kind == "greater_than":
        message = f"must be above {_number(error['ctx']['gt'])}"
    elif kind == "less_than_equal":
        message = f"must be ≤ {_number(error['ctx']['le'])}"
    elif kind == "less_than":
        message = f"must be below {_number(error['ctx']['lt'])}"
    elif kind == "string_too_short" and error.get("ctx", {}).get("min_length") == 1:
        return "must not be empty"
    elif kind == "too_short":
        return f"must have at least {error['ctx']['min_length']} item(s)"
    elif kind == "string_pattern_mismatch":
        message = f"must match {error['ctx']['pattern']}"
    elif kind == "string_too_long":
        message = f"must be at most {error['ctx']['max_length']} characters"
    elif message.startswith("Value error, "):  # a record's own rule, worded where it is checked
        return message.removeprefix("Value error, ")
    elif message.startswith("Input should be "):
        message = "must be " + message.removeprefix("Input should be ")
    return f"{message}, not {quoted(error.get('input'))}"


def _number(bound: object) -> str:
    """A bound as people write it: ``1``, not ``1.0``; ``1,000,000``, not ``1000000``; a year as 1945."""
    if isinstance(bound, float) and bound.is_integer():
        bound = int(bound)
    return f"{bound:,}" if isinstance(bound, int) and bound >= 10_000 else str(bound)


def quoted(value: object) -> str:
    """``value``'s repr, cut to :data:`QUOTED_CHARS` characters."""
    text = repr(value)
    return text if len(text) <= QUOTED_CHARS else text[: QUOTED_CHARS - 1] + "…"


def keys_at(model: type[BaseModel], loc: Location) -> Collection[str]:
    """The keys a document may have at ``loc`` inside ``model`` (list indexes and table keys skipped)."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return ()
        if isinstance(part, str) and part in current.model_fields:
            current = _model_in(current.model_fields[part].annotation)
    return tuple(_keys(current)) if current is not None else ()


def _keys(model: type[BaseModel]) -> Iterator[str]:
    for name, info in model.model_fields.items():
        yield name
        if isinstance(info.alias, str):
            yield info.alias


def _model_in(annotation: object) -> type[BaseModel] | None:
    """The model a field holds, through ``X | None``, ``tuple[X, ...]``, ``list[X]`` and ``dict[str, X]``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in {Union, types.UnionType, Annotated, tuple, list, dict, frozenset}:
        for argument in get_args(annotation):
            found = _model_in(argument)
            if found is not None:
                return found
    return None
