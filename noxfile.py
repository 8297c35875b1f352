"""Sessions for the k8s-service interface library and its study.

``nox`` runs the default sessions (tests, lint, typecheck); ``nox -s bench`` runs the study and the
cost benchmarks, which write JSON, then renders ``reports/`` and the figures in ``docs/`` from it.
"""

from __future__ import annotations

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]
nox.options.reuse_existing_virtualenvs = True

PYPROJECT = nox.project.load_toml("pyproject.toml")


def _install(session: nox.Session, *groups: str) -> None:
    """Install the project (editable) and the named dependency groups."""
    requirements: list[str] = []
    for group in groups:
        requirements.extend(nox.project.dependency_groups(PYPROJECT, group))
    session.install("-e", ".", *requirements)


EXAMPLES = ("examples/kfp-api", "examples/dashboard")
"""The example charms, each with its own unit tests as a charm repository has them."""


@nox.session
def tests(session: nox.Session) -> None:
    """Run the unit, contract, interface and consistency tests (warnings are errors).

    Then each example charm's own unit tests, from the charm's folder as its CI would; and the
    benchmark modules, once each at their smallest size with timing off, so that they cannot rot
    between runs of ``bench``.
    """
    _install(session, "test", "bench")
    session.run("pytest", *session.posargs)
    for example in EXAMPLES:
        with session.chdir(example):
            session.run("pytest", "-q")
    session.run("pytest", "benchmarks", "--benchmark-disable", "-q")


@nox.session
def lint(session: nox.Session) -> None:
    """Check the code with ruff (lint rules and formatting)."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".", *session.posargs)
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """Type-check everything with pyright in strict mode."""
    _install(session, "typecheck")
    session.run("pyright", *session.posargs)


@nox.session(default=False)
def study(session: nox.Session) -> None:
    """Run the sync-correctness study alone (reports/study.json); -- --quick or -- --full."""
    _install(session, "bench")
    session.run("python", "-m", "study", *session.posargs)
    session.run("python", "-m", "reporting")


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """The main job: the study, then the cost benchmarks, then every report rendered.

    Pass ``-- --quick`` for a smaller run or ``-- --full`` for a bigger one (N up to 3000). The
    two runs write reports/study.json and reports/costs.json; ``python -m reporting`` renders
    reports/README.md, reports/study.md, the plots and the figures in docs/ from them. A
    ``--quick`` run writes its reports into build/quick-reports/ (git-ignored) and leaves
    reports/ and docs/ as they are.
    """
    _install(session, "bench")
    session.run("python", "-m", "study", *session.posargs)
    session.run("python", "-m", "benchmarks", *session.posargs)
    session.run("python", "-m", "reporting", *session.posargs)


@nox.session(default=False)
def docs(session: nox.Session) -> None:
    """Render reports/ and the figures of docs/ from reports/*.json; -- --check to verify docs."""
    _install(session, "bench")
    session.run("python", "-m", "reporting", *session.posargs)
