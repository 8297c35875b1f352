"""Parse untrusted YAML within a fixed budget, once per text.

Remote YAML is checked before and while it is parsed, so that hostile input costs a bounded time:

- before: at most ``MAX_VALUE_BYTES`` (checked by the caller) and at most ``MAX_DEPTH`` unclosed
  ``[`` or ``{`` anywhere in the text (counted without regard to quotes: no valid payload
  quotes a bracket), which stops the quadratic flow-nesting cost of PyYAML's Python scanner;
- while: the document is composed into nodes (by libyaml when present), then walked before
  anything is built: at most ``MAX_DEPTH`` levels, ``MAX_NODES`` nodes, no alias (so no
  "billion laughs"), no merge key ``<<`` (PyYAML before 6.0.4 took minutes on merge chains),
  no key twice in one mapping.

Integers count only when written in plain decimal (``8080``, ``-1``): YAML 1.1's other forms
(``0x1F90``, ``017620``, ``2:14:40``, ``8_080``, ``+8080``) are read as ``NonDecimalInteger``,
which no schema field accepts. The C loader is used where PyYAML has it; its error messages
differ from the Python loader's, so on an error the text is parsed again by the Python loader and
its message is the one reported, whichever loader is installed.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import attrs
import yaml
from yaml.composer import Composer
from yaml.parser import ParserError
from yaml.reader import ReaderError
from yaml.scanner import ScannerError

MAX_DEPTH = 16
"""Deepest nesting of collections (and most unclosed brackets) accepted in remote YAML."""

MAX_NODES = 1000
"""Most nodes (scalars and collections) accepted in one remote YAML document."""

_CACHE_SIZE = 128
"""How many distinct texts keep their parse: every relation's values of one hook, many times."""

_BRACKETS = re.compile(r"[\[\]{}]")
_NOT_PLAIN_STRINGS = ("yes", "no", "true", "false", "on", "off", "null", "y", "n")
"""Lowercase words YAML 1.1 reads as booleans or null (``y``/``n`` only by some loaders)."""
_NOT_PLAIN = "(?:" + "|".join(_NOT_PLAIN_STRINGS) + ")"
_FLAT_LINE = re.compile(
    rf"^(?!{_NOT_PLAIN}:)([a-z][a-z0-9-]{{0,62}}): (?:(\[\])|(0|[1-9][0-9]{{0,17}})"
    rf"|'([a-z0-9][a-z0-9.-]{{0,252}})'|(?!{_NOT_PLAIN}\n)([a-z][a-z0-9.-]{{0,252}}))\n",
    re.MULTILINE,
)
"""One whole line of the flat shape: it starts where a line starts and ends with its newline."""
_PLAIN_DECIMAL = re.compile(r"-?(?:0|[1-9][0-9]*)")
_INT_TAG = "tag:yaml.org,2002:int"
_MERGE_TAG = "tag:yaml.org,2002:merge"


@attrs.frozen
class NonDecimalInteger:
    """An integer YAML 1.1 reads from a form other than plain decimal, such as ``0x1F90``.

    No schema field accepts one, so ``port: 0x1F90`` is refused rather than read as 8080.

    Example:
        >>> load("{port: 0x1F90, plain: 8080}")
        {'port': 0x1F90, 'plain': 8080}
    """

    text: str
    """The scalar as written."""

    def __repr__(self) -> str:
        return self.text


class YamlRefused(Exception):  # noqa: N818 - a result carried out of the parser, not a bug
    """The text is not YAML, or breaks the budget; ``problem`` says how, for a person."""

    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem


def _construct_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    text = str(node.value)
    if _PLAIN_DECIMAL.fullmatch(text):
        return int(text)
    return NonDecimalInteger(text)


class _Budget(Composer):
    """Composing with a budget: refuse aliases, too many nodes and too deep nesting, early.

    Both loaders compose with this (libyaml only scans and parses), so composition stops at the
    first node over budget, and the same text gets the same reason from either loader.
    """

    nodes = 0
    depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):  # pyright: ignore[reportAttributeAccessIssue, reportUnknownMemberType]
            raise YamlRefused("it uses an alias")
        self.nodes += 1
        self.depth += 1
        try:
            _check_size(self.nodes, self.depth)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _PythonLoader(_Budget, yaml.SafeLoader):
    """PyYAML's pure-Python safe loader, within the budget, integers only in plain decimal."""


_PythonLoader.add_constructor(_INT_TAG, _construct_int)

_LOADERS: list[type[Any]] = [_PythonLoader]
if hasattr(yaml, "CSafeLoader"):  # pragma: no branch - PyYAML wheels ship libyaml

    class _CLoader(_Budget, yaml.CSafeLoader):
        """libyaml's scanner and parser, composed within the budget, integers in plain decimal."""

        def __init__(self, stream: str):
            yaml.CSafeLoader.__init__(self, stream)
            Composer.__init__(self)

    _CLoader.add_constructor(_INT_TAG, _construct_int)
    _LOADERS.insert(0, _CLoader)


def _check_brackets(text: str) -> None:
    depth = 0
    for bracket in _BRACKETS.findall(text):
        depth = depth + 1 if bracket in "[{" else max(depth - 1, 0)
        if depth > MAX_DEPTH:
            raise YamlRefused("nested too deeply")


def _check_size(nodes: int, depth: int) -> None:
    if nodes > MAX_NODES:
        raise YamlRefused(f"over {MAX_NODES} nodes")
    if depth > MAX_DEPTH:
        raise YamlRefused("nested too deeply")


def _children(node: yaml.Node) -> list[yaml.Node]:
    """A node's children in document order (a mapping's key, then its value, pair by pair)."""
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        pairs: list[tuple[yaml.Node, yaml.Node]] = node.value
        return [child for pair in pairs for child in pair]
    return []


def _check_nodes(root: yaml.Node) -> None:
    """Walk a composed document, refusing what would cost more than the budget to build.

    The first pass checks aliases, node count and depth in document order, exactly as
    ``_PythonLoader`` does while composing; the second checks merge keys and repeated keys.
    """
    seen: set[int] = set()
    pending: list[tuple[yaml.Node, int]] = [(root, 1)]
    mappings: list[yaml.MappingNode] = []
    while pending:
        node, depth = pending.pop()
        if id(node) in seen:
            raise YamlRefused("it uses an alias")
        seen.add(id(node))
        _check_size(len(seen), depth)
        if isinstance(node, yaml.MappingNode):
            mappings.append(node)
        pending.extend((child, depth + 1) for child in reversed(_children(node)))
    for mapping in mappings:
        pairs: list[tuple[yaml.Node, yaml.Node]] = mapping.value
        keys: set[str] = set()
        for key, _value in pairs:
            if key.tag == _MERGE_TAG:
                raise YamlRefused("it uses a merge key <<")
            if isinstance(key, yaml.ScalarNode):
                written = str(key.value)
                if written in keys:
                    raise YamlRefused("a key is given twice")
                keys.add(written)


def _load_with(loader_type: type[Any], text: str) -> object:
    loader = loader_type(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_nodes(node)
        return loader.construct_document(node)
    finally:
        loader.dispose()


_REFUSALS = (YamlRefused, yaml.YAMLError, RecursionError, ValueError)
"""What loading untrusted YAML may raise: the budget, PyYAML, and Python's own limits."""

_LIBYAML_ERRORS = (ScannerError, ParserError, ReaderError)
"""The errors libyaml words differently from PyYAML (composing and constructing are Python's)."""


def _reason(error: BaseException) -> str:
    if isinstance(error, YamlRefused):
        return error.problem
    if isinstance(error, RecursionError):
        return "nested too deeply"
    if isinstance(error, yaml.YAMLError):
        return getattr(error, "problem", None) or type(error).__name__
    return "a value out of range"  # an integer of over 4300 digits, a date such as 2001-02-30


def load(text: str) -> object:
    """Parse untrusted YAML within the budget; the result is shared, so never mutate it.

    Args:
        text: A databag value, already checked to be at most ``MAX_VALUE_BYTES``.

    Returns:
        The loaded value (plain dicts, lists and scalars; integers as described above).

    Raises:
        YamlRefused: If the text is not YAML or breaks the budget; the same ``problem`` whichever
            loader is installed.
    """
    loaded, problem = _parse(text)
    if problem is not None:
        raise YamlRefused(problem)
    return loaded


def load_flat(text: str) -> dict[str, object] | None:
    r"""Read the one shape most payloads have without the YAML machinery, or say it is not that.

    The shape is a flat block mapping, one ``key: value`` per line and a final newline, whose
    keys are lowercase words and whose values are plain decimal integers, ``[]``, or lowercase
    DNS-like strings, plain or single-quoted: what this library's provider and the
    serialized-data-interface charms write. For such a text the result is exactly what the YAML
    loader gives (a property test compares them); for any other text, ``None``, and the caller
    parses it in full. It is within the budget by construction: two nodes a line, at most
    ``MAX_NODES`` in all, two levels deep.

    Example:
        >>> load_flat("name: svc1.ns\nport: 8001\nports: []\n")
        {'name': 'svc1.ns', 'port': 8001, 'ports': []}
        >>> load_flat("port: 0x1F90\n") is None  # not the flat shape: parsed in full
        True
    """
    lines = text.count("\n")
    if not text.endswith("\n") or lines > (MAX_NODES - 1) // 2:
        return None
    # Each match is one whole line, so the text has the flat shape when every line matches.
    matches: list[tuple[str, str, str, str, str]] = _FLAT_LINE.findall(text)
    if len(matches) != lines:
        return None
    loaded: dict[str, object] = {
        key: [] if empty else int(number) if number else quoted or plain
        for key, empty, number, quoted, plain in matches  # a group that did not match is ""
    }
    if len(loaded) != lines:
        return None  # a key given twice: the full loader says so
    return loaded


def load_composed(text: str) -> tuple[object, str | None]:
    """Parse a text in full, composing it within the budget: the value, or why it is refused.

    Args:
        text: A databag value, already checked to be at most ``MAX_VALUE_BYTES``.

    Returns:
        The loaded value and ``None``, or ``None`` and the reason (a ``problem`` for a person).
    """
    try:
        _check_brackets(text)
        return _load_with(_LOADERS[0], text), None
    except _LIBYAML_ERRORS as error:
        if _LOADERS[0] is _PythonLoader:
            return None, _reason(error)
        try:  # report the Python loader's words for it, whichever loader is installed
            _load_with(_PythonLoader, text)
        except _REFUSALS as again:
            return None, _reason(again)
        return None, _reason(error)
    except _REFUSALS as error:
        return None, _reason(error)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _parse(text: str) -> tuple[object, str | None]:
    """Parse a text once (a hook reads each value many times): the value, or why it is refused."""
    flat = load_flat(text)
    if flat is not None:
        return flat, None
    return load_composed(text)


def clear_parse_cache() -> None:
    """Forget every parse kept by ``_parse`` (see ``relation_protocol.clear_caches``)."""
    _parse.cache_clear()
