"""Splitting newspaper pages into articles: the seed page against its gold, and pages
written for these tests, set in columns with and without blank lines between lines.

All fixture text is made up for these tests.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kg.ingest.chars import display_width
from kg.ingest.credits import (
    byline_names,
    match_dateline,
    parse_names,
    signoff_names,
    split_inline_signoff,
)
from kg.ingest.normalise import normalise
from kg.ingest.page import split_page

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "data" / "articles" / "000_889d3301c9009900.txt"
GOLD = ROOT / "tests" / "data" / "gold.json"


# --- the seed page -----------------------------------------------------------------------------


def _seed_articles():
    return split_page(SEED.read_text(encoding="utf-8"))


def test_seed_page_splits_into_the_six_gold_articles() -> None:
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["articles"]
    articles = _seed_articles()
    assert [a.title for a in articles] == [g["title"] for g in gold]
    for article, expected in zip(articles, gold, strict=True):
        assert article.authors == expected["authors"], article.title
        assert article.text.startswith(normalise(expected["first_words"])), article.title
        assert article.text.endswith(normalise(expected["last_words"])), article.title


def test_seed_page_metadata() -> None:
    articles = _seed_articles()
    assert [a.index for a in articles] == list(range(6))
    assert {a.section for a in articles} == {"区域动态"}
    assert all(a.source is None for a in articles)  # the file reader fills it in


def test_seed_credits_and_notes_are_not_in_the_text() -> None:
    for article in _seed_articles():
        text = article.text
        assert "本报讯" not in text
        assert "□" not in text
        assert "作者系" not in text
        assert not re.search(r"（[^（）]{2,8}）$", text), article.title  # no sign-off at the end


def test_seed_subheadings_stay_in_their_article() -> None:
    first = _seed_articles()[0]
    lines = first.text.split("\n")
    assert "完善制度框架" in lines
    assert "跨越山海" in lines and "婺城“铁军”织密“同心结”" in lines


def test_seed_article_texts_are_normalised() -> None:
    for article in _seed_articles():
        assert normalise(article.text) == article.text


def test_seed_page_without_blank_lines_splits_the_same_way() -> None:
    """Other extractions print no blank line after each line; headings then stand out
    only by width, position and the credits that follow them."""
    tight = re.sub(r"\n\n", "\n", SEED.read_text(encoding="utf-8"))
    gold = json.loads(GOLD.read_text(encoding="utf-8"))["articles"]
    articles = split_page(tight)
    assert [a.title for a in articles] == [g["title"] for g in gold]
    assert [a.authors for a in articles] == [g["authors"] for g in gold]


def test_seed_page_with_windows_line_ends() -> None:
    articles = split_page(SEED.read_text(encoding="utf-8").replace("\n", "\r\n"))
    assert len(articles) == 6 and articles[1].authors == ["卢俊锦", "鲁利韦", "罗勉"]


# --- made-up pages -----------------------------------------------------------------------------


def _wrap(paragraph: str, width: float, indent: float = 2) -> list[str]:
    """Set a paragraph in a column: first line indented, a trailing sign-off kept whole."""
    tail = None
    m = re.search(r"\s*（[^（）]{1,12}）$", paragraph)
    if m and paragraph[: m.start()].endswith("。"):
        paragraph, tail = paragraph[: m.start()], m.group().strip()
    lines: list[str] = []
    current, limit = "", width - indent
    for ch in paragraph:
        if current and display_width(current + ch) > limit:
            lines.append(current)
            current, limit = "", width
        current += ch
    lines.append(current)
    if tail:
        if display_width(f"{lines[-1]} {tail}") <= width:
            lines[-1] += f" {tail}"
        else:
            lines.append(tail)
    return lines


def _typeset(blocks, width: float = 14, spaced: bool = True, indent_marks: bool = False) -> str:
    """``blocks``: ("h", [heading lines]) | ("p", paragraph) | ("x", a line as is)."""
    out: list[str] = []
    for kind, value in blocks:
        if kind == "h":
            out.append("\n".join(value))  # heading lines are printed together
        elif kind == "x":
            out.append(value)
        else:
            lines = _wrap(value, width)
            if indent_marks:
                lines[0] = "\u3000\u3000" + lines[0]
            out.extend(lines)
    return ("\n\n" if spaced else "\n").join(out) + "\n"


P1A = (
    "近日，云川市与青溪县在青溪县签署产业协作框架协议，双方将共建一个占地约三百亩的"
    "农产品加工园区，推动两地资源互补、产业互促。"
)
P1B = (
    "根据协议，云川市将在三年内投入帮扶资金1.2亿元，"
    "重点支持园区道路、冷链仓储和职业培训等项目建设。"
)
P1C = "青溪县有关负责人表示，园区建成后预计可带动当地两千余人就业，让更多群众在家门口增收致富。"
P2A = (
    "为加快推进东岭省综合运输通道建设，东岭省交通运输厅日前印发《东岭省通道建设三年行动方案"
    "（2024—2026年）》，提出18项重点任务。"
)
P2B = (
    "方案明确，到2026年全省高速公路通车里程力争达到9000公里，"
    "县县通高速的目标基本实现，物流成本进一步降低。"
)
P3A = (
    "区域协作是推动共同发展的重要途径。"
    "各地在开展协作时，要坚持优势互补、互利共赢，既要注重输血，更要注重造血。"
)
P3B = (
    "一是健全协作机制，推动协作由项目合作向产业链合作延伸；二是用好市场力量，引导企业参与"
    "协作；三是加强考核评估，让协作成效可感可及。"
)

TWO_DATELINES = [
    ("x", " 区域经济"),
    ("h", ["云川市与青溪县签署合作协议", "共建园区助力乡村振兴"]),
    ("p", "本报讯 " + P1A),
    ("p", P1B),
    ("h", ["深化产业协作", "拓宽增收渠道"]),
    ("p", P1C),
    ("x", "（王海 李 娜）"),
    ("h", ["东岭省发布通道建设方案"]),
    ("p", "本报讯（记者 陈立 通讯员 赵一鸣）" + P2A),
    ("p", P2B + " （孙悦）"),
    ("h", ["以协作促发展"]),
    ("p", P3A),
    ("p", P3B),
    ("x", "（作者系某大学经济学院教授）"),
]


@pytest.mark.parametrize(
    ("spaced", "indent_marks"), [(True, False), (True, True), (False, False), (False, True)]
)
def test_page_with_two_datelines_sign_offs_and_a_commentary(
    spaced: bool, indent_marks: bool
) -> None:
    page = _typeset(TWO_DATELINES, spaced=spaced, indent_marks=indent_marks)
    articles = split_page(page)
    assert [a.title for a in articles] == [
        "云川市与青溪县签署合作协议 共建园区助力乡村振兴",
        "东岭省发布通道建设方案",
        "以协作促发展",
    ]
    assert [a.authors for a in articles] == [["王海", "李娜"], ["陈立", "赵一鸣", "孙悦"], []]
    assert {a.section for a in articles} == {"区域经济"}
    first, second, third = (a.text for a in articles)
    assert first == "\n".join([P1A, P1B, "深化产业协作", "拓宽增收渠道", P1C])
    assert second == f"{P2A}\n{P2B}"
    assert third == f"{P3A}\n{P3B}"


def test_detached_headline_goes_to_the_later_dateline_article() -> None:
    """A headline printed above another headline waits for the first article that
    starts without one (a bare 本报讯 body further down)."""
    blocks = [
        ("h", ["南岭省举办产业招商推介会", "现场签约项目二十个"]),
        ("h", ["山海协作结硕果 携手共绘新图景"]),
        ("x", "□ 本报记者 高远"),
        ("p", "两年来，沿海的明川区与山区的石门县结对协作，共同实施帮扶项目四十余个。"),
        ("p", "石门县有关负责人介绍，协作项目已带动三千多名群众稳定增收。"),
        (
            "p",
            "本报讯 记者 钱程 报道 近日，南岭省在省会举办产业招商推介会，现场签约项目二十个，"
            "总金额超过300亿元。",
        ),
        ("p", "推介会期间，南岭省还发布了重点产业招商图谱。"),
    ]
    for spaced in (True, False):
        articles = split_page(_typeset(blocks, spaced=spaced))
        assert [a.title for a in articles] == [
            "山海协作结硕果 携手共绘新图景",
            "南岭省举办产业招商推介会 现场签约项目二十个",
        ]
        assert [a.authors for a in articles] == [["高远"], ["钱程"]]
        assert articles[1].text.startswith("近日，南岭省在省会举办")


def test_one_paragraph_per_line_page_with_page_furniture() -> None:
    page = (
        "2024年3月5日 星期二\n"
        "责任编辑：某某\n"
        "甲省推进县域商业体系建设\n"
        "本报讯（记者 张三）近日，甲省商务厅印发方案，提出到2025年建成一批县级物流配送中心。\n"
        "方案提出，将支持乡镇商贸中心改造提升。\n"
        "（张三）\n"
        "乙市举办产业对接会\n"
        "本报乙市3月4日电 （记者李四、王五）乙市日前举办产业对接会，现场签约项目32个。\n"
        "签约项目总投资达156亿元。\n"
    )
    articles = split_page(page)
    assert [a.title for a in articles] == ["甲省推进县域商业体系建设", "乙市举办产业对接会"]
    assert [a.authors for a in articles] == [["张三"], ["李四", "王五"]]
    assert [a.date for a in articles] == ["2024-03-05", "2024-03-05"]
    assert (
        articles[1].text == "乙市日前举办产业对接会，现场签约项目32个。\n签约项目总投资达156亿元。"
    )
    assert all("责任编辑" not in a.text for a in articles)


def test_a_page_holding_one_article() -> None:
    page = (
        "东部城市群协同发展观察\n\n"
        "城市群是区域协调发展的重要载体。近年来，东部城市群在交通互联方面取得明显进展。\n\n"
        "下一步，还需在公共服务共享上持续用力。\n"
    )
    (article,) = split_page(page)
    assert article.title == "东部城市群协同发展观察"
    assert article.text.endswith("持续用力。")


def test_an_article_without_headline_is_titled_by_its_first_sentence() -> None:
    (article,) = split_page("近日，某县召开乡村振兴推进会，部署重点工作。会议要求巩固成果。")
    assert article.title == "近日，某县召开乡村振兴推进会，部署重点工作"


@pytest.mark.parametrize("text", ["", "\n\n \n", "（张三）", "□ 张三", "本报讯", "标题\n标题二"])
def test_degenerate_pages_do_not_raise(text: str) -> None:
    for article in split_page(text):
        assert article.text


# --- credits -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("credit", "names"),
    [
        ("本报记者 张明", ["张明"]),
        ("王海 李 娜", ["王海", "李娜"]),
        ("记者 陈立 通讯员 赵一鸣", ["陈立", "赵一鸣"]),
        ("记者张明、刘强", ["张明", "刘强"]),
        ("经济日报记者 周 凯", ["周凯"]),
        ("阿依·买买提", ["阿依·买买提"]),
        ("近日，甲省", None),
        ("新华社", None),
    ],
)
def test_parse_names(credit: str, names: list[str] | None) -> None:
    assert parse_names(credit) == names


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("□ 周明远", ["周明远"]),
        ("■ 本报记者 高远 钱程", ["高远", "钱程"]),
        ("本报记者 高远", ["高远"]),
        ("文/林一", ["林一"]),
        ("记者了解到", None),
        ("深化产业协作", None),
    ],
)
def test_byline_names(line: str, names: list[str] | None) -> None:
    assert byline_names(line) == names


@pytest.mark.parametrize(
    ("text", "authors", "rest"),
    [
        ("本报讯 近日，甲省发布方案", [], "近日，甲省发布方案"),
        ("本报讯 高远 钱程 记者林一\n报道 近日，乙市", ["高远", "钱程", "林一"], "近日，乙市"),
        ("本报讯（记者 张明 通讯员 刘强）今年以来", ["张明", "刘强"], "今年以来"),
        ("本报北京3月4日电 （记者李四、王五）日前", ["李四", "王五"], "日前"),
        ("新华社乙市3月4日电（记者周凯）记者从乙市获悉", ["周凯"], "记者从乙市获悉"),
        ("本报记者 王五 报道：近日", ["王五"], "近日"),
        ("某网消息（新闻节目）：今天", None, None),
    ],
)
def test_match_dateline(text: str, authors: list[str] | None, rest: str | None) -> None:
    dateline = match_dateline(text)
    if authors is None:
        assert dateline is None
        return
    assert dateline is not None
    assert dateline.authors == authors
    assert text[dateline.end :] == rest


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("（王海 李 娜）", ["王海", "李娜"]),
        ("（孙悦）", ["孙悦"]),
        ("（本报记者 张明）", ["张明"]),
        ("（据新华社）", []),
        ("（完）", []),
        ("（2024—2026年）", None),
        ("（作者系某大学教授）", None),
    ],
)
def test_signoff_names(line: str, names: list[str] | None) -> None:
    assert signoff_names(line) == names


def test_inline_signoff_is_split_only_after_a_sentence_end() -> None:
    assert split_inline_signoff("同比增长12.5%。 （孙悦）") == ("同比增长12.5%。", "（孙悦）")
    assert split_inline_signoff("共建中欧班列（成渝）") is None
