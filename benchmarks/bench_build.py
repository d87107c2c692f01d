"""Benchmark 1, build throughput: ``kg build`` of generated articles against jieba.

``python benchmarks/bench_build.py [--n 2000] [--quick]``

Ours: ``kg build`` from scratch (empty cache) of N generated articles — ingest,
extraction, RDF, merge, Turtle written, validation — in one process (``--jobs 1``) and in
two (``--jobs 2``, this machine's cores). Baseline: ``jieba.lcut`` over the text of every
article, in one process, dictionary loaded beforehand: the cheapest thing a user would do
with the text at all. The ratio is ``--jobs 1`` / jieba (one core each); the two-process
figure is reported as the speed-up of ``--jobs``.
"""

from __future__ import annotations

import argparse
import shutil
from collections.abc import Sequence

from common import KG, WORK, corpus_dir, finish, mib, result_record, run_measured

from kg.ingest import read_paths

NAME = "build"
TARGET = 1.0
BASELINE = "jieba.lcut over every article (1 process)"


def jieba_seconds(articles_dir) -> tuple[float, int, int]:
    """Time of segmenting every article's text with jieba; the words and characters."""
    import time

    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    articles, _ = read_paths([articles_dir])
    texts = [f"{a.title}\n{a.text}" for a in articles]
    start = time.perf_counter()
    words = sum(len(jieba.lcut(t)) for t in texts)
    return time.perf_counter() - start, words, sum(len(t) for t in texts)


def ours(articles_dir, jobs: int) -> tuple[float, int]:
    out = WORK / f"bench-build-j{jobs}"
    shutil.rmtree(out, ignore_errors=True)
    try:
        return run_measured([KG, "build", str(articles_dir), "-o", str(out), "--jobs", str(jobs)])
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, help="articles (default 2000; 300 with --quick)")
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    n = args.n or (300 if args.quick else 2000)
    articles_dir = corpus_dir(n) / "articles"
    base, words, chars = jieba_seconds(articles_dir)
    one, rss1 = ours(articles_dir, 1)
    two, rss2 = ours(articles_dir, 2)
    figures = {"articles": n, "characters": chars, "jieba_words": words,
               "jieba_seconds": round(base, 2), "kg_build_jobs1_seconds": round(one, 2),
               "kg_build_jobs2_seconds": round(two, 2), "speedup_jobs2": round(one / two, 2),
               "ratio_jobs2_vs_jieba": round(two / base, 3),
               "articles_per_second_jobs1": round(n / one, 1),
               "peak_rss_mib_jobs1": mib(rss1), "peak_rss_mib_jobs2": mib(rss2)}
    record = result_record(NAME, one / base, TARGET, BASELINE, figures)
    print(f"{n} articles ({chars} characters): jieba {base:.1f} s; kg build --jobs 1 "
          f"{one:.1f} s, --jobs 2 {two:.1f} s (speed-up {one / two:.2f})")
    return finish(record)


if __name__ == "__main__":
    raise SystemExit(main())
