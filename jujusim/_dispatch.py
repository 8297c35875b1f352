"""Running the real ``ops.main`` in-process for one hook, then putting the process back.

Juju starts a fresh process per hook; here one process runs them all, so everything ops changes
for a dispatch is saved first and restored after: the environment, the root logger's handlers and
level (ops adds a ``JujuLogHandler`` per dispatch), ``sys.excepthook``, ``sys.breakpointhook``,
the warning filters and ``warnings.showwarning``, and ops' cached security-log backend.

In-process, hook tools are answered by replacing the ``subprocess`` attribute of the ops modules
that spawn them (``jujusim.compat``), so every line of ops above the process spawn runs unchanged.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import traceback
import warnings
from collections.abc import Callable, Generator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import ops

from . import compat
from .vocabulary import FailureKind

ToolHandler = Callable[[Sequence[str], str | None], tuple[int, str, str]]
"""Answers one hook-tool call: argv and stdin in, exit code, stdout and stderr out."""

_ENV_PREFIXES = ("JUJU_",)
_ENV_NAMES = ("OPERATOR_DISPATCH", "CHARM_DIR", "PATH")


class InjectedHookFailureError(Exception):
    """Raised where ops would commit, to fail a hook after the charm code ran."""


class _SubprocessShim:
    """Stands in for the ``subprocess`` module inside ops' hook-tool modules."""

    def __init__(self, handler: ToolHandler) -> None:
        self._handler = handler

    def __getattr__(self, name: str) -> Any:
        return getattr(subprocess, name)

    def run(
        self,
        args: Sequence[str] | str,
        *,
        input: str | None = None,
        capture_output: bool = False,
        check: bool = False,
        stdout: Any = None,
        stderr: Any = None,
        **kwargs: Any,
    ) -> subprocess.CompletedProcess[str]:
        """Answer a hook-tool spawn like ``subprocess.run`` with text output would."""
        argv = [args] if isinstance(args, str) else [str(a) for a in args]
        returncode, out, err = self._handler(argv, input)
        out_value = out if capture_output or stdout == subprocess.PIPE else None
        err_value = err if capture_output or stderr == subprocess.PIPE else None
        completed = subprocess.CompletedProcess(argv, returncode, out_value, err_value)
        if check:
            completed.check_returncode()  # CalledProcessError, as subprocess.run raises
        return completed


def fresh_charm_class(charm_class: type[ops.CharmBase]) -> type[ops.CharmBase]:
    """A throw-away subclass of ``charm_class`` with its own events class.

    ``CharmBase.__init__`` defines the relation events on the charm's events class, which works
    once per process; a fresh subclass per dispatch lets it run again. The subclass keeps the
    class name and handle kind, so StoredState and deferred-event handles are unchanged.
    """
    events_type = type(charm_class.on)
    events_sub = type(
        events_type.__name__,
        (events_type,),
        {"__module__": events_type.__module__, "__qualname__": events_type.__qualname__},
    )
    namespace: dict[str, Any] = {
        "on": events_sub(),
        "handle_kind": charm_class.handle_kind,
        "__module__": charm_class.__module__,
        "__qualname__": charm_class.__qualname__,
    }
    return type(charm_class.__name__, (charm_class,), namespace)


def _failing_commit(self: ops.Framework) -> None:
    raise InjectedHookFailureError("jujusim: injected hook failure (after the charm ran)")


def _python_default_warning_filters() -> None:
    """Python's own default filters, as a charm process started by Juju has them."""
    warnings.resetwarnings()
    warnings.filterwarnings("default", category=DeprecationWarning, module="__main__")
    for ignored in (DeprecationWarning, PendingDeprecationWarning, ImportWarning, ResourceWarning):
        warnings.simplefilter("ignore", ignored, append=True)


@contextmanager
def _patched(patches: list[tuple[object, str, object]]) -> Generator[None]:
    saved = [(target, name, getattr(target, name)) for target, name, _ in patches]
    try:
        for target, name, value in patches:
            setattr(target, name, value)
        yield
    finally:
        for target, name, value in reversed(saved):
            setattr(target, name, value)


def _juju_env_keys() -> list[str]:
    return [k for k in os.environ if k.startswith(_ENV_PREFIXES) or k in _ENV_NAMES]


def dispatch(
    charm_class: type[ops.CharmBase],
    env: Mapping[str, str],
    *,
    use_juju_for_storage: bool,
    tool_handler: ToolHandler | None,
    fail_at_commit: bool,
) -> tuple[FailureKind, str] | None:
    """Dispatch one hook through the real ``ops.main`` and restore the process after.

    Args:
        charm_class: The charm class to run.
        env: The hook's Juju environment (``JUJU_*``, ``PATH``, ...).
        use_juju_for_storage: Passed to ``ops.main``.
        tool_handler: Answers hook tools in-process; None lets them run as real executables.
        fail_at_commit: Fail the hook where ops would commit, after the charm ran.

    Returns:
        None if the hook succeeded, else why it failed (the injected failure, or the charm and
        ops raising) and a description of the failure (a traceback).
    """
    saved_env = {k: os.environ[k] for k in _juju_env_keys()}
    root = logging.getLogger()
    saved_level = root.level
    excepthook = sys.excepthook
    # Each patch is undone after the dispatch; ops adds its handler to the copy of the list.
    patches: list[tuple[object, str, object]] = [
        (root, "handlers", list(root.handlers)),
        (sys, "excepthook", excepthook),
        (sys, "breakpointhook", sys.breakpointhook),
    ]
    if tool_handler is not None:
        shim = _SubprocessShim(tool_handler)
        patches.extend((module, "subprocess", shim) for module in compat.hook_tool_modules())
    if fail_at_commit:
        # ops.main commits through Framework.commit once, after the charm ran; failing there
        # leaves the hook's changes uncommitted, as a hook that fails at its end does.
        patches.append((ops.Framework, "commit", _failing_commit))
    fresh = fresh_charm_class(charm_class)
    try:
        for key in saved_env:
            del os.environ[key]
        os.environ.update(env)
        compat.clear_security_log_cache()
        with _patched(patches), warnings.catch_warnings():
            _python_default_warning_filters()
            try:
                ops.main(fresh, use_juju_for_storage=use_juju_for_storage)
            except SystemExit as e:
                if e.code not in (None, 0):
                    return "charm", f"SystemExit({e.code!r})"
            except Exception as e:
                if sys.excepthook is not excepthook:
                    # A real hook process ends in ops' excepthook, which logs via juju-log.
                    sys.excepthook(type(e), e, e.__traceback__)
                kind: FailureKind = (
                    "injected" if isinstance(e, InjectedHookFailureError) else "charm"
                )
                return kind, "".join(traceback.format_exception(e))
        return None
    finally:
        for key in _juju_env_keys():
            del os.environ[key]
        os.environ.update(saved_env)
        root.setLevel(saved_level)
        compat.clear_security_log_cache()
