"""Benchmark 3, queries: the query library on the corpus store, against pyoxigraph and rdflib.

``python benchmarks/bench_queries.py [--n 20000] [--rdflib-n 2000] [--quick]``

Ours: every query of ``queries/`` with its default parameters through ``kg.query.run`` on
the Oxigraph store that ``kg build --store`` wrote (what ``kg query --store`` runs: the
parameters bound as VALUES, every row turned into rdflib terms). Baseline 1: the same
query text, with the same VALUES block, run directly with ``pyoxigraph.Store.query`` on
that store and its rows read. Per query ratio ours/pyoxigraph, target ≤ 2; the record's
ratio is the worst query.

Baseline 2: rdflib's default in-memory ``Graph`` running the same suite. rdflib parses
about 30,000 triples a second and slows down badly on joins, so it runs on the graph of a
smaller corpus (``--rdflib-n``) and ours is timed on that same graph's store; the suite
ratio ours/rdflib (target ≤ 0.05) is in the figures. rdflib's parse time is not counted.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
from common import best_of, finish, full_build, result_record

from kg.query import bind_params, library, run, with_values
from kg.store import open_store

NAME = "queries"
TARGET = 2.0
BASELINE = "the same queries run directly in pyoxigraph on the same store"
RDFLIB_TARGET = 0.05


def direct(store, text: str) -> int:
    result = store.query(text)
    if isinstance(result, ox.QueryBoolean):
        return 1
    return sum(1 for _ in result)


def suite(source, repeat: int) -> dict[str, tuple[float, int]]:
    """Best time and row count of every library query on ``source`` through kg.query.run."""
    out = {}
    for name, query in sorted(library().items()):
        seconds, res = best_of(lambda q=query: run(q, source), repeat)
        out[name] = (seconds, len(res.rows))
    return out


def _timed(query, graph, box) -> None:
    start = time.perf_counter()
    rows = len(run(query, graph).rows)
    box.put((time.perf_counter() - start, rows))


def rdflib_suite(graph, cap: float) -> dict[str, tuple[float, int]]:
    """Each library query on an rdflib graph in a forked child (which shares the parsed
    graph), stopped after ``cap`` seconds: a query still running then counts as ``cap``
    and -1 rows, so the rdflib figures are lower bounds."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    out = {}
    for name, query in sorted(library().items()):
        box = ctx.Queue()
        child = ctx.Process(target=_timed, args=(query, graph, box))
        child.start()
        child.join(cap)
        if child.is_alive():
            child.terminate()
            child.join()
            out[name] = (cap, -1)
        else:
            out[name] = box.get()
    return out


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, help="articles (default 20000; 1000 with --quick)")
    ap.add_argument("--rdflib-n", type=int, help="articles for the rdflib comparison "
                    "(default 1000; 200 with --quick)")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--cap", type=float, help="seconds allowed per rdflib query "
                    "(default 10; 5 with --quick)")
    args = ap.parse_args(argv)
    n = args.n or (1000 if args.quick else 20000)
    rn = args.rdflib_n or (200 if args.quick else 1000)
    build = full_build(n)
    store = open_store(Path(build["store"]))
    per_query = {}
    worst = 0.0
    ours_total = base_total = 0.0
    for name, (t_ours, rows) in suite(store, args.repeat).items():
        query = library()[name]
        text = with_values(query.text, bind_params(query, {}))
        t_base, _ = best_of(lambda t=text, s=store: direct(s, t), args.repeat)
        ratio = t_ours / t_base if t_base > 0 else 1.0
        worst = max(worst, ratio)
        ours_total += t_ours
        base_total += t_base
        per_query[name] = {"rows": rows, "ours_seconds": round(t_ours, 4),
                           "pyoxigraph_seconds": round(t_base, 4), "ratio": round(ratio, 2)}
        print(f"{name:<34}{rows:>7} rows  ours {t_ours:8.3f} s  pyoxigraph {t_base:8.3f} s  "
              f"×{ratio:.2f}")

    small = full_build(rn)
    from rdflib import Graph

    graph = Graph()
    start = time.perf_counter()
    graph.parse(small["nt"], format="nt")
    parse_seconds = time.perf_counter() - start
    on_rdflib = rdflib_suite(graph, args.cap or (5.0 if args.quick else 10.0))
    del graph
    small_store = open_store(Path(small["store"]))
    on_store = suite(small_store, args.repeat)
    rdflib_total = sum(t for t, _ in on_rdflib.values())
    store_total = sum(t for t, _ in on_store.values())
    same_rows = all(on_rdflib[q][1] in (-1, on_store[q][1]) for q in on_rdflib)
    capped = sorted(q for q, (_, rows) in on_rdflib.items() if rows == -1)
    rdflib_ratio = store_total / rdflib_total
    print(f"rdflib on {small['triples']} triples ({rn} articles): suite {rdflib_total:.1f} s, "
          f"ours {store_total:.2f} s: ratio {rdflib_ratio:.4f} (target ≤ {RDFLIB_TARGET})")
    figures = {"articles": n, "triples": build["triples"], "queries": len(per_query),
               "suite_ours_seconds": round(ours_total, 3),
               "suite_pyoxigraph_seconds": round(base_total, 3),
               "suite_ratio_pyoxigraph": round(ours_total / base_total, 3),
               "worst_query_ratio_pyoxigraph": round(worst, 3),
               "rdflib": {"articles": rn, "triples": small["triples"],
                          "parse_seconds": round(parse_seconds, 1),
                          "suite_rdflib_seconds": round(rdflib_total, 2),
                          "suite_ours_seconds": round(store_total, 3),
                          "ratio": round(rdflib_ratio, 4), "target": RDFLIB_TARGET,
                          "same_row_counts": same_rows, "stopped_at_cap": capped,
                          "per_query_rdflib_seconds": {q: round(t, 3) for q, (t, _)
                                                       in on_rdflib.items()}},
               "per_query": per_query}
    record = result_record(NAME, worst, TARGET, BASELINE, figures)
    return finish(record)


if __name__ == "__main__":
    raise SystemExit(main())
