"""Benchmark 2, export: writing the Turtle of the corpus graph against pyoxigraph.

``python benchmarks/bench_export.py [--n 20000] [--quick]``

Ours: the Turtle writer of ``kg build`` for large graphs (:func:`kg.rdf.turtle.turtle_lines`
streamed through :func:`kg.rdf.export.write_atomic`) from the merged, sorted N-Triples of
the N-article build. Baseline: pyoxigraph parsing the same N-Triples file and serialising
the same triples as Turtle into a file in one call. Best of three each.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph as ox
from common import WORK, best_of, finish, full_build, result_record

from kg.rdf.export import write_atomic
from kg.rdf.turtle import _VOCABULARIES, turtle_lines

NAME = "export"
TARGET = 2.0
BASELINE = "pyoxigraph.serialize of the same triples (Turtle)"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, help="articles (default 20000; 1000 with --quick)")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    n = args.n or (1000 if args.quick else 20000)
    build = full_build(n)
    nt = Path(build["nt"])
    ours_path, base_path = WORK / "export-ours.ttl", WORK / "export-oxigraph.ttl"

    def ours() -> None:
        with open(nt, encoding="utf-8", newline="\n") as lines:
            write_atomic(ours_path, turtle_lines(lines))

    def baseline() -> None:
        triples = ox.parse(path=str(nt), format=ox.RdfFormat.N_TRIPLES)
        ox.serialize(triples, str(base_path), ox.RdfFormat.TURTLE, prefixes=_VOCABULARIES)

    t_base, _ = best_of(baseline, args.repeat)
    t_ours, _ = best_of(ours, args.repeat)
    figures = {"articles": n, "triples": build["triples"],
               "ntriples_mib": round(nt.stat().st_size / 2**20, 1),
               "turtle_mib": round(ours_path.stat().st_size / 2**20, 1),
               "ours_seconds": round(t_ours, 2), "pyoxigraph_seconds": round(t_base, 2),
               "triples_per_second": round(build["triples"] / t_ours),
               "same_bytes_as_pyoxigraph": ours_path.read_bytes() == base_path.read_bytes()}
    for path in (ours_path, base_path):
        path.unlink(missing_ok=True)
    record = result_record(NAME, t_ours / t_base, TARGET, BASELINE, figures)
    print(f"{build['triples']} triples: ours {t_ours:.1f} s, pyoxigraph {t_base:.1f} s")
    return finish(record)


if __name__ == "__main__":
    raise SystemExit(main())
