"""The models as plain JSON data and back: one converter for reports, WARC metadata and the index.

`to_data` turns any model (dataclasses, enums, tuples) into dicts, lists and scalars;
`from_data(Model, data)` rebuilds a model from such data, checking types on the way, so a
metadata record or a report read back gives the very objects that were written.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from enum import Enum
from typing import Any, TypeVar

T = TypeVar("T")


def to_data(value: Any, *, drop: frozenset[str] = frozenset()) -> Any:
    """A model as JSON-ready data (field names as keys, enums as their values)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: to_data(getattr(value, f.name), drop=drop)
            for f in dataclasses.fields(value)
            if f.name not in drop
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [to_data(item, drop=drop) for item in value]
    if isinstance(value, dict):
        return {str(k): to_data(v, drop=drop) for k, v in value.items()}
    return value


def from_data(cls: type[T], data: Any) -> T:
    """Rebuild a model of type `cls` from data made by `to_data`; ValueError if it does not fit."""
    return _convert(cls, data, cls.__name__)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _convert(tp: Any, data: Any, where: str) -> Any:
    origin = typing.get_origin(tp)
    if tp is Any:
        return data
    if origin in (typing.Union, types.UnionType):
        return _convert_union(typing.get_args(tp), data, where)
    if dataclasses.is_dataclass(tp):
        return _convert_dataclass(tp, data, where)
    if isinstance(tp, type) and issubclass(tp, Enum):
        try:
            return tp(data)
        except ValueError:
            raise ValueError(f"{where}: {data!r} is not one of "
                             f"{', '.join(m.value for m in tp)}") from None
    if origin is tuple:
        item_type = typing.get_args(tp)[0]
        if not isinstance(data, list | tuple):
            raise ValueError(f"{where}: expected a list, got {type(data).__name__}")
        return tuple(_convert(item_type, item, f"{where}[{i}]") for i, item in enumerate(data))
    if origin is dict:
        if not isinstance(data, dict):
            raise ValueError(f"{where}: expected a mapping, got {type(data).__name__}")
        return {str(k): v for k, v in data.items()}
    return _convert_scalar(tp, data, where)


def _convert_union(args: tuple[Any, ...], data: Any, where: str) -> Any:
    if data is None and type(None) in args:
        return None
    errors = []
    for arg in args:
        if arg is type(None):
            continue
        try:
            return _convert(arg, data, where)
        except ValueError as exc:
            errors.append(str(exc))
    raise ValueError(errors[0] if errors else f"{where}: unexpected {data!r}")


def _convert_dataclass(tp: type, data: Any, where: str) -> Any:
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected a mapping, got {type(data).__name__}")
    hints = _hints(tp)
    kwargs = {}
    for f in dataclasses.fields(tp):
        if f.name in data:
            kwargs[f.name] = _convert(hints[f.name], data[f.name], f"{where}.{f.name}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise ValueError(f"{where}: missing {f.name!r}")
    return tp(**kwargs)


def _convert_scalar(tp: Any, data: Any, where: str) -> Any:
    if tp is float and isinstance(data, int | float) and not isinstance(data, bool):
        return float(data)
    if tp is int and isinstance(data, int) and not isinstance(data, bool):
        return data
    if tp in (str, bool) and isinstance(data, tp):
        return data
    raise ValueError(f"{where}: expected {getattr(tp, '__name__', tp)}, got {data!r}")
