"""Helpers shared by every benchmark: timing, and the one result file each writes.

Absolute times on shared two-core machines are noise, so every benchmark times a
baseline on the same input in the same run and reports ``ours / baseline`` (lower is
better) against the largest ratio allowed. The result file has one shape for all of
them, ``benchmarks/results/<name>.json``::

    {"name": ..., "ratio": ..., "target": ..., "baseline": ..., "figures": {...}}

so that the README table and CI can read any of them the same way.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"

# The benchmarks run as scripts (`.venv/bin/python benchmarks/x.py`); make the project
# and the sibling modules importable whichever directory they are started from.
for _path in (ROOT, ROOT / "benchmarks"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

T = TypeVar("T")


@contextmanager
def stopwatch() -> Iterator[dict[str, float]]:
    """``with stopwatch() as t: ...`` then ``t["seconds"]``: wall time of the block."""
    box = {"seconds": 0.0}
    start = time.perf_counter()
    try:
        yield box
    finally:
        box["seconds"] = time.perf_counter() - start


def best_of(fn: Callable[[], T], repeat: int = 1) -> tuple[float, T]:
    """Run ``fn`` ``repeat`` times; the fastest wall time and the last result.

    The minimum, not the mean: on a busy machine only the fastest run measures the
    code rather than the neighbours.
    """
    best = float("inf")
    result: Any = None
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def result_record(
    name: str, ratio: float, target: float, baseline: str, figures: dict[str, Any]
) -> dict[str, Any]:
    """The result in the shape every benchmark writes (ratio rounded to 4 places)."""
    return {
        "name": name,
        "ratio": round(float(ratio), 4),
        "target": target,
        "baseline": baseline,
        "figures": figures,
    }


def write_result(record: dict[str, Any], results: Path = RESULTS) -> Path:
    """Write ``results/<name>.json`` atomically (a half-written file never replaces a good one)."""
    results.mkdir(parents=True, exist_ok=True)
    path = results / f"{record['name']}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def verdict(record: dict[str, Any]) -> str:
    """One line for the terminal: the ratio against its target, and whether it holds."""
    ok = record["ratio"] <= record["target"]
    return (
        f"{record['name']}: ratio {record['ratio']:.3f} (target ≤ {record['target']}, "
        f"baseline: {record['baseline']}) {'OK' if ok else 'OVER TARGET'}"
    )
