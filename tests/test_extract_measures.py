"""Measures: program task lists, reform enumerations, counted totals, action clauses.

All texts here are written for these tests.
"""

from __future__ import annotations

from helpers import doc_with_marked_regions

from kg.extract.doc import Doc
from kg.extract.measures import extract_measures
from kg.extract.programs import extract_programs


def _doc(text: str, regions: dict[str, str] | None = None) -> Doc:
    """A Doc with regions marked, programs extracted: the state measures run in."""
    doc = doc_with_marked_regions(text, regions)
    doc.ex.programs = extract_programs(doc)
    return doc


def _labels(measures):
    return [m.label for m in measures]


PLAN = "甲乙两县营商环境协同提升工作方案"


def test_aspects_of_a_plan_are_its_measures_and_the_total_is_counted():
    text = (
        f"近日，甲县与乙县联合出台《{PLAN}》。"
        "据悉，《方案》在审批服务跨县通办、物流网络一体化共建和人才资源双向共享3个方面谋划了12项重点任务。"
    )
    doc = _doc(text, {"甲县": "county", "乙县": "county"})
    measures = extract_measures(doc)
    by_label = {m.label: m for m in measures}
    for item in ("审批服务跨县通办", "物流网络一体化共建", "人才资源双向共享"):
        assert by_label[item].program == PLAN
        assert by_label[item].total is None
    total = by_label["12项重点任务"]
    assert total.total == 12
    assert total.program == PLAN


def test_cooperation_areas_after_according_to_plan_strip_light_verb_and_keep_quoted_groups():
    text = (
        "根据两市共同出台的《丙丁两市开放合作行动方案》，双方将在开展通关模式协同创新、"
        "完善跨境贸易“一站式”平台功能、深化“数字口岸、智能物流”合作、畅通技术人才交流渠道等方面开展合作。"
    )
    measures = extract_measures(_doc(text))
    assert _labels(measures)[:4] == [
        "通关模式协同创新",
        "完善跨境贸易一站式平台功能",
        "深化数字口岸、智能物流合作",
        "畅通技术人才交流渠道",
    ]
    assert {m.program for m in measures[:4]} == {"丙丁两市开放合作行动方案"}


def test_enumerated_reforms_split_into_items():
    text = (
        "《戊区改革试点实施方案》出台以来，戊区探索实施企业开办一日办结制、证照联办承诺制等新一批商事制度改革，"
        "试点“一照多址”，推出工程审批“多图联审”等创新性改革。"
    )
    labels = _labels(extract_measures(_doc(text, {"戊区": "district"})))
    for item in ("企业开办一日办结制", "证照联办承诺制", "一照多址", "工程审批多图联审"):
        assert item in labels


def test_counted_total_links_the_article_plan_when_the_sentence_names_none():
    text = (
        "为加快协同开放，己省与庚省近日共同发布《己庚开放协同行动计划》。"
        "从物流枢纽、开放平台等领域推出18条举措。"
    )
    measures = extract_measures(_doc(text, {"己省": "province", "庚省": "province"}))
    (total,) = [m for m in measures if m.total is not None]
    assert total.label == "18条举措"
    assert total.total == 18
    assert total.program == "己庚开放协同行动计划"


def test_counted_action_clauses_and_pairings():
    text = (
        "甲区累计选派专业技能和身体素质符合要求的15名医务人员组成医疗队援派乙县。"
        "甲区6所学校与乙县6所学校结对；12家企业结对乙县15个村。"
        "甲区积极开展乙县特色产品开发，推动乙县品牌更加闪亮。"
    )
    labels = _labels(extract_measures(_doc(text, {"甲区": "district", "乙县": "county"})))
    assert "累计选派15名医务人员组成医疗队援派乙县" in labels
    assert "6所学校与乙县6所学校结对" in labels
    assert "12家企业结对乙县15个村" in labels
    # evaluations and goals are not measures
    assert not any("闪亮" in x for x in labels)


def test_action_on_a_named_project_links_it():
    text = "两省还将共建中欧班列（蓉西）一体化运价机制，并建设辛县青松小学。"
    measures = extract_measures(_doc(text, {"辛县": "county"}))
    by_label = {m.label: m for m in measures}
    assert by_label["共建中欧班列（蓉西）一体化运价机制"].program == "中欧班列（蓉西）"
    assert by_label["建设辛县青松小学"].program == "辛县青松小学"


def test_figures_exhortations_and_headlines_are_not_measures():
    text = (
        "全市完成投资额300亿元，同比增长8%。\n"
        "壬市完成12个重点项目\n"
        "推动区域协调发展，要加快建设现代化产业体系，打造一流营商环境。"
    )
    assert extract_measures(_doc(text, {"壬市": "prefecture"})) == []


def test_evidence_slices_the_text_and_quotes_are_stripped():
    text = (
        "乙县淘汰落后产能，累计建成120公里污水管网。"
        "通过落实“路长制”、全域道路保洁等一系列举措，路况明显改善。"
    )
    doc = _doc(text, {"乙县": "county"})
    measures = extract_measures(doc)
    assert measures
    for m in measures:
        ev = m.evidence
        assert doc.text[ev.start : ev.end] == ev.quote
        assert "“" not in m.label and "”" not in m.label
    labels = _labels(measures)
    assert "累计建成120公里污水管网" in labels
    assert "落实路长制" in labels
    assert "全域道路保洁" in labels


def test_task_lists_after_around_and_specified_with_their_totals():
    text = (
        "近日，甲乙两县联合印发《甲乙协同发展工作要点》。"
        "《要点》围绕交通设施互联互通、人才资源共建共享等方面，提出26条具体举措。"
        "《要点》明确了社会保障跨区域通办、应急管理联防联治等方面共19项任务。"
    )
    measures = extract_measures(_doc(text))
    by_label = {m.label: m for m in measures}
    for item in ("交通设施互联互通", "人才资源共建共享", "社会保障跨区域通办", "应急管理联防联治"):
        assert by_label[item].program == "甲乙协同发展工作要点"
    assert by_label["26条具体举措"].total == 26
    assert by_label["19项任务"].total == 19


def test_services_of_a_platform_and_focus_fields_are_not_tasks():
    text = (
        "近日，甲乙两县联合印发《甲乙协同发展工作要点》。"
        "两县将共建甲乙农产品公共服务平台，在产品展销、物流配送等方面提供便利服务。"
        "《要点》围绕产业协作、民生保障等领域部署工作。"
    )
    labels = _labels(extract_measures(_doc(text)))
    assert "共建甲乙农产品公共服务平台" in labels
    for field in ("产品展销", "物流配送", "产业协作", "民生保障"):
        assert field not in labels


def test_place_after_the_subject_and_joint_action_verb():
    text = "甲区在乙县举办电商培训班12期。甲区、乙县两地联动开展河道联合巡查行动8次。"
    labels = _labels(extract_measures(_doc(text, {"甲区": "district", "乙县": "county"})))
    assert "举办电商培训班12期" in labels
    assert "联动开展河道联合巡查行动8次" in labels


def test_intentions_goals_and_figures_are_not_measures():
    text = (
        "下一步，两县将持续深化产业协作，推动帮扶工作走深走实。"
        "甲县将继续优化营商服务。"
        "两地建立了联席会议机制，推动协作工作制度化、规范化，推动更多合作事项落地见效。"
        "自2020年以来，两地建立合作关系，合作领域不断拓展。"
        "5月，丙丁城际铁路开工建设，建设工期30个月。今年以来，甲县新增市场主体1.2万户。"
    )
    labels = _labels(extract_measures(_doc(text, {"甲县": "county"})))
    assert labels == []


def test_verb_lists_frames_and_subjects_with_adverbs():
    text = (
        "甲省升级通关服务功能、探索建立跨区域数据共享机制……多措并举。"
        "乙市从规划对接、产业发展等方面深化两地交流合作。"
        "两岸就完成植树造林300万亩。"
    )
    labels = _labels(extract_measures(_doc(text, {"甲省": "province", "乙市": "prefecture"})))
    assert "升级通关服务功能" in labels
    assert "探索建立跨区域数据共享机制" in labels
    assert "深化两地交流合作" in labels
    assert "完成植树造林300万亩" in labels


def _split_items_by_character(s: str, base: int, conj: bool) -> list[tuple[str, int]]:
    """The reading _split_items must match: one character at a time."""
    items, depth, cur, i = [], 0, 0, 0
    seps = ("以及", "和", "及", "、") if conj else ("、",)
    while i < len(s):
        if s[i] in "“（(《":
            depth += 1
        elif s[i] in "”）)》":
            depth = max(0, depth - 1)
        sep = next((x for x in seps if s.startswith(x, i)), None) if depth == 0 else None
        if sep:
            items.append((s[cur:i], base + cur))
            i += len(sep)
            cur = i
            continue
        i += 1
    items.append((s[cur:], base + cur))
    return [(t.strip(), o + len(t) - len(t.lstrip())) for t, o in items if t.strip()]


def test_split_items_reads_marks_as_a_character_scan_does():
    import random

    from kg.extract.measures import _split_items

    rnd = random.Random(3)
    pieces = ["甲", "乙丙", "以", "及", "以及", "和", "、", "“", "”", "（", "）", "《", "》", " "]
    for _ in range(2000):
        s = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 14)))
        for conj in (True, False):
            assert _split_items(s, 7, conj) == _split_items_by_character(s, 7, conj), s


def test_subject_regions_are_looked_up_by_where_the_clause_starts():
    from kg.extract.measures import _region_ends, _strip_subject

    clause = "甲县乙镇在丙村举办培训班"
    # 甲县 and 甲县乙镇 both start the clause: the longer one is the subject
    ends = _region_ends([(10, 12), (10, 14), (15, 17)])
    assert _strip_subject(clause, 10, ends) == ("举办培训班", 17)


def test_first_character_lookups_let_every_verb_and_adverb_through() -> None:
    from kg.extract.measures import _ADVERBS, _ALL_VERBS, _verb_at

    for verb in _ALL_VERBS:
        assert _verb_at(verb + "平台项目") is not None, verb
    for adverb in _ADVERBS:
        found = _verb_at(adverb + "建设平台项目")
        assert found is not None and found[2] == "建设", adverb
