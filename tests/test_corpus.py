"""The benchmark corpus generator (benchmarks/corpus.py): deterministic, honest, readable.

The quality benchmark trusts the generator's gold, so these tests check what makes
that trust reasonable: the same seed writes the same bytes; the gold only names what
is written (every surface is in the text ingest produces); the pages split into the
articles the generator set on them; the gold files load with the scorer's own reader
and are consistent (a report built from the gold scores 1 on every type).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg import evaluate
from kg.ingest import read_paths

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402  (a script folder, not a package)

N = 50
SEED = 11


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    corpus.write_corpus(N, out, seed=SEED, pages=0.4, jsonl=0.3)
    return out


@pytest.fixture(scope="module")
def read(generated) -> dict[str, list]:
    """Articles as ingest reads them, grouped by file stem (the scorer's pairing)."""
    articles, problems = read_paths([generated / "articles"])
    assert problems == []
    by_stem: dict[str, list] = {}
    for a in articles:
        by_stem.setdefault(Path(a.source).stem, []).append(a)
    return by_stem


def _gold_articles(path: Path) -> list[dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["articles"] if "articles" in data else [data]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes(tmp_path, generated):
    again = tmp_path / "again"
    corpus.write_corpus(N, again, seed=SEED, pages=0.4, jsonl=0.3)
    assert _files(again) == _files(generated)


def test_the_script_is_deterministic_across_processes(tmp_path):
    """String hashing differs per process; nothing may depend on it."""
    outs = []
    for hashseed in ("1", "2"):
        out = tmp_path / f"run{hashseed}"
        proc = subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "corpus.py"), "20", "-o", str(out),
             "--seed", "5"],
            capture_output=True, text=True, timeout=120, check=False,
            env={**os.environ, "PYTHONHASHSEED": hashseed})
        assert proc.returncode == 0, proc.stderr
        assert "wrote 20 articles" in proc.stderr
        outs.append(_files(out))
    assert outs[0] == outs[1]


def test_another_seed_another_corpus(tmp_path, generated):
    other = tmp_path / "other"
    corpus.write_corpus(N, other, seed=SEED + 1, pages=0.4, jsonl=0.3)
    assert _files(other) != _files(generated)


def test_writes_n_articles_in_every_format(generated, read):
    assert sum(len(v) for v in read.values()) == N
    suffixes = {p.suffix for p in (generated / "articles").iterdir()}
    assert suffixes == {".md", ".txt", ".jsonl"}
    manifest = json.loads((generated / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["n"] == N
    assert sum(manifest["articles"].values()) == N
    gold_stems = sorted(p.stem for p in (generated / "gold").glob("*.json"))
    assert gold_stems == sorted(read)


def test_pages_split_into_the_articles_set_on_them(generated, read):
    pages = sorted((generated / "articles").glob("*.txt"))
    assert pages
    for page in pages:
        gold = _gold_articles(generated / "gold" / f"{page.stem}.json")
        got = read[page.stem]
        assert len(got) == len(gold), page.name
        assert [evaluate.normalise_name(a.title) for a in got] == [
            evaluate.normalise_name(g["title"]) for g in gold], page.name


def test_every_gold_surface_is_in_the_text(generated, read):
    checked = 0
    for path in sorted((generated / "gold").glob("*.json")):
        for article, gold in zip(read[path.stem], _gold_articles(path), strict=True):
            text = article.text
            surfaces = [s for r in gold["regions"] for s in (r["surface"], *r["aliases"])]
            surfaces += [s["name"] for s in gold["strategies"]]
            surfaces += [a for s in gold["strategies"] for a in s["aliases"]]
            surfaces += [p["name"] for p in gold["programs"]]
            surfaces += [m["text"] for m in gold["measures"]]
            surfaces += [p["evidence"] for p in gold["partnerships"]]
            for s in surfaces:
                assert s in text, f"{path.name}: {s!r} not in the text of {article.title!r}"
                checked += 1
    assert checked > 10 * N


def test_partners_are_gold_regions(generated):
    for path in sorted((generated / "gold").glob("*.json")):
        for gold in _gold_articles(path):
            names = {r["canonical"] for r in gold["regions"]}
            for p in gold["partnerships"]:
                assert {p["a"], p["b"]} <= names, (path.name, p)


def test_gold_loads_with_the_scorer(generated):
    """Single articles (.md) get the dev shape, pages and JSON Lines files the seed shape."""
    for path in sorted((generated / "gold").glob("*.json")):
        gold = evaluate.load_gold(path)
        single = (generated / "articles" / f"{path.stem}.md").exists()
        assert gold["shape"] == ("dev" if single else "seed"), path.name
        assert gold["articles"] and all(a["regions"] for a in gold["articles"]), path.name


def _report_from_gold(generated: Path) -> dict:
    """What a perfect extractor would print for the generated files."""
    articles = []
    for path in sorted((generated / "gold").glob("*.json")):
        suffix = next(s for s in corpus.ARTICLE_EXTS
                      if (generated / "articles" / f"{path.stem}{s}").exists())
        for g in _gold_articles(path):
            articles.append({
                "title": g["title"],
                "source": f"{path.stem}{suffix}",
                "regions": [{"label": r["canonical"], "adcode": r["adcode"],
                             "alt_labels": [r["surface"], *r["aliases"]]}
                            for r in g["regions"] if not r["optional"]],
                "strategies": [{"label": s["canonical"]} for s in g["strategies"]
                               if not s["optional"]],
                "programs": [{"label": p["name"]} for p in g["programs"]
                             if not p.get("optional")],
                "measures": [{"label": m["text"]} for m in g["measures"]],
                "partnerships": [{"members": [p["a"], p["b"]]} for p in g["partnerships"]],
                "indicators": [{k: i[k] for k in ("subject", "value", "unit", "what", "year")}
                               for i in g["indicators"]],
            })
    return {"articles": articles}


def test_a_report_of_the_gold_scores_one(generated):
    scores = evaluate.score_folder(_report_from_gold(generated), generated / "gold")
    for t in evaluate.TYPES:
        c = scores.per_type[t]
        assert (c.fp, c.fn) == (0, 0), (t, scores.details()[t])
        assert c.tp > 0, t


def test_cli_refuses_a_used_folder(generated, capsys):
    assert corpus.main([str(N), "-o", str(generated)]) == 2
    err = capsys.readouterr().err
    assert "not empty" in err and str(generated / "articles") in err


def test_cli_rejects_bad_arguments(tmp_path, capsys):
    assert corpus.main(["0", "-o", str(tmp_path / "x")]) == 2
    assert "at least 1" in capsys.readouterr().err
    assert corpus.main(["5", "-o", str(tmp_path / "y"), "--pages", "1.5"]) == 2
    assert "--pages" in capsys.readouterr().err


def test_chinese_round_numbers():
    assert [corpus.cn_round(n) for n in (10, 20, 200, 2000, 3000, 500)] == [
        "十", "二十", "两百", "两千", "三千", "五百"]
