"""Benchmark 4, memory: peak resident memory of ``kg build`` at three corpus sizes.

``python benchmarks/bench_memory.py [--sizes 5000,10000,20000] [--quick]``

The largest size is built from scratch (the shared build of the other benchmarks:
``--jobs 2``, ``--store``, Turtle and N-Triples, validation); its peak RSS is the one the
2 GiB target applies to (the largest single process, as ``/usr/bin/time -v`` reports it).
To see how memory grows with the corpus without paying three cold builds, every size —
the first files of the corpus up to that many articles — is then built again from the
warm cache of the cold build: extraction runs per file in bounded memory, so what can grow
with the corpus is the merge, the Turtle writer, the store load and the checks, which
these warm builds run in full. Growth is "linear or better" when the peak per article
does not rise with the size. The ratio is the cold peak / 2 GiB.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
from collections.abc import Sequence
from pathlib import Path

from common import (
    KG,
    WORK,
    finish,
    full_build,
    mib,
    result_record,
    run_measured,
)

NAME = "memory"
TARGET = 1.0
LIMIT = 2 * 2**30
BASELINE = "2 GiB"


def first_files(articles_dir: Path, n: int) -> list[str]:
    """The first input files (in build order) holding at least ``n`` articles."""
    files = sorted(p for p in articles_dir.rglob("*") if p.is_file())
    chosen, total = [], 0
    for path in files:
        chosen.append(str(path))
        total += _count(path)
        if total >= n:
            break
    return chosen


def _count(path: Path) -> int:
    if path.suffix == ".jsonl":
        return sum(1 for line in path.open(encoding="utf-8") if line.strip())
    if path.suffix == ".txt":
        from kg.ingest import read_paths

        return len(read_paths([path])[0])
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", help="comma-separated article counts "
                    "(default 5000,10000,20000; 250,500,1000 with --quick)")
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    sizes = sorted(int(x) for x in (args.sizes or ("250,500,1000" if args.quick
                                                   else "5000,10000,20000")).split(","))
    cold = full_build(sizes[-1])
    articles_dir = Path(cold["articles_dir"])
    warm = {}
    for n in sizes:
        files = first_files(articles_dir, n) if n < sizes[-1] else [str(articles_dir)]
        out = WORK / f"memory-{n}"
        shutil.rmtree(out, ignore_errors=True)
        seconds, rss = run_measured([KG, "build", *files, "-o", str(out), "--cache",
                                     cold["cache"], "--store", str(out / "store"),
                                     "--format", "turtle", "--jobs", "2"])
        shutil.rmtree(out, ignore_errors=True)
        warm[str(n)] = {"files": len(files), "peak_rss_mib": mib(rss),
                        "kib_per_article": round(rss / 1024 / n, 1), "seconds": round(seconds, 1)}
        print(f"{n:>6} articles (warm cache): peak RSS {mib(rss):8.1f} MiB, {seconds:6.1f} s")
    print(f"{sizes[-1]:>6} articles (cold, {cold['triples']} triples): peak RSS "
          f"{mib(cold['peak_rss']):8.1f} MiB, {cold['seconds']:6.1f} s")
    per = [warm[str(n)]["kib_per_article"] for n in sizes]
    figures = {"cold": {"articles": sizes[-1], "triples": cold["triples"],
                        "peak_rss_mib": mib(cold["peak_rss"]), "seconds": cold["seconds"]},
               "warm": warm, "limit_mib": mib(LIMIT),
               "linear_or_better": all(b <= a * 1.1 for a, b in itertools.pairwise(per))}
    record = result_record(NAME, cold["peak_rss"] / LIMIT, TARGET, BASELINE, figures)
    return finish(record)


if __name__ == "__main__":
    raise SystemExit(main())
