"""Hook tools as executables on ``PATH``: the compiled client, and the socket server it asks.

ops looks tools up on ``PATH`` (``state-get`` for controller storage) even when they are answered
in-process, so the bin directory is made in both modes. In ``exec`` mode each tool name runs the
C client (``hooktool.c``, which describes the wire), or the Python script ``_toolscript.py``
without a compiler, and a thread serving a Unix socket answers the hook whose
``JUJU_CONTEXT_ID`` the call sends. A ``python -S`` script costs an interpreter start per call
(about 9 ms), Juju's ``jujuc`` about 1 ms: the C client costs what a deployed call costs, one
process start and one socket round trip. It is built once per source version, into a per-user
cache under the system temp dir.

A public module: the benchmarks build the client ahead of a timed run (``build_client``) and
check that exec mode uses it (``CLIENT_NAME``); ``install_tools`` and ``ToolServer`` are the
simulator's own.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import cast

from . import _toolscript
from ._dispatch import ToolHandler
from ._toolscript import decode, encode

SOURCE = Path(__file__).with_name("hooktool.c")
"""The client's C source."""

CLIENT_NAME = "_jujusim_tool_c"
"""The client's file name in a simulator's bin dir."""


class HookToolBuildError(RuntimeError):
    """The C hook-tool client could not be built (no compiler, or the compiler failed)."""


def cache_dir() -> Path:
    """Where built clients are kept: a per-user folder in the system temp dir."""
    return Path(tempfile.gettempdir()) / f"jujusim-hooktool-{os.getuid()}"


def build_client() -> Path:
    """Build the C client (or reuse the cached build of this source) and return its path.

    The compiler is ``$CC``, else ``cc`` or ``gcc`` on ``PATH``.

    Raises:
        HookToolBuildError: No C compiler was found, or compiling failed; the message says
            which, with the compiler's own output.
    """
    source = SOURCE.read_bytes()
    digest = hashlib.sha256(source).hexdigest()[:16]
    cache = cache_dir()
    binary = cache / f"hooktool-{digest}"
    if os.access(binary, os.X_OK):
        return binary
    named = os.environ.get("CC")
    cc = shutil.which(named) if named else shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        raise HookToolBuildError(
            "no C compiler found (set CC, or install gcc): the compiled hook-tool client "
            f"is built from {SOURCE} at run time"
        )
    cache.mkdir(mode=0o700, exist_ok=True)
    partial = cache / f".{binary.name}.{os.getpid()}"
    built = subprocess.run(
        [cc, "-O2", "-o", str(partial), str(SOURCE)], capture_output=True, text=True, check=False
    )
    if built.returncode != 0:
        partial.unlink(missing_ok=True)
        raise HookToolBuildError(
            f"{cc} could not build {SOURCE} (exit {built.returncode}): {built.stderr.strip()}"
        )
    os.replace(partial, binary)  # atomic: a concurrent build of the same source is the same file
    return binary


TOOL_NAMES = tuple(  # a word list: one string a line would take forty
    """
    action-fail action-get action-log action-set application-version-set close-port config-get
    credential-get goal-state is-leader juju-log juju-reboot leader-get leader-set network-get
    open-port opened-ports pod-spec-set relation-get relation-ids relation-list
    relation-model-get relation-set resource-get secret-add secret-get secret-grant secret-ids
    secret-info-get secret-remove secret-revoke secret-set state-delete state-get state-set
    status-get status-set storage-add storage-get storage-list
    """.split()  # noqa: SIM905
)
"""Every hook tool name put on ``PATH``; the simulator answers unknown ones with an error."""


def install_tools(bin_dir: Path, *, compiled: bool) -> str:
    """Make ``bin_dir`` with the tool script and one symlink per hook tool name.

    With ``compiled`` the names link to the C client (``hooktool.c``) when it can be built, else
    to the script, which speaks the same wire. Returns the file name the tool names link to.
    """
    bin_dir.mkdir()
    script = bin_dir / "_jujusim_tool"
    source = Path(_toolscript.__file__).read_text(encoding="utf-8")
    script.write_text(f"#!{sys.executable} -S\n{source}", encoding="utf-8")
    script.chmod(0o755)
    target = script.name
    if compiled:
        # Without a compiler the script stays: it answers the same calls, only slower.
        with contextlib.suppress(HookToolBuildError):
            shutil.copy2(build_client(), bin_dir / CLIENT_NAME)
            target = CLIENT_NAME
    for name in TOOL_NAMES:
        (bin_dir / name).symlink_to(target)
    return target


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        server = cast("ToolServer", self.server)
        context, stdin, *argv = decode(self.rfile.read())
        answer = server.answer(context, argv, stdin[1:] if stdin.startswith("1") else None)
        self.wfile.write(encode([str(answer[0]), answer[1], answer[2]]))


class ToolServer(socketserver.UnixStreamServer):
    """Serves hook-tool requests from the tool scripts for the hook running now, in a thread."""

    def __init__(self, socket_path: Path) -> None:
        super().__init__(str(socket_path), _Handler)
        self.socket_path = socket_path
        self._lock = threading.Lock()
        self._context = ""
        self._handler: ToolHandler | None = None
        self._thread = threading.Thread(
            target=self.serve_forever, name="jujusim-tools", daemon=True
        )
        self._thread.start()

    def serve(self, context: str, handler: ToolHandler | None) -> None:
        """Answer requests carrying ``context`` with ``handler`` (None: answer none)."""
        with self._lock:
            self._context = context
            self._handler = handler

    def answer(self, context: str, argv: Sequence[str], stdin: str | None) -> tuple[int, str, str]:
        """Answer one request if it belongs to the hook running now."""
        with self._lock:
            handler = self._handler if context == self._context else None
        if handler is None:
            return 1, "", "ERROR no hook context is running\n"
        return handler(argv, stdin)

    def close(self) -> None:
        """Stop serving and remove the socket."""
        self.shutdown()
        self.server_close()
        self._thread.join()
        self.socket_path.unlink(missing_ok=True)
