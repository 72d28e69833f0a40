"""``kfor-bot ingest FILE``: parse and validate a report, show what the bot would make of it."""

from __future__ import annotations

import argparse
import json
import sys

from bot.briefings import formatting as fmt
from bot.briefings.model import ALERT, Briefing, BriefingField, Column, Footer, Table
from bot.briefings.render.text import show
from bot.core.models import Snapshot, Source
from bot.core.reports import IngestResult, ReportMeta
from bot.settings.lookup import DataSettings
from bot.sources.datafiles import default_meta, ingest_file, load_registry, read_meta


def _meta(args: argparse.Namespace) -> ReportMeta:
    """Sidecar meta (FILE.meta.toml) or a default, overridden by any flag given."""
    base = read_meta(args.file) or default_meta(args.file)
    source: Source = base.source.model_copy(
        update={k: v for k, v in {"title": args.title, "publisher": args.publisher, "url": args.url}.items() if v}
    )
    return ReportMeta(mission=args.mission or base.mission, as_of=args.as_of or base.as_of, source=source)


def ingest_briefing(name: str, result: IngestResult) -> Briefing:
    """The ingest result as a briefing: figures found, stated totals, every issue."""
    snapshot: Snapshot | None = result.snapshot
    notes = tuple(f"{issue.severity.value}: {issue.describe()}" for issue in result.issues)
    if snapshot is None:
        return Briefing(
            kind="ingest",
            title=f"{name}: not usable",
            colour=ALERT,
            notes=notes,
            summary=f"{len(result.errors)} error(s); nothing was stored.",
        )
    fields = (
        BriefingField(name="Listed", value=f"{fmt.troops(snapshot.total)} troops, {len(snapshot.contingents)} nations"),
        BriefingField(
            name="Stated total",
            value=fmt.troops(snapshot.stated_total) if snapshot.stated_total is not None else "not stated",
        ),
        BriefingField(
            name="Stated nations",
            value=str(snapshot.stated_nations) if snapshot.stated_nations is not None else "not stated",
        ),
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


def ingest_command(args: argparse.Namespace, settings: DataSettings) -> int:
    if not args.file.is_file():
        print(f"kfor-bot: no such file: {args.file}", file=sys.stderr)
        return 2
    result = ingest_file(args.file, load_registry(settings.data_dir), _meta(args))
    if args.json:
        for issue in result.issues:
            print(f"{args.file}: {issue.severity.value}: {issue.describe()}", file=sys.stderr)
        if result.snapshot is not None:
            sys.stdout.write(result.snapshot.to_json())
        else:
            print(
                json.dumps(
                    {
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
