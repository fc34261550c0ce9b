"""A data-only, validating JSON codec for the pipeline's frozen value types.

Caches live in output folders that are shared and sent around, so what they hold is untrusted
input: it is never unpickled. :func:`encode` turns a dataclass value into JSON text with a schema
name and version; :func:`decode` parses it back *driven by the dataclass's type hints*, accepts
only the JSON types each field declares (str, int, float, bool, None, ISO dates, tuples and the
nested value types), and lets each type's own ``__post_init__`` validate the values (kinds,
roles, coordinates, offsets). Anything else raises :class:`CodecError`; callers that read a
cache treat that as a miss.
"""

from __future__ import annotations

import dataclasses
import json
import math
import types
import typing
from datetime import date
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")

#: Bumped whenever the encoding of a value type changes.
CODEC_VERSION = 1
#: Nesting deeper than this is refused before it reaches the recursive decoder.
MAX_DEPTH = 32


class CodecError(ValueError):
    """The text is not a valid encoding of the expected type (a cache miss, never a crash)."""


#: The field names of each dataclass met (None: the type is no dataclass).
_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    try:
        return _FIELD_NAMES[cls]
    except KeyError:
        names = (
            tuple(f.name for f in dataclasses.fields(cls))
            if dataclasses.is_dataclass(cls)
            else None
        )
        _FIELD_NAMES[cls] = names
        return names


def _plain(value: Any) -> Any:
    names = _field_names(type(value))  # a dataclass instance (a class is of type `type`)
    if names is not None:
        return {name: _plain(getattr(value, name)) for name in names}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        raise CodecError(f"cannot encode non-finite float {value!r}")
    return value


def encode(value: Any, *, schema: str) -> str:
    """``value`` (a dataclass) as compact, deterministic JSON with its schema and version."""
    doc = {"schema": schema, "version": CODEC_VERSION, "value": _plain(value)}
    return json.dumps(
        doc, ensure_ascii=True, sort_keys=True, separators=(",", ":"), allow_nan=False
    )


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _depth_ok(text: str) -> bool:
    depth = 0
    for ch in text:  # brackets inside strings only over-count, which errs on the safe side
        if ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def _build(tp: Any, raw: Any, where: str) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if raw is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _build(arg, raw, where)
            except CodecError as exc:
                errors.append(str(exc))
        raise CodecError(f"{where}: no type of {tp} fits ({'; '.join(errors)})")
    if origin is tuple:
        args = typing.get_args(tp)
        if not isinstance(raw, list):
            raise CodecError(f"{where}: expected a list, got {type(raw).__name__}")
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], v, f"{where}[{i}]") for i, v in enumerate(raw))
        if len(args) != len(raw):
            raise CodecError(f"{where}: expected {len(args)} items, got {len(raw)}")
        return tuple(
            _build(a, v, f"{where}[{i}]") for i, (a, v) in enumerate(zip(args, raw, strict=True))
        )
    if tp is Any:
        raise CodecError(f"{where}: untyped field cannot be decoded")
    if tp is type(None):
        if raw is not None:
            raise CodecError(f"{where}: expected null")
        return None
    if tp is bool:
        if not isinstance(raw, bool):
            raise CodecError(f"{where}: expected a boolean")
        return raw
    if tp is int:
        if not isinstance(raw, int) or isinstance(raw, bool):
            raise CodecError(f"{where}: expected an integer")
        return raw
    if tp is float:
        if isinstance(raw, bool) or not isinstance(raw, int | float):
            raise CodecError(f"{where}: expected a number")
        value = float(raw)
        if not math.isfinite(value):
            raise CodecError(f"{where}: non-finite number")
        return value
    if tp is str:
        if not isinstance(raw, str):
            raise CodecError(f"{where}: expected a string")
        return raw
    if tp is date:
        if not isinstance(raw, str) or len(raw) != 10:
            raise CodecError(f"{where}: expected an ISO date")
        try:
            return date.fromisoformat(raw)
        except ValueError as exc:
            raise CodecError(f"{where}: {exc}") from exc
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if not isinstance(raw, dict):
            raise CodecError(f"{where}: expected an object for {tp.__name__}")
        hints = _hints(tp)
        names = [f.name for f in dataclasses.fields(tp) if f.init]
        unknown = set(raw) - set(names)
        if unknown:
            raise CodecError(f"{where}: unknown fields {sorted(unknown)}")
        missing = [n for n in names if n not in raw]
        if missing:
            raise CodecError(f"{where}: missing fields {missing}")
        kwargs = {n: _build(hints[n], raw[n], f"{where}.{n}") for n in names}
        try:
            return tp(**kwargs)
        except (ValueError, TypeError, LookupError) as exc:  # the type's own validation
            raise CodecError(f"{where}: {exc}") from exc
    raise CodecError(f"{where}: unsupported type {tp!r}")


def decode(text: str | bytes, cls: type[T], *, schema: str) -> T:
    """Parse and validate ``text`` as an encoding of ``cls``; :class:`CodecError` if it is not."""
    try:
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        if not _depth_ok(text):
            raise CodecError(f"nesting deeper than {MAX_DEPTH}")
        doc = json.loads(text, parse_constant=_refuse_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise CodecError(f"not JSON: {exc}") from exc
    if not isinstance(doc, dict) or set(doc) != {"schema", "version", "value"}:
        raise CodecError("not a geomap encoding")
    if doc["schema"] != schema or doc["version"] != CODEC_VERSION:
        raise CodecError(
            f"schema {doc['schema']!r} v{doc['version']!r}, want {schema!r} v{CODEC_VERSION}"
        )
    return typing.cast(T, _build(cls, doc["value"], cls.__name__))


def _refuse_constant(name: str) -> Any:
    raise CodecError(f"{name} is not valid JSON")
