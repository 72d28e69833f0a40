"""Top-N reports as publishers write them (CSV, text, HTML), with one real change inside: Germany 269 → 310.

Shared by the tests that hold every transport (``kfor-bot check``, the console's watch, the bot in
SimCord) to the same rule: a list of the largest contingents is partial, announces Germany's real
change, and never announces the nine nations it leaves out as departures.
"""

from __future__ import annotations

from tests.conftest import SEED_FIGURES

#: The 20 largest contingents of the seed list, Germany's figure changed.
TOP_20 = dict(list(dict(SEED_FIGURES, Germany=310).items())[:20])
LEFT_OUT = [nation for nation in SEED_FIGURES if nation not in TOP_20]


def top_20_csv() -> bytes:
    """No wording, no total: partial by its shape (it stops where the smallest contingents begin)."""
    return ("nation,troops\n" + "".join(f"{n},{t}\n" for n, t in TOP_20.items())).encode()


def top_20_text() -> bytes:
    """A stated total above its rows: partial by its own account."""
    rows = "".join(f"{n}: {t:,}\n" for n, t in TOP_20.items())
    return f"KFOR troop contributions, June 2025\nTotal: 4,727 troops\n\n{rows}".encode()


def top_20_html() -> bytes:
    """A heading that says so: "Top 20 contributing nations"."""
    rows = "".join(f"<tr><td>{n}</td><td>{t:,}</td></tr>" for n, t in TOP_20.items())
    return (
        "<!doctype html><html><body><h2>KFOR: Top 20 contributing nations</h2>"
        f"<table><tr><th>Nation</th><th>Troops</th></tr>{rows}</table></body></html>"
    ).encode()


#: (body, content type, what the digest says the report covered)
TOP_20_REPORTS = {
    "csv": (top_20_csv, "text/csv", "20 of 29 nations listed; no total stated"),
    "text": (top_20_text, "text/plain", "20 of 29 nations listed; stated total 4,727 troops"),
    "html": (top_20_html, "text/html", "20 of 29 nations listed; no total stated"),
}
