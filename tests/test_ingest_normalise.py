"""Normalisation: column lines joined, spaces decided, characters folded, idempotent.

All fixture text is written for these tests; the seed page is the repository's own.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from helpers import COLUMN_SPACED

from kg.ingest.chars import clean_chars, display_width, ends_sentence, tidy_spaces
from kg.ingest.layout import _runs_on, analyse, join_lines
from kg.ingest.normalise import normalise, normalise_title

SEED = Path(__file__).resolve().parent.parent / "data" / "articles" / "000_889d3301c9009900.txt"

COLUMN_JOINED = (
    "近日，云川市与青溪县签署了产业协作框架协议，双方自2023年起共建农产品加工园区，"
    "并联合编制《云川—青溪产业协作规划》。\n"
    "园区目前已入驻企业12家，带动当地群众就业300余人。"
)


def test_column_lines_are_joined_into_paragraphs() -> None:
    assert normalise(COLUMN_SPACED) == COLUMN_JOINED


def test_column_lines_without_blank_lines_are_joined_too() -> None:
    tight = "\n".join(line for line in COLUMN_SPACED.split("\n") if line)
    assert normalise(tight) == COLUMN_JOINED


def test_breaks_inside_numbers_and_book_titles_are_joined() -> None:
    text = normalise(COLUMN_SPACED)
    assert "入驻企业12家" in text
    assert "《云川—青溪产业协作规划》" in text


def test_one_paragraph_per_line_is_kept_line_by_line() -> None:
    text = (
        "东岭省加快建设综合交通枢纽\n"
        "今年以来，东岭省新开工高速公路项目6个，完成投资210亿元。\n"
        "文/本报记者 林一\n"
        "据介绍，全省将继续推进县县通高速工程，力争年内再开工3个项目。"
    )
    assert normalise(text) == text


def test_blank_lines_between_paragraphs_collapse_to_single_newlines() -> None:
    text = "第一段讲述区域合作的背景。\n\n\n第二段介绍具体举措。\r\n\r\n第三段总结。"
    assert normalise(text) == "第一段讲述区域合作的背景。\n第二段介绍具体举措。\n第三段总结。"


def test_subheadings_stay_lines_of_their_own() -> None:
    layout = analyse(SEED.read_text(encoding="utf-8"))
    assert layout.column and layout.spaced
    text = normalise(SEED.read_text(encoding="utf-8"))
    assert "\n完善制度框架\n优化互通机制\n" in text
    assert "对口支援工作结出累累硕果。\n" in text


# --- spaces ------------------------------------------------------------------------------------


def test_justified_spacing_between_han_characters_is_removed() -> None:
    assert tidy_spaces("二 是 深 入 实 施 区 域 重 大 战") == "二是深入实施区域重大战"


def test_lone_space_between_han_characters_is_kept() -> None:
    assert tidy_spaces("时值《中共中央 国务院关于支持") == "时值《中共中央 国务院关于支持"
    assert normalise("跨越山海 携手共建新家园") == "跨越山海 携手共建新家园"


def test_space_between_han_and_digits_is_removed() -> None:
    assert tidy_spaces("《实施方案》自2021年 7月出台以") == "《实施方案》自2021年7月出台以"
    assert tidy_spaces("一年来实施 62项改革创新经验") == "一年来实施62项改革创新经验"


def test_space_next_to_chinese_punctuation_is_removed() -> None:
    assert tidy_spaces("增长24.9%。 （某某）") == "增长24.9%。（某某）"


def test_spaces_between_latin_words_and_numbers_are_kept() -> None:
    # Between Latin words and numbers spaces are kept; next to Han only digits lose theirs.
    assert normalise("推出 Smart City 2.0 计划，覆盖 5G 网络。") == (
        "推出 Smart City 2.0计划，覆盖5G 网络。"
    )
    assert normalise("A  B\u3000C") == "A B C"


def test_latin_words_broken_across_column_lines_keep_a_space() -> None:
    lines = [
        "本届论坛以“Digital",
        "Economy”为主题，吸引",
        "了来自二十多个国家和地",
        "区的嘉宾参加，会期两天，",
        "共举办分论坛八场。",
    ]
    assert normalise("\n\n".join(lines)) == (
        "本届论坛以“Digital Economy”为主题，吸引了来自二十多个国家和地区的嘉宾参加，"
        "会期两天，共举办分论坛八场。"
    )


# --- characters --------------------------------------------------------------------------------


def test_fullwidth_letters_and_digits_are_folded() -> None:
    assert normalise("２０２３年ＧＤＰ增长５．２％。") == "2023年GDP增长5.2%。"


def test_chinese_punctuation_is_kept_as_printed() -> None:
    text = "据悉，《方案》（试行）提出：“一地受理、两地通办”；目标——明年完成！"
    assert normalise(text) == text


def test_invisible_and_control_characters_are_dropped() -> None:
    assert normalise("区域\u200b协调\ufeff发展\x07战略。") == "区域协调发展战略。"


def test_kangxi_radicals_become_unified_ideographs() -> None:
    assert clean_chars("\u2f00体化") == "一体化"


def test_display_width_counts_half_width_characters_as_half() -> None:
    assert display_width("2021年") == 3.0
    assert display_width("区域，") == 3.0


def test_ends_sentence_sees_through_closing_quotes() -> None:
    assert ends_sentence("“像石榴籽一样紧紧抱在一起”。")
    assert ends_sentence("作出引领作为。”")
    assert not ends_sentence("的若干措施》")
    assert not ends_sentence("（某某 某 某）")


def test_title_lines_are_joined_with_one_space() -> None:
    assert normalise_title("主标题“加引号”\n副标题在这里") == "主标题“加引号” 副标题在这里"
    assert normalise_title("  但将丹心照山乡\u3000不负使命  ") == "但将丹心照山乡 不负使命"


# --- idempotence -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        COLUMN_SPACED,
        COLUMN_JOINED,
        "",
        "   \n\n ",
        "单独一行没有标点",
        "二 是 深 入 实 施 区 域 重 大 战\n\n略。这是测试。",
        "推出 Smart City 2.0 计划。",
    ],
)
def test_normalise_is_idempotent_on_fixtures(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


def test_normalise_is_idempotent_on_the_seed_page_and_its_fragments() -> None:
    page = SEED.read_text(encoding="utf-8")
    once = normalise(page)
    assert normalise(once) == once
    lines = page.split("\n")
    rng = random.Random(7)
    for _ in range(200):
        start = rng.randrange(len(lines))
        fragment = "\n".join(lines[start : start + rng.randrange(1, 90)])
        once = normalise(fragment)
        assert normalise(once) == once, fragment
        shuffled = "\n".join(rng.sample(lines, rng.randrange(1, 40)))
        once = normalise(shuffled)
        assert normalise(once) == once, shuffled


def test_output_has_no_blank_lines_or_edge_spaces() -> None:
    text = normalise(SEED.read_text(encoding="utf-8"))
    for line in text.split("\n"):
        assert line and line == line.strip()


def test_thousands_separator_broken_at_a_line_end() -> None:
    assert join_lines("带动就业1,", "250人") == "带动就业1,250人"
    assert join_lines("in", "China") == "in China"


def test_headline_ending_in_a_whole_word_is_not_running_on() -> None:
    assert not _runs_on("推进科技创新协同")
    assert _runs_on("甲市与乙市的")


@pytest.mark.parametrize(
    "text",
    [
        "区域协作迈上新台阶\n\n近日，两地签署协议。\n\n（张三）",
        "  缩进的段落。\n另一段，有  两个空格。",
        "增长12.5%。 （孙悦）",  # the sign-off is split off: not settled after one pass
        "（作者系某大学\n教授）",  # a note over two lines is joined: not settled
        "１ ．２",  # the space goes, then 1．2 is folded by a second pass
    ],
)
def test_a_pass_that_says_settled_is_a_fixpoint(text: str) -> None:
    from kg.ingest.normalise import _normalise_once

    out, settled = _normalise_once(text)
    if settled:
        assert _normalise_once(out)[0] == out
    assert normalise(text) == normalise(normalise(text))


def test_one_pass_settles_plain_paragraphs() -> None:
    from kg.ingest.normalise import _normalise_once

    out, settled = _normalise_once("第一段。\n\n第二段，继续。\n")
    assert (out, settled) == ("第一段。\n第二段，继续。", True)
    assert _normalise_once("增长12.5%。 （孙悦）")[1] is False
