"""The compiled hook-tool client (``hooktool.c``), built with the machine's C compiler.

A ``python -S`` tool script costs an interpreter start per call (about 9 ms); Juju's ``jujuc``
costs about 1 ms. The C client speaks the same wire as the script, so an exec-mode hook pays
what a deployed one pays for a call: a process start and one round trip to the agent's socket.
It is built once per source version and kept in a per-user cache under the system temp dir.

A public module: the benchmarks build the client ahead of a timed run (``build_client``) and
check that exec mode uses it (``CLIENT_NAME``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

SOURCE = Path(__file__).with_name("hooktool.c")
"""The client's C source."""

CLIENT_NAME = "_jujusim_tool_c"
"""The client's file name in a simulator's bin dir."""


class HookToolBuildError(RuntimeError):
    """The C hook-tool client could not be built (no compiler, or the compiler failed)."""


def compiler() -> str | None:
    """The C compiler: ``$CC``, else ``cc`` or ``gcc`` on ``PATH``; None if there is none."""
    named = os.environ.get("CC")
    if named:
        return shutil.which(named)
    return shutil.which("cc") or shutil.which("gcc")


def cache_dir() -> Path:
    """Where built clients are kept: a per-user folder in the system temp dir."""
    return Path(tempfile.gettempdir()) / f"jujusim-hooktool-{os.getuid()}"


def build_client() -> Path:
    """Build the C client (or reuse the cached build of this source) and return its path.

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
    cc = compiler()
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
