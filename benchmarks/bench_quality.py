"""Benchmark 7, quality at scale: extraction F1 per type on generated articles.

``python benchmarks/bench_quality.py [--n 2000] [--seed 0] [--keep DIR] [--top K]``

Generates N articles with :mod:`corpus` into a temporary folder, reads them the way
``kg build`` does (``kg.ingest.read_paths``), extracts every article
(``kg.extract.pipeline.extract``), turns the result into the report that ``kg extract``
prints (``kg.report.report``) and scores it file by file against the generator's
gold (``kg.evaluate.score_folder``, the rules of ``kg eval --gold DIR``).

Why it exists: the hand-made gold covers 16 articles; thousands of generated ones show
which sentence patterns the rules miss or over-read, with counts large enough to see a
regression. The figure is only as good as the generator's gold, which is why the
baseline is named "generator gold": the ratio is 1 − overall F1 (lower is better),
against a target of 0.2 (overall F1 ≥ 0.8).

``--top K`` prints the K most frequent misses and false claims per type, digits folded
to N, so that one pattern failing a hundred times reads as one line.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import common  # first: puts the project and benchmarks/ on sys.path
import corpus
from common import result_record, stopwatch, verdict, write_result

from kg import evaluate
from kg.extract.pipeline import extract
from kg.ingest import read_paths
from kg.report import report

NAME = "quality"
TARGET = 0.2
BASELINE = "generator gold"


def measure(n: int, seed: int, folder: Path) -> tuple[evaluate.Scores, dict]:
    """Generate, extract and score; the scores and the timings (seconds) of each step."""
    times: dict = {}
    with stopwatch() as t:
        manifest = corpus.write_corpus(n, folder, seed=seed, force=True)
    times["generate"] = t["seconds"]
    with stopwatch() as t:
        articles, problems = read_paths([folder / "articles"])
        rep = report(extract(a) for a in articles)
    times["extract"] = t["seconds"]
    if problems:
        raise SystemExit("input problems in the generated corpus:\n"
                         + "\n".join(str(p) for p in problems[:10]))
    with stopwatch() as t:
        scores = evaluate.score_folder(rep, folder / "gold")
    times["score"] = t["seconds"]
    return scores, {"manifest": manifest, "seconds": times, "articles_read": len(articles)}


def frequent_errors(scores: evaluate.Scores, top: int) -> str:
    """The most frequent misses and false claims per type, numbers folded to N."""
    lines = []
    for t, dd in scores.details().items():
        for kind, label in (("fn", "MISS"), ("fp", "FALSE")):
            counts = Counter(re.sub(r"\d+(?:\.\d+)?", "N", item) for _, item in dd[kind])
            for item, k in counts.most_common(top):
                lines.append(f"{t:<13}{label:<6}{k:>5}  {item}")
    return "\n".join(lines)


def figures(scores: evaluate.Scores, n: int, seed: int, info: dict) -> dict:
    per_type = {t: scores.per_type[t].as_dict() for t in evaluate.TYPES}
    return {
        "articles": n,
        "seed": seed,
        "files": info["manifest"]["files"],
        "per_type": per_type,
        "overall": scores.overall.as_dict(),
        "seconds": {k: round(v, 2) for k, v in info["seconds"].items()},
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, help="articles to generate (default 2000; 300 --quick)")
    ap.add_argument("--quick", action="store_true", help="a smaller corpus (make bench-quick)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    ap.add_argument("--top", type=int, default=0, help="print the K most frequent errors per type")
    ap.add_argument("--no-write", action="store_true", help="do not write results/quality.json")
    args = ap.parse_args(argv)
    args.n = args.n or (300 if args.quick else 2000)
    with tempfile.TemporaryDirectory(prefix="kg-quality-") as tmp:
        folder = args.keep or Path(tmp)
        scores, info = measure(args.n, args.seed, folder)
    print(evaluate.format_table(scores))
    if args.top:
        print()
        print(frequent_errors(scores, args.top))
    overall = scores.overall.f1
    record = result_record(NAME, 1.0 - overall, TARGET, BASELINE,
                           figures(scores, args.n, args.seed, info))
    print()
    secs = info["seconds"]
    print(f"{args.n} articles: generated in {secs['generate']:.1f} s, read and extracted in "
          f"{secs['extract']:.1f} s, scored in {secs['score']:.1f} s")
    print(verdict(record))
    if not args.no_write:
        path = write_result(record)
        print(f"wrote {path.relative_to(common.ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
