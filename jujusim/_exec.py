"""Hook tools as real executables on ``PATH`` that ask the simulator over a socket.

The bin directory is created in both modes, because ops looks tools up on ``PATH`` (``state-get``
for controller storage) even when the calls themselves are answered in-process. In ``exec`` mode a
thread serves a Unix socket, answering each tool (``_toolscript.py``, or the C client: the wire is
described in ``hooktool.c``) for the hook whose ``JUJU_CONTEXT_ID`` it sends.
"""

from __future__ import annotations

import contextlib
import shutil
import socketserver
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import cast

from . import _toolscript
from ._dispatch import ToolHandler
from ._toolscript import decode, encode
from .hooktool import CLIENT_NAME, HookToolBuildError, build_client

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


def install_tools(bin_dir: Path, *, compiled: bool = False) -> str:
    """Write the tool script and one symlink per hook tool name into ``bin_dir``.

    With ``compiled`` the names link to the C client (``hooktool.c``) when it can be built, else
    to the script, which speaks the same wire. Returns the file name the tool names link to.
    """
    bin_dir.mkdir(parents=True, exist_ok=True)
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
        link = bin_dir / name
        if not link.exists():
            link.symlink_to(target)
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
