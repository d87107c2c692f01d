"""Layout analysis: the shortcut for plain text gives the paragraphs of the full analysis.

All fixture text is written for these tests; the seed page is the repository's own.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import COLUMN_SPACED

from kg.ingest.layout import analyse, paragraphs, text_paragraphs

SEED = Path(__file__).resolve().parent.parent / "data" / "articles" / "000_889d3301c9009900.txt"

PLAIN = (
    "区域协作迈上新台阶\n"
    "本报讯（记者 张三）近日，云川市与青溪县签署产业协作框架协议。\n"
    "双方将共建农产品加工园区\n"
    "（作者系某大学\n"
    "教授）\n"
    "（李四）"
)



def _full(text: str) -> list[str]:
    layout = analyse(text)
    return paragraphs(layout.lines, layout.column, layout.spaced)


# Four headlines without sentence ends, each over a long paragraph: not column-set,
# but enough open lines that the kinds of the lines are looked at.
ROUND_UP = "\n".join(
    f"第{n}条消息标题\n两地签署产业协作框架协议，共建农产品加工园区，带动当地群众就业三百余人。"
    for n in "一二三四"
)


@pytest.mark.parametrize(
    "text",
    [
        PLAIN,
        PLAIN.replace("（作者系某大学\n教授）\n", ""),  # no note: the short way
        ROUND_UP,
        COLUMN_SPACED,
        COLUMN_SPACED.replace("\n\n", "\n"),
        "",
    ],
)
def test_text_paragraphs_equal_those_of_the_full_analysis(text: str) -> None:
    assert text_paragraphs(text)[0] == _full(text)


def test_text_paragraphs_of_the_seed_page() -> None:
    text = SEED.read_text(encoding="utf-8")
    assert analyse(text).column
    assert text_paragraphs(text)[0] == _full(text)
    joined = "\n".join(_full(text))
    assert not analyse(joined).column
    assert text_paragraphs(joined)[0] == _full(joined)
