"""Turn plain wire values into attrs schema instances, and back.

Schemas are ``attrs`` classes whose fields are ``str``, ``int``, ``bool``, ``X | None``,
``tuple[X, ...]`` or another schema class. Field validators run on construction, so a decoded
payload is a validated payload. Each field's wire key is ``metadata["key"]`` when given, else the
field name with ``_`` replaced by ``-``.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ._errors import WireError, shown

_NONE_TYPE = type(None)

_SCHEMA_KEYWORDS = ("pattern", "maxLength", "minimum", "maximum", "enum")
"""JSON Schema keywords a field's ``metadata`` may give, copied into its published schema."""


def wire_key(field: attrs.Attribute[Any]) -> str:
    """Return the key under which a schema field travels on the wire.

    Args:
        field: A field of an attrs schema class.

    Returns:
        ``field.metadata["key"]`` if set, else the field name with dashes for underscores.

    Example:
        >>> import attrs
        >>> @attrs.frozen
        ... class Service:
        ...     service_port: int
        ...     name: str = attrs.field(metadata={"key": "service-name"})
        >>> [wire_key(field) for field in attrs.fields(Service)]
        ['service-port', 'service-name']
    """
    key = field.metadata.get("key")
    return key if isinstance(key, str) else field.name.replace("_", "-")


def schema_fields(schema: type[Any]) -> tuple[attrs.Attribute[Any], ...]:
    """Return the fields of an attrs schema class, with their types resolved.

    Args:
        schema: An attrs class.

    Returns:
        The class's fields in declaration order.
    """
    attrs.resolve_types(schema)
    return tuple(attrs.fields(schema))


Structurer = Callable[[object, str], Any]
"""Checks and converts one plain value; the second argument is its wire path, for messages."""


@functools.cache
def _structurer(annotation: Any) -> Structurer:
    """The structurer of one annotated type, built once per type (each schema has a few).

    Working out what an annotation is (``typing.get_origin``, ``attrs.has``) costs more than
    checking a value, so it is done here once, not for every value of every relation.
    """
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [option for option in typing.get_args(annotation) if option is not _NONE_TYPE]
        if len(inner) == 1:
            return _optional(_structurer(inner[0]))
    elif origin is tuple:
        args = typing.get_args(annotation)
        if len(args) == 2 and args[1] is Ellipsis:
            return _items(_structurer(args[0]))
    elif attrs.has(annotation):
        return functools.partial(_mapping, annotation)
    elif annotation in _SCALARS:
        return _SCALARS[annotation]
    return functools.partial(_unsupported, annotation)


def _optional(inner: Structurer) -> Structurer:
    def structure_optional(value: object, where: str) -> Any:
        return None if value is None else inner(value, where)

    return structure_optional


def _items(item: Structurer) -> Structurer:
    def structure_items(value: object, where: str) -> Any:
        if not isinstance(value, list):
            raise WireError(f"{where} {shown(value)} is not a list")
        if not value:
            return ()  # most lists are empty: skip building the generator
        items = typing.cast("list[object]", value)
        return tuple(item(element, f"{where}[{i}]") for i, element in enumerate(items))

    return structure_items


def _mapping(schema: type[Any], value: object, where: str) -> Any:
    if not isinstance(value, dict):
        raise WireError(f"{where} {shown(value)} is not a mapping")
    return structure_mapping(typing.cast("dict[object, object]", value), schema, where)


def _boolean(value: object, where: str) -> bool:
    if not isinstance(value, bool):
        raise WireError(f"{where} {shown(value)} is not true or false")
    return value


def _integer(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise WireError(f"{where} {shown(value)} is not an integer")
    return value


def _string(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise WireError(f"{where} {shown(value)} is not a string")
    return value


_SCALARS: dict[type[Any], Structurer] = {bool: _boolean, int: _integer, str: _string}


def _unsupported(annotation: Any, value: object, where: str) -> Any:
    raise TypeError(f"unsupported schema type {annotation!r} at {where}")


@functools.cache
def _plan(schema: type[Any]) -> tuple[tuple[str, str, Structurer, type[Any] | None, bool], ...]:
    """Each field's name, wire key, structurer, type taken as is, and whether it has a default.

    The type taken as is is ``str`` or ``int``, whose values of exactly that type are what their
    structurer returns: they skip the call.
    """
    return tuple(
        (
            field.name,
            wire_key(field),
            _structurer(field.type),
            field.type if field.type in (str, int) else None,
            field.default is not attrs.NOTHING,
        )
        for field in schema_fields(schema)
    )


def structure_mapping(value: Mapping[object, object], schema: type[Any], where: str) -> Any:
    """Build a schema instance from a mapping keyed by wire keys.

    Unknown keys are ignored (a newer peer may add optional keys); a missing key, or ``null`` for
    a field that has a default, leaves the field's default; a missing required key is an error.

    Args:
        value: The mapping as loaded from YAML.
        schema: The attrs schema class.
        where: The wire path of the mapping, for error messages.

    Returns:
        The validated schema instance.

    Raises:
        WireError: If a key is missing, a value has the wrong type, or validation fails.
    """
    prefix = f"{where}." if where else ""
    kwargs: dict[str, Any] = {}
    for name, key, structurer, as_is, has_default in _plan(schema):
        item = value.get(key)
        if item is None:
            if has_default:
                continue
            if key not in value:
                raise WireError(f"{prefix}{key} is missing")
        if type(item) is as_is:
            kwargs[name] = item
        else:
            kwargs[name] = structurer(item, f"{prefix}{key}")
    try:
        return schema(**kwargs)
    except (ValueError, TypeError) as error:  # a validator's message, under the mapping's path
        raise WireError(f"{where}: {error}" if where else str(error)) from None


def unstructure(value: object) -> object:
    """Turn a schema instance (or a value inside one) into plain YAML-able data.

    Args:
        value: A schema instance, tuple, or scalar.

    Returns:
        Plain data: dicts keyed by wire keys, lists, and scalars. ``None`` fields are left out.
    """
    if attrs.has(type(value)):
        plain: dict[str, object] = {}
        for field in schema_fields(type(value)):
            item = getattr(value, field.name)
            if item is not None:
                plain[wire_key(field)] = unstructure(item)
        return plain
    if isinstance(value, tuple):
        return [unstructure(item) for item in typing.cast("tuple[object, ...]", value)]
    return value


def json_schema(schema: type[Any]) -> dict[str, Any]:
    """Describe an attrs schema class as a JSON Schema object.

    Args:
        schema: The attrs schema class.

    Returns:
        A JSON Schema (draft 2020-12 vocabulary) for the payload as plain data.

    Example:
        >>> import attrs
        >>> from pprint import pprint
        >>> @attrs.frozen
        ... class Endpoint:
        ...     host: str = attrs.field(metadata={"doc": "Host name"})
        ...     port: int = 80
        >>> pprint(json_schema(Endpoint))
        {'properties': {'host': {'description': 'Host name', 'type': 'string'},
                        'port': {'type': 'integer'}},
         'required': ['host'],
         'type': 'object'}
    """
    properties: dict[str, Any] = {}
    required: list[str] = []
    for field in schema_fields(schema):
        key = wire_key(field)
        properties[key] = _type_schema(field.type)
        doc = field.metadata.get("doc")
        if isinstance(doc, str):
            properties[key]["description"] = doc
        for keyword in _SCHEMA_KEYWORDS:
            if keyword in field.metadata:
                properties[key][keyword] = field.metadata[keyword]
        if field.default is attrs.NOTHING:
            required.append(key)
    result: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        result["required"] = required
    return result


def _type_schema(annotation: Any) -> dict[str, Any]:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        (inner,) = (option for option in typing.get_args(annotation) if option is not _NONE_TYPE)
        return _type_schema(inner)
    if origin is tuple:
        return {"type": "array", "items": _type_schema(typing.get_args(annotation)[0])}
    if attrs.has(annotation):
        return json_schema(annotation)
    names = {bool: "boolean", int: "integer", str: "string"}
    return {"type": names[annotation]}
