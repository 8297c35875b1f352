"""The documents in ``docs/`` quote the committed reports exactly, and keep their shape."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import attrs
import pytest

from reporting import CheckError, Costs, Reports, Study, render
from reporting.render import ROOT

DOCUMENTS = render.documents()
RECORDS = sorted((render.DOCS / "decisions").glob("[0-9][0-9][0-9][0-9]-*.md"))
SECTIONS = ("## Question", "## Options", "## What we measured", "## Decision", "## Consequences")


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _record(number: str) -> Path:
    (path,) = (record for record in RECORDS if record.name.startswith(number))
    return path


def _with_study(reports: Reports, change: dict[tuple[str, ...], Any]) -> Reports:
    """Return the reports with some study figures replaced (key path to new value)."""
    study: dict[str, Any] = copy.deepcopy(attrs.asdict(reports.study))
    for path, value in change.items():
        *parents, last = path
        node: Any = study
        for key in parents:
            node = node[key]
        node[last] = value
    return Reports(Study.from_json(study), reports.costs)


def _prose(text: str) -> str:
    """Return a document without its generated figures, code blocks and inline code."""
    text = render.MARKER.sub("", text)
    text = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    return re.sub(r"`[^`\n]*`", "", text)


def _costs(overrides: dict[tuple[str, str, int], dict[str, Any]] | None = None) -> Costs:
    """Build a small ``costs.json`` of the shape the benchmarks write, consistent with the docs."""
    kinds = ("rebuild", "update-status-no-read", "update-status-read", "relation-changed")
    cases = [(b, k) for b in ("live", "stored") for k in kinds]
    cases += [("noop", "update-status"), ("noop", "relation-changed"), ("noop", "rebuild")]
    cases += [("ops-read", "update-status-read")]
    reads = {("stored", "relation-changed"): 1, ("live", "update-status-no-read"): 0}
    reads |= dict.fromkeys([("stored", "update-status-no-read"), ("stored", "update-status-read"),
                            ("noop", "update-status")], 0)  # fmt: skip
    rows: list[dict[str, Any]] = [
        {"storage": "local", "backend": backend, "kind": kind, "relations": n, "units": 1,
         "time_s": 0.001 if backend == "noop" else 0.001 + n / 10_000,
         "tool_calls": {"relation-get": reads.get((backend, kind), n), "is-leader": 1},
         "state_bytes": 80 + (n * 150 if backend == "stored" else 0),
         "bytes_written": 120 + n % 7, "ok": True}
        for backend, kind in cases
        for n in (1, 10, 100, 1000)
    ]  # fmt: skip
    for row in rows:
        row.update((overrides or {}).get((row["backend"], row["kind"], row["relations"]), {}))
    meta = {"command": "python -m benchmarks", "ops_version": "3.9.0"}
    return Costs.from_json({"meta": meta, "rows": rows})


@pytest.fixture(scope="module")
def reports() -> Reports:
    """The committed reports."""
    return Reports.load()


class TestFiguresMatchTheReports:
    """Every figure on disk is what the committed reports render."""

    @pytest.mark.parametrize("path", DOCUMENTS, ids=_name)
    def test_document_matches(self, path: Path, reports: Reports):
        """Re-rendering a document from the committed reports changes nothing."""
        text = path.read_text()

        assert render.render_text(text, reports, where=_name(path)) == text, (
            f"{_name(path)} does not match the committed reports: run `nox -s docs`"
        )

    def test_changed_figure(self, reports: Reports):
        """A figure that changes in the report changes the record that quotes it."""
        path = _record("0001")
        longest = reports.study.summary["stored"]["longest_stale_run"]
        changed = _with_study(reports, {("summary", "stored", "longest_stale_run"): longest + 1})

        assert render.render_text(path.read_text(), changed) != path.read_text()

    def test_contradicting_report(self, reports: Reports):
        """A report that contradicts a record's words fails the rendering."""
        path = _record("0004")
        recovered = _with_study(
            reports, {("by_scenario", "pod-churn", "naive-cache", "stale_at_quiescence"): 0}
        )

        with pytest.raises(CheckError, match="naive cache stays stale"):
            render.render_text(path.read_text(), recovered)

    def test_inline_value(self, reports: Reports):
        """A marker in the middle of a sentence gets the bare figure, formatted."""
        hooks = reports.study.summary["live"]["hooks"]
        text = "Hooks: <!-- figures:value summary/live/hooks --><!-- /figures -->."

        assert render.render_text(text, reports) == (
            f"Hooks: <!-- figures:value summary/live/hooks -->{hooks:,}<!-- /figures -->."
        )

    def test_block_inside_sentence(self, reports: Reports):
        """A table cannot be rendered in the middle of a sentence."""
        text = "See <!-- figures:negotiation --><!-- /figures --> here."

        with pytest.raises(render.MarkerError, match="own line"):
            render.render_text(text, reports)

    def test_unknown_figure(self, reports: Reports):
        """A marker naming no figure is an error, not an empty block."""
        with pytest.raises(render.MarkerError, match="no figure named"):
            render.render_text("<!-- figures:nothing -->\n<!-- /figures -->\n", reports)


class TestReportsMatchTheirJson:
    """The committed reports are what their templates render from the committed JSON."""

    @pytest.mark.parametrize("template", sorted(render.TEMPLATES.glob("*.md")), ids=_name)
    def test_report_matches(self, template: Path, reports: Reports):
        """``reports/NAME.md`` is the template rendered from ``study.json`` and ``costs.json``."""
        (text,) = render.rendered([template], reports).values()
        expected = render.strip_markers(text)

        assert (ROOT / "reports" / template.name).read_text() == expected, (
            f"reports/{template.name} is stale: run `python -m reporting`"
        )


class TestCostFigures:
    """Cost tables come from ``costs.json`` when it is there, and say so when it is not."""

    def test_no_costs(self, reports: Reports):
        """Without ``costs.json`` every cost table asks for ``nox -s bench``."""
        guide = render.DOCS / "choosing-a-backend.md"
        without = Reports(reports.study, None)

        rendered = render.render_text(guide.read_text(), without)

        assert "`reports/costs.json` is not there yet" in rendered

    def test_guide_figures(self, reports: Reports):
        """The guide's cost table shows each backend at 1, 100 and 1000 relations."""
        guide = render.DOCS / "choosing-a-backend.md"
        costs = _costs({("live", "update-status-read", 1000): {"time_s": 0.1234}})

        rendered = render.render_text(guide.read_text(), Reports(reports.study, costs))

        assert "`live` N=1,000" in rendered
        assert "123.40x" in rendered  # over the no-op charm's 1 ms
        assert "`reports/costs.json` is not there yet" not in rendered

    def test_live_reads_without_reading(self, reports: Reports):
        """A live update-status that makes a relation-get without reading breaks a stated fact."""
        guide = render.DOCS / "choosing-a-backend.md"
        costs = _costs(
            {("live", "update-status-no-read", 100): {"tool_calls": {"relation-get": 3}}}
        )

        with pytest.raises(CheckError, match="live update-status-no-read reads nothing"):
            render.render_text(guide.read_text(), Reports(reports.study, costs))

    @pytest.mark.parametrize("path", DOCUMENTS, ids=_name)
    def test_every_document_renders(self, path: Path, reports: Reports):
        """Every document renders from a costs report of the benchmarks' shape."""
        rendered = render.render_text(path.read_text(), Reports(reports.study, _costs()))

        assert "`reports/costs.json` is not there yet" not in rendered

    def test_stored_writes_over_a_chunk(self, reports: Reports):
        """A stored relation-changed that writes more than one chunk breaks record 0005."""
        costs = _costs({("stored", "relation-changed", 1000): {"bytes_written": 90_000}})

        with pytest.raises(CheckError, match="writes one chunk of at most 16 KiB"):
            render.render_text(_record("0005").read_text(), Reports(reports.study, costs))


class TestRecords:
    """Each decision record has the parts a reader needs."""

    def test_every_record(self):
        """Records 0001 to 0006 exist (cache, detection, order, state loss, layout, protocol)."""
        assert [record.name[:4] for record in RECORDS][:6] == [f"000{n}" for n in range(1, 7)]

    @pytest.mark.parametrize("path", RECORDS, ids=_name)
    def test_sections_in_order(self, path: Path):
        """Question, options, measurements, decision and consequences appear in that order."""
        text = path.read_text()
        positions = [text.find(section) for section in SECTIONS]

        assert -1 not in positions, f"{_name(path)} lacks {SECTIONS[positions.index(-1)]}"
        assert positions == sorted(positions)

    @pytest.mark.parametrize("path", RECORDS, ids=_name)
    def test_generated_figures(self, path: Path):
        """Every record has generated figures and names the command that produced them."""
        text = path.read_text()

        assert render.MARKER.search(text)
        assert "nox -s bench" in text


class TestProse:
    """Text written by hand holds no measurement, and its links lead somewhere."""

    @pytest.mark.parametrize("path", DOCUMENTS, ids=_name)
    def test_no_typed_measurement(self, path: Path):
        """Outside generated figures no decimal, percentage or ratio is typed by hand."""
        typed = re.findall(r"\d+\.\d+|\d+ ?%|\d+(?:\.\d+)?x\b", _prose(path.read_text()))

        assert typed == [], f"{_name(path)}: put {typed} in a generated figure"

    @pytest.mark.parametrize("path", DOCUMENTS, ids=_name)
    def test_links(self, path: Path):
        """Every relative link points to a file or folder of the repository."""
        targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", path.read_text())
        relative = [target for target in targets if "://" not in target]

        missing = [target for target in relative if not (path.parent / target).exists()]

        assert missing == []
