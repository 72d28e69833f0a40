"""Header lines publishers really write: total troops and nation count, in four languages."""

from __future__ import annotations

import pytest

from bot.core.reports.headers import Header, read_header


@pytest.mark.parametrize(
    ("line", "header"),
    [
        ("Total: 4,686    Troop Contributing Nations: 29", Header(4686, 29)),
        ("Total: 4,686", Header(4686, None)),
        ("Troop Contributing Nations: 29", Header(None, 29)),
        ("4,686 troops from 29 nations", Header(4686, 29)),
        ("Total troops: 4,686 from 29 nations", Header(4686, 29)),
        ("KFOR Total Strength: 4,273", Header(4273, None)),
        ("**Total: 4 686 troops · TCNs: 29**", Header(4686, 29)),
        ("Gesamtstärke: 4.686 Soldaten aus 29 Nationen", Header(4686, 29)),
        ("Effectif total : 4 686 militaires de 29 pays", Header(4686, 29)),
        ("Totale: 4.686 militari da 29 nazioni", Header(4686, 29)),
    ],
)
def test_header_lines_are_read_whole(line: str, header: Header) -> None:
    assert read_header(line) == header


@pytest.mark.parametrize(
    "line", ["Italy 1,258", "The total rose to 4,686 last year.", "Total", "KFOR was established in 1999", ""]
)
def test_anything_else_is_no_header(line: str) -> None:
    assert read_header(line) is None
