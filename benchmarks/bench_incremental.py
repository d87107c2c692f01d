"""Benchmark 5, incremental: ``kg build`` after adding 10 articles, against the full build.

``python benchmarks/bench_incremental.py [--n 20000] [--add 10] [--quick]``

Baseline: the shared full build of the N-article corpus from an empty cache (``--jobs 2``,
``--store``, Turtle and N-Triples, validation). Ours: the same command with a folder of
``--add`` new articles (another seed) added to the inputs, run as a user re-runs it: into
the same output folder, store and cache (a copy of the shared build's, made before the
clock starts). Only the new files are extracted, and the previous outputs are patched
where the new articles changed the graph (kg/buildpatch.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import common  # first: puts the project and benchmarks/ on sys.path
from common import (
    WORK,
    corpus_dir,
    finish,
    full_build,
    result_record,
    run_measured,
)

NAME = "incremental"
TARGET = 0.10
BASELINE = "the full build from an empty cache"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, help="articles (default 20000; 1000 with --quick)")
    ap.add_argument("--add", type=int, default=10)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    n = args.n or (1000 if args.quick else 20000)
    build = full_build(n)
    extra = corpus_dir(args.add, seed=1) / "articles"
    folder = WORK / f"incremental-{n}"
    shutil.rmtree(folder, ignore_errors=True)
    source = Path(build["out"]).parent
    for name in ("out", "store"):  # copies: the rebuild replaces these files
        shutil.copytree(source / name, folder / name)
    # the cache's entries are never written in place (content-addressed, replaced
    # atomically), so hard links are a safe and instant copy
    shutil.copytree(source / "cache", folder / "cache", copy_function=os.link)
    os.sync()  # the copies' write-back must not run on the clock
    cmd = list(build["cmd"])
    for flag, name in (("-o", "out"), ("--store", "store"), ("--cache", "cache")):
        cmd[cmd.index(flag) + 1] = str(folder / name)
    cmd.insert(3, str(extra))
    seconds, rss = run_measured(cmd)
    shutil.rmtree(folder, ignore_errors=True)
    figures = {"articles": n, "added": args.add, "full_seconds": build["seconds"],
               "incremental_seconds": round(seconds, 2), "incremental_peak_rss_mib":
               common.mib(rss), "triples": build["triples"]}
    record = result_record(NAME, seconds / build["seconds"], TARGET, BASELINE, figures)
    print(f"{n} + {args.add} articles: rebuild {seconds:.1f} s, full build "
          f"{build['seconds']:.1f} s")
    return finish(record)


if __name__ == "__main__":
    raise SystemExit(main())
