"""Character rules: the regex-counted widths and spacing agree with the plain definitions.

:func:`display_width` and :func:`tidy_spaces` count with compiled patterns rather than
looping over characters; these tests hold them to the one-character-at-a-time
definitions, written out here, on hand-picked edge cases and on random text.
"""

from __future__ import annotations

import random
import re
import unicodedata

import pytest

from kg.ingest.chars import _justified, display_width, is_han, is_wide_punct, tidy_spaces


def _width_by_loop(text: str) -> float:
    return sum(
        1.0 if unicodedata.east_asian_width(ch) in "WFA" or ch in "“”‘’…—·～" else 0.5
        for ch in text
    )


def _justified_by_loop(line: str) -> bool:
    pairs = spaced = 0
    prev: str | None = None
    gap = False
    for ch in line:
        if ch == " ":
            gap = True
            continue
        wide = is_han(ch) or is_wide_punct(ch)
        if prev is not None and (is_han(prev) or is_wide_punct(prev)) and wide:
            pairs += 1
            spaced += gap
        prev, gap = ch, False
    return spaced >= 3 and spaced * 2 >= pairs


@pytest.mark.parametrize(
    "text",
    [
        "",
        "2021年",
        "区域，协作",
        "“一带一路”…—·～",
        "\U00020001\U0002a6d6",  # Han of the supplementary planes: wide
        "😀🀄",  # emoji: wide; mahjong tile: narrow
        "\U000f0000\U0010fffd",  # supplementary private use: ambiguous, so wide
        "\ue000abc ½",  # BMP private use (ambiguous) and Latin
        "ｱｲｳ",  # half-width katakana
    ],
)
def test_display_width_is_the_sum_of_character_widths(text: str) -> None:
    assert display_width(text) == _width_by_loop(text)


def test_display_width_matches_the_loop_on_random_text() -> None:
    rnd = random.Random(7)
    pool = "区域发展，。（）“”…—·～ａ１ 0aZ½ｱ\ue000\U00020001😀\U0001f004\t"
    for _ in range(300):
        text = "".join(rnd.choice(pool) for _ in range(rnd.randrange(40)))
        assert display_width(text) == _width_by_loop(text)


@pytest.mark.parametrize(
    "line",
    [
        "二 是 深 入 实 施",
        "二 是 深入实施区域",  # two spaced pairs only
        "a b c d e",  # spaces between narrow characters
        "区 域 ， 发 展 2 0",
        "《 中 共 中 央 》 国务院关于支持",
        "中共中央 国务院 关于 支持",  # three spaces, three spaced pairs, many unspaced
        "\U00020001 \U00020002 \U00020003 \U00020004",
    ],
)
def test_justified_counts_spaced_and_adjacent_wide_pairs(line: str) -> None:
    assert _justified(line) == _justified_by_loop(line)


def test_justified_matches_the_loop_on_random_lines() -> None:
    rnd = random.Random(11)
    pool = "区域发展一二三，。（）“”—·1a "
    for _ in range(500):
        line = " ".join("".join(rnd.choice(pool) for _ in range(rnd.randrange(1, 4))).split())
        assert _justified(line) == _justified_by_loop(line)


def test_spaces_around_unusual_digits_follow_str_isdigit() -> None:
    # '²' and '①' are digits to str.isdigit, so like 7 they lose the space next to Han
    assert tidy_spaces("面积 ²") == "面积²"
    assert tidy_spaces("① 推进") == "①推进"
    assert tidy_spaces("a  b   c") == "a b c"


@pytest.mark.parametrize(
    "text",
    [
        "区域协调发展。\n两地联动。",  # already clean: returned as it is
        "a\r\nb\rc\u2028d\x0be\x0cf\x85g",
        "零\u200b宽\ufeff字\u00ad符",
        "控制\x01字符\x7f",
        "\t全角\u3000空格\u00a0",
        "２０２３年增长１２．５％",
        "\u2f00体化",
    ],
)
def test_clean_chars_fast_path_agrees_with_the_rules(text: str) -> None:
    from kg.ingest import chars

    slow = text
    for pattern, repl in (
        (chars._LINE_ENDS, "\n"),
        (chars._ZERO_WIDTH, ""),
        (chars._CONTROL, ""),
        (chars._SPACES, " "),
        (chars._FULLWIDTH, chars._nfkc),
        (chars._FULLWIDTH_POINT, "."),
    ):
        slow = pattern.sub(repl, slow)
    assert chars.clean_chars(text) == slow
    assert chars.clean_chars(slow) == slow


def test_tidy_spaces_is_idempotent() -> None:
    # layout.paragraphs relies on it (the argument is in the docstring of tidy_spaces)
    rnd = random.Random(3)
    pool = "区域发展一二三，。（）“”—·12ab  "
    for _ in range(2000):
        line = "".join(rnd.choice(pool) for _ in range(rnd.randrange(30)))
        once = tidy_spaces(line)
        assert tidy_spaces(once) == once
    for line in ("二 是 深 入 实 施", "区 ， 域 发 展 ， 协 作", "时值《中共中央 国务院关于支持"):
        assert tidy_spaces(tidy_spaces(line)) == tidy_spaces(line)


def test_the_widths_known_without_lookup_agree_with_unicodedata() -> None:
    from kg.ingest import chars

    known_wide = re.compile(f"[{chars._KNOWN_WIDE}]")
    for cp in range(0x10000):
        ch = chr(cp)
        if cp < 0x80:
            assert _width_by_loop(ch) == 0.5, hex(cp)
        elif known_wide.match(ch):
            assert _width_by_loop(ch) == 1.0, hex(cp)
        assert display_width(ch) == _width_by_loop(ch), hex(cp)
