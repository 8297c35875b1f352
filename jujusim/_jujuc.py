"""The command-line conventions of Juju's hook tools (``jujuc``): flags, output, settings.

Every tool of ``HookSession`` parses its arguments and prints its answer through these, so that
a charm (or ops) sees the same exit codes and messages as from Juju's own commands.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml


class ToolError(Exception):
    """A hook tool failure: Juju prints ``ERROR <message>`` and exits non-zero."""

    def __init__(self, message: str, returncode: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.returncode = returncode


_VALUED = {"relation", "format", "file", "log-level", "output", "label"}
"""The flags that take a value; every other flag is a boolean."""

_SHORT = {"-r": "--relation", "-l": "--log-level", "-o": "--output", "-a": "--all"}
"""Every flag is spelt ``--<name>``; these four have a one-letter spelling too."""


def parse_args(argv: Sequence[str], allowed: set[str]) -> tuple[dict[str, str], list[str]]:
    """Parse flags the way Juju's gnuflag does (interspersed, ``--`` ends flags).

    Args:
        argv: The arguments after the tool name.
        allowed: The canonical names of the flags this tool accepts.

    Returns:
        The flags by canonical name (booleans as ``"true"``/``"false"``) and the positionals.
    """
    flags: dict[str, str] = {}
    positional: list[str] = []
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            positional.extend(args[i:])
            break
        if not arg.startswith("-") or arg == "-":
            positional.append(arg)
            continue
        spelling, has_value, value = arg.partition("=")
        name = _SHORT.get(spelling, spelling).removeprefix("--")
        if name not in allowed:
            raise ToolError(f"flag provided but not defined: {spelling}", 2)
        if name in _VALUED:
            if not has_value:
                if i >= len(args):
                    raise ToolError(f"flag needs an argument: {spelling}", 2)
                value = args[i]
                i += 1
            flags[name] = value
        else:
            if has_value and value.lower() not in ("true", "false", "1", "0"):
                raise ToolError(f'invalid boolean value "{value}" for flag {spelling}', 2)
            flags[name] = "true" if not has_value or value.lower() in ("true", "1") else "false"
    return flags, positional


def render(value: Any, fmt: str | None) -> str:
    """Print ``value`` in Juju's ``json``, ``yaml`` or default ``smart`` format."""
    if fmt == "json":
        return json.dumps(value) + "\n"
    if fmt == "yaml":
        return yaml.safe_dump(value, default_flow_style=False)
    if fmt not in (None, "smart"):
        raise ToolError(f'invalid value "{fmt}" for flag --format: unknown format "{fmt}"', 2)
    if value is None:
        return ""
    if isinstance(value, bool):
        return f"{value}\n"
    if isinstance(value, str):
        return value if value.endswith("\n") else value + "\n"
    return yaml.safe_dump(value, default_flow_style=False)


def settings_to_set(path: str | None, pos: list[str], stdin: str | None) -> dict[str, str]:
    """Return the settings a ``relation-set`` or ``state-set`` call gives.

    ``--file`` (or stdin; a YAML map, so JSON too) first, then the ``key=value`` arguments, as
    Juju reads them.
    """
    settings: dict[str, str] = {}
    if path is not None:
        content = (stdin or "") if path == "-" else Path(path).read_text(encoding="utf-8")
        try:
            loaded: Any = yaml.safe_load(content) if content.strip() else {}
        except yaml.YAMLError as e:
            raise ToolError(f"cannot parse settings: {e}") from None
        if not isinstance(loaded, dict | None):
            raise ToolError("cannot parse settings: expected a map")
        items: dict[Any, Any] = loaded or {}  # pyright: ignore[reportUnknownVariableType]
        settings.update({str(k): "" if v is None else str(v) for k, v in items.items()})
    for arg in pos:
        name, sep, value = arg.partition("=")
        if not sep or not name:
            raise ToolError(f'expected "key=value", got "{arg}"', 2)
        settings[name] = value
    return settings
