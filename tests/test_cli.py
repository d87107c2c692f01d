"""The kg command as a user runs it: build, extract, eval, validate, and bad input."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import main

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "articles"
GOLD = ROOT / "tests" / "data" / "gold.json"


def run(*args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert run(name, "--help").exit_code == 0
        assert f"kg {name}" in readme, name


def test_build_writes_valid_turtle(tmp_path):
    result = run("build", str(SEED), "-o", str(tmp_path), "--format", "turtle", "--format", "nt")
    assert result.exit_code == 0, result.output
    assert "shacl: conforms" in result.output
    assert (tmp_path / "regionkg.ttl").read_text(encoding="utf-8").startswith("@prefix")
    assert (tmp_path / "regionkg.nt").exists()
    assert run("validate", str(tmp_path / "regionkg.ttl")).exit_code == 0


def test_bad_inputs_are_reported_and_the_rest_is_built(tmp_path):
    good = tmp_path / "in" / "good.md"
    good.parent.mkdir()
    good.write_text("---\ntitle: 川渝合作\n---\n\n重庆市与四川省共同发布行动方案。\n",
                    encoding="utf-8")
    (tmp_path / "in" / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "in" / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0binary")
    bad = tmp_path / "in" / "bad.jsonl"
    bad.write_text('{"title": "x", "text": "浙江省"}\n{oops\n', encoding="utf-8")
    missing = tmp_path / "nowhere"
    result = CliRunner().invoke(
        main, ["build", str(tmp_path / "in"), str(missing), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output + result.stderr
    err = result.stderr
    assert "empty.txt" in err and "image.txt" in err and "bad.jsonl" in err and "nowhere" in err
    assert "articles: 2" in result.output
    ttl = (tmp_path / "out" / "regionkg.ttl").read_text(encoding="utf-8")
    assert "川渝合作" in ttl


def test_extract_json_has_the_gold_shape():
    result = run("extract", str(SEED), "--format", "json")
    data = json.loads(result.output)
    assert len(data["articles"]) == 6
    first = data["articles"][0]
    for key in ("title", "regions", "strategies", "programs", "measures", "partnerships",
                "indicators"):
        assert key in first
    ev = first["partnerships"][0]["evidence"]
    assert first["text"][ev["start"]:ev["end"]] == ev["quote"]


def test_eval_prints_scores(tmp_path):
    result = run("eval", "--gold", str(GOLD), str(SEED), "--format", "json")
    scores = json.loads(result.output)
    assert scores["overall"]["f1"] > 0.5
    saved = tmp_path / "report.json"
    saved.write_text(run("extract", str(SEED), "--format", "json").output, encoding="utf-8")
    again = json.loads(run("eval", "--gold", str(GOLD), "--report", str(saved),
                           "--format", "json").output)
    assert again == scores


@pytest.mark.parametrize("seed", ["0", "12345"])
def test_build_is_byte_identical_across_hash_seeds(tmp_path, seed):
    env = dict(os.environ, PYTHONHASHSEED=seed)
    out = tmp_path / seed
    subprocess.run([sys.executable, "-m", "kg.cli", "build", str(SEED), "-o", str(out)],
                   check=True, env=env, capture_output=True)
    reference = tmp_path / "ref"
    if not reference.exists():
        subprocess.run([sys.executable, "-m", "kg.cli", "build", str(SEED), "-o", str(reference)],
                       check=True, env=dict(os.environ, PYTHONHASHSEED="987"),
                       capture_output=True)
    assert (out / "regionkg.ttl").read_bytes() == (reference / "regionkg.ttl").read_bytes()
