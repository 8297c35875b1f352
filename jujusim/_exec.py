"""Hook tools as real executables: small scripts on ``PATH`` that ask the simulator over a socket.

The bin directory is created in both modes, because ops looks tools up on ``PATH`` (``state-get``
for controller storage) even when the calls themselves are answered in-process. In ``exec`` mode a
thread serves a Unix socket; each tool script sends its argv (and stdin for ``--file -``) with the
hook's ``JUJU_CONTEXT_ID`` and prints the answer, exiting with the tool's exit code.
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

from ._dispatch import ToolHandler
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

_SCRIPT = """#!{python} -S
# A jujusim hook tool: asks the simulator over a Unix socket. Only modules that Python has
# loaded at startup are used, so a call costs little more than an interpreter start.
import _socket, os, sys


def encode(fields):
    data = [field.encode("utf-8", "surrogateescape") for field in fields]
    return b"".join(len(field).to_bytes(8, "big") + field for field in data)


def decode(data):
    fields, i = [], 0
    while i < len(data):
        size = int.from_bytes(data[i : i + 8], "big")
        fields.append(data[i + 8 : i + 8 + size].decode("utf-8", "surrogateescape"))
        i += 8 + size
    return fields


def main():
    args = sys.argv[1:]
    stdin = "0"
    if "--file=-" in args or any(
        a == "--file" and args[i + 1 : i + 2] == ["-"] for i, a in enumerate(args)
    ):
        stdin = "1" + sys.stdin.read()
    name = os.path.basename(sys.argv[0])
    request = encode([os.environ.get("JUJU_CONTEXT_ID", ""), stdin, name] + args)
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.connect(os.environ["JUJU_AGENT_SOCKET_ADDRESS"])
        sock.sendall(request)
        sock.shutdown(_socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    finally:
        sock.close()
    returncode, out, err = decode(b"".join(chunks))
    sys.stdout.write(out)
    sys.stderr.write(err)
    sys.exit(int(returncode))  # flushes both


main()
"""


def encode_fields(fields: Sequence[str]) -> bytes:
    """Length-prefix each field (the tool scripts' wire format)."""
    data = [field.encode("utf-8", "surrogateescape") for field in fields]
    return b"".join(len(field).to_bytes(8, "big") + field for field in data)


def decode_fields(data: bytes) -> list[str]:
    """Split length-prefixed fields."""
    fields: list[str] = []
    i = 0
    while i < len(data):
        size = int.from_bytes(data[i : i + 8], "big")
        fields.append(data[i + 8 : i + 8 + size].decode("utf-8", "surrogateescape"))
        i += 8 + size
    return fields


def install_tools(bin_dir: Path, *, compiled: bool = False) -> str:
    """Write the tool script and one symlink per hook tool name into ``bin_dir``.

    With ``compiled`` the names link to the C client (``hooktool.c``) when it can be built, else
    to the script, which speaks the same wire. Returns the file name the tool names link to.
    """
    bin_dir.mkdir(parents=True, exist_ok=True)
    script = bin_dir / "_jujusim_tool"
    script.write_text(_SCRIPT.format(python=sys.executable), encoding="utf-8")
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
        context, stdin, *argv = decode_fields(self.rfile.read())
        answer = server.answer(context, argv, stdin[1:] if stdin.startswith("1") else None)
        self.wfile.write(encode_fields([str(answer[0]), answer[1], answer[2]]))


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
