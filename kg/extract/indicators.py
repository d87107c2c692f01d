"""Indicators: quantities with a unit whose subject is a region, zone or program.

Regional-development news is dense with numbers, and most of them are not
indicators: dates, durations, ordinals, ranks, distances, technical ratings,
numbers inside names, and counts that merely enumerate ("两地", "三省一市").
The extractor therefore reads every number with the unit written after it,
keeps only units that count or measure something, and then drops a number
when its context shows it is one of those other things. What survives gets a
subject (the region or program it is said of), a label of what it counts and,
when the text anchors it, a year.

Values are kept as written (4400 with unit 万元); :mod:`kg.units` scales them.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

import cn2an

from kg.extract.doc import Doc
from kg.model import Evidence, Indicator
from kg.units import same_quantity

# --- lexicons ---------------------------------------------------------------------------------

# Base units (written after the magnitude) that make a number an indicator.
MONEY_UNITS: frozenset[str] = frozenset("元 美元 欧元 港元 港币 日元 英镑".split())
SHARE_UNITS: frozenset[str] = frozenset("% ‰ 个百分点 百分点".split())
PEOPLE_UNITS: frozenset[str] = frozenset("人次 人 名 位 户次 户".split())
# Measure words of counted things.
COUNT_UNITS: frozenset[str] = frozenset(
    "个 项 家 所 部 条 次 栋 幢 批 种 列 座 处 件 株 棵 把 台 套 辆 艘 架次 架 间 张 场 只 头 "
    "支 块 份 宗 笔 单 篇 本 册 门 枚 颗 班 趟 列次 班次 车次 辆次 艘次 床".split()
)
# Physical quantities that describe output, land or networks.
PHYSICAL_UNITS: frozenset[str] = frozenset(
    "吨 千克 公斤 斤 亩 公顷 平方公里 平方千米 平方米 立方米 升 公里 千米 "
    "千瓦时 兆瓦时 千瓦 兆瓦 吉瓦 瓦 标箱 标准箱".split()
)
ACCEPTED_UNITS: frozenset[str] = (
    MONEY_UNITS | SHARE_UNITS | PEOPLE_UNITS | COUNT_UNITS | PHYSICAL_UNITS
)

# Units that look like measure words but mark dates, durations, ages, ratings,
# ranks, ordinals, ratios or the issuers of a document (5部门联合印发). They are
# listed so that the longest spelling wins (个月 over 个, 千伏 over 千 + 伏) and
# the number is then dropped.
REJECTED_UNITS: frozenset[str] = frozenset(
    "年 年度 季度 月 个月 日 天 周 周年 个星期 星期 小时 个小时 个工作日 工作日 分钟 秒 岁 "
    "倍 成 届 期 号 代 版 级 强 伏 千伏 米 厘米 毫米 纳米 ℃ 度 省 市 县 区 省区市 省份 "
    "部门 部委".split()
)

_ALL_UNITS = sorted(ACCEPTED_UNITS | REJECTED_UNITS, key=len, reverse=True)
#: The units as one regex, longest spelling first, because units are read after every number.
_UNIT = re.compile("|".join(map(re.escape, _ALL_UNITS)))

# Magnitude characters written between the number and the base unit.
_MAGNITUDE = re.compile(r"[百千万亿]*")
_MAGNITUDE_CHARS = frozenset("百千万亿")
_UNIT_FIRST = frozenset(u[0] for u in _ALL_UNITS)

# Qualifiers written before a number (longest first) and after it.
PRE_QUALIFIERS: tuple[str, ...] = (
    "超过了",
    "不少于",
    "不低于",
    "不止",
    "超过",
    "超出",
    "将近",
    "接近",
    "大约",
    "至少",
    "逾",
    "超",
    "近",
    "约",
)
# Before a bare magnitude (上万亩, 近千万元) 上 also means "as many as".
BARE_QUALIFIERS: tuple[str, ...] = ("上", *PRE_QUALIFIERS)
INNER_QUALIFIERS = "余多"  # 4400余万元, 1.4万多人
POST_QUALIFIERS: tuple[str, ...] = ("以上", "左右", "以下", "以内", "有余")
_QUALIFIER_ENDS = frozenset(q[-1] for q in BARE_QUALIFIERS)
_POST_QUALIFIER = re.compile("|".join(POST_QUALIFIERS))

_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_NUMERAL = re.compile(rf"[{_CN_DIGITS}十百千]+(?:[万亿][{_CN_DIGITS}十百千]+)*")
_ARABIC = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
_BARE = re.compile(r"(?=[万亿])")
#: Where any of the three can start (\d takes in full-width digits too).
_ANY_NUMBER = re.compile(rf"\d|[{_CN_DIGITS}十百千万亿]")

# Text right before a number that makes it an ordinal, a rank or a denominator.
_ORDINAL_BEFORE = re.compile(r"(?:第|每|排名|位居|位列|No\.?|[#±+.\-/])$")
_RANK_UNITS = frozenset({"名", "位"})
_RANGE_BEFORE = re.compile(r"[\d%％][万亿]?[—–\-~～至到]$")
#: Characters before a number that _ORDINAL_BEFORE and _RANGE_BEFORE need to see (their
#: longest match, and a newline ``$`` may stand before): searching the whole text up
#: to every number made reading numbers quadratic in the article's length.
_BEFORE_WINDOW = 8
#: Either of the two, in one search.
_NOT_COUNT_BEFORE = re.compile(f"{_ORDINAL_BEFORE.pattern}|{_RANGE_BEFORE.pattern}")
_RANGE_AFTER = re.compile(r"\s*[—–\-~～至]\s*[\d" + _CN_DIGITS + "十]")

# Lengths, speeds and travel distances are not development indicators.
_LENGTH_UNITS = ("公里", "千米")
_DISTANCE_CONTEXT = re.compile(
    r"(?:全长|总长|长约|长度|行程|距离?|相距|时速|速度|半径|海拔|运距|推进了?|延伸|宽|深|高约)"
    r"[^，。；]{0,4}$"
)

# Participants "from N countries" describe an event's audience.
_ORIGIN = re.compile(r"来自")

# A personal pronoun as the clause subject: the figure is about a person, not a
# place. 我们村 / 我国 / 我院 name a place or body, so they do not count.
_PRONOUN_CHAR = re.compile("[他她它我你咱]")
_PRONOUN = re.compile(r"(?<![其吉利自忘本唯])[他她它我你咱]们?(?![们国省市县区乡镇村州院校所厂司])")

_TITLE = re.compile(r"《[^《》]*》")
# A short quoted span is a name or slogan (“十年禁渔”, “1+N”), not a report.
_SHORT_QUOTE = re.compile(r"[“「『\"][^“”「」『』\"\n]{1,12}[”」』\"]")

# Pairing lists ("10所学校、4所医院与…8所学校结对") describe a measure, not a result:
# 结对 is then the verb of the clause, closing it or taking a place or count as object.
# As a modifier (结对帮扶关系) it names a relationship whose size is a figure.
_PAIR_WORD = re.compile(r"结对|结亲|结成对子")
_PAIR_VERB = re.compile(rf"(?:{_PAIR_WORD.pattern})(?=$|[\u4e00-\u9fff]{{0,3}}\d)")

# Clause and sentence boundaries inside a sentence.
_CLAUSE_BREAK = "，,；;：:。！？!?\n"

# Words that may precede a subject at the start of a clause.
_SUBJECT_LEAD = re.compile(
    r"^(?:在|由|据|从|而|并|仅|且|但|其中|同时|此外|另外|目前|如今|现在|当前|今年|去年|近日|日前"
    rf"|(?:19|20)\d{{2}}年|[\d{_CN_DIGITS}十多近]+年来|今年以来|截至\S{{1,6}}?)*"
    r"[“「『\"]?$"
)

# Time anchors. Explicit years not followed by 以来/起 (periods) nor preceded by
# 到/至 (targets); relative anchors resolve to the article's year.
_YEAR = re.compile(
    r"(?<![到\d—–\-~～])(?<!(?<!截)至)((?:19|20)\d{2})年(?!以来|来|起|至|—|–|-|~|～)"
)
_CURRENT = re.compile(
    r"今年|本年|目前|现已|现有|截至目前|截至\d{1,2}月|[上下]半年|前[一二三四1-4]季度|"
    r"[一二三四1-4]季度|前\d{1,2}个?月|\d{1,2}\s*[~～—–\-至]\s*\d{1,2}月|近日|日前|近期"
)
_LAST_YEAR = re.compile(r"(?<![较比于])去年")  # 较去年 is a comparison, not an anchor
_THAT_YEAR = re.compile(r"当年|同年")
#: The four kinds of anchor in one pattern, so that a sentence is scanned once. No two
#: of them can match at or inside each other's matches (their first characters differ,
#: and the digit runs of _CURRENT are too short to start a year), so this finds what
#: the four find separately.
_ANCHOR = re.compile(
    "(?P<year>" + _YEAR.pattern.replace("((?:19|20)", "(?P<digits>(?:19|20)", 1) + ")"
    f"|(?P<current>{_CURRENT.pattern})|(?P<last>{_LAST_YEAR.pattern})"
    f"|(?P<that>{_THAT_YEAR.pattern})"
)
#: Every anchor contains one of these characters (年 前 已 有 月 度 日 期): text without
#: them needs no search with the long pattern above.
_ANCHOR_CHAR = re.compile("[年前已有月度日期]")
# A relative anchor does not date a target (日前…提出将用5年时间打造1000个).
_FUTURE = re.compile(r"将|计划|力争|预计|有望|争取|目标|用\d+年")
# A duration or plan period between the anchor and a figure makes it cumulative
# (近日…。三年来…累计投入3.6亿元): such figures carry a period, not a year.
_PERIOD = re.compile(rf"[\d{_CN_DIGITS}十]+年来|以来|期间|至今|过渡期")
# A clause that is only a time anchor (截至2021年底，/ 今年1~5月，) frames its sentence.
_MAX_FRAME_REST = 4

# Verbs, copulas and adverbs between a metric and its number (产值有望达到2亿元).
_METRIC_TAIL = re.compile(
    r"(?:有望|预计|将|可|已经|已|均|分别|累计|合计|总计|共计|共|计|达到|达|为|是|超过了?|"
    r"实现|有|了|至|到|约|近|逾|超)+$"
)
_METRIC_HEAD = re.compile(
    r"^(?:(?:19|20)\d{2}年|今年|目前|其中|同时|此外|仅|先后|累计|共|已|还|也|都|就|均|再)+"
)
_CHANGE_WORDS = re.compile(r"^(?:同比|环比)?(?:增长|下降|提高|降低|增加|减少|增速|增幅)$")
# Where the counted noun after a unit ends: punctuation, conjunctions, or the verb
# that follows it (1600余名…学生通过…, 155栋牧民新居建设完成).
_WHAT_STOP = re.compile(
    r"[，,。；;：:、（()）《》\s\d和与及的了]|(?:通过|谋划|推出|形成|制定|出台|发布|提出|安排|启动|赴|参加|实现|完成|进行|开展|用于|帮助|"
    r"提供|获得|带动|签约|入驻|落地|亮相|参展|了解|建设|奋战|组成|向|在|为|将|已|均|被|不|惠及|达成)"
)
_QUOTES = '“”‘’「」『』"'
_QUOTE_CHARS = re.compile(f"[{_QUOTES}]")
# Where the noun after a figure ends at the latest: the end of its clause.
_NOUN_CLAUSE_END = re.compile(r"[，,。；;：:]")
# Last characters of place names: a place and 的 come before the counted noun.
_PLACE_ENDINGS = "省市县区州盟旗乡镇村"
# Where a long metric may be cut to its last phrase.
_PHRASE_BREAK = "的、和及与"
_MAX_WHAT = 12
_MAX_BUNDLE_HEAD = 6
_EXACT_TOLERANCE = "0.005"
_ROUNDED_TOLERANCE = "0.05"
_MAX_LIST_GAP = 2  # 112项制度创新成果，38项已…: the second count shares the noun


# --- quantities -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit as written; ``start``/``end`` span the raw text."""

    start: int
    end: int
    value: str
    unit: str
    qualifier: str | None


_FULLWIDTH = tuple(zip("０１２３４５６７８９％．，", "0123456789%.,", strict=True))
_ANY_FULLWIDTH = re.compile("[０１２３４５６７８９％．，]")


def _halfwidth(text: str) -> str:
    """Full-width digits and marks as ASCII, character for character.

    str.replace per character is twenty times faster than str.translate on Chinese text;
    most texts have none of them, which one regex search tells.
    """
    if not _ANY_FULLWIDTH.search(text):
        return text
    for wide, narrow in _FULLWIDTH:
        if wide in text:
            text = text.replace(wide, narrow)
    return text


def _match_unit(text: str, pos: int) -> tuple[str, str, int] | None:
    """Read (magnitude, base unit, end) at ``pos``: the longest spelling wins.

    Ties go to the shorter magnitude, so 千米 is a unit and not 千 × 米.
    """
    # (most numbers have no magnitude, and most are followed by no unit: a lookup of
    # the next character spares the regexes, and without a magnitude there is one reading)
    if text[pos : pos + 1] not in _MAGNITUDE_CHARS:
        found = _UNIT.match(text, pos) if text[pos : pos + 1] in _UNIT_FIRST else None
        return ("", found.group(), found.end()) if found else None
    best: tuple[int, int, str, str] | None = None
    mag = _MAGNITUDE.match(text, pos).group()
    for cut in range(len(mag), -1, -1):
        magnitude = mag[:cut]
        rest = pos + cut
        if rest < len(text) and text[rest] in INNER_QUALIFIERS and magnitude:
            rest += 1  # 1.4万多人
        found = _UNIT.match(text, rest) if text[rest : rest + 1] in _UNIT_FIRST else None
        unit = found.group() if found else ""
        if not unit and not magnitude:
            continue
        length = rest + len(unit) - pos
        if best is None or length > best[0] or (length == best[0] and cut < best[1]):
            best = (length, cut, magnitude, unit)
    if best is None:
        return None
    length, _, magnitude, unit = best
    return magnitude, unit, pos + length


@functools.lru_cache(maxsize=4096)
def _chinese_value(numeral: str) -> str | None:
    """Convert a Chinese numeral with cn2an; runs of bare digits (两三, 一二) are vague.

    Cached: cn2an is slow, and articles write the same few numerals (三十, 一百).
    """
    digits = _CN_DIGITS[2:]
    if any(a in digits and b in digits for a, b in itertools.pairwise(numeral)):
        return None
    if numeral[0] in "百千":
        numeral = "一" + numeral
    try:
        return str(int(cn2an.cn2an(numeral, "smart")))
    except (ValueError, KeyError):
        return None


def _pre_qualifier(text: str, start: int, options: tuple[str, ...]) -> str | None:
    # a qualifier ends right before the number: most numbers are ruled out by one lookup
    if not start or text[start - 1] not in _QUALIFIER_ENDS:
        return None
    return next((q for q in options if start >= len(q) and text.startswith(q, start - len(q))),
                None)


def _candidates(norm: str) -> Iterator[tuple[int, int, str, bool]]:
    """Yield (start, end, value, bare) for every Arabic, Chinese or bare-magnitude number."""
    for m in _ARABIC.finditer(norm):
        yield m.start(), m.end(), m.group().replace(",", ""), False
    for m in _CN_NUMERAL.finditer(norm):
        numeral = m.group()
        if (
            len(numeral) == 1
            and numeral not in "百千"
            and norm[m.end() : m.end() + 1] not in "万亿"
        ):
            continue  # 两地, 三省, 一批: enumeration, not measurement (but 三万人 is)
        value = _chinese_value(numeral)
        if value is not None:
            yield m.start(), m.end(), value, numeral[0] in "百千"
    if "万" not in norm and "亿" not in norm:
        return  # no bare magnitude (上万亩, 近千万元)
    for m in _BARE.finditer(norm):
        if _pre_qualifier(norm, m.start(), BARE_QUALIFIERS):
            yield m.start(), m.start(), "1", True


def find_quantities(text: str) -> list[Quantity]:
    """Every number followed by an accepted unit, with lexical rejections applied.

    Lexical rejections need no context beyond a few characters: ordinals (第3),
    denominators (每100名), ranges (3—5个), ranks (前10名), vague or enumerating
    Chinese numerals (两三个, 三省), single items (1场活动) and units of time,
    age, rating or ratio. Codes such as C919 fall away for want of a unit.
    """
    norm = _halfwidth(text)
    found: list[Quantity] = []
    for start, end, value, bare in sorted(_candidates(norm)):
        if found and start < found[-1].end:
            continue
        q = _quantity_at(norm, start, end, value, bare)
        if q is not None:
            found.append(q)
    return found


def _quantity_at(norm: str, start: int, end: int, value: str, bare: bool) -> Quantity | None:
    """Read the unit and qualifiers around the number at [start, end), or reject it."""
    # the unit first: it rules out most numbers (years, dates, durations)
    pos, inner = end, None
    if pos < len(norm) and norm[pos] in INNER_QUALIFIERS:
        inner, pos = norm[pos], pos + 1
    unit_match = _match_unit(norm, pos)
    if unit_match is None:
        return None
    magnitude, unit, pos = unit_match
    if unit in REJECTED_UNITS or (not unit and not magnitude):
        return None
    if not magnitude and value in {"1", "0"}:
        return None  # 1场活动: a single item is a description, not a figure
    lo = max(0, start - _BEFORE_WINDOW)
    if _NOT_COUNT_BEFORE.search(norm, lo, start):  # an ordinal, a rank or a range
        return None
    pre = _pre_qualifier(norm, start, BARE_QUALIFIERS if bare else PRE_QUALIFIERS)
    if bare and pre is None:
        return None  # 百万亩 / 千家万户: idiom, not a count
    if unit in _RANK_UNITS and norm.endswith("前", 0, start):
        return None  # 前10名: a rank
    if inner is None:
        mid = norm[end + len(magnitude) : pos - len(unit)]
        inner = mid or None
    found = _POST_QUALIFIER.match(norm, pos)
    post = found.group() if found else None
    raw_end = pos + len(post) if post else pos
    if _RANGE_AFTER.match(norm, raw_end):
        return None
    qualifier = "…".join([q for q in (pre, inner, post) if q]) if pre or inner or post else None
    raw_start = start - len(pre) if pre else start
    return Quantity(raw_start, raw_end, value, magnitude + unit, qualifier)


# --- context ----------------------------------------------------------------------------------


def _blocked_spans(doc: Doc) -> list[tuple[int, int]]:
    """Spans whose numbers belong to a name: 《titles》, short quoted names, program names.

    A program named by its own size (…治理9个重大项目) keeps its count: the name
    ends in a count and a short head noun, so the number is what the name reports.
    """
    text = doc.text
    spans = [(m.start(), m.end()) for m in _TITLE.finditer(text)]
    spans += [(m.start(), m.end()) for m in _SHORT_QUOTE.finditer(text)]
    for program in doc.ex.programs:
        spans += [(m.start, m.end) for m in program.mentions if not _counted_bundle(m.surface)]
    return spans


@functools.lru_cache(maxsize=4096)
def _counted_bundle(name: str) -> bool:
    """True for names that end in a count and a short head noun (…9个重大项目)."""
    if not _ANY_NUMBER.search(name):
        return False  # most names hold no number at all
    qs = find_quantities(name)
    if not qs:
        return False
    last = qs[-1]
    tail = name[last.end :]
    return last.unit in COUNT_UNITS and 0 < len(tail) <= _MAX_BUNDLE_HEAD


class _Cover:
    """Spans, asked whether one of them contains [start, end), in O(log n).

    A figure is checked against every blocked span of the article; sorted starts
    and the running maximum of the ends answer without a pass over all of them.
    """

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [s for s, _ in spans]
        self.reach = list(itertools.accumulate((e for _, e in spans), max))

    def covers(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self.starts, start) - 1
        return i >= 0 and self.reach[i] >= end


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s <= start and end <= e for s, e in spans)


def _bounds(text: str, lo: int, hi: int, pos: int, breaks: str) -> tuple[int, int]:
    """The span between the break characters around ``pos``, within [lo, hi).

    Searched with regexes rather than by stepping through characters: this runs
    several times for every number of an article.
    """
    first_break, last_break = _break_patterns(breaks)
    start = pos
    if pos > lo:
        found = last_break.search(text, lo, pos)
        start = found.start() + 1 if found else lo
    end = pos
    if pos < hi:
        found = first_break.search(text, pos, hi)
        end = found.start() if found else hi
    return start, end


def _clause(doc: Doc, sent: Evidence, pos: int) -> tuple[int, int]:
    """:func:`_bounds` of the clause around ``pos`` in its sentence ``sent``.

    Remembered for the article (in ``doc.memo``): the checks of one figure (context,
    subject, year, label) each ask for its clause.
    """
    memo = doc.memo.setdefault("indicators.clause", {})
    found = memo.get((sent.start, pos))
    if found is None:
        found = memo[sent.start, pos] = _bounds(doc.text, sent.start, sent.end, pos, _CLAUSE_BREAK)
    return found


def _titles_in(doc: Doc, sent: Evidence) -> list[tuple[int, int]]:
    """Spans of the 《titles》 in a sentence, remembered for its other figures."""
    if doc.text.find("《", sent.start, sent.end) < 0:
        return []
    memo = doc.memo.setdefault("indicators.titles", {})
    found = memo.get(sent.start)
    if found is None:
        found = memo[sent.start] = [
            (m.start(), m.end()) for m in _TITLE.finditer(doc.text, sent.start, sent.end)]
    return found


@functools.cache
def _break_patterns(breaks: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Regexes for the first break character, and for the last one before the end."""
    chars = re.escape(breaks)
    return re.compile(f"[{chars}]"), re.compile(f"[{chars}][^{chars}]*+\\Z")


def _about_a_person(before: str, mention_ends: list[int], clause_start: int) -> bool:
    """A pronoun subject with no place named after it: the figure is about a person."""
    if not _PRONOUN_CHAR.search(before):
        return False  # (the pattern's look-behind makes it slow to search for nothing)
    hits = list(_PRONOUN.finditer(before))
    if not hits:
        return False
    last = clause_start + hits[-1].end()
    return not any(last <= e <= clause_start + len(before) for e in mention_ends)


def _context_rejects(doc: Doc, q: Quantity, sent: Evidence, mention_ends: list[int]) -> bool:
    """Reject distances, audiences and figures about a person, from the clause around ``q``."""
    text = doc.text
    c_start, _ = _clause(doc, sent, q.start)
    before = text[c_start : q.start]
    if q.unit.endswith(_LENGTH_UNITS):
        after = text[q.end : q.end + 2]
        if _DISTANCE_CONTEXT.search(before) or after.startswith(("外", "以外", "处")):
            return True
    if _ORIGIN.search(before):
        return True
    return _about_a_person(before, mention_ends, c_start)


def _pairing_lists(doc: Doc, quantities: list[Quantity], mention_starts: set[int]) -> set[int]:
    """Start offsets of counts in a pairing list: a clause whose verb is 结对 and
    which states two or more counts."""
    text = doc.text
    if not _PAIR_WORD.search(text):
        return set()  # no clause pairs anything
    clauses: dict[tuple[int, int], list[Quantity]] = {}
    for q in quantities:
        sent = doc.sents.at(q.start)
        clause = _clause(doc, sent, q.start)
        clauses.setdefault(clause, []).append(q)
    dropped: set[int] = set()
    for (s, e), qs in clauses.items():
        if len(qs) >= 2 and _pairs_as_verb(text, s, e, mention_starts):
            dropped.update(q.start for q in qs)
    return dropped


def _pairs_as_verb(text: str, start: int, end: int, mention_starts: set[int]) -> bool:
    """结对 closes the clause, or takes a named place or a count as its object."""
    clause = text[start:end]
    if _PAIR_VERB.search(clause):
        return True
    return any(start + m.end() in mention_starts for m in _PAIR_WORD.finditer(clause))


# --- subjects ---------------------------------------------------------------------------------


@dataclass(slots=True)  # never changed; not frozen, which makes creating one 4x slower
class _Span:
    start: int
    end: int
    label: str


# Figures said of the whole country belong to no region of the article.
_NATIONAL = re.compile(r"全国|国家统计局|全球|世界")


class Subjects:
    """Resolve the region or program a figure is said of.

    Preference, within the figure's sentence: a place that frames the sentence
    (在林芝市，…), else the nearest preceding mention that opens a clause (the
    grammatical subject), else the nearest preceding mention; failing all, the
    subject of the latest earlier sentence of the paragraph that had one, and
    finally the article's most-mentioned region. Nested names resolve to the
    outer one (道孚县 inside a park's name → the park) and adjacent ones to the
    last (浙江省金华市婺城区 → 婺城区).
    """

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.spans = _chains(_outermost(_mention_spans(doc)))
        self.starts = [s.start for s in self.spans]
        self.main = _most_mentioned(doc)
        # answers per (sentence, span) and per sentence: the figures of one sentence ask
        # about the same mentions, and every figure may ask about earlier sentences
        self._opens: dict[tuple[int, int], bool] = {}
        self._topics: dict[int, str | None] = {}

    @property
    def empty(self) -> bool:
        return not self.spans and self.main is None

    def ends(self) -> list[int]:
        return [s.end for s in self.spans]

    def _in_sentence(self, sent: Evidence, before: int) -> list[_Span]:
        lo = bisect.bisect_left(self.starts, sent.start)
        hi = bisect.bisect_left(self.starts, sent.end, lo)
        return [s for s in self.spans[lo:hi] if s.end <= before]

    def _opens_clause(self, span: _Span, sent: Evidence) -> bool:
        known = self._opens.get((sent.start, span.start))
        if known is None:
            c_start, _ = _clause(self.doc, sent, span.start)
            known = bool(_SUBJECT_LEAD.match(self.doc.text[c_start : span.start]))
            self._opens[sent.start, span.start] = known
        return known

    def topic(self, sent: Evidence) -> str | None:
        """The sentence's grammatical subject: its first clause-opening mention."""
        if sent.start not in self._topics:
            self._topics[sent.start] = next(
                (s.label for s in self._in_sentence(sent, sent.end) if self._opens_clause(s, sent)),
                None,
            )
        return self._topics[sent.start]

    def resolve(self, pos: int, sent: Evidence | None = None) -> str | None:
        """The subject of a figure at ``pos`` (in ``sent``, its sentence, when known)."""
        sent = sent or self.doc.sents.at(pos)
        preceding = self._in_sentence(sent, pos)
        if preceding and self._is_frame(preceding[0], sent):
            return preceding[0].label
        for span in reversed(preceding):
            if self._opens_clause(span, sent):
                return span.label
        if preceding:
            return preceding[-1].label
        if not self._in_sentence(sent, sent.end) and _NATIONAL.search(
                self.doc.text, sent.start, pos):
            return None  # 全国…增长5.9%: a national figure, not one of the article's places
        return self._earlier_topic(sent) or self.main

    def _is_frame(self, span: _Span, sent: Evidence) -> bool:
        """在林芝市，… : a sentence opened by a place frames all its figures."""
        text = self.doc.text
        return (
            text.startswith("在", sent.start)
            and span.start == sent.start + 1
            and text[span.end : span.end + 1] in ("，", ",")
        )

    def _earlier_topic(self, sent: Evidence) -> str | None:
        """The topic of the latest earlier sentence of the same paragraph."""
        spans = self.doc.sents.spans
        i = self.doc.sents.index(sent)
        i = len(spans) if i is None else i
        for earlier, later in zip(reversed(spans[:i]), reversed(spans[1 : i + 1]), strict=True):
            if "\n" in self.doc.text[earlier.end : later.start]:
                return None
            label = self.topic(earlier)
            if label:
                return label
        return None


def _most_mentioned(doc: Doc) -> str | None:
    """The article's main subject: its most-mentioned region, else program, else strategy.

    A strategy (对口支援西藏) is what the figures serve, not what they measure, so
    it is a subject only for an article that names nothing else.
    """
    for items in (doc.ex.regions, doc.ex.programs, doc.ex.strategies):
        counts = {item.label: len(item.mentions) for item in items}
        if counts:  # the first of the most mentioned, as Counter.most_common(1) picks
            return max(counts, key=counts.__getitem__)
    return None


def _mention_spans(doc: Doc) -> list[_Span]:
    """Mentions of regions and programs, plus 《short title》 back-references."""
    spans = [_Span(m.start, m.end, r.label) for r in doc.ex.regions for m in r.mentions]
    spans += [_Span(m.start, m.end, p.label) for p in doc.ex.programs for m in p.mentions]
    spans += _title_references(doc, spans)
    return sorted(spans, key=lambda s: (s.start, -s.end))


_SHORT_TITLE = re.compile(r"《([^《》]{1,12})》")


def _title_references(doc: Doc, known: list[_Span]) -> list[_Span]:
    """《方案》 / 《实施方案》 refer back to the latest program whose name ends that way."""
    found: list[_Span] = []
    if "《" not in doc.text:
        return found
    cover = _Cover([(s.start, s.end) for s in known])
    for m in _SHORT_TITLE.finditer(doc.text):
        if cover.covers(m.start(), m.end()):
            continue
        short = m.group(1)
        named = [
            (pm.start, p.label)
            for p in doc.ex.programs
            for pm in p.mentions
            if pm.start < m.start() and p.label != short and p.label.endswith(short)
        ]
        if named:
            found.append(_Span(m.start(), m.end(), max(named)[1]))
    return found


def _outermost(spans: list[_Span]) -> list[_Span]:
    """Drop mentions nested inside a longer one (the region inside a park's name)."""
    out: list[_Span] = []
    for s in spans:
        if out and out[-1].start <= s.start and s.end <= out[-1].end:
            continue
        out.append(s)
    return out


def _chains(spans: list[_Span]) -> list[_Span]:
    """Merge adjacent mentions into one span labelled by the last (the most specific)."""
    out: list[_Span] = []
    for s in spans:
        if out and s.start <= out[-1].end:
            prev = out[-1]
            out[-1] = _Span(prev.start, max(prev.end, s.end), s.label)
        else:
            out.append(s)
    return out


# --- year and label ---------------------------------------------------------------------------


def _article_year(doc: Doc) -> int | None:
    return _year_of(doc.article.date or "")


@functools.lru_cache(maxsize=1024)
def _year_of(date: str) -> int | None:
    """The year a date starts with; cached, as every time anchor of an article asks."""
    m = re.match(r"\s*((?:19|20)\d{2})", date)
    return int(m.group(1)) if m else None


@dataclass(slots=True)  # never changed; not frozen, which makes creating one 4x slower
class _Anchor:
    start: int
    end: int
    year: int | None
    relative: bool


def _anchors(doc: Doc, start: int, end: int) -> list[_Anchor]:
    """Time anchors in text[start:end], in order: explicit years and relative words."""
    text = doc.text
    found: list[_Anchor] = []
    if not _ANCHOR_CHAR.search(text, start, end):
        return found
    for m in _ANCHOR.finditer(text, start, end):
        if m.group("digits") is not None:
            found.append(_Anchor(m.start(), m.end(), int(m.group("digits")), False))
            continue
        this_year = _article_year(doc)
        if m.group("current") is not None:
            found.append(_Anchor(m.start(), m.end(), this_year, True))
        elif m.group("last") is not None:
            found.append(_Anchor(m.start(), m.end(), this_year - 1 if this_year else None, True))
        else:
            stated = [int(y.group(1)) for y in _YEAR.finditer(text, 0, m.start())]
            found.append(_Anchor(m.start(), m.end(), stated[-1] if stated else this_year, True))
    return found


def _is_frame(start: int, end: int, anchors: list[_Anchor]) -> bool:
    """True when the clause text[start:end] is nothing but a time anchor."""
    inside = [a for a in anchors if start <= a.start and a.end <= end]
    if not inside:
        return False
    rest = (end - start) - sum(a.end - a.start for a in inside)
    return rest <= _MAX_FRAME_REST


def _dated(doc: Doc, anchor: _Anchor, pos: int) -> int | None:
    """The anchor's year for a figure at ``pos``; relative anchors date neither
    targets nor cumulative figures."""
    if anchor.relative and (
        _FUTURE.search(doc.text, anchor.end, pos) or _PERIOD.search(doc.text, anchor.end, pos)
    ):
        return None
    return anchor.year


def _year(doc: Doc, q: Quantity, sent: Evidence, carried: int | None) -> int | None:
    """The anchored year of a figure.

    An anchor counts when it stands in the figure's own clause before it
    (2023年产值有望达到2亿元), or forms a clause of its own earlier in the
    sentence (截至2021年底，…); failing both, a topic sentence's anchor carries.
    """
    text = doc.text
    titles = _titles_in(doc, sent)
    anchors = _anchors(doc, sent.start, q.start)
    if titles:
        anchors = [a for a in anchors if not _inside(titles, a.start, a.end)]
    c_start, _ = _clause(doc, sent, q.start)
    own = [a for a in anchors if a.start >= c_start]
    if own:
        return _dated(doc, own[-1], q.start)
    for a in reversed(anchors):
        a_start, a_end = _clause(doc, sent, a.start)
        if _is_frame(a_start, a_end, anchors):
            return _dated(doc, a, q.start)
    if _PERIOD.search(text, sent.start, q.start):
        return None
    return carried


def _topic_anchor(doc: Doc, sent: Evidence) -> int | None:
    """A sentence that opens with a time frame and states no figure sets the period
    for the next one (今年上半年，西部地区…取得新进展。…开行5536列)."""
    _, c_end = _clause(doc, sent, sent.start)
    anchors = _anchors(doc, sent.start, c_end)
    if anchors and _is_frame(sent.start, c_end, anchors):
        return anchors[-1].year
    return None


@dataclass(slots=True)  # never changed; not frozen, which makes creating one 4x slower
class _Labelled:
    """Where an accepted figure ends and what it was labelled, for the next one."""

    sentence: int
    end: int
    what: str


def _what(
    doc: Doc,
    q: Quantity,
    sent: Evidence,
    previous: _Labelled | None,
    spans: list[tuple[int, int]],
) -> str:
    """What the figure counts: the noun after the unit, else the metric before it.

    The noun may follow a place and 的 (…婺城区和道孚县的学生). The metric starts
    after the last region or program named in the clause (浦东固定资产投资 →
    固定资产投资). A figure listed right after another (分别达到24%、14.1%) shares
    its label, and a bare change word (同比增长) borrows the previous metric.
    """
    text = doc.text
    listed = previous is not None and text[previous.end : q.start] in ("、", "和", "及", "与")
    noun = _noun_after(text[q.end : sent.end])
    if noun and (q.unit not in SHARE_UNITS or text.startswith("的", q.end)):
        return noun
    if listed and previous is not None:
        return previous.what
    metric = _metric_before(doc, q, sent, spans)
    if previous and _CHANGE_WORDS.match(metric):
        metric = previous.what + metric
    if metric or noun:
        return metric or noun
    if previous is not None:
        between = text[previous.end : q.start].replace(previous.what, "", 1)
        if len(between) <= _MAX_LIST_GAP:
            return previous.what
    return q.unit


def _noun_after(after: str) -> str:
    after = after.removeprefix("的")
    stop = _NOUN_CLAUSE_END.search(after)
    clause = after[: stop.start()] if stop else after
    de = clause.find("的")
    if (
        0 < de < _MAX_WHAT
        and clause[de - 1] in _PLACE_ENDINGS
        and not clause[:de].endswith("地区")
        and not clause[de + 1 : de + 2].isdigit()
    ):
        clause = clause[de + 1 :]  # 婺城区和道孚县的学生 → 学生
    clause = _QUOTE_CHARS.sub("", clause)
    stop = _WHAT_STOP.search(clause)
    return clause[: stop.start() if stop else len(clause)][:_MAX_WHAT]


def _metric_before(doc: Doc, q: Quantity, sent: Evidence, spans: list[tuple[int, int]]) -> str:
    """The clause text between the last mention and the figure; when the figure
    follows the mention directly (安排产业援藏项目229个), the mention itself."""
    text = doc.text
    c_start, _ = _clause(doc, sent, q.start)
    # spans (the subjects' mentions) are sorted by start: only those starting in the
    # clause up to the figure can end before it
    lo = bisect.bisect_left(spans, c_start, key=_start)
    hi = bisect.bisect_right(spans, q.start, lo, key=_start)
    named = [(s, e) for s, e in spans[lo:hi] if e <= q.start]
    if not named:
        return _tidy_metric(text[c_start : q.start])
    last_start, last_end = named[-1]
    return _tidy_metric(text[last_end : q.start]) or _tidy_metric(text[last_start:last_end])


def _start(span: tuple[int, int]) -> int:
    return span[0]


def _tidy_metric(span: str) -> str:
    metric = _METRIC_HEAD.sub("", _METRIC_TAIL.sub("", span.strip()))
    metric = _QUOTE_CHARS.sub("", metric)
    if len(metric) > _MAX_WHAT:
        tail = metric[-_MAX_WHAT:]
        cut = max(tail.rfind(ch) for ch in _PHRASE_BREAK)
        metric = tail[cut + 1 :] if 0 <= cut < len(tail) - 2 else tail
    return metric


def _is_heading(doc: Doc, sent: Evidence) -> bool:
    """A line of its own without a final stop: a headline or subheading."""
    text = doc.text
    own_line = (sent.start == 0 or text[sent.start - 1] == "\n") and (
        sent.end == len(text) or text[sent.end] == "\n"
    )
    return own_line and not sent.quote.endswith(("。", "！", "？", "!", "?", "”", "…"))


def _drop_headline_repeats(doc: Doc, found: list[Indicator]) -> list[Indicator]:
    """Headlines repeat the figures of the body; keep the body's statement only.

    A headline may round its figure (超72亿件 for 72.31亿件): a qualified headline
    figure repeats a body figure within a wider tolerance.
    """
    body = [(i.value, i.unit) for i in found if not _is_heading(doc, i.evidence)]

    def repeated(i: Indicator) -> bool:
        tolerance = _ROUNDED_TOLERANCE if i.qualifier else _EXACT_TOLERANCE
        return any(same_quantity((i.value, i.unit), b, tolerance) for b in body)

    return [i for i in found if not (_is_heading(doc, i.evidence) and repeated(i))]


# --- entry point ------------------------------------------------------------------------------


def extract_indicators(doc: Doc) -> list[Indicator]:
    """Find the indicators of an article, each tied to a region, zone or program."""
    subjects = Subjects(doc)
    if subjects.empty:
        return []
    quantities = find_quantities(doc.text)
    if not quantities:
        return []
    blocked = _Cover(_blocked_spans(doc))
    ends = subjects.ends()
    named = [(s.start, s.end) for s in subjects.spans]
    paired = _pairing_lists(doc, quantities, {s.start for s in subjects.spans})
    found: list[Indicator] = []
    labelled: list[_Labelled] = []
    carried: dict[int, int | None] = {}
    for q in quantities:
        sent = doc.sents.at(q.start)
        if q.start in paired or blocked.covers(q.start, q.end):
            continue
        if _context_rejects(doc, q, sent, ends):
            continue
        subject = subjects.resolve(q.start, sent)
        if subject is None:
            continue
        if sent.start not in carried:
            carried[sent.start] = _carried_year(doc, sent, quantities)
        previous = labelled[-1] if labelled and labelled[-1].sentence == sent.start else None
        what = _what(doc, q, sent, previous, named)
        labelled.append(_Labelled(sent.start, q.end, what))
        found.append(
            Indicator(
                subject=subject,
                value=q.value,
                unit=q.unit,
                what=what,
                evidence=sent,
                year=_year(doc, q, sent, carried[sent.start]),
                qualifier=q.qualifier,
                raw=doc.text[q.start : q.end],
            )
        )
    return _drop_headline_repeats(doc, found)


def _carried_year(doc: Doc, sent: Evidence, quantities: list[Quantity]) -> int | None:
    """The anchor of the previous sentence when it is a figure-free topic sentence."""
    spans = doc.sents.spans
    i = doc.sents.index(sent) or 0
    if i == 0:
        return None
    prev = spans[i - 1]
    if "\n" in doc.text[prev.end : sent.start]:
        return None  # a new paragraph starts a new topic
    if any(prev.start <= q.start < prev.end for q in quantities):
        return None
    return _topic_anchor(doc, prev)
