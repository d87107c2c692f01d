"""Bad input through `kg build`: the exact warning a user sees, and no good article lost.

Every case puts one kind of bad (or odd) input into a folder beside two good articles,
runs ``kg build`` on the folder, and checks (1) the ``warning: PATH: message`` lines on
stderr, word for word, and (2) that the graph holds every good article, by title, and
nothing else but what the odd file itself still gave.
"""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import as_nobody
from rdflib import Graph
from rdflib.namespace import RDF

from kg.cli import main
from kg.rdf.ns import RKG, SCHEMA

GOOD = {
    "good-1.md": ("川渝合作", "---\ntitle: 川渝合作\n---\n\n重庆市与四川省共同发布行动方案。\n"),
    "good-2.jsonl": (
        "婺城携手道孚",
        '{"title": "婺城携手道孚", "text": "浙江省金华市婺城区对口支援四川省道孚县。"}\n',
    ),
}
ART = "婺城携手道孚\n\n2021年以来，浙江省金华市婺城区与四川省甘孜藏族自治州道孚县开展对口支援。\n"
ART_TITLE = "婺城携手道孚"


def _zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "正文")
    return buf.getvalue()


def _png() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"


def _write(root: Path, name: str, data: bytes | str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def _huge(root: Path) -> list[str]:
    """A 50 MB page, written in blocks so the test itself stays small in memory."""
    path = root / "huge.txt"
    block = ("一" * 40 + "。\n") * 1000
    with path.open("w", encoding="utf-8") as fh:
        for _ in range(50 * 1024 * 1024 // len(block.encode()) + 1):
            fh.write(block)
    size = path.stat().st_size / 1024 / 1024
    return [
        f"{path}: file too large ({size:.1f} MB, the limit is 10 MB); split it into smaller files"
    ]


def _loop(root: Path) -> list[str]:
    (root / "sub").mkdir()
    (root / "sub" / "back").symlink_to(root, target_is_directory=True)
    return [f"{root / 'sub' / 'back'}: symbolic link to a folder already read (loop?), skipped"]


def _broken_link(root: Path) -> list[str]:
    (root / "gone.md").symlink_to(root / "missing.md")
    return [f"{root / 'gone.md'}: broken symbolic link"]


def _twice(root: Path) -> list[str]:
    line = '{"title": "重复", "text": "甲省发布方案。"}\n'
    path = _write(root, "twice.jsonl", line * 2)
    return [f"{path}: same article as in {path} (重复); built once"]


# name -> (make(root) -> expected warnings, titles the odd input adds to the graph)
Case = tuple[Callable[[Path], list[str]], list[str]]


def _file(name: str, data: bytes | str, *messages: str) -> Callable[[Path], list[str]]:
    def make(root: Path) -> list[str]:
        path = _write(root, name, data)
        return [f"{path}: {m}" for m in messages]

    return make


CASES: dict[str, Case] = {
    "empty file": (_file("empty.txt", b"", "empty file"), []),
    "white space only": (
        _file("blank.md", " \n\t\r\n\u3000\n", "empty file (white space only)"),
        [],
    ),
    "PNG image": (_file("image.txt", _png(), "not a text file (binary content: PNG image)"), []),
    "zip archive": (
        _file(
            "archive.md", _zip(), "not a text file (binary content: ZIP archive or Office document)"
        ),
        [],
    ),
    "control characters": (
        _file("ctl.txt", b"abc\x01\x02def", "not a text file (binary content: control characters)"),
        [],
    ),
    "truncated UTF-8": (
        _file(
            "cut.txt",
            ART.encode()[:-2],
            "truncated UTF-8 sequence at end of file (2 byte(s) dropped); the rest was read",
        ),
        [ART_TITLE],
    ),
    "GB18030": (_file("gb.txt", ART.encode("gb18030")), [ART_TITLE]),
    "UTF-16 with BOM": (_file("u16.txt", ART.encode("utf-16")), [ART_TITLE]),
    "UTF-16 without BOM": (_file("u16le.txt", ART.encode("utf-16-le")), [ART_TITLE]),
    "Big5 (not guessed)": (
        _file(
            "big5.txt",
            "婺城攜手道孚\n\n兩地開展對口支援工作。\n".encode("big5"),
            "cannot decode: not UTF-8, GB18030 or UTF-16",
        ),
        [],
    ),
    "Traditional and Simplified mixed": (
        _file(
            "trad.md",
            "---\ntitle: 婺城攜手道孚\n---\n\n浙江省金華市婺城區與四川省道孚縣開展對口支援。"
            "两地共同落实乡村振兴战略。\n",
        ),
        ["婺城攜手道孚"],
    ),
    "50 MB page": (_huge, []),
    "no title": (
        _file("notitle.md", "两地共同实施帮扶项目，成效显著。婺城区派出干部人才。\n"),
        ["两地共同实施帮扶项目，成效显著"],
    ),
    "all headlines": (
        _file(
            "heads.txt",
            "区域动态\n\n广东举办合作交流系列活动\n\n自贸试验区联动发展\n",
            "no article text found (only headings or credits)",
        ),
        [],
    ),
    "JSONL bad lines": (
        _file(
            "feed.jsonl",
            '{"title": "甲省发布方案", "text": "甲省日前发布方案。"}\n'
            '{"title": "坏行", "text": "没有闭合"\n'
            '{"title": "无正文"}\n'
            '{"title": 42, "text": "乙市推进项目建设。"}\n',
            "line 2: invalid JSON (Expecting ',' delimiter at column 31)",
            "line 3: no 'text' field; line skipped",
            "line 4: 'title' is not a string (int); title taken from the text",
        ),
        ["甲省发布方案", "乙市推进项目建设"],
    ),
    "invalid YAML": (
        _file(
            "bad.md",
            "---\ntitle: 标题\ndate: [2024\n---\n石门县协作见成效\n两地共同实施帮扶项目。\n",
            "invalid YAML front matter at line 4 (in the value started on line 3): "
            "did not find expected ',' or ']'",
        ),
        ["石门县协作见成效"],
    ),
    "unclosed front matter": (
        _file(
            "open.md",
            "---\n石门县协作见成效\n两地共同实施帮扶项目。\n",
            "front matter opened by '---' on line 1 is never closed; read as plain text",
        ),
        ["石门县协作见成效"],
    ),
    "spaces and Chinese in the path": (
        _file("区域 新闻/第 1 篇 报道.md", "石门县协作见成效\n\n两地共同实施帮扶项目。\n"),
        ["石门县协作见成效"],
    ),
    "the same article twice in one file": (_twice, ["重复"]),
    "symlink loop": (_loop, []),
    "broken symlink": (_broken_link, []),
}


def articles_in(ttl: Path) -> list[str]:
    g = Graph().parse(ttl, format="turtle")
    return sorted(str(g.value(a, SCHEMA.headline)) for a in g.subjects(RDF.type, RKG.Article))


def build(args: list[str]):
    return CliRunner().invoke(main, ["build", *args], catch_exceptions=False)


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_input_is_reported_and_nothing_good_is_lost(tmp_path, case):
    make, extra_titles = CASES[case]
    root = tmp_path / "in"
    root.mkdir()
    for name, (_, text) in GOOD.items():
        _write(root, name, text)
    expected = make(root)
    result = build([str(root), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output + result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert warnings == [f"warning: {m}" for m in expected]
    titles = [t for t, _ in GOOD.values()]
    assert articles_in(tmp_path / "out" / "regionkg.ttl") == sorted(titles + extra_titles)
    assert "shacl: conforms" in result.output


def test_traditional_text_is_matched_and_quoted_as_written(tmp_path):
    """Regions of a Traditional article are found; the evidence quotes the original."""
    text = "浙江省金華市婺城區與四川省甘孜藏族自治州道孚縣開展對口支援，落實鄉村振興戰略。"
    path = _write(tmp_path, "trad.md", f"---\ntitle: 對口支援\n---\n\n{text}\n")
    result = build([str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    g = Graph().parse(tmp_path / "out" / "regionkg.ttl", format="turtle")
    labels = {str(o) for o in g.objects(None, SCHEMA.name)} | {
        str(o) for s in g.subjects(RDF.type, RKG.Region) for o in g.objects(s, None)
    }
    assert {"婺城区", "道孚县"} <= labels
    quotes = {str(o) for o in g.objects(None, g.namespace_manager.expand_curie("nif:anchorOf"))}
    assert text in quotes  # the Traditional sentence, not its Simplified copy
    assert not any("婺城区与" in q for q in quotes)


def test_unreadable_files_with_real_permissions():
    """`kg build` as an unprivileged user on a folder with a file it may not read."""
    folder = Path(tempfile.mkdtemp(prefix="kg-robust-perm-"))
    try:
        folder.chmod(0o777)
        root = folder / "in"
        root.mkdir()
        for name, (_, text) in GOOD.items():
            _write(root, name, text)
        locked = _write(root, "locked.md", "标题\n\n正文。\n")
        locked_dir = root / "closed"
        _write(locked_dir, "inner.md", "标题二\n\n正文。\n")
        for p in (root, *root.iterdir(), locked_dir / "inner.md"):
            p.chmod(0o755 if p.is_dir() else 0o644)
        locked.chmod(0)
        locked_dir.chmod(0)
        out = folder / "out"
        # The interpreter lives under /root here, so the unprivileged run is a forked
        # child of this process, warmed up by a build of the same kind (every module
        # imported, the worker pool's too: with several files kg build starts one).
        warm = [str(root / name) for name in GOOD]
        assert build([*warm, "-o", str(folder / "warm")]).exit_code == 0

        def unprivileged_build() -> str:
            result = build([str(root), "-o", str(out)])
            return f"{result.exit_code}\n{result.stderr}"

        code, _, stderr = as_nobody(unprivileged_build).partition("\n")
        assert code == "0", stderr
        warnings = [line for line in stderr.splitlines() if line.startswith("warning: ")]
        assert warnings == [
            f"warning: {locked_dir}: permission denied",
            f"warning: {locked}: permission denied",
        ]
        assert articles_in(out / "regionkg.ttl") == sorted(t for t, _ in GOOD.values())
    finally:
        for p in (root / "locked.md", root / "closed"):
            if p.exists():
                p.chmod(0o755)
        shutil.rmtree(folder)


def test_an_explicit_file_of_another_type_and_a_missing_path(tmp_path):
    good = _write(tmp_path, "good-1.md", GOOD["good-1.md"][1])
    other = _write(tmp_path, "page.html", "<p>正文。</p>")
    result = build([str(good), str(other), str(tmp_path / "nowhere"), "-o", str(tmp_path / "o")])
    assert result.exit_code == 0
    assert result.stderr.splitlines()[:2] == [
        f"warning: {tmp_path / 'nowhere'}: no such file or directory",
        f"warning: {other}: unsupported file type (expected .txt, .md, .markdown, .jsonl)",
    ]
    assert articles_in(tmp_path / "o" / "regionkg.ttl") == ["川渝合作"]


def test_only_bad_input_is_a_clear_error(tmp_path):
    _write(tmp_path, "empty.txt", b"")
    result = build([str(tmp_path), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"warning: {tmp_path / 'empty.txt'}: empty file",
        "Error: no articles to build (see the warnings above)",
    ]
    assert not (tmp_path / "o" / "regionkg.ttl").exists()


def test_the_same_article_in_two_files_is_built_once(tmp_path):
    root = tmp_path / "in"
    for name, (_, text) in GOOD.items():
        _write(root, name, text)
    _write(root, "copy/good-1.md", GOOD["good-1.md"][1])
    result = build([str(root), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert articles_in(tmp_path / "out" / "regionkg.ttl") == sorted(t for t, _ in GOOD.values())
