"""Benchmark 1, build throughput: ``kg build`` of generated articles against jieba.

``python benchmarks/bench_build.py [--n 2000] [--quick]``

Ours: ``kg build`` from scratch (empty cache) of N generated articles — ingest,
extraction, RDF, merge, Turtle and the page written, validation — as a user runs it (one
worker per core: two here), and with ``--jobs 1``. Baseline: ``jieba.lcut`` over the text
of every article, in one process, dictionary loaded beforehand: the cheapest thing a user
would do with the text at all. The ratio is the default command / jieba; the one-process
ratio and the speed-up of the workers are in the figures.

The jieba figure leaves out what jieba needs before it segments (importing it, loading
its dictionary) while ``kg build`` is timed from its start. The figures also give jieba
timed the way ``kg build`` is: a script run as a process, from start to exit, that reads
every input file and segments it (``jieba_script_seconds``), and the ratio to that.

Two more figures say where the time goes: ``kg build --no-page`` (the stages the issue
names: ingest, extraction, RDF, Turtle written, and validation), and the extractor alone
(``kg.extract.pipeline.extract`` over the same articles in one process, timed like
jieba), the one stage no build can skip.
"""

from __future__ import annotations

import argparse
import os
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


def extract_seconds(articles_dir) -> float:
    """Time of extracting every article, read beforehand, in this process (like jieba)."""
    import time

    from kg.extract.pipeline import extract

    articles, _ = read_paths([articles_dir])
    extract(articles[0])  # the vocabularies and the gazetteer load once, like jieba's
    start = time.perf_counter()
    for article in articles:
        extract(article)
    return time.perf_counter() - start


JIEBA_SCRIPT = """
import sys
from pathlib import Path

import jieba

jieba.setLogLevel(60)
for path in sorted(Path(sys.argv[1]).rglob("*")):
    if path.is_file():
        jieba.lcut(path.read_text(encoding="utf-8"))
"""


def jieba_script_seconds(articles_dir) -> float:
    """jieba as a user's script runs it: process start to exit, reading every file."""
    import sys

    return run_measured([sys.executable, "-c", JIEBA_SCRIPT, str(articles_dir)])[0]


def ours(articles_dir, jobs: int | None, *options: str) -> tuple[float, int]:
    """``kg build`` with ``--jobs jobs`` (None: the default, one worker per core)."""
    out = WORK / f"bench-build-j{jobs}"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [KG, "build", str(articles_dir), "-o", str(out), *options]
    try:
        return run_measured(cmd + (["--jobs", str(jobs)] if jobs else []))
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
    script = jieba_script_seconds(articles_dir)
    cores = os.cpu_count() or 1
    default, rss = ours(articles_dir, None)
    one, rss1 = ours(articles_dir, 1)
    no_page, _ = ours(articles_dir, None, "--no-page")
    alone = extract_seconds(articles_dir)
    figures = {"articles": n, "characters": chars, "jieba_words": words, "cores": cores,
               "jieba_seconds": round(base, 2), "jieba_script_seconds": round(script, 2),
               "ratio_vs_jieba_script": round(default / script, 3),
               "kg_build_seconds": round(default, 2),
               "kg_build_jobs1_seconds": round(one, 2),
               "speedup_of_workers": round(one / default, 2),
               "ratio_jobs1_vs_jieba": round(one / base, 3),
               "kg_build_no_page_seconds": round(no_page, 2),
               "ratio_no_page_vs_jieba": round(no_page / base, 3),
               "extract_seconds": round(alone, 2),
               "ratio_extraction_vs_jieba": round(alone / base, 3),
               "articles_per_second": round(n / default, 1),
               "peak_rss_mib": mib(rss), "peak_rss_mib_jobs1": mib(rss1)}
    record = result_record(NAME, default / base, TARGET, BASELINE, figures)
    print(f"{n} articles ({chars} characters): jieba {base:.1f} s (as a script: {script:.1f} s); "
          f"kg build {default:.1f} s "
          f"({cores} workers), --jobs 1 {one:.1f} s (speed-up {one / default:.2f}), "
          f"--no-page {no_page:.1f} s; extraction alone {alone:.1f} s")
    return finish(record)


if __name__ == "__main__":
    raise SystemExit(main())
