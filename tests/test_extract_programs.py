"""Programs: titled documents, back-references, named projects and their boundaries.

All texts here are written for these tests.
"""

from __future__ import annotations

from helpers import doc_with_marked_regions, mentions_of

from kg.extract.doc import Doc
from kg.extract.programs import extract_programs, title_kind
from kg.model import Strategy


def _doc(
    text: str, regions: dict[str, str] | None = None, strategies: list[str] | None = None
) -> Doc:
    """A Doc with regions (surface -> kind) and strategies marked wherever they occur."""
    doc = doc_with_marked_regions(text, regions)
    for label in strategies or []:
        doc.ex.strategies.append(Strategy(label=label, mentions=mentions_of(doc, label)))
    return doc


def _by_label(programs):
    return {p.label: p for p in programs}


def test_title_kind_from_head_word():
    assert title_kind("甲乙两市协同发展三年行动方案（2024—2026年）") == "plan"
    assert title_kind("甲市与乙县战略合作框架协议") == "agreement"
    assert title_kind("关于支持丙区加快发展的若干措施") == "policy-document"
    assert title_kind("关于推进丁省开放的意见") == "policy-document"
    assert title_kind("甲乙协作2024年工作要点") == "plan"
    assert title_kind("山水之间") is None


def test_titled_documents_keep_inner_text_and_brackets():
    text = "近日，甲市与乙县联合出台《甲乙协同推进营商环境建设行动方案（2024—2026年）》。"
    doc = _doc(text, {"甲市": "prefecture", "乙县": "county"})
    programs = extract_programs(doc)
    assert [p.label for p in programs] == ["甲乙协同推进营商环境建设行动方案（2024—2026年）"]
    p = programs[0]
    assert p.kind == "plan"
    assert p.regions == ["甲市", "乙县"]  # the two issuers named before the title
    m = p.mentions[0]
    assert doc.text[m.start : m.end] == m.surface == p.label
    assert doc.text[m.sentence.start : m.sentence.end] == m.sentence.quote


def test_back_reference_is_a_mention_not_a_new_program():
    text = (
        "甲省印发《甲省数字经济发展规划》和《甲省营商环境优化实施方案》。"
        "《实施方案》提出了具体任务。《规划》明确了发展目标。"
    )
    programs = extract_programs(_doc(text, {"甲省": "province"}))
    labels = _by_label(programs)
    assert set(labels) == {"甲省数字经济发展规划", "甲省营商环境优化实施方案"}
    plan = labels["甲省营商环境优化实施方案"]
    assert [m.surface for m in plan.mentions] == ["甲省营商环境优化实施方案", "实施方案"]
    assert [m.surface for m in labels["甲省数字经济发展规划"].mentions][-1] == "规划"


def test_enumerated_agreements_after_a_titled_one():
    text = "两县签订了《结对帮扶框架协议》以及文化交流、卫生健康等协议。"
    labels = _by_label(extract_programs(_doc(text)))
    assert labels["结对帮扶框架协议"].kind == "agreement"
    assert "文化交流协议" in labels and "卫生健康协议" in labels


def test_project_name_starts_at_the_region_and_stops_at_function_words():
    text = (
        "由甲区全额投资建设的乙县青松小学已顺利竣工。"
        "甲区还为青松小学捐赠了图书。"
        "乙县高原蔬菜种植园区是两地合作援建的重点项目。"
    )
    doc = _doc(text, {"甲区": "district", "乙县": "county"})
    labels = _by_label(extract_programs(doc))
    assert set(labels) == {"乙县青松小学", "乙县高原蔬菜种植园区"}
    school = labels["乙县青松小学"]
    assert school.kind == "project"
    assert school.regions == ["乙县"]
    assert [m.surface for m in school.mentions] == ["乙县青松小学", "青松小学"]


def test_project_implements_strategy_named_in_it():
    text = "乙县乡村振兴示范村建设项目、乙县非遗文化传承基地建设项目正在推进。"
    doc = _doc(text, {"乙县": "county"}, ["乡村振兴"])
    labels = _by_label(extract_programs(doc))
    assert set(labels) == {"乙县乡村振兴示范村建设项目", "乙县非遗文化传承基地建设项目"}
    assert labels["乙县乡村振兴示范村建设项目"].implements == ["乡村振兴"]


def test_quoted_project_name_drops_quotes():
    text = "其中，“山海同心”项目累计组织500名学生交流。"
    labels = _by_label(extract_programs(_doc(text)))
    assert list(labels) == ["山海同心项目"]
    mention = labels["山海同心项目"].mentions[0]
    assert mention.surface == "“山海同心”项目"
    assert text[mention.start : mention.end] == mention.surface


def test_zones_and_generic_phrases_are_not_programs():
    text = (
        "甲市高新技术产业园区管委会表示，推动重点项目发展，落地30个产业协同项目，"
        "加快丙区和丁区项目合作，完善沟通机制。"
    )
    doc = _doc(text, {"甲市高新技术产业园区": "zone", "丙区": "zone", "丁区": "zone"})
    assert extract_programs(doc) == []


def test_mechanisms_count_when_set_up():
    text = "甲、乙两省建立跨省生态保护补偿机制，并将完善信息沟通机制。"
    labels = _by_label(extract_programs(_doc(text, {"甲": "province", "乙": "province"})))
    assert list(labels) == ["跨省生态保护补偿机制"]
    assert labels["跨省生态保护补偿机制"].kind == "mechanism"


def test_corridor_with_bracket_and_event_series():
    text = (
        "双方将做优中欧班列（蓉西）品牌，共同拓展东西联运大通道功能。"
        "首届甲乙城市合作交流系列活动为期两天。"
    )
    labels = _by_label(extract_programs(_doc(text)))
    assert "中欧班列（蓉西）" in labels
    assert labels["甲乙城市合作交流系列活动"].kind == "event"


def test_platform_name_stops_at_a_preposition():
    doc = _doc("今年，丙市经由甲乙协作平台销售农产品。", {"丙市": "prefecture"})
    assert "甲乙协作平台" in _by_label(extract_programs(doc))


def test_head_noun_with_a_count_is_a_figure_but_an_aid_category_is_a_name():
    text = (
        "会上现场签约项目15个，甲区实施产业发展和基础设施项目8个。"
        "乙县安排产业援助项目20个。两地共建的丙丁飞地产业园已落地项目9个。"
    )
    labels = _by_label(extract_programs(_doc(text, {"甲区": "district", "乙县": "county"})))
    assert set(labels) == {"产业援助项目", "丙丁飞地产业园"}


def test_left_edge_does_not_stop_inside_a_word():
    text = "乙县食用菌加工园区是甲区援建的重点项目。"
    labels = _by_label(extract_programs(_doc(text, {"甲区": "district", "乙县": "county"})))
    assert list(labels) == ["乙县食用菌加工园区"]


def test_quoted_modifier_and_a_verb_inside_a_mechanism_name():
    text = "两地建立了“点对点”产业协作对接机制，并建立对接机制。"
    labels = _by_label(extract_programs(_doc(text)))
    assert list(labels) == ["点对点产业协作对接机制"]
    assert labels["点对点产业协作对接机制"].mentions[0].surface == "“点对点”产业协作对接机制"


def test_route_named_by_its_two_ends():
    text = "5月，甲县至乙县高速公路开工建设，项目全长80公里。"
    labels = _by_label(extract_programs(_doc(text, {"甲县": "county", "乙县": "county"})))
    assert list(labels) == ["甲县至乙县高速公路"]
    assert labels["甲县至乙县高速公路"].regions == ["甲县", "乙县"]


def test_same_program_bounds_agree_with_difflib():
    import difflib
    import random

    from kg.extract.programs import _norm, _same_program

    def reference(a: str, b: str) -> bool:
        na, nb = _norm(a), _norm(b)
        short, long_ = sorted((na, nb), key=len)
        return (na == nb or (len(short) >= 3 and long_.endswith(short))
                or difflib.SequenceMatcher(None, na, nb).ratio() >= 0.88)

    rnd = random.Random(9)
    for _ in range(3000):
        a = "".join(rnd.choice("甲乙丙丁园区项目“”") for _ in range(rnd.randint(1, 12)))
        b = list(a)
        for _ in range(rnd.randint(0, 3)):
            b.insert(rnd.randint(0, len(b)), rnd.choice("甲乙戊"))
        b = "".join(b)
        assert _same_program(a, b) == reference(a, b), (a, b)


def test_generic_words_are_stripped_in_a_fixed_order():
    # the order of same-length words decides 重大标志性重大建设; set order varied per run
    from kg.extract.programs import _GENERIC, _strip_generic

    assert _GENERIC == sorted(_GENERIC, key=lambda w: (-len(w), w))
    assert _strip_generic("重大标志性重大建设") == ""
