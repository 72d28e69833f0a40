"""scripts/build_history.py: the shipped data is exactly what the project's ingestion makes of the public tables."""

from __future__ import annotations

import csv
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.briefings import formatting as fmt
from bot.core.models import Coverage
from bot.sources.datafiles import load_dataset
from tests.conftest import CONFIG, DATA, ROOT

HISTORY = ROOT.parent / "shared" / "data" / "kfor-history"
SCRIPT = ROOT / "scripts" / "build_history.py"
needs_history = pytest.mark.skipif(not HISTORY.is_dir(), reason="shared/data/kfor-history is not beside the project")


def _script():
    spec = importlib.util.spec_from_file_location("build_history", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_history", module)  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


@needs_history
def test_shipped_data_equals_a_rebuild(tmp_path: Path) -> None:
    """Running the script on the shared tables rewrites every data file byte for byte."""
    out = tmp_path / "data"
    (out / "sources").mkdir(parents=True)
    for name in ("kfor-2025-02-news-report.txt", "kfor-2025-02-news-report.meta.toml"):
        (out / "sources" / name).write_bytes((DATA / "sources" / name).read_bytes())
    subprocess.run([sys.executable, str(SCRIPT), "--history", str(HISTORY), "--data", str(out)],  # noqa: S603
                   check=True, capture_output=True, cwd=ROOT)  # fmt: skip
    for folder in ("snapshots/kfor", "sources/kfor-history"):
        built = {p.name: p.read_text() for p in (out / folder).iterdir()}
        shipped = {p.name: p.read_text() for p in (DATA / folder).iterdir()}
        assert built == shipped, folder


@needs_history
def test_every_stated_figure_is_one_the_source_states() -> None:
    """No invented figure: each stated total, nation count and unattributed figure is in the source's description."""
    with (HISTORY / "sources.csv").open(encoding="utf-8") as handle:
        descriptions = {row["source_id"]: row["title"] for row in csv.DictReader(handle)}
    readme = (HISTORY / "README.md").read_text(encoding="utf-8")
    for source_id, provenance in _script().PROVENANCE.items():
        text = descriptions[source_id] + "\n" + "\n".join(line for line in readme.splitlines() if source_id[:7] in line)
        numbers = {int(n.replace(",", "").replace(".", "")) for n in re.findall(r"\d{1,3}(?:[,.]\d{3})+|\d+", text)}
        stated = [provenance.stated_total, provenance.stated_nations, *provenance.unattributed]
        assert all(figure in numbers for figure in stated if figure is not None), (source_id, stated)


def test_coverage_of_the_shipped_snapshots() -> None:
    """The three complete lists, the partial ones and the Factbook estimates, as the tables describe them."""
    catalog = load_dataset(DATA, CONFIG).catalog
    assert [catalog.label(s) for s in catalog.complete] == ["2023-10", "2024-01", "2025-02"]
    by_key = {s.key: s for s in catalog}
    placemat = by_key["2017-02/docslib-org"]
    assert placemat.coverage is Coverage.PARTIAL and placemat.unattributed == (252, 303, 1, 675)
    assert (placemat.stated_total, placemat.stated_nations, placemat.total) == (4273, 30, 3042)
    (euronews,) = by_key["2009-09/de-euronews-com"].contingents
    assert fmt.figure(euronews.troops, approx=euronews.approx) == "≈2,350"
    assert by_key["2009-09/de-euronews-com"].stated_total_approx
    estimates = [s for s in catalog if s.coverage is Coverage.ESTIMATE]
    assert len(estimates) == 7 and all("Factbook" in s.source.publisher for s in estimates)
