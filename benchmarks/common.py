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
import shutil
import subprocess
import sys
import tempfile
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
_STARTED = time.perf_counter()


@contextmanager
def stopwatch() -> Iterator[dict[str, float]]:
    """``with stopwatch() as t: ...`` then ``t["seconds"]``: wall time of the block."""
    box = {"seconds": 0.0}
    start = time.perf_counter()
    try:
        yield box
    finally:
        box["seconds"] = time.perf_counter() - start


def best_of(fn: Callable[[], T], repeat: int = 1, enough: float = 1.0) -> tuple[float, T]:
    """Run ``fn`` up to ``repeat`` times; the fastest wall time and the last result.

    The minimum, not the mean: on a busy machine only the fastest run measures the
    code rather than the neighbours. A run longer than ``enough`` seconds is not
    repeated: noise matters for milliseconds, not for seconds.
    """
    best = float("inf")
    result: Any = None
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
        if best > enough:
            break
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


def finish(record: dict[str, Any]) -> int:
    """Print the verdict, write ``results/<name>.json``, and return the exit code 0."""
    print(verdict(record))
    print(f"wrote {write_result(record).relative_to(ROOT)} "
          f"({time.perf_counter() - _STARTED:.0f} s for this benchmark)", file=sys.stderr)
    return 0


# --- corpora and builds shared by the benchmarks ----------------------------------------------

#: Where generated corpora and builds are kept between benchmarks of one run (not in the
#: repository): ``REGIONKG_BENCH_WORK`` or a folder in the system's temporary directory.
WORK = Path(os.environ.get("REGIONKG_BENCH_WORK")
            or Path(tempfile.gettempdir()) / "regionkg-bench")
KG = str(Path(sys.executable).parent / "kg")


def corpus_dir(n: int, seed: int = 0) -> Path:
    """A generated corpus of ``n`` articles (``DIR/articles``, ``DIR/gold``), made once."""
    import corpus

    folder = WORK / f"corpus-{n}-{seed}"
    if not (folder / "manifest.json").is_file():
        corpus.write_corpus(n, folder, seed=seed, force=True)
    return folder


def run_measured(cmd: list[str]) -> tuple[float, int]:
    """Run ``cmd``; its wall time (s) and peak resident memory (bytes) of the largest of
    its processes (``wait4``'s ``ru_maxrss``, which covers the worker processes it waited
    for: the figure ``/usr/bin/time -v`` prints)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd[:6])} … failed ({proc.returncode}):\n{err[-2000:]}")
    return seconds, usage.ru_maxrss * 1024


def full_build(n: int, jobs: int = 2) -> dict[str, Any]:
    """``kg build`` of the ``n``-article corpus from scratch (fresh cache) with ``--store``
    and N-Triples, Turtle written and validation on; made once per run and shared by the
    export, queries, memory and incremental benchmarks. Returns its paths and figures."""
    folder = WORK / f"build-{n}"
    info_path = folder / "build.json"
    if info_path.is_file():
        return json.loads(info_path.read_text(encoding="utf-8"))
    articles = corpus_dir(n) / "articles"
    shutil.rmtree(folder, ignore_errors=True)
    out = folder / "out"
    cmd = [KG, "build", str(articles), "-o", str(out), "--cache", str(folder / "cache"),
           "--store", str(folder / "store"), "--format", "turtle", "--format", "nt",
           "--jobs", str(jobs)]
    seconds, rss = run_measured(cmd)
    nt = out / "regionkg.nt"
    info = {"articles": n, "jobs": jobs, "seconds": round(seconds, 2), "peak_rss": rss,
            "triples": sum(1 for _ in open(nt, "rb")), "articles_dir": str(articles),
            "out": str(out), "cache": str(folder / "cache"), "store": str(folder / "store"),
            "nt": str(nt), "ttl": str(out / "regionkg.ttl"), "cmd": cmd}
    info_path.write_text(json.dumps(info, indent=2), encoding="utf-8")
    return info


def mib(n_bytes: float) -> float:
    return round(n_bytes / 2**20, 1)
