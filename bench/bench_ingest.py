"""Ingestion benchmarks for the formats publishers use (not part of the test run).

    .venv/bin/python bench/bench_ingest.py            # or: make bench

1. Import cost of the parser libraries, each in a fresh interpreter (median of 7): the ones the bot
   uses (lxml, pypdf) and, when they happen to be installed, the alternatives they were chosen over.
2. Bytes → validated snapshot through ``ingest_document`` (median of 5 after a warm-up): a generated
   2 MB web page (the KFOR page of tests/documents.py padded with prose and small tables) and a
   generated 20-page placemat PDF; for each, the extraction alone too.
3. Oversized or hostile bodies, to show that parsing stays linear: 2 MB of news prose (a figure
   every 20 lines), of digits in one "figure" (as text and inside an HTML cell), of prose with a
   nation and a figure on every line (21,000 of them), the same as one line, and of placemat pairs
   on one line.
No figure here is asserted anywhere; the README quotes them.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core.models import Source  # noqa: E402
from bot.core.reports import ReportMeta  # noqa: E402
from bot.sources.datafiles import load_registry  # noqa: E402
from bot.sources.documents import html_tables, ingest_document, pdf_text  # noqa: E402
from tests.documents import padded_page, placemat_pdf  # noqa: E402

META = ReportMeta(source=Source(title="bench", publisher="bench"))
USED = ("lxml.html", "pypdf")
ALTERNATIVES = ("selectolax.lexbor", "html5lib", "bs4", "pypdfium2", "pdfminer.high_level")


def _median_ms(fn: Callable[[], object], repeat: int = 5) -> tuple[float, float]:
    fn()  # warm-up: imports, regex compilation
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), max(samples)


def _import_ms(module: str, repeat: int = 7) -> float | None:
    code = f"import time; t = time.perf_counter(); import {module}; print((time.perf_counter() - t) * 1000)"
    samples = []
    for _ in range(repeat):
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
        if run.returncode != 0:
            return None
        samples.append(float(run.stdout))
    return statistics.median(samples)


def bench_imports() -> None:
    print("import cost, fresh interpreter (median of 7):")
    for module in (*USED, *ALTERNATIVES):
        ms = _import_ms(module)
        label = "used" if module in USED else "alternative"
        print(f"  {module:<22} {f'{ms:6.1f} ms' if ms is not None else 'not installed':>13}   ({label})")


def bench_documents() -> None:
    registry = load_registry(ROOT / "data")
    page = padded_page(2 * 1024 * 1024)
    pdf = placemat_pdf(pages=20)
    print("bytes → snapshot through ingest_document (median of 5, max):")
    for label, data, name, extract in (
        (f"HTML page, {len(page) / 1e6:.1f} MB", page, "kfor.html", lambda: html_tables(page.decode())),
        (f"placemat PDF, 20 pages, {len(pdf) / 1e3:.0f} kB", pdf, "placemat.pdf", lambda: pdf_text(pdf)),
    ):
        result = ingest_document(data, META, registry, name=name)
        assert result.snapshot is not None, [i.describe() for i in result.errors]
        median, worst = _median_ms(lambda d=data, n=name: ingest_document(d, META, registry, name=n))
        only, _ = _median_ms(extract)
        print(f"  {label:<34} {median:7.1f} ms  (max {worst:6.1f})   extraction alone {only:7.1f} ms")


def bench_hostile() -> None:
    registry = load_registry(ROOT / "data")
    prose = "KFOR was established in 1999 under a United Nations mandate and Italy leads with 1,258 troops. "
    news = "The mission patrols the north; officials met in Pristina on Tuesday to review the situation.\n"
    bodies = {
        "2 MB of news, a figure per 20 lines": ((news * 19 + prose + "\n") * 1_050).encode(),
        "2 MB of digits as a figure (text)": b"Italy: " + b"7" * 2_000_000,
        "2 MB of digits in an HTML cell": b"<table><tr><td>Italy</td><td>" + b"7" * 2_000_000 + b"</td></tr></table>",
        "2 MB of prose, a figure per line": (prose.strip() + "\n").encode() * 21_000,
        "2 MB of prose on one line": prose.encode() * 21_000,
        "2 MB of 'Albania 13 ' pairs": b"Albania 13 " * 190_000,
    }
    print("oversized or hostile bodies (median of 3): read or refused, in linear time")
    for label, data in bodies.items():
        result = ingest_document(data, META, registry, name="report.txt")
        outcome = "read" if result.ok else f"refused: {result.errors[0].code}"
        median, _ = _median_ms(lambda d=data: ingest_document(d, META, registry, name="report.txt"), repeat=3)
        print(f"  {label:<36} {len(data) / 1e6:4.1f} MB {median:8.1f} ms   {outcome}")


if __name__ == "__main__":
    bench_imports()
    bench_documents()
    bench_hostile()
