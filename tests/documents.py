"""Documents as publishers make them, generated here (never downloaded, never committed as binaries).

- :func:`contributions_page`: a web page about KFOR with an infobox, a table of commanders with
  their nations and terms, prose with figures in it, and the table of contributions with flags
  (emoji and images), links around names, footnote markers (``[3]`` and ``<sup>``), a rank and a
  share column and a Total row.
- :func:`placemat_pdf`: a "KFOR Key Facts and Figures" placemat, nations and figures in a grid of
  two or three columns, one figure without a caption, drawn with reportlab.

The bench uses them too, scaled up (:func:`padded_page`, ``placemat_pdf(pages=20)``).
"""

from __future__ import annotations

import html
import io

#: The contributions table of :func:`contributions_page`: nation as written, figure as written, troops.
PAGE_ROWS: tuple[tuple[str, str, int], ...] = (
    ("Italy", "1,258", 1258),
    ("United States", "602", 602),
    ("Hungary", "365", 365),
    ("Türkiye", "325", 325),
    ("Germany", "269", 269),
    ("Poland", "247", 247),
    ("Switzerland", "211", 211),
    ("Austria", "105", 105),
    ("Albania", "90", 90),
    ("Ireland", "13", 13),
)
#: What the page's table says, by canonical nation name.
PAGE_FIGURES = {
    "Italy": 1258, "United States": 602, "Hungary": 365, "Turkey": 325, "Germany": 269, "Poland": 247,
    "Switzerland": 211, "Austria": 105, "Albania": 90, "Ireland": 13,
}  # fmt: skip
PAGE_TOTAL = sum(PAGE_FIGURES.values())  # 3,485, stated in the Total row as "3 485"

_FLAGS = {"United States": "🇺🇸", "Germany": "🇩🇪"}


def _nation_cell(name: str, index: int) -> str:
    """Flags three ways (an image with alt text, an emoji, none), a link around most names, a marker on one."""
    link = f'<a href="/wiki/{html.escape(name)}" title="{html.escape(name)}">{html.escape(name)}</a>'
    if name in _FLAGS:
        return f"{_FLAGS[name]}&nbsp;{link}"
    if index % 2 == 0:
        return f'<span class="flagicon"><img alt="Flag of {html.escape(name)}" src="/flags/{index}.svg"></span> {link}'
    if name == "Switzerland":
        return f"{link}*"
    return link


def _figure_cell(figure: str, index: int) -> str:
    """Footnotes as Wikipedia writes them (``<sup>[3]</sup>``) and as plain text (``[3]``)."""
    if index == 0:
        return f'{figure}<sup id="cite-ref-3" class="reference"><a href="#cite-note-3">[3]</a></sup>'
    if index == 1:
        return f"{figure}[3]"
    return f'<span data-sort-value="{index}">{figure}</span>'


def contributions_page(
    rows: tuple[tuple[str, str, int], ...] = PAGE_ROWS, total: str = "3 485", extra_rows: str = ""
) -> str:
    """A KFOR page: infobox, prose, commanders, then the contributions table and more prose."""
    body = "\n".join(
        f"<tr><td>{i + 1}</td><td>{_nation_cell(name, i)}</td><td>{_figure_cell(figure, i)}</td>"
        f"<td>{troops / PAGE_TOTAL:.1%}</td></tr>"
        for i, (name, figure, troops) in enumerate(rows)
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Kosovo Force – contributing nations</title></head>
<body>
<h1>Kosovo Force</h1>
<table class="infobox">
<tr><th colspan="2">Kosovo Force (KFOR)</th></tr>
<tr><th>Active</th><td>12 June 1999 – present</td></tr>
<tr><th>Size</th><td>4,686 troops</td></tr>
<tr><th>Part of</th><td>NATO</td></tr>
<tr><th>Lead nation</th><td>Italy</td></tr>
</table>
<p>The Kosovo Force is a NATO-led peacekeeping force. In 2024 Italy provided 1,258 troops and the
United States 602 soldiers; Germany announced 100 more troops.</p>
<h2>Commanders</h2>
<table class="wikitable">
<tr><th>Commander</th><th>Nation</th><th>Term</th></tr>
<tr><td>Maj. Gen. Franco Federici</td><td>Italy</td><td>2019–2020</td></tr>
<tr><td>Maj. Gen. Ferenc Kajári</td><td>Hungary</td><td>2021–2022</td></tr>
<tr><td>Maj. Gen. Angelo Michele Ristuccia</td><td>Italy</td><td>2022–2023</td></tr>
<tr><td>Maj. Gen. Özkan Ulutaş</td><td>Turkey</td><td>2023–2024</td></tr>
</table>
<h2>Contributing nations</h2>
<p>Troop contributions as of May 2024:</p>
<table class="wikitable sortable">
<thead><tr><th>#</th><th>Nation</th><th>Troops</th><th>Share</th></tr></thead>
<tbody>
{body}
{extra_rows}
</tbody>
<tfoot><tr><th colspan="2">Total</th><th>{total}</th><th>100%</th></tr></tfoot>
</table>
<h2>Notes</h2>
<ol><li id="cite-note-3">Figures from the KFOR placemat of May 2024; 30 nations in all.</li></ol>
</body>
</html>
"""


def padded_page(target_bytes: int = 2 * 1024 * 1024) -> bytes:
    """:func:`contributions_page` grown to about ``target_bytes`` with prose and small tables on both sides."""
    page = contributions_page()
    head, tail = page.split("<h2>Contributing nations</h2>", 1)
    filler = []
    size = len(page.encode())
    index = 0
    while size < target_bytes:
        index += 1
        chunk = (
            f"<table class='navbox'><tr><th>Section {index}</th><td>{index}</td></tr></table>\n"
            if index % 10 == 0
            else f"<p>Paragraph {index}: KFOR was established in 1999 under a United Nations mandate; "
            "Italy leads it with 1,258 troops and the United States sends 602.</p>\n"
        )
        filler.append(chunk)
        size += len(chunk.encode())
    half = len(filler) // 2
    return (head + "".join(filler[:half]) + "<h2>Contributing nations</h2>" + tail.replace(
        "<h2>Notes</h2>", "".join(filler[half:]) + "<h2>Notes</h2>"
    )).encode()  # fmt: skip


#: The placemat's grid, in reading order: (caption, figure); a None caption is a flag without one.
PLACEMAT_CELLS: tuple[tuple[str | None, str], ...] = (
    ("Albania", "13"),
    ("Austria", "487"),
    ("Bulgaria", "127"),
    ("Croatia", "152"),
    ("Czech Republic", "35"),
    (None, "12"),
    ("Germany", "269"),
    ("Hungary", "350"),
    ("Italy", "1,258"),
    ("Luxembourg", "23"),
    ("North Macedonia", "67"),
    ("Poland", "258"),
    ("Switzerland", "211"),
    ("Türkiye", "325"),
    ("United States", "602"),
)
PLACEMAT_FIGURES = {
    "Albania": 13, "Austria": 487, "Bulgaria": 127, "Croatia": 152, "Czech Republic": 35, "Germany": 269,
    "Hungary": 350, "Italy": 1258, "Luxembourg": 23, "North Macedonia": 67, "Poland": 258, "Switzerland": 211,
    "Turkey": 325, "United States": 602,
}  # fmt: skip
PLACEMAT_UNATTRIBUTED = (12,)
PLACEMAT_TOTAL = 4273
PLACEMAT_NATIONS = 30


def placemat_pdf(
    cells: tuple[tuple[str | None, str], ...] = PLACEMAT_CELLS,
    *,
    columns: int = 3,
    pages: int = 1,
    dated: str | None = "As of 1 May 2024",
    made: str | None = None,
) -> bytes:
    """A placemat: title, date, stated total and nations, then the grid (caption above figure), page numbers.

    ``dated=None`` leaves the date line out; ``made`` (``D:20250615…``) is then the metadata's ModDate.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=True)  # invariant: the same bytes on every run
    width, height = A4
    cell_width = (width - 100) / columns
    for page in range(1, pages + 1):
        pdf.setFont("Helvetica-Bold", 18)
        pdf.drawString(50, height - 60, "KFOR Key Facts and Figures")
        pdf.setFont("Helvetica", 10)
        if dated:
            pdf.drawString(50, height - 80, dated)
        pdf.drawString(50, height - 100, f"Total: {PLACEMAT_TOTAL:,} troops")
        pdf.drawString(300, height - 100, f"Troop Contributing Nations: {PLACEMAT_NATIONS}")
        for index, (caption, figure) in enumerate(cells):
            column, row = index % columns, index // columns
            x = 50 + column * cell_width
            y = height - 150 - row * 60
            pdf.rect(x, y + 14, 24, 16)  # the flag: a drawing, no text
            if caption is not None:
                pdf.drawString(x, y, caption)
            pdf.drawString(x, y - 14, figure)
        pdf.drawString(width / 2, 30, str(page))
        pdf.showPage()
    pdf.save()
    if made is None:
        return buffer.getvalue()
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(buffer.getvalue())))
    writer.add_metadata({"/ModDate": made})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
