"""File formats and paths: front matter, markdown, JSON Lines, folders, bad paths.

All fixture text is made up for these tests.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from helpers import as_nobody

from kg.ingest import iter_paths, read_paths
from kg.model import Article, Problem

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "data" / "articles"

FRONT_MATTER = """\
---
title: "山海携手\u3000共绘协作新画卷"
date: "2024-05-06"
source: "某某日报"
url: "https://example.org/news/1"
authors: ["高远", "钱程"]
---

——记明川区对口协作石门县工作队
文/高远
两年来，明川区与石门县结对协作，共同实施帮扶项目四十余个。
协作无止境 携手再出发
石门县有关负责人介绍，协作项目已带动三千多名群众稳定增收。
"""


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding=encoding)
    return path


# --- front matter ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["story.md", "story.txt"])
def test_front_matter_file_is_one_article(tmp_path: Path, name: str) -> None:
    articles, problems = read_paths([_write(tmp_path / name, FRONT_MATTER)])
    assert problems == []
    (article,) = articles
    assert article.title == "山海携手 共绘协作新画卷"
    assert article.date == "2024-05-06"
    assert article.url == "https://example.org/news/1"
    assert article.authors == ["高远", "钱程"]
    assert article.index == 0
    assert article.source == str(tmp_path / name)
    assert article.origin == "某某日报"
    # Subtitle, byline and subheading are part of the body and stay in the text.
    assert article.text.split("\n") == [
        "——记明川区对口协作石门县工作队",
        "文/高远",
        "两年来，明川区与石门县结对协作，共同实施帮扶项目四十余个。",
        "协作无止境 携手再出发",
        "石门县有关负责人介绍，协作项目已带动三千多名群众稳定增收。",
    ]


def test_unquoted_yaml_date_becomes_iso_text(tmp_path: Path) -> None:
    text = "---\ntitle: 标题\ndate: 2024-05-06\nauthors: 高远、钱程\n---\n正文第一句。\n"
    (article,), problems = read_paths([_write(tmp_path / "a.md", text)])
    assert problems == []
    assert article.date == "2024-05-06"
    assert article.authors == ["高远", "钱程"]


def test_invalid_yaml_is_a_problem_but_the_body_is_still_read(tmp_path: Path) -> None:
    text = "---\ntitle: 标题\ndate: [2024\nurl: x\n---\n石门县协作见成效\n两地共同实施帮扶项目。\n"
    articles, problems = read_paths([_write(tmp_path / "bad.md", text)])
    (problem,) = problems
    assert problem.path.endswith("bad.md")
    assert problem.message.startswith("invalid YAML front matter at line ")
    (article,) = articles
    assert article.title == "石门县协作见成效"  # from the first line
    assert article.text == "两地共同实施帮扶项目。"


def test_front_matter_that_is_not_a_mapping(tmp_path: Path) -> None:
    text = "---\n- 一\n- 二\n---\n正文只有一句。\n"
    articles, problems = read_paths([_write(tmp_path / "list.md", text)])
    assert [p.message for p in problems] == ["front matter is not a mapping of fields"]
    assert [a.text for a in articles] == ["正文只有一句。"]


def test_unclosed_front_matter_is_reported_and_read_as_text(tmp_path: Path) -> None:
    text = "---\n石门县协作见成效\n两地共同实施帮扶项目。\n"
    articles, problems = read_paths([_write(tmp_path / "open.md", text)])
    assert "never closed" in problems[0].message
    assert [a.title for a in articles] == ["石门县协作见成效"]


def test_front_matter_without_body_is_a_problem(tmp_path: Path) -> None:
    articles, problems = read_paths([_write(tmp_path / "empty.md", "---\ntitle: 空\n---\n\n")])
    assert articles == []
    assert [p.message for p in problems] == ["no article text (empty body)"]


# --- markdown without front matter --------------------------------------------------------------


def test_markdown_without_front_matter(tmp_path: Path) -> None:
    text = (
        "# 云川市**产业协作**取得新进展\n\n"
        "近日，云川市与[青溪县](https://example.org/qx)签署协议。\n\n"
        "## 下一步\n\n"
        "- 共建园区\n"
        "![图片](pic.png)\n\n"
        "[查看原文](https://example.org/news/2)\n"
    )
    (article,), problems = read_paths([_write(tmp_path / "note.md", text)])
    assert problems == []
    assert article.title == "云川市产业协作取得新进展"
    assert article.text == "近日，云川市与青溪县签署协议。\n下一步\n共建园区"
    assert article.url == "https://example.org/news/2"


def test_markdown_without_heading_takes_a_heading_like_first_line(tmp_path: Path) -> None:
    text = "石门县协作见成效\n\n两地共同实施帮扶项目四十余个。\n"
    (article,), _ = read_paths([_write(tmp_path / "plain.markdown", text)])
    assert article.title == "石门县协作见成效"
    assert article.text == "两地共同实施帮扶项目四十余个。"


# --- jsonl -------------------------------------------------------------------------------------


def test_jsonl_bad_lines_are_problems_with_line_numbers(tmp_path: Path) -> None:
    good = {
        "title": "甲省发布方案",
        "text": "甲省日前发布方案。\n提出十项任务。",
        "date": "2024-01-02",
        "source": "某报",
        "url": "https://example.org/a",
        "authors": ["张明"],
    }
    lines = [
        json.dumps(good, ensure_ascii=False),  # 1
        '{"title": "坏行", "text": "没有闭合"',  # 2: malformed
        json.dumps({"title": "无正文", "date": "2024-01-03"}, ensure_ascii=False),  # 3
        "",  # 4: blank, ignored
        json.dumps({"title": 42, "text": "乙市推进项目建设。"}, ensure_ascii=False),  # 5
        json.dumps({"title": "空正文", "text": "  "}, ensure_ascii=False),  # 6
        json.dumps(["不是对象"], ensure_ascii=False),  # 7
        json.dumps({"text": "丙县召开会议\n会议部署了重点工作。"}, ensure_ascii=False),  # 8
    ]
    path = _write(tmp_path / "feed.jsonl", "\n".join(lines) + "\n")
    articles, problems = read_paths([path])
    assert [(p.path, p.message.split(":")[0]) for p in problems] == [
        (str(path), "line 2"),
        (str(path), "line 3"),
        (str(path), "line 5"),
        (str(path), "line 6"),
        (str(path), "line 7"),
    ]
    assert "invalid JSON" in problems[0].message
    assert "no 'text'" in problems[1].message
    assert "'title' is not a string" in problems[2].message
    assert "empty 'text'" in problems[3].message
    assert "expected a JSON object" in problems[4].message

    first, second, third = articles
    assert first.origin == "某报"
    assert (first.title, first.text, first.date, first.url, first.authors, first.index) == (
        "甲省发布方案",
        "甲省日前发布方案。\n提出十项任务。",
        "2024-01-02",
        "https://example.org/a",
        ["张明"],
        0,
    )
    assert second.title == "乙市推进项目建设" and second.index == 4  # kept, title from text
    assert (third.title, third.text, third.index) == ("丙县召开会议", "会议部署了重点工作。", 7)
    assert all(a.source == str(path) for a in articles)


def test_empty_jsonl_is_a_problem(tmp_path: Path) -> None:
    articles, problems = read_paths([_write(tmp_path / "none.jsonl", "\n\n")])
    assert articles == [] and [p.message for p in problems] == ["empty file (white space only)"]


# --- paths -------------------------------------------------------------------------------------


def test_missing_path_is_a_problem(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.txt"
    assert read_paths([missing]) == ([], [Problem(str(missing), "no such file or directory")])


def test_explicit_file_of_unsupported_type_is_a_problem(tmp_path: Path) -> None:
    path = _write(tmp_path / "table.csv", "a,b\n")
    (problem,) = read_paths([path])[1]
    assert problem.message.startswith("unsupported file type")


def test_folder_is_read_recursively_in_sorted_order(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    _write(root / "b" / "2.md", "标题乙二\n\n正文乙二。\n")
    _write(root / "b" / "10.md", "标题乙十\n\n正文乙十。\n")
    _write(root / "a.md", "标题甲\n\n正文甲。\n")
    _write(root / "c" / "d" / "e.jsonl", json.dumps({"title": "标题丙", "text": "正文丙。"}))
    _write(root / ".hidden.md", "隐藏\n\n不应读取。\n")
    _write(root / ".git" / "x.md", "隐藏\n\n不应读取。\n")
    _write(root / "notes.csv", "忽略")
    articles, problems = read_paths([root])
    assert problems == []
    assert [a.title for a in articles] == ["标题甲", "标题乙十", "标题乙二", "标题丙"]
    assert [a.source for a in articles] == [
        os.path.join(str(root), "a.md"),
        os.path.join(str(root), "b", "10.md"),
        os.path.join(str(root), "b", "2.md"),
        os.path.join(str(root), "c", "d", "e.jsonl"),
    ]


def test_order_does_not_depend_on_the_order_paths_are_given(tmp_path: Path) -> None:
    one = _write(tmp_path / "1.md", "标题一\n\n正文一。\n")
    two = _write(tmp_path / "2.md", "标题二\n\n正文二。\n")
    forward = [a.title for a in read_paths([one, two])[0]]
    backward = [a.title for a in read_paths([two, one])[0]]
    assert forward == backward == ["标题一", "标题二"]


def test_the_same_file_given_twice_is_read_once(tmp_path: Path) -> None:
    path = _write(tmp_path / "x.md", "标题\n\n正文。\n")
    assert len(read_paths([path, tmp_path, str(path)])[0]) == 1


def test_path_with_spaces_and_chinese_characters(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "区域 新闻" / "第 1 篇 报道.md", "石门县协作见成效\n\n两地共同实施帮扶项目。\n"
    )
    (article,), problems = read_paths([str(tmp_path / "区域 新闻")])
    assert problems == []
    assert article.source == str(path)


def test_symlink_loop_does_not_hang(tmp_path: Path) -> None:
    root = tmp_path / "loop"
    _write(root / "inner" / "a.md", "标题\n\n正文。\n")
    (root / "inner" / "back").symlink_to(root, target_is_directory=True)
    (root / "self").symlink_to(root / "inner", target_is_directory=True)
    articles, problems = read_paths([root])
    assert [a.title for a in articles] == ["标题"]
    assert problems and all("already read" in p.message for p in problems)


def test_broken_symlink_is_a_problem(tmp_path: Path) -> None:
    link = tmp_path / "gone.md"
    link.symlink_to(tmp_path / "missing.md")
    assert [p.message for p in read_paths([tmp_path])[1]] == ["broken symbolic link"]
    assert [p.message for p in read_paths([link])[1]] == ["broken symbolic link"]


def test_unreadable_file_is_a_problem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = _write(tmp_path / "locked.md", "标题\n\n正文。\n")
    _write(tmp_path / "open.md", "另一篇\n\n正文。\n")
    real_read_bytes = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.md":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    articles, problems = read_paths([tmp_path])
    assert problems == [Problem(str(locked), "permission denied")]
    assert [a.title for a in articles] == ["另一篇"]


def test_unreadable_file_with_real_permissions() -> None:
    """A file without read permission, read by an unprivileged user (root reads anything).

    The check runs in a forked child that drops to ``nobody`` when the tests run as root.
    """
    folder = Path(tempfile.mkdtemp(prefix="kg-perm-"))
    try:
        folder.chmod(0o755)
        locked = _write(folder / "locked.md", "标题\n\n正文。\n")
        locked.chmod(0)
        assert as_nobody(lambda: read_paths([locked])[1][0].message) == "permission denied"
    finally:
        shutil.rmtree(folder)


# --- streaming and the seed --------------------------------------------------------------------


def test_iter_paths_streams_in_order(tmp_path: Path) -> None:
    _write(tmp_path / "a.md", "标题甲\n\n正文甲。\n")
    stream = iter_paths([tmp_path / "missing.md", tmp_path])
    assert iter(stream) is stream  # a generator, not a list
    items = list(stream)
    assert isinstance(items[0], Article) and items[0].title == "标题甲"
    assert isinstance(items[1], Problem) and items[1].message == "no such file or directory"


def test_seed_folder(tmp_path: Path) -> None:
    articles, problems = read_paths([SEED_DIR])
    assert problems == []
    assert len(articles) == 6
    assert {a.source for a in articles} == {str(SEED_DIR / "000_889d3301c9009900.txt")}
    assert [a.index for a in articles] == list(range(6))


def test_a_single_path_string_is_accepted(tmp_path: Path) -> None:
    path = _write(tmp_path / "x.md", "标题\n\n正文。\n")
    assert len(read_paths(str(path))[0]) == 1


def test_markdown_lines_without_syntax_characters_are_kept_as_they_are() -> None:
    from kg.ingest.formats import markdown_to_text

    body = (
        "# 标题\n"
        "两地签署协议，合作领域不断拓展。\n"
        "\n"
        "规划期为2021-2025年，**重点**推进[产业协作](https://example.org/a)。\n"
        "- 共建园区\n"
        "> 引文\n"
        "[查看原文](https://example.org/src)"
    )
    md = markdown_to_text(body)
    assert md.heading == "标题"
    assert md.url == "https://example.org/src"
    assert md.text == (
        "两地签署协议，合作领域不断拓展。\n\n规划期为2021-2025年，重点推进产业协作。\n共建园区\n引文"
    )
