"""Indicator extraction on short hand-written sentences, one rule per test."""

from __future__ import annotations

import re

import pytest

from kg.extract.doc import Doc
from kg.extract.indicators import extract_indicators, find_quantities
from kg.model import Article, Indicator, Mention, Program, Region


def _mentions(doc: Doc, surfaces: list[str]) -> list[Mention]:
    found = []
    for surface in surfaces:
        for m in re.finditer(re.escape(surface), doc.text):
            found.append(Mention(surface, m.start(), m.end(), doc.sents.at(m.start())))
    return sorted(found, key=lambda m: m.start)


def make_doc(
    text: str,
    regions: dict[str, list[str]] | None = None,
    programs: dict[str, list[str]] | None = None,
    date: str | None = "2024-06-30",
) -> Doc:
    """A Doc whose regions and programs are given as label → surfaces found by substring."""
    doc = Doc(Article(title="测试", text=text, date=date))
    doc.ex.regions = [
        Region(label, "county", mentions=_mentions(doc, surfaces))
        for label, surfaces in (regions or {}).items()
    ]
    doc.ex.programs = [
        Program(label, "project", mentions=_mentions(doc, surfaces))
        for label, surfaces in (programs or {}).items()
    ]
    return doc


def by_raw(items: list[Indicator]) -> dict[str, Indicator]:
    return {i.raw: i for i in items}


# --- values, units and qualifiers ---------------------------------------------------------------


def test_values_are_kept_as_written_with_the_magnitude_in_the_unit():
    doc = make_doc(
        "青山县今年完成投资3.5亿元，新增企业42家，带动就业1.2万人次。", {"青山县": ["青山县"]}
    )
    found = by_raw(extract_indicators(doc))
    assert (found["3.5亿元"].value, found["3.5亿元"].unit) == ("3.5", "亿元")
    assert (found["42家"].value, found["42家"].unit) == ("42", "家")
    assert (found["1.2万人次"].value, found["1.2万人次"].unit) == ("1.2", "万人次")


@pytest.mark.parametrize(
    ("raw", "value", "unit", "qualifier"),
    [
        ("2600余万元", "2600", "万元", "余"),
        ("1.5万多人", "1.5", "万人", "多"),
        ("超过80亿元", "80", "亿元", "超过"),
        ("近300个", "300", "个", "近"),
        ("约45%", "45", "%", "约"),
        ("逾20项", "20", "项", "逾"),
        ("600个以上", "600", "个", "以上"),
    ],
)
def test_qualifiers_are_dropped_from_the_value(raw, value, unit, qualifier):
    doc = make_doc(f"青山县累计落实{raw}。", {"青山县": ["青山县"]})
    [ind] = extract_indicators(doc)
    assert (ind.raw, ind.value, ind.unit, ind.qualifier) == (raw, value, unit, qualifier)


def test_chinese_numerals_are_converted():
    doc = make_doc(
        "青山县帮扶资金近千万元，培训农民两千名，引进企业二十多家。", {"青山县": ["青山县"]}
    )
    found = by_raw(extract_indicators(doc))
    assert (found["近千万元"].value, found["近千万元"].unit) == ("1000", "万元")
    assert found["两千名"].value == "2000"
    assert (found["二十多家"].value, found["二十多家"].qualifier) == ("20", "多")


def test_single_chinese_digits_enumerate_rather_than_measure():
    doc = make_doc("两地签署三项协议，召开一次会议，青山县在五个方面发力。", {"青山县": ["青山县"]})
    assert extract_indicators(doc) == []


def test_percentages_and_growth():
    doc = make_doc("上半年，临江市工业产值增长12.5%，占全省比重达到8%。", {"临江市": ["临江市"]})
    found = by_raw(extract_indicators(doc))
    assert found["12.5%"].unit == "%"
    assert found["12.5%"].what.endswith("增长")
    assert found["8%"].value == "8"


def test_a_latin_abbreviation_before_the_number_does_not_hide_it():
    doc = make_doc("临江市实现GDP1.2万亿元。", {"临江市": ["临江市"]})
    [ind] = extract_indicators(doc)
    assert (ind.value, ind.unit) == ("1.2", "万亿元")


def test_full_width_digits_are_read():
    doc = make_doc("临江市新建厂房１２栋。", {"临江市": ["临江市"]})
    [ind] = extract_indicators(doc)
    assert (ind.value, ind.unit, ind.raw) == ("12", "栋", "１２栋")


# --- what is not an indicator -----------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "2022年3月，青山县启动改革。",  # a date
        "两年来，青山县持续推进协作。",  # a duration
        "青山县连续5年保持增长。",  # a duration in digits
        "青山县举办第3届农民节。",  # an ordinal
        "青山县迎来建县60周年。",  # an anniversary
        "青山县一名58岁的干部获表彰。",  # an age
        "青山县距省城约320公里。",  # a distance
        "青山县城海拔2600米。",  # a height
        "青山县到省城的车程缩短至90分钟。",  # a travel time
        "青山县入选全国前10名。",  # a rank
        "青山县每年新建3—5个示范村。",  # a range
        "青山县粮食产量达到50万～60万吨。",  # a range with magnitudes: neither end
        "青山县投资1.5亿至2亿元建设园区。",  # the same with 至
        "青山县举办了1场推介会。",  # a single event is a description
        "青山县产值增长了1.5倍。",  # a ratio without base
        "青山县推出“5G+3D”服务。",  # a slogan
        "青山县等5部门联合印发通知。",  # the issuers of a document
    ],
)
def test_non_indicators_are_rejected(sentence):
    assert extract_indicators(make_doc(sentence, {"青山县": ["青山县"]})) == []


def test_numbers_inside_titles_and_program_names_are_rejected():
    text = "青山县印发《青山县2024年乡村建设30条措施》，实施千亩茶园500千伏输变电工程。"
    doc = make_doc(
        text,
        {"青山县": ["青山县"]},
        {"500千伏输变电工程": ["500千伏输变电工程"]},
    )
    assert extract_indicators(doc) == []


def test_a_program_named_by_its_count_keeps_the_count():
    doc = make_doc(
        "三县共同启动生态修复12个重点项目。",
        {"青山县": ["三县"]},
        {"生态修复12个重点项目": ["生态修复12个重点项目"]},
    )
    [ind] = extract_indicators(doc)
    assert (ind.value, ind.unit) == ("12", "个")


def test_pairing_lists_are_measures_not_figures():
    text = "临江市6所学校、3所医院与青山县6所学校、3所医院结对；临江市培训教师800名。"
    doc = make_doc(text, {"临江市": ["临江市"], "青山县": ["青山县"]})
    assert [i.raw for i in extract_indicators(doc)] == ["800名"]


def test_a_counted_pairing_relationship_is_a_figure():
    text = "今后临江市将保持东部5个县与西部7个县的结对帮扶关系。"
    doc = make_doc(text, {"临江市": ["临江市"]})
    assert [i.raw for i in extract_indicators(doc)] == ["5个", "7个"]


def test_figures_about_a_person_are_rejected():
    text = "青山县农户老李说，他们3人都外出务工，他家新房有120平方米。"
    assert extract_indicators(make_doc(text, {"青山县": ["青山县"]})) == []


def test_an_audience_from_many_countries_is_not_a_figure():
    text = "临江市博览会开幕，来自30多个国家的500余名客商参加。"
    assert extract_indicators(make_doc(text, {"临江市": ["临江市"]})) == []


def test_an_article_without_any_place_or_program_has_no_indicators():
    assert extract_indicators(make_doc("全年完成投资3亿元。")) == []


def test_headline_figures_repeated_in_the_body_are_kept_once():
    text = "临江市前5月引资120亿元\n今年前5个月，临江市引进资金120亿元，同比增长15%。"
    found = extract_indicators(make_doc(text, {"临江市": ["临江市"]}))
    assert [i.raw for i in found] == ["120亿元", "15%"]
    assert found[0].evidence.quote.startswith("今年")


def test_a_rounded_headline_figure_repeats_the_body():
    text = "临江港吞吐量超5亿吨\n今年以来，临江港完成货物吞吐量5.12亿吨。"
    found = extract_indicators(make_doc(text, {"临江市": ["临江港"]}))
    assert [i.raw for i in found] == ["5.12亿吨"]


# --- years ------------------------------------------------------------------------------------


def test_an_explicit_year_in_the_clause_anchors_the_figure():
    doc = make_doc("青山县产业园入驻企业9家，2025年产值有望达到3亿元。", {"青山县": ["青山县"]})
    found = by_raw(extract_indicators(doc))
    assert found["3亿元"].year == 2025
    assert found["9家"].year is None


def test_a_time_frame_clause_anchors_the_whole_sentence():
    doc = make_doc("截至2023年底，临江市建成基站2100个，覆盖率达98%。", {"临江市": ["临江市"]})
    assert {i.raw: i.year for i in extract_indicators(doc)} == {"2100个": 2023, "98%": 2023}


def test_relative_anchors_take_the_article_year_when_it_is_known():
    text = "今年1~5月，临江市外贸出口额达到56亿元。"
    [dated] = extract_indicators(make_doc(text, {"临江市": ["临江市"]}, date="2023-06-10"))
    assert dated.year == 2023
    [undated] = extract_indicators(make_doc(text, {"临江市": ["临江市"]}, date=None))
    assert undated.year is None


def test_years_inside_titles_targets_and_periods_do_not_anchor():
    text = (
        "近日，临江市出台《临江市2024年招商方案》，提出将新建园区6个。"
        "三年来，临江市累计投入资金8亿元。力争到2027年，临江市引进企业300家。"
    )
    found = by_raw(extract_indicators(make_doc(text, {"临江市": ["临江市"]})))
    assert found["6个"].year is None
    assert found["8亿元"].year is None
    assert found["300家"].year is None


def test_that_year_refers_to_the_last_stated_year():
    text = "2019年5月，临江市启动结对帮扶。当年8月，临江市向青山县捐赠树苗20万株。"
    doc = make_doc(text, {"临江市": ["临江市"], "青山县": ["青山县"]})
    assert extract_indicators(doc)[0].year == 2019


def test_a_topic_sentence_sets_the_period_of_the_next():
    text = "今年上半年，临江市开放型经济稳中有进。临江港开行班列830列，同比增长9.1%。"
    found = extract_indicators(make_doc(text, {"临江市": ["临江市", "临江港"]}))
    assert [i.year for i in found] == [2024, 2024]


# --- subjects ---------------------------------------------------------------------------------


def test_subject_is_the_region_at_the_start_of_the_sentence():
    text = "临江市累计组织干部群众4500人次采购青山县农产品，采购金额合计近600万元。"
    found = extract_indicators(make_doc(text, {"临江市": ["临江市"], "青山县": ["青山县"]}))
    assert [i.subject for i in found] == ["临江市", "临江市"]


def test_a_program_containing_a_place_name_is_the_subject():
    text = "目前，青山县生态农业园已完成建设，入驻企业11家，提供岗位300余个。"
    doc = make_doc(text, {"青山县": ["青山县"]}, {"青山县生态农业园": ["青山县生态农业园"]})
    assert {i.subject for i in extract_indicators(doc)} == {"青山县生态农业园"}


def test_a_short_title_refers_back_to_the_named_plan():
    text = (
        "临江市与青山县联合印发《临青两地协同发展工作方案》。"
        "据悉，《方案》从4个方面部署了21项重点任务。"
    )
    doc = make_doc(
        text,
        {"临江市": ["临江市"], "青山县": ["青山县"]},
        {"临青两地协同发展工作方案": ["临青两地协同发展工作方案"]},
    )
    found = by_raw(extract_indicators(doc))
    assert found["21项"].subject == "临青两地协同发展工作方案"


def test_the_first_of_two_coordinated_places_is_the_subject():
    text = "临江市与青山县近日就文旅等领域的46个项目达成合作。"
    doc = make_doc(text, {"临江市": ["临江市"], "青山县": ["青山县"]})
    assert extract_indicators(doc)[0].subject == "临江市"


def test_a_place_that_frames_the_sentence_is_the_subject():
    text = "在青山县，临江市援建团队帮助当地制定了9项茶叶标准。"
    doc = make_doc(text, {"临江市": ["临江市"], "青山县": ["青山县"]})
    assert extract_indicators(doc)[0].subject == "青山县"


def test_subject_falls_back_to_the_previous_sentence_then_the_main_region():
    text = "青山县大力发展特色产业。全县新增合作社35家。\n县里还新建冷库14座。"
    doc = make_doc(text, {"青山县": ["青山县"], "临江市": []})
    assert [i.subject for i in extract_indicators(doc)] == ["青山县", "青山县"]


# --- evidence ---------------------------------------------------------------------------------


def test_evidence_is_the_containing_sentence_and_slices_the_text():
    text = "临江市经济稳步发展。\n今年临江市新增市场主体2.3万户，增长6.4%。"
    doc = make_doc(text, {"临江市": ["临江市"]})
    found = extract_indicators(doc)
    assert len(found) == 2
    for ind in found:
        ev = ind.evidence
        assert doc.text[ev.start : ev.end] == ev.quote
        assert ind.raw in ev.quote
        assert ev.quote.startswith("今年临江市")


def test_what_names_the_counted_noun_or_the_metric():
    text = "临江市为群众提供800余个就业岗位，固定资产投资超过95亿元。"
    found = by_raw(extract_indicators(make_doc(text, {"临江市": ["临江市"]})))
    assert found["800余个"].what == "就业岗位"
    assert found["超过95亿元"].what == "固定资产投资"


def test_find_quantities_reads_units_and_rejects_time():
    quantities = find_quantities("项目3个月完工，年产能20万吨，总长6千米，输送电量超50亿千瓦时。")
    assert [(q.value, q.unit) for q in quantities] == [
        ("20", "万吨"),
        ("6", "千米"),
        ("50", "亿千瓦时"),
    ]


def test_national_figures_have_no_regional_subject() -> None:
    from helpers import doc_with_regions

    from kg.extract.indicators import extract_indicators

    doc = doc_with_regions("江苏省召开会议。\n国家统计局发布数据，全国社会消费品零售总额8373亿元。")
    assert extract_indicators(doc) == []


def test_vehicle_trips_are_one_unit() -> None:
    from helpers import doc_with_regions

    from kg.extract.indicators import extract_indicators

    doc = doc_with_regions("今年以来，重庆市中欧班列开行班列超过1200辆次。")
    (ind,) = extract_indicators(doc)
    assert (ind.value, ind.unit) == ("1200", "辆次")


def test_clause_bounds_and_covering_spans_match_plain_scans() -> None:
    import random

    from kg.extract.indicators import _CLAUSE_BREAK, _bounds, _Cover, _inside

    rnd = random.Random(5)
    for _ in range(500):
        text = "".join(rnd.choice("甲乙，。；\n") for _ in range(rnd.randint(1, 30)))
        lo = rnd.randint(0, len(text))
        hi = rnd.randint(lo, len(text))
        pos = rnd.randint(0, len(text))
        start = pos
        while start > lo and text[start - 1] not in _CLAUSE_BREAK:
            start -= 1
        end = pos
        while end < hi and text[end] not in _CLAUSE_BREAK:
            end += 1
        assert _bounds(text, lo, hi, pos, _CLAUSE_BREAK) == (start, end)
    for _ in range(500):
        spans = [(s, s + rnd.randint(1, 9)) for s in rnd.sample(range(40), rnd.randint(0, 6))]
        a = rnd.randint(0, 45)
        b = a + rnd.randint(0, 5)
        assert _Cover(spans).covers(a, b) == _inside(spans, a, b)


def test_a_qualifier_is_only_read_before_the_number():
    """A number at the very start of a text has no qualifier, whatever the text ends with."""
    from kg.extract.indicators import PRE_QUALIFIERS, _pre_qualifier

    text = "120万元投入道孚县，总额约"
    assert _pre_qualifier(text, 0, PRE_QUALIFIERS) is None
    assert _pre_qualifier("投资约120万元", 3, PRE_QUALIFIERS) == "约"


def test_one_anchor_pattern_finds_what_the_four_find() -> None:
    """_ANCHOR scans once for what _YEAR, _CURRENT, _LAST_YEAR and _THAT_YEAR find."""
    import random

    from kg.extract.indicators import (
        _ANCHOR,
        _ANCHOR_CHAR,
        _CURRENT,
        _LAST_YEAR,
        _THAT_YEAR,
        _YEAR,
    )

    pieces = ["2021", "2023", "19", "年", "月", "日", "今", "去", "当", "同", "截至", "至", "到",
              "较", "以来", "前", "3", "个", "季度", "上半", "近", "期", "目前", "-", "～", " ",
              "甲", "，", "现已", "12"]
    rnd = random.Random(7)
    for _ in range(3000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(1, 12)))
        start = rnd.randint(0, len(text))
        end = rnd.randint(start, len(text))
        separate = sorted(
            m.span() for p in (_YEAR, _CURRENT, _LAST_YEAR, _THAT_YEAR)
            for m in p.finditer(text, start, end))
        assert [m.span() for m in _ANCHOR.finditer(text, start, end)] == separate
        if separate:
            assert _ANCHOR_CHAR.search(text, start, end)


def test_unit_reading_without_magnitude_matches_the_general_reading() -> None:
    from kg.extract.indicators import _match_unit

    for text, pos, expected in [
        ("3个项目", 1, ("", "个", 2)),
        ("3项", 1, ("", "项", 2)),
        ("3甲", 1, None),
        ("3", 1, None),
        ("3万元", 1, ("万", "元", 3)),
        ("3千米", 1, ("", "千米", 3)),
        ("3万多人", 1, ("万", "人", 4)),
    ]:
        assert _match_unit(text, pos) == expected
