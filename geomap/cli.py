"""The ``geomap`` command line: parses arguments and calls the library; nothing else.

Exit status: 0 success, 1 the job ran but something failed (bad documents, unresolved names with
--strict, an unknown name), 2 usage or input errors that stopped the job.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geomap.errors import GeomapError, InputError
from geomap.extraction.budget import DEFAULT_SECONDS as DEFAULT_DOC_SECONDS
from geomap.model import PLACE_KINDS

if TYPE_CHECKING:
    from geomap.pipeline.run import ExtractResult

log = logging.getLogger("geomap")

Handler = Callable[[argparse.Namespace], int]


# -- handlers: each parses nothing, calls the library, returns an exit status --------------------


def _near(args: argparse.Namespace) -> str | tuple[float, float] | None:
    if not args.near:
        return None
    parts = args.near.split(",")
    if len(parts) == 2:
        try:
            return float(parts[0]), float(parts[1])
        except ValueError:
            pass
    return str(args.near)


def _cmd_resolve(args: argparse.Namespace) -> int:
    import json

    from geomap.gazetteer.geocoder import candidate_record
    from geomap.gazetteer.store import Gazetteer

    gaz = Gazetteer.load(args.gazetteer)
    found = gaz.lookup(args.name, near=_near(args), kinds=args.kinds, limit=args.limit)
    records = [candidate_record(c) for c in found]
    if not records and args.online:
        from geomap.gazetteer.geocoder import online_lookup

        records = online_lookup(args.name, limit=args.limit)
    if args.json:
        print(json.dumps(records, ensure_ascii=False, indent=1))
    elif records:
        print(f"{'score':>5}  {'id':<12} {'kind':<13} {'name':<32} {'lat':>9} {'lon':>9}  parent")
        for r in records:
            print(
                f"{r['score']:>5.2f}  {r['id']:<12} {r['kind']:<13} {r['name'][:32]:<32} "
                f"{r['lat']:>9.5f} {r['lon']:>9.5f}  {r['parent']}"
            )
            print(f"       why: {r['reason']}; source: {r['source']}")
    if not records:
        print(
            f"geomap resolve: no place named {args.name!r} in the gazetteer"
            + ("" if args.online else " (try --online)"),
            file=sys.stderr,
        )
        return 1
    return 0


def _cmd_gazetteer(args: argparse.Namespace) -> int:
    from geomap.gazetteer import validate as gazetteer_tools

    action = args.gazetteer_command
    if action == "build":
        from geomap.gazetteer.build import build_gazetteer

        for path in build_gazetteer(args.reference, args.out):
            print(f"wrote {path}")
        return 0
    if action == "stats":
        print(gazetteer_tools.stats_text(gazetteer_tools.stats(args.gazetteer)))
        return 0
    problems = gazetteer_tools.validate(args.gazetteer)
    for p in problems:
        print(p)
    print(f"{len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


def _published(args: argparse.Namespace) -> date | None:
    from geomap.pipeline.corpus import parse_published

    if not args.published:
        return None
    return parse_published(args.published, path="--published", line=None)


def _writable_dir(out: Path) -> None:
    """Make sure ``out`` is a directory geomap can write in, before any work is done: create
    it, write a probe file (synced, so a full disk shows now) and remove it."""
    import os

    from geomap.errors import InputError

    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise InputError(
            "is a file, not a directory: give --out a directory", path=str(out)
        ) from None
    except OSError as exc:
        raise InputError(
            f"cannot create the output directory ({exc.strerror or exc})", path=str(out)
        ) from None
    probe = out / f".geomap-probe-{os.getpid()}"
    try:
        try:
            with open(probe, "wb") as fh:
                fh.write(b"\0" * 65536)
                fh.flush()
                os.fsync(fh.fileno())
        finally:
            probe.unlink(missing_ok=True)
    except OSError as exc:
        raise InputError(
            f"cannot write in the output directory ({exc.strerror or exc})", path=str(out)
        ) from None


def _has_articles(corpus: Path, *, recursive: bool) -> None:
    """An empty corpus, or a folder with no ``.txt`` file, is an input error (exit 2)."""
    from geomap.pipeline.corpus import list_articles

    if not list_articles(corpus, recursive=recursive):
        raise InputError(
            "no .txt article here" + ("" if recursive else " (--recursive reads subfolders)"),
            path=str(corpus),
        )


class _Progress:
    """A progress bar of the documents done (tqdm, to stderr), only on a terminal and not
    with ``-q``; a no-op otherwise."""

    def __init__(self, args: argparse.Namespace, step: str) -> None:
        self.bar: Any = None
        if sys.stderr.isatty() and not getattr(args, "quiet", 0):
            from tqdm import tqdm

            self.bar = tqdm(desc=step, unit=" documents", file=sys.stderr, leave=False)

    def __call__(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _extract(args: argparse.Namespace, out: Path) -> ExtractResult:
    from geomap.pipeline.corpus import reading
    from geomap.pipeline.run import run_extract
    from geomap.writing import output_run

    _writable_dir(out)
    _has_articles(args.corpus, recursive=args.recursive)
    bar = _Progress(args, "extracting")
    with (
        reading(follow_links=args.follow_links, recursive=args.recursive),
        output_run(out, "extract"),  # removes a killed run's temporary files first
    ):
        result = run_extract(
            args.corpus,
            out,
            published=_published(args),
            gazetteer_dir=args.gazetteer,
            use_cache=not getattr(args, "no_cache", False),
            engine=getattr(args, "engine", "serial"),
            scheduler=getattr(args, "scheduler", None),
            progress=bar,
            doc_timeout=getattr(args, "doc_timeout", DEFAULT_DOC_SECONDS) or None,
        )
    bar.close()
    return result


def _cmd_extract(args: argparse.Namespace) -> int:
    from geomap.pipeline.run import summary

    result = _extract(args, args.out)
    print(summary(result), file=sys.stderr)
    return 1 if result.failed else 0


def _cmd_maps(args: argparse.Namespace) -> int:
    from geomap.render.maps import write_maps

    if not (args.extract_dir / "events.geojson").is_file():
        print(
            f"geomap maps: {args.extract_dir}/events.geojson not found (run geomap extract)",
            file=sys.stderr,
        )
        return 2
    result = write_maps(
        args.extract_dir,
        args.out,
        png=not args.no_png,
        gazetteer_dir=args.gazetteer,
        days=args.days,
        by=args.by,
    )
    print(f"wrote {len(result.files)} files to {args.out}", file=sys.stderr)
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from geomap.render.check import summary, write_check

    result = _extract(args, args.out)
    files = write_check(result, args.out, gazetteer_dir=args.gazetteer)
    print(summary(result), file=sys.stderr)
    print(f"wrote {', '.join(str(f) for f in files)}", file=sys.stderr)
    if result.failed:
        return 1
    if args.strict and any(m.status in ("unresolved", "ambiguous") for m in result.mentions):
        return 1
    if args.strict and _correction_problems(args):
        return 1
    return 0


def _correction_problems(args: argparse.Namespace) -> int:
    """How many corrections were ignored (unknown place, repeated): warned at load time."""
    from geomap.extraction.places.corrections import correction_problems
    from geomap.gazetteer.store import Gazetteer
    from geomap.pipeline.run import default_corrections_path

    path = default_corrections_path(args.gazetteer)
    if path is None:
        return 0
    n = len(correction_problems(path, gazetteer=Gazetteer.load(args.gazetteer)))
    if n:
        print(f"geomap check: --strict: {n} correction(s) ignored (see above)", file=sys.stderr)
    return n


def _cmd_eval(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from geomap.evaluation.compare import compare, report_table
    from geomap.evaluation.score import evaluate

    report = evaluate(args.pred_dir, args.gold, corpus=args.corpus)
    if args.json not in (None, "-"):
        Path(args.json).write_text(report.to_json() + "\n", encoding="utf-8")
    if args.compare is not None:
        print(compare(args.compare, asdict(report)))
    elif args.json == "-":
        print(report.to_json())
    else:
        print(report_table(report, articles=not args.summary))
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    from geomap.pipeline.run import summary

    date_from, date_to = _period(args)  # a bad period is said before the long work
    result = _extract(args, args.out)
    print(summary(result), file=sys.stderr)
    status = 1 if result.failed else 0
    try:
        from geomap.render.maps import write_maps
    except ImportError:
        log.warning("maps are not available in this version")
    else:
        write_maps(
            args.out,
            args.out,
            png=not args.no_png,
            gazetteer_dir=args.gazetteer,
            days=args.days,
            by=args.by,
        )
    try:
        from geomap.render.check import write_check
    except ImportError:
        log.warning("the check page is not available in this version")
    else:
        write_check(result, args.out / "check", gazetteer_dir=args.gazetteer)
    try:
        from geomap.render.report import write_report
    except ImportError:
        pass
    else:
        write_report(
            args.out,
            args.out / "report",
            drawn=args.out,  # the maps drawn above: copied, not drawn again
            png=not args.no_png,
            gazetteer_dir=args.gazetteer,
            title=args.title,
            date_from=date_from,
            date_to=date_to,
        )
    return status


def _period(args: argparse.Namespace) -> tuple[date | None, date | None]:
    """``--from`` and ``--to`` as dates; ``--from`` after ``--to`` is an input error."""
    from geomap.errors import InputError
    from geomap.pipeline.corpus import parse_date

    start = parse_date(args.date_from, path="--from", line=None) if args.date_from else None
    end = parse_date(args.date_to, path="--to", line=None) if args.date_to else None
    if start is not None and end is not None and start > end:
        raise InputError(f"--from {start} is after --to {end}: the period is empty")
    return start, end


def _cmd_report(args: argparse.Namespace) -> int:
    from geomap.render.report import write_report

    date_from, date_to = _period(args)
    source = args.source
    if not (source / "events.geojson").is_file():  # a corpus: extract it first, beside the report
        from geomap.pipeline.run import run_extract, summary

        source = args.out / "extract"
        result = run_extract(args.source, source, gazetteer_dir=args.gazetteer)
        print(summary(result), file=sys.stderr)
    files = write_report(
        source,
        args.out,
        title=args.title,
        gazetteer_dir=args.gazetteer,
        date_from=date_from,
        date_to=date_to,
    )
    print(f"wrote {', '.join(str(f) for f in files)}", file=sys.stderr)
    return 0


# -- parser -------------------------------------------------------------------------------------


def _day_list(text: str) -> list[str]:
    """``--days 2016-09-23,2016-09-24``: ISO dates, checked."""
    from datetime import date

    try:
        return [date.fromisoformat(d.strip()).isoformat() for d in text.split(",") if d.strip()]
    except ValueError as exc:
        msg = f"--days takes YYYY-MM-DD[,YYYY-MM-DD...]: {exc}"
        raise argparse.ArgumentTypeError(msg) from None


def map_args(sp: argparse.ArgumentParser) -> None:
    """The options of the maps a day (``maps``, ``build``)."""
    g = sp.add_mutually_exclusive_group()
    g.add_argument(
        "--days",
        type=_day_list,
        metavar="DAY[,DAY...]",
        help="write a map of its own for these days only (default: every day up to 60 days, "
        "none beyond)",
    )
    g.add_argument(
        "--by",
        choices=("day", "week", "month"),
        help="write a map of its own for every day, week or month",
    )


def report_args(sp: argparse.ArgumentParser) -> None:
    """The options of the situation report (``report``, ``build``)."""
    sp.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="first day reported")
    sp.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="last day reported")
    sp.add_argument("--title", help="the report's title (default: Situation report)")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="geomap",
        description="News reports of the Syrian war to dated, placed, merged events and maps.",
    )
    p.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    p.add_argument("-q", "--quiet", action="count", default=0, help="less log output")
    p.add_argument(
        "--gazetteer",
        type=Path,
        default=None,
        help="gazetteer directory (default: the bundled one)",
    )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    r = sub.add_parser("resolve", help="resolve a place name with the gazetteer")
    r.add_argument("name", help="the place name to look up")
    r.add_argument("--near", help="a place name or id, or LAT,LON, to rank candidates by context")
    r.add_argument(
        "--kind",
        action="append",
        dest="kinds",
        choices=PLACE_KINDS,
        metavar="KIND",
        help=f"only these kinds (repeatable): {', '.join(PLACE_KINDS)}",
    )
    r.add_argument("--limit", type=int, default=5, help="how many candidates (default 5)")
    r.add_argument("--json", action="store_true", help="print a JSON array, best first")
    r.add_argument(
        "--online",
        action="store_true",
        help="fall back to Nominatim (geopy, cached, rate-limited) for unknown names",
    )
    r.set_defaults(func=_cmd_resolve)

    g = sub.add_parser("gazetteer", help="build, inspect and validate the gazetteer")
    gsub = g.add_subparsers(dest="gazetteer_command", required=True, metavar="ACTION")
    gb = gsub.add_parser("build", help="rebuild gazetteer/ from the reference data")
    gb.add_argument(
        "--reference",
        type=Path,
        default=Path("../shared/reference"),
        help="the reference sources (default ../shared/reference)",
    )
    gb.add_argument(
        "--out", type=Path, default=Path("gazetteer"), help="where to write (default gazetteer/)"
    )
    gsub.add_parser("stats", help="counts by kind and city")
    gsub.add_parser("validate", help="check every entry; problems with file and line")
    g.set_defaults(func=_cmd_gazetteer)

    def corpus_args(sp: argparse.ArgumentParser) -> None:
        sp.add_argument(
            "corpus", type=Path, help="a directory of .txt articles (+ manifest.csv) or .txt files"
        )
        sp.add_argument("--out", type=Path, required=True, help="output directory")
        sp.add_argument(
            "--published", help="publication date YYYY-MM-DD for files without a manifest row"
        )
        sp.add_argument(
            "--recursive", action="store_true", help="also read the articles in subfolders"
        )
        sp.add_argument(
            "--follow-links",
            action="store_true",
            help="read symbolic links that lead out of the corpus directory (refused by default)",
        )
        sp.add_argument(
            "--doc-timeout",
            type=float,
            default=DEFAULT_DOC_SECONDS,
            metavar="SECONDS",
            help="a document that takes longer is reported as failed and skipped "
            f"(default {DEFAULT_DOC_SECONDS:g}; 0: no limit)",
        )

    e = sub.add_parser("extract", help="extract mentions and events from a corpus")
    corpus_args(e)
    e.add_argument(
        "--engine",
        choices=("serial", "dask"),
        default="serial",
        help="serial (default), or dask: a local cluster or --scheduler",
    )
    e.add_argument("--scheduler", help="address of a running Dask scheduler (with --engine dask)")
    e.add_argument("--no-cache", action="store_true", help="ignore and do not write the cache")
    e.set_defaults(func=_cmd_extract)

    m = sub.add_parser("maps", help="draw maps from an extract directory")
    m.add_argument("extract_dir", type=Path, help="a folder geomap extract wrote (events.geojson)")
    m.add_argument("--out", type=Path, required=True, help="output directory")
    m.add_argument(
        "--no-png", action="store_true", help="skip the PNG pictures (no browser needed)"
    )
    map_args(m)
    m.set_defaults(func=_cmd_maps)

    c = sub.add_parser("check", help="check location resolution: check.csv and check.html")
    corpus_args(c)
    c.add_argument(
        "--strict", action="store_true", help="exit 1 when any mention is unresolved or ambiguous"
    )
    c.set_defaults(func=_cmd_check)

    v = sub.add_parser("eval", help="score an extraction against gold annotations")
    v.add_argument("pred_dir", type=Path, help="a folder geomap extract wrote")
    v.add_argument(
        "--gold", type=Path, required=True, help="a gold folder (places, mentions, events CSV)"
    )
    v.add_argument(
        "--json",
        nargs="?",
        const="-",
        metavar="FILE",
        help="write the evaluation as JSON to FILE (alone: print it instead of the table)",
    )
    v.add_argument("--compare", type=Path, metavar="PREV.json", help="show gains and losses")
    v.add_argument("--summary", action="store_true", help="figures only, no per-article list")
    v.add_argument("--corpus", type=Path, help="the articles (to score mentions and sentences)")
    v.set_defaults(func=_cmd_eval)

    b = sub.add_parser("build", help="extract + maps + check (+ report) for a corpus")
    corpus_args(b)
    b.add_argument(
        "--no-png", action="store_true", help="no PNG pictures and no PDF (no browser needed)"
    )
    map_args(b)
    report_args(b)
    b.set_defaults(func=_cmd_build)

    rp = sub.add_parser("report", help="a situation report (HTML, Markdown, PDF) with the maps")
    rp.add_argument("source", type=Path, help="a corpus or an extract directory")
    rp.add_argument("--out", type=Path, required=True, help="output directory")
    report_args(rp)
    rp.set_defaults(func=_cmd_report)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.WARNING - 10 * args.verbose + 10 * args.quiet
    logging.basicConfig(
        level=max(logging.DEBUG, min(level, logging.CRITICAL)), format="%(levelname)s: %(message)s"
    )
    try:
        status: int = args.func(args)
    except GeomapError as exc:
        print(f"geomap: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return 0
    except OSError as exc:  # a missing input, a full disk, a read-only output...
        from geomap.errors import safe

        where = f"{safe(exc.filename)}: " if exc.filename else ""
        print(f"geomap: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("geomap: interrupted", file=sys.stderr)
        return 130
    return status


if __name__ == "__main__":
    sys.exit(main())
