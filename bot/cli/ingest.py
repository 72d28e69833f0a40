"""``kfor-bot ingest FILE``: parse and validate a report, show what the bot would make of it.

The report may be a PDF placemat, an HTML page, JSON, CSV or text in any usual encoding; the output
says which of these it was read as, so "no table on the page" is not mistaken for "no nations".
"""

from __future__ import annotations

import argparse
import json
import sys

from pydantic import ValidationError

from bot.briefings import formatting as fmt
from bot.briefings.model import ALERT, Briefing, BriefingField, Column, Footer, Table
from bot.briefings.render.text import show
from bot.core.errors import UserError
from bot.core.models import Snapshot, Source
from bot.core.reports import IngestResult, ReportMeta
from bot.core.validation import problems_of
from bot.settings import Settings
from bot.sources.datafiles import default_meta, ingest_file, load_registry, read_meta


def _meta(args: argparse.Namespace, settings: Settings) -> ReportMeta:
    """Sidecar meta (FILE.meta.toml) or a default, overridden by any flag given; all the sidecar says
    (coverage, stated figures, unattributed figures) is kept, and the configured plausibility cap applies."""
    base = read_meta(args.file) or default_meta(args.file)
    flags = {"title": args.title, "publisher": args.publisher, "url": args.url}
    try:
        source: Source = base.source.replace(**{k: v for k, v in flags.items() if v})
        return base.replace(mission=args.mission or base.mission, as_of=args.as_of or base.as_of, source=source,
                            max_troops=settings.max_troops)  # fmt: skip
    except ValidationError as exc:  # a flag that breaks a rule ("as_of: must be YYYY-MM …"): name the flag
        problem = problems_of(exc)[0]
        raise UserError(f"--{str(problem.loc[-1]).replace('_', '-')}: {problem.message}") from None


def format_label(result: IngestResult) -> str:
    """What the report was read as: ``pdf``, ``html``, … or ``unknown`` when it could not be read at all."""
    return result.format.value if result.format is not None else "unknown"


def ingest_briefing(name: str, result: IngestResult) -> Briefing:
    """The ingest result as a briefing: the format read, figures found, stated totals, every issue."""
    snapshot: Snapshot | None = result.snapshot
    notes = tuple(f"{issue.severity.value}: {issue.describe()}" for issue in result.issues)
    read_as = BriefingField(name="Format", value=format_label(result))
    if snapshot is None:
        return Briefing(
            kind="ingest",
            title=f"{name}: not usable",
            colour=ALERT,
            notes=notes,
            summary=f"{len(result.errors)} error(s); nothing was stored.",
            fields=(read_as,),
        )
    unattributed = (
        ()
        if not snapshot.unattributed
        else (
            BriefingField(
                name="Unattributed",
                value=f"{fmt.troops(sum(snapshot.unattributed))} troops in {len(snapshot.unattributed)} "
                "figure(s) with no nation",
            ),
        )
    )
    fields = (
        read_as,
        BriefingField(name="Listed", value=f"{fmt.troops(snapshot.total)} troops, {len(snapshot.contingents)} nations"),
        BriefingField(
            name="Stated total",
            value=fmt.troops(snapshot.stated_total) if snapshot.stated_total is not None else "not stated",
        ),
        BriefingField(
            name="Stated nations",
            value=str(snapshot.stated_nations) if snapshot.stated_nations is not None else "not stated",
        ),
        *unattributed,
    )
    return Briefing(
        kind="ingest",
        title=f"{name}: {snapshot.mission} as of {snapshot.as_of_label}",
        summary=f"{len(result.warnings)} warning(s), no errors.",
        fields=fields,
        table=Table(
            columns=(Column(header="Nation"), Column(header="Troops", align="right")),
            rows=tuple((c.nation, fmt.troops(c.troops)) for c in snapshot.contingents),
        ),
        notes=notes,
        footer=Footer(source=snapshot.source.citation(), as_of=snapshot.as_of_label),
    )


def ingest_command(args: argparse.Namespace, settings: Settings) -> int:
    if not args.file.is_file():
        print(f"kfor-bot: no such file: {args.file}", file=sys.stderr)
        return 2
    size = args.file.stat().st_size
    if size > settings.http_max_bytes:  # one cap for every report, read from a file or over HTTP
        print(f"kfor-bot: {args.file.name} is {size:,} bytes, over the {settings.http_max_bytes:,}-byte cap "
              "for a report (KFOR_HTTP_MAX_BYTES)", file=sys.stderr)  # fmt: skip
        return 1
    result = ingest_file(args.file, load_registry(settings.data_dir), _meta(args, settings))
    if args.json:
        # stdout stays a snapshot document (it is redirected into data/snapshots/); what the report was
        # read as goes to stderr with the issues, and into the error document ("report_format") otherwise.
        print(f"{args.file}: format: {format_label(result)}", file=sys.stderr)
        for issue in result.issues:
            print(f"{args.file}: {issue.severity.value}: {issue.describe()}", file=sys.stderr)
        if result.snapshot is not None:
            sys.stdout.write(result.snapshot.to_json())
        else:
            print(
                json.dumps(
                    {
                        "report_format": format_label(result),
                        "errors": [i.as_dict() for i in result.errors],
                        "warnings": [i.as_dict() for i in result.warnings],
                    },
                    indent=2,
                    ensure_ascii=False,
                )
            )
    else:
        show(ingest_briefing(args.file.name, result))
    return 0 if result.ok else 1
