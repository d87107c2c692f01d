"""The ``kg`` command: thin wrappers over the library, one command per pipeline job.

Errors about input files go to stderr, one line per file (``path: problem``), and
never stop the other files from being built.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from kg import __version__
from kg.cli_graph import register as register_graph_commands
from kg.cli_remote import push
from kg.cli_sparql import query, serve

DEFAULT_INPUT = "data/articles"


def _echo_problems(problems) -> None:
    for p in problems:
        click.echo(f"warning: {p}", err=True)


def _load(paths: tuple[str, ...]):
    from kg.ingest import read_paths

    articles, problems = read_paths([Path(p) for p in paths])
    _echo_problems(problems)
    return articles, problems


def _extract_all(articles, progress: bool = True):
    from rich.progress import Progress

    from kg.extract.pipeline import extract

    out = []
    show = progress and sys.stderr.isatty() and len(articles) > 20
    if not show:
        return [extract(a) for a in articles]
    with Progress(transient=True) as bar:
        task = bar.add_task("extracting", total=len(articles))
        for a in articles:
            out.append(extract(a))
            bar.advance(task)
    return out


@click.group()
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """regionkg: a knowledge graph of Chinese regional development strategies from news."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("-o", "--out", "out_dir", default="out", show_default=True,
              type=click.Path(file_okay=False), help="Folder for the outputs.")
@click.option("--format", "formats", multiple=True, default=("turtle",), show_default=True,
              type=click.Choice(["turtle", "nt", "jsonld"]),
              help="Serialisations to write (repeat for several).")
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation.")
@click.option("--no-page", is_flag=True, help="Do not write the HTML page (regionkg.html).")
@click.option("--store", "store_dir", type=click.Path(file_okay=False),
              help="Also load the graph into this Oxigraph store directory (replaced).")
@click.option("-j", "--jobs", default=0, type=click.IntRange(0),
              help="Worker processes for extraction [default: 0, one per CPU]. "
                   "The output is the same for any number.")
@click.option("--cache", "cache_dir", type=click.Path(file_okay=False),
              help="Per-file results, keyed by content hash, re-used by the next build "
                   "[default: OUT/.cache].")
@click.option("--shards", "shard_dir", type=click.Path(file_okay=False),
              help="Also write one N-Triples shard per input file into this folder "
                   "(replaced), for bulk loading into a triple store.")
def build(paths: tuple[str, ...], out_dir: str, formats: tuple[str, ...],
          no_validate: bool, no_page: bool, store_dir: str | None, jobs: int,
          cache_dir: str | None, shard_dir: str | None) -> None:
    """Build the knowledge graph of PATHS (default: data/articles) into OUT/regionkg.ttl."""
    import os

    from kg.buildout import build_corpus
    from kg.store import StoreError

    t0 = time.perf_counter()
    try:
        outcome = build_corpus(list(paths or (DEFAULT_INPUT,)), Path(out_dir),
                               formats=tuple(dict.fromkeys(formats)), validate=not no_validate,
                               store_dir=Path(store_dir) if store_dir else None,
                               jobs=jobs or os.cpu_count() or 1,
                               cache_dir=Path(cache_dir) if cache_dir else None,
                               shard_dir=Path(shard_dir) if shard_dir else None,
                               page=not no_page)
    except (StoreError, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc
    for line in outcome.problems + outcome.warnings:
        click.echo(f"warning: {line}", err=True)
    if not outcome.articles:
        raise click.ClickException("no articles to build (see the warnings above)")
    for v in outcome.violations[:50]:
        click.echo(f"shacl: {v}", err=True)
    _summary(outcome, time.perf_counter() - t0)
    if not outcome.conforms:
        raise SystemExit(1)


def _summary(outcome, seconds: float) -> None:
    stats = outcome.stats
    click.echo(f"articles: {outcome.articles}  (input problems: {len(outcome.problems)})")
    click.echo("entities: " + ", ".join(f"{k} {v}" for k, v in outcome.classes.items()
                                        if k != "Article"))
    click.echo(f"triples: {outcome.triples}")
    click.echo(f"files: {stats.files}  (extracted {stats.built}, from cache {stats.reused})")
    if outcome.patched is not None:
        click.echo(f"patched the previous build: {outcome.patched} subjects changed")
    if outcome.validated.startswith("not"):
        click.echo("shacl: " + outcome.validated)
    else:
        verdict = "conforms" if outcome.conforms else "VIOLATIONS (see above)"
        click.echo(f"shacl: {verdict}  ({outcome.validated})")
    for path in outcome.written:
        click.echo(f"wrote {path}")
    click.echo(f"time: {seconds:.1f}s")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", default="table", show_default=True,
              type=click.Choice(["json", "table"]))
def extract(paths: tuple[str, ...], fmt: str) -> None:
    """Print what the extractor finds in PATHS (JSON in the shape of the gold files)."""
    from kg.report import report

    articles, _ = _load(paths)
    data = report(_extract_all(articles, progress=False))
    if fmt == "json":
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    for art in data["articles"]:
        click.echo(f"# {art['title']}  ({art['source']})")
        for kind in ("regions", "strategies", "programs", "measures"):
            labels = [x["label"] for x in art[kind]]
            click.echo(f"  {kind}: {'、'.join(labels)}")
        for p in art["partnerships"]:
            click.echo(f"  partnership: {' — '.join(p['members'])} ({p['kind']}, {p['since']})")
        for i in art["indicators"]:
            click.echo(f"  indicator: {i['subject']} {i['what']} {i['value']} {i['unit']}"
                       f" ({i['year']})")


@main.command(name="eval")
@click.option("--gold", required=True, type=click.Path(exists=True),
              help="A gold file, or a folder of single-article gold files (scored file by file).")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--report", "report_file", type=click.Path(exists=True, dir_okay=False),
              help="Score a saved report (kg extract --format json) instead of extracting PATHS.")
@click.option("--format", "fmt", default="table", show_default=True,
              type=click.Choice(["json", "table"]))
@click.option("--details", is_flag=True, help="List the misses and false positives.")
def eval_(gold: str, paths: tuple[str, ...], report_file: str | None, fmt: str,
          details: bool) -> None:
    """Score the extraction of PATHS against a gold annotation (precision, recall, F1)."""
    from kg import evaluate
    from kg.report import report

    if report_file:
        data = json.loads(Path(report_file).read_text(encoding="utf-8"))
    elif paths:
        articles, _ = _load(paths)
        data = report(_extract_all(articles, progress=False))
    else:
        raise click.UsageError("give PATHS to extract, or --report FILE")
    if Path(gold).is_dir():
        scores = evaluate.score_folder(data, gold)
    else:
        scores = evaluate.score(data, evaluate.load_gold(gold))
    if fmt == "json":
        click.echo(json.dumps(scores.as_dict(details=details), ensure_ascii=False, indent=1))
        return
    click.echo(evaluate.format_table(scores))
    if details:
        click.echo(evaluate.format_details(scores))


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
def validate(file: str) -> None:
    """Check a Turtle file against the SHACL shapes and list the violations."""
    from rdflib import Graph

    from kg.rdf.validate import validate as run

    graph = Graph()
    try:
        graph.parse(file, format="turtle")
    except Exception as exc:  # rdflib raises several parser types
        raise click.ClickException(f"{file}: not valid Turtle: {exc}") from exc
    report = run(graph)
    for v in report.violations:
        click.echo(str(v))
    verdict = "conforms" if report.conforms else f"{len(report.violations)} violations"
    click.echo(f"{file}: {verdict}")
    if not report.conforms:
        raise SystemExit(1)


# Commands that live in their own modules: SPARQL, triple stores, the network page.
for _command in (push, query, serve):
    main.add_command(_command)
register_graph_commands(main)


if __name__ == "__main__":
    main()
