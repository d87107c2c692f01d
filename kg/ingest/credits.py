"""Who wrote it: bylines, datelines, sign-offs and author notes of Chinese newspapers.

A newspaper article credits its writers in a few fixed formulas, and the page splitter
needs them twice: as *authors* of the article and as *structure* (a byline or dateline
starts an article, a sign-off ends one). The formulas recognised here are those of the
genre, not of one paper:

* byline lines: ``□ 张三``, ``■ 本报记者 张三 李四``, ``本报记者 张三``, ``文/张三``;
* datelines opening the first paragraph: ``本报讯``, ``本报讯（记者 张三）``,
  ``本报北京6月1日电 （记者张三、李四）``, ``新华社上海6月1日电（记者张三）``, and the
  form with names before 报道: ``本报讯 张三 李四 记者王五 报道 近日，…``;
* sign-offs closing the last paragraph: ``（张三 李 四）``, ``（本报记者 张三）``, or a
  source note such as ``（据新华社）`` / ``（完）`` (no author, still the end);
* author notes of commentaries: ``（作者系…研究员）``, possibly over several lines.

Names are 2-4 Han characters (longer with a middle dot, for transcribed names). Two-
character names are often padded to three cells with a space (``李 娜``), so adjacent
single-character tokens are merged pairwise. Role words (记者, 通讯员, 本报记者 ...)
separate names and are dropped. No list of people is used anywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "Dateline",
    "byline_names",
    "is_furniture",
    "match_dateline",
    "note_start",
    "parse_names",
    "signoff_names",
    "split_inline_signoff",
    "starts_with_dateline",
]

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_NAME = re.compile(rf"[{_HAN}]{{2,4}}|[{_HAN}]{{1,6}}·[{_HAN}·]{{1,12}}")

# Role words, longest first where one is the prefix of another.
_ROLE = re.compile(
    r"(?:本报|本刊|本台|本网|新华社|中新社|"
    rf"[{_HAN}]{{2,6}}?(?:日报|晚报|时报|导报|商报|新闻社|通讯社|报社|电视台|杂志)社?)?"
    r"(?:特约|首席|高级|见习|实习|驻[\u4e00-\u9fff]{1,4})?"
    r"(?:记者站站长|记者|通讯员|评论员|撰稿人|撰稿|实习生|摄影|作者|编辑|整理|撰文|执笔)"
    r"(?:[：:])?"
)
_SEPARATORS = re.compile(r"[\s、，,;；/|／｜]+")
# Tokens that look like names but are not: editorial notes and organisations.
_NOT_NAME_EXACT = frozenset(
    {"完", "待续", "未完", "未完待续", "续完", "综合", "本报综合", "图文"}
    | {"近日", "日前", "今年", "今天", "昨天", "目前", "近期", "同时", "此外", "其中", "据悉"}
)
_NOT_NAME_SUFFIX = (
    "报", "社", "网", "台", "刊", "讯", "电", "办", "局", "部", "委", "会", "厅", "处", "站",
    "院", "所", "中心", "公司", "集团", "政府", "供稿", "供图", "整理", "编辑", "综合", "报道",
)  # fmt: skip
_SOURCE_NOTE = re.compile(
    r"^(?:据|来源|转自|摘自|本报综合|综合|编译|完|待续|未完待续|新华社|[^，。]{0,12}(?:供稿|供图|报道|电|讯))"
)


def parse_names(text: str) -> list[str] | None:
    """The person names in a credit string, or None if it contains anything else.

    ``"本报记者 周明远"`` → ``["周明远"]``; ``"王海 李 娜"`` → ``["王海", "李娜"]``;
    ``"近日，甲省"`` → None. An empty credit (only role words) gives ``[]``.
    """
    text = _ROLE.sub(" ", text.strip())
    tokens = [t for t in _SEPARATORS.split(text) if t]
    merged: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if len(tok) == 1 and i + 1 < len(tokens) and len(tokens[i + 1]) == 1:
            tok += tokens[i + 1]  # 李 娜: a two-character name padded to three cells
            i += 1
        merged.append(tok)
        i += 1
    for tok in merged:
        if not _NAME.fullmatch(tok) or tok in _NOT_NAME_EXACT or tok.endswith(_NOT_NAME_SUFFIX):
            return None
    return merged


# --- bylines -----------------------------------------------------------------------------------

_BYLINE_MARKER = re.compile(r"^[□■◎●○◇◆▲△☆★▌▍▎]\s*")
_BYLINE_PREFIX = re.compile(r"^(?:文|图|文图|图文|作者|撰文|执笔)\s*[/／｜|:：]\s*")


def byline_names(line: str) -> list[str] | None:
    """Names if ``line`` is a byline line, else None.

    A byline needs a signal besides the names, since a short heading could also look like
    a list of names: a leading box marker (□ ■ ...), a ``文/`` prefix, or a role word.
    """
    if len(line) > 40:
        return None
    rest = _BYLINE_MARKER.sub("", line, count=1)
    marked = rest != line
    prefixed = _BYLINE_PREFIX.match(rest)
    if prefixed:
        rest, marked = rest[prefixed.end() :], True
    if not marked:
        role = _ROLE.match(rest)  # '本报记者 张三' but not '记者了解到'
        if role is None or not rest[role.end() : role.end() + 1].isspace():
            return None
    names = parse_names(rest)
    if not names:
        return None
    return names


# --- datelines ---------------------------------------------------------------------------------

_AGENCY = r"(?:本报|本刊|本网|新华社|中新社|中新网|人民网|新华网|光明网|央广网|央视网|中国日报网)"
_DATELINE_HEAD = re.compile(
    rf"^{_AGENCY}\s*(?:[{_HAN}]{{1,10}}?\s*\d{{1,2}}\s*月\s*\d{{1,2}}\s*日\s*)?(?:电|讯|消息)"
)
# 本报记者 张三 李四 报道：… (no 讯/电 formula, the credit itself opens the paragraph)
_ROLE_REPORT = re.compile(
    r"^(?P<credit>(?:本报|本刊)?(?:特约|首席|见习)?(?:记者|通讯员)[^，。；！？\n]{1,40}?)"
    r"\s*报道(?=[\s：:]|$)"
)
_BRACKETED = re.compile(r"\s*[（(](?P<credit>[^（）()\n]{1,80})[）)]")
_NAMES_REPORT = re.compile(
    r"\s+(?P<credit>(?:[^\s，。；：！？、]{1,10}[\s、]+){0,7}?[^\s，。；：！？、]{1,10})"
    r"\s*报道(?=[\s：:]|$)"
)
_TRAILING = re.compile(r"[\s：:]*")


@dataclass(frozen=True, slots=True)
class Dateline:
    """A matched dateline: where the body starts after it, and the names it credits."""

    end: int
    authors: list[str]


def match_dateline(text: str) -> Dateline | None:
    """Match a dateline at the start of ``text`` (raw lines joined by ``\\n``).

    The names may be in brackets after the formula, or (中国经济导报 style) between the
    formula and the word 报道. Brackets that hold no names (``央视网消息（新闻联播）``) are
    still part of the formula and skipped.
    """
    head = _DATELINE_HEAD.match(text)
    if head is None:
        credit = _ROLE_REPORT.match(text)
        names = parse_names(credit.group("credit")) if credit else None
        if not names:
            return None
        return Dateline(end=_TRAILING.match(text, credit.end()).end(), authors=names)
    end = head.end()
    authors: list[str] = []
    bracket = _BRACKETED.match(text, end)
    report = _NAMES_REPORT.match(text, end)
    if bracket is not None:
        if not head.group().endswith("消息"):  # 央视网消息（新闻联播）: a programme, not people
            authors = parse_names(bracket.group("credit")) or []
        end = bracket.end()
    elif report is not None:
        names = parse_names(report.group("credit"))
        if names is not None:
            authors, end = names, report.end()
    end = _TRAILING.match(text, end).end()
    return Dateline(end=end, authors=authors)


def starts_with_dateline(line: str) -> bool:
    """Cheap test used to classify lines: does this line open with a dateline formula?"""
    return _DATELINE_HEAD.match(line) is not None or _ROLE_REPORT.match(line) is not None


# --- sign-offs and notes -----------------------------------------------------------------------

_SIGNOFF = re.compile(r"^[（(](?P<credit>[^（）()]{1,40})[）)]$")
_INLINE_SIGNOFF = re.compile(
    r"^(?P<body>.*[。！？!?…][”’」』]?)\s*(?P<signoff>[（(][^（）()]{1,40}[）)])$"
)
_NOTE = re.compile(r"^[（(]\s*(?:本文)?作者(?:系|为|是|单位|简介|：|:)")


def signoff_names(line: str) -> list[str] | None:
    """Authors if ``line`` is a bracketed sign-off, ``[]`` for a source note, else None."""
    m = _SIGNOFF.match(line.strip())
    if m is None:
        return None
    credit = m.group("credit").strip()
    names = parse_names(credit)
    if names:
        return names
    if _SOURCE_NOTE.match(credit):
        return []
    return None


def split_inline_signoff(line: str) -> tuple[str, str] | None:
    """Split ``'增长12.5%。 （孙悦）'`` into body and sign-off, if the tail is a sign-off."""
    line = line.strip()
    if not line.endswith(("）", ")")):
        return None  # most lines; the regex would first run to the end and back
    m = _INLINE_SIGNOFF.match(line)
    if m is None or signoff_names(m.group("signoff")) is None:
        return None
    return m.group("body").rstrip(), m.group("signoff")


def note_start(line: str) -> bool:
    """Does ``line`` open an author note such as ``（作者系…）``?"""
    return _NOTE.match(line.strip()) is not None


# --- page furniture ----------------------------------------------------------------------------

_FURNITURE = re.compile(
    r"^(?:责任编辑|责编|本版编辑|美术编辑|美编|版式设计|版式|校对|制图|图片编辑|组版)\s*[：:]"
    r"|^第?\s*[A-Z]?\d{1,3}\s*版\s*(?:[：:·|｜ ].{0,20})?$"
    r"|^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:星期|周)[一二三四五六日天]"
    r"|^[（(]?(?:上接|下转|转第|接第|转\s*[A-Z]?\d)[^（）()]{0,12}[）)]?$"
    # 《 某某日报 》（ 2023年06月02日 第 01 版） — the trailer of web copies of print pages
    r"|^《\s*[^《》]{2,12}\s*》\s*[（(]\s*\d{4}\s*年[^（）()]{0,20}版\s*[）)]$"
    # a photo credit on its own line: （本报记者 张三摄）
    r"|^[（(][^（）()]{0,30}摄[）)]$"
)


def is_furniture(line: str) -> bool:
    """Page furniture that belongs to no article: editor credits, page numbers, dates,
    print-edition trailers and photo credits."""
    return len(line) <= 40 and _FURNITURE.match(line.strip()) is not None
