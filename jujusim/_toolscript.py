"""The exec-mode hook tool as a Python script, for a machine with no C compiler (``hooktool.c``).

``install_tools`` writes this file, under a ``#!<python> -S`` line, as the program every hook
tool name on ``PATH`` runs; the tool server reads and answers with the same ``encode`` and
``decode``. It imports only what a bare interpreter start has loaded, or nearly, so a call costs
little more than the start.
"""

from __future__ import annotations

import _socket
import os
import sys


def encode(fields: list[str]) -> bytes:
    """Length-prefix each field (8 bytes, big-endian): the tools' wire format."""
    data = [field.encode("utf-8", "surrogateescape") for field in fields]
    return b"".join(len(field).to_bytes(8, "big") + field for field in data)


def decode(data: bytes) -> list[str]:
    """Split length-prefixed fields."""
    fields: list[str] = []
    i = 0
    while i < len(data):
        size = int.from_bytes(data[i : i + 8], "big")
        fields.append(data[i + 8 : i + 8 + size].decode("utf-8", "surrogateescape"))
        i += 8 + size
    return fields


def main() -> None:
    """Send this call (context id, stdin for ``--file -``, name, arguments); print the answer."""
    args = sys.argv[1:]
    stdin = "0"
    if "--file=-" in args or any(
        a == "--file" and args[i + 1 : i + 2] == ["-"] for i, a in enumerate(args)
    ):
        stdin = "1" + sys.stdin.read()
    name = os.path.basename(sys.argv[0])
    request = encode([os.environ.get("JUJU_CONTEXT_ID", ""), stdin, name, *args])
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.connect(os.environ["JUJU_AGENT_SOCKET_ADDRESS"])
        sock.sendall(request)
        sock.shutdown(_socket.SHUT_WR)
        chunks: list[bytes] = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    finally:
        sock.close()
    returncode, out, err = decode(b"".join(chunks))
    sys.stdout.write(out)
    sys.stderr.write(err)
    sys.exit(int(returncode))  # flushes both


if __name__ == "__main__":
    main()
