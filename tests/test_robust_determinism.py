"""Same corpus, same bytes; and a build killed half way corrupts nothing.

Determinism: the Turtle and the HTML page are byte-identical across runs in separate
processes, PYTHONHASHSEED values, and the order in which the input files are given on
the command line. Faults: `kg build` is SIGKILLed while it works; the previous outputs
are then either untouched or the complete new ones (never a partial file), and the
next run completes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "articles"


def _corpus(root: Path) -> list[Path]:
    files = {
        "a.md": "---\ntitle: 川渝合作\n---\n\n重庆市与四川省共同发布行动方案，投入资金1.8亿元。\n",
        "b.jsonl": '{"title": "婺城携手道孚", "text": "婺城区对口支援道孚县。"}\n',
        "c 空格.md": "---\ntitle: 對口支援\n---\n\n婺城區與道孚縣開展對口支援。\n",
    }
    paths = []
    for name, text in files.items():
        path = root / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return [*paths, SEED]


def _build(paths, out: Path, seed: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", *map(str, paths), "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=False,
        env=dict(os.environ, PYTHONHASHSEED=seed),
    )


def test_same_bytes_across_processes_hash_seeds_and_file_order(tmp_path):
    paths = _corpus(tmp_path)
    runs = [
        (paths, "0"),
        (list(reversed(paths)), "1"),
        ([paths[1], paths[3], paths[0], paths[2]], "random"),
    ]
    outputs = []
    for i, (order, seed) in enumerate(runs):
        out = tmp_path / f"out{i}"
        proc = _build(order, out, seed)
        assert proc.returncode == 0, proc.stderr
        outputs.append(((out / "regionkg.ttl").read_bytes(), (out / "regionkg.html").read_bytes()))
    assert all(o == outputs[0] for o in outputs[1:])


def _start(paths, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "build", *map(str, paths), "-o", str(out)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("moment", ["at once", "while writing"])
def test_build_killed_half_way_leaves_the_previous_outputs(tmp_path, moment):
    small = tmp_path / "small.md"
    small.write_text(
        "---\ntitle: 川渝合作\n---\n\n重庆市与四川省共同发布行动方案。\n", encoding="utf-8"
    )
    out = tmp_path / "out"
    assert _build([small], out, "0").returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    full = tmp_path / "full"
    assert _build([SEED], full, "0").returncode == 0
    after = {p.name: p.read_bytes() for p in full.iterdir() if p.is_file()}

    proc = _start([SEED], out)
    if moment == "while writing":  # wait until the build starts writing into out/
        while proc.poll() is None and set(os.listdir(out)) == set(before):
            pass
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    for name in before:  # each output is the old file or the complete new one
        assert (out / name).read_bytes() in (before[name], after[name]), name
    Graph().parse(out / "regionkg.ttl", format="turtle")

    assert _build([SEED], out, "0").returncode == 0
    assert (out / "regionkg.ttl").read_bytes() == after["regionkg.ttl"]
