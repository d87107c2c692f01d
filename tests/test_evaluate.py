"""Tests of the scorer (kg/evaluate.py) on hand-made reports and gold files.

Every text here is written for the tests; only tests/data/gold.json (the seed
annotation that ships with the repo) is read from disk.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.evaluate import (
    TYPES,
    Counts,
    align,
    format_table,
    load_gold,
    name_similarity,
    normalise_gold,
    normalise_name,
    scaled_value,
    score,
    score_file,
    score_files,
    score_folder,
    split_unit,
    values_agree,
)

SEED_GOLD = Path(__file__).parent / "data" / "gold.json"


# --- helpers ---------------------------------------------------------------------------------


def article(title: str = "甲县携手乙县共建产业园", text: str = "", **items: list) -> dict:
    """A predicted article with empty item lists unless given."""
    art = {"title": title, "date": None, "source": "x.txt", "authors": [], "text": text}
    for t in TYPES:
        art[t] = items.get(t, [])
    return art


def region(label: str, adcode: str | None = None, *alt: str) -> dict:
    return {"label": label, "alt_labels": list(alt), "adcode": adcode, "kind": "county"}


def gold_article(title: str = "甲县携手乙县共建产业园", first_words: str = "", **items) -> dict:
    """A seed-shape gold article with empty item lists unless given."""
    art = {"title": title, "first_words": first_words, "last_words": ""}
    for t in TYPES:
        art[t] = items.get(t, [])
    return art


def seed(*articles: dict) -> dict:
    return {"source": "page.txt", "articles": list(articles)}


def only(scores, t: str) -> tuple[int, int, int]:
    c = scores.per_type[t]
    return c.tp, c.fp, c.fn


def report_from_seed(gold: dict) -> dict:
    """Turn every seed gold item (optional ones too) into the prediction shape."""
    arts = []
    for a in gold["articles"]:
        arts.append(
            article(
                a["title"],
                text=f"{a['first_words']}……{a['last_words']}",
                regions=[region(r["canonical"], r["adcode"]) for r in a["regions"]],
                strategies=[{"label": s["name"], "iri": None} for s in a["strategies"]],
                programs=[{"label": p["name"], "kind": p["kind"]} for p in a["programs"]],
                measures=[{"label": m["text"], "program": None} for m in a["measures"]],
                partnerships=[
                    {"members": p["members"], "kind": p["kind"], "since": p.get("since")}
                    for p in a["partnerships"]
                ],
                indicators=[
                    {
                        "subject": i["subject"],
                        "value": str(i["value"]),
                        "unit": i["unit"],
                        "what": i["what"],
                        "year": i.get("year"),
                    }
                    for i in a["indicators"]
                ],
            )
        )
    return {"articles": arts}


# --- the seed gold ---------------------------------------------------------------------------


def test_perfect_report_on_seed_gold_scores_one_everywhere() -> None:
    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    report = report_from_seed(gold)
    report["articles"].reverse()  # order must not matter
    s = score(report, gold)
    for t in TYPES:
        c = s.per_type[t]
        assert (c.precision, c.recall, c.f1) == (1.0, 1.0, 1.0), t
        assert c.fp == c.fn == 0
    assert s.overall.f1 == 1.0
    assert s.overall.tp > 0
    # optional items were predicted: they are recorded as ignored, not counted
    assert any(r.outcome == "ignored" for r in s.records)


def test_empty_report_on_seed_gold_misses_everything_required() -> None:
    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    s = score({"articles": []}, gold)
    assert s.overall.tp == 0 and s.overall.fp == 0
    required = sum(1 for a in gold["articles"] for r in a["regions"] if not r.get("optional"))
    assert s.per_type["regions"].fn == required


# --- regions ---------------------------------------------------------------------------------


GOLD_REGIONS = seed(
    gold_article(
        regions=[
            {"canonical": "甲县", "adcode": "110101", "kind": "county"},
            {"canonical": "乙县", "adcode": "110102", "kind": "county"},
            {"canonical": "丙湖", "adcode": None, "kind": "other", "optional": True},
        ]
    )
)


def test_missing_region_lowers_recall_only() -> None:
    s = score({"articles": [article(regions=[region("甲县", "110101")])]}, GOLD_REGIONS)
    c = s.per_type["regions"]
    assert (c.tp, c.fp, c.fn) == (1, 0, 1)
    assert c.precision == 1.0 and c.recall == 0.5
    assert s.details()["regions"]["fn"] == [("甲县携手乙县共建产业园", "乙县 [110102]")]


def test_extra_region_lowers_precision_only() -> None:
    regions = [region("甲县", "110101"), region("乙县", "110102"), region("丁县", "110103")]
    s = score({"articles": [article(regions=regions)]}, GOLD_REGIONS)
    c = s.per_type["regions"]
    assert (c.tp, c.fp, c.fn) == (2, 1, 0)
    assert c.recall == 1.0 and c.precision == pytest.approx(2 / 3)
    assert s.details()["regions"]["fp"] == [("甲县携手乙县共建产业园", "丁县 [110103]")]


def test_optional_region_predicted_counts_neither_way() -> None:
    regions = [region("甲县", "110101"), region("乙县", "110102"), region("丙湖")]
    s = score({"articles": [article(regions=regions)]}, GOLD_REGIONS)
    assert only(s, "regions") == (2, 0, 0)
    assert [r.predicted for r in s.records if r.outcome == "ignored"] == ["丙湖"]


def test_adcode_match_with_a_different_label() -> None:
    regions = [region("甲", "110101"), region("乙县城区", "110102")]
    s = score({"articles": [article(regions=regions)]}, GOLD_REGIONS)
    assert only(s, "regions") == (2, 0, 0)


def test_name_match_through_alt_label_and_without_codes() -> None:
    regions = [region("甲", None, "甲县"), region("乙县")]
    s = score({"articles": [article(regions=regions)]}, GOLD_REGIONS)
    assert only(s, "regions") == (2, 0, 0)


def test_malformed_adcodes_do_not_match() -> None:
    gold = seed(gold_article(regions=[{"canonical": "甲县", "adcode": "1101", "kind": "county"}]))
    s = score({"articles": [article(regions=[region("别县", "1101")])]}, gold)
    assert only(s, "regions") == (0, 1, 1)


def test_duplicate_predictions_are_deduped() -> None:
    regions = [
        region("甲县", "110101"),
        region("甲县", "110101"),
        region(" 甲县", None),  # same name after normalising
        region("甲", "110101"),  # same code
        region("乙县", "110102"),
    ]
    s = score({"articles": [article(regions=regions)]}, GOLD_REGIONS)
    assert only(s, "regions") == (2, 0, 0)


def test_second_prediction_matching_an_already_taken_item_is_false() -> None:
    gold = seed(gold_article(programs=[{"name": "甲乙产业园", "kind": "project"}]))
    programs = [{"label": "甲乙产业园"}, {"label": "甲乙产业园区"}]
    s = score({"articles": [article(programs=programs)]}, gold)
    assert only(s, "programs") == (1, 1, 0)


# --- names -----------------------------------------------------------------------------------


def test_normalise_name() -> None:
    assert normalise_name("《甲县 乙县“合作”协议》") == "甲县乙县合作协议"
    assert normalise_name("行动方案（2023—2025年）") == "行动方案(2023—2025年)"
    assert normalise_name("「甲」·『乙』・丙") == "甲乙丙"
    assert normalise_name("ＡＢ１") == "AB1"  # NFKC


def test_fuzzy_ratio_boundary() -> None:
    # 6 of 8 characters in common over 8 + 8: ratio 12/16 = 0.75 exactly → match
    assert name_similarity("甲乙丙丁戊己庚辛", "甲乙丙丁戊己子丑") == pytest.approx(0.75)
    # 5 of 8: ratio 10/16 = 0.625 → no match
    assert name_similarity("甲乙丙丁戊己庚辛", "甲乙丙丁戊子丑寅") == 0.0


def test_fuzzy_containment_boundary() -> None:
    # shorter contained and 60 % of the longer → match
    assert name_similarity("甲乙丙", "甲乙丙丁戊") > 0
    # contained but only 50 % → no match
    assert name_similarity("甲乙丙丁戊", "甲乙丙丁戊子丑寅卯辰") == 0.0


def test_fuzzy_program_matching_in_a_report() -> None:
    gold = seed(
        gold_article(
            programs=[
                {"name": "甲乙两县产业协作示范园区", "kind": "project"},
                {"name": "甲乙东西部协作框架协议", "kind": "agreement"},
            ]
        )
    )
    programs = [
        {"label": "甲乙两县产业协作示范园"},  # contained, 11/12 of the gold name
        {"label": "框架协议"},  # contained but too short a part
    ]
    s = score({"articles": [article(programs=programs)]}, gold)
    assert only(s, "programs") == (1, 1, 1)


def test_greedy_prefers_the_exact_pair() -> None:
    gold = seed(
        gold_article(
            strategies=[{"name": "甲乙协同发展"}, {"name": "甲乙协同发展战略"}],
        )
    )
    strategies = [{"label": "甲乙协同发展战略"}, {"label": "甲乙协同发展"}]
    s = score({"articles": [article(strategies=strategies)]}, gold)
    assert only(s, "strategies") == (2, 0, 0)
    tps = {(r.predicted, r.gold) for r in s.records if r.outcome == "tp"}
    assert tps == {("甲乙协同发展战略", "甲乙协同发展战略"), ("甲乙协同发展", "甲乙协同发展")}


def test_exact_optional_match_is_not_credited_to_a_similar_required_item() -> None:
    gold = seed(
        gold_article(
            measures=[
                {"text": "选派教师到乙县支教"},
                {"text": "选派教师到乙县支教一年", "optional": True},
            ]
        )
    )
    s = score({"articles": [article(measures=[{"label": "选派教师到乙县支教一年"}])]}, gold)
    assert only(s, "measures") == (0, 0, 1)


# --- indicators ------------------------------------------------------------------------------


def test_unit_scaling() -> None:
    assert split_unit("万元") == (1e4, "元")
    assert split_unit("万亿元") == (1e12, "元")
    assert split_unit("万人次") == (1e4, "人次")
    assert split_unit("百分点") == (1.0, "百分点")
    assert split_unit("万") == (1e4, "")
    assert scaled_value("1.8", "万人次") == pytest.approx((18000.0, "人次"))
    assert scaled_value("4,400", "万元") == (4.4e7, "元")
    assert scaled_value("许多", "元") is None


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (0.44, "亿元", True),
        ("0.44", "亿元", True),
        (44000000, "元", True),
        (4410, "万元", True),  # within 0.5 %
        (4430, "万元", False),  # 0.68 % off
        (4400, "元", False),
        (4400, "万人次", False),
        (0.000044, "万亿元", True),
    ],
)
def test_indicator_values_agree(value, unit, expected: bool) -> None:
    assert values_agree(scaled_value(4400, "万元"), scaled_value(value, unit)) is expected


def test_indicator_matching_in_a_report() -> None:
    gold = seed(
        gold_article(
            indicators=[
                {"subject": "甲乙产业园", "value": 4400, "unit": "万元", "what": "投资"},
                {"subject": "甲县", "value": 1.8, "unit": "万人次", "what": "游客"},
            ]
        )
    )
    indicators = [
        {"subject": "甲乙产业园", "value": "0.44", "unit": "亿元", "what": "", "year": None},
        {"subject": "甲县", "value": "4400", "unit": "元", "what": "", "year": None},
    ]
    s = score({"articles": [article(indicators=indicators)]}, gold)
    assert only(s, "indicators") == (1, 1, 1)


def test_equal_values_go_to_the_matching_subject() -> None:
    gold = seed(
        gold_article(
            indicators=[
                {"subject": "甲县", "value": 12, "unit": "个", "what": "a"},
                {"subject": "乙县", "value": 12, "unit": "个", "what": "b"},
            ]
        )
    )
    indicators = [{"subject": "乙县", "value": 12, "unit": "个"}]
    s = score({"articles": [article(indicators=indicators)]}, gold)
    assert [r.gold for r in s.records if r.outcome == "tp"] == ["乙县: 12 个"]


# --- partnerships ----------------------------------------------------------------------------


THREE = seed(
    gold_article(
        regions=[
            {"canonical": "甲县", "adcode": "110101", "kind": "county"},
            {"canonical": "乙县", "adcode": "110102", "kind": "county"},
            {"canonical": "丙县", "adcode": "110103", "kind": "county"},
        ],
        partnerships=[{"members": ["甲县", "乙县", "丙县"], "kind": "协同"}],
    )
)


def test_three_member_partnership_is_three_pairs() -> None:
    regions = [region("甲县", "110101"), region("乙县", "110102"), region("丙县", "110103")]
    full = [{"members": ["丙县", "甲县", "乙县"], "kind": "协同", "since": None}]
    s = score({"articles": [article(regions=regions, partnerships=full)]}, THREE)
    assert only(s, "partnerships") == (3, 0, 0)
    part = [{"members": ["乙县", "甲县"], "kind": "合作", "since": None}]
    s = score({"articles": [article(regions=regions, partnerships=part)]}, THREE)
    assert only(s, "partnerships") == (1, 0, 2)


def test_partnership_ends_resolve_through_the_predicted_regions() -> None:
    # members named by an alternative label, matched to gold by adcode
    regions = [region("甲", "110101", "甲地"), region("乙", "110102", "乙地")]
    members = [{"members": ["甲地", "乙地"], "kind": "合作", "since": None}]
    s = score({"articles": [article(regions=regions, partnerships=members)]}, THREE)
    assert only(s, "partnerships") == (1, 0, 2)
    # an end that resolves to no region and matches no gold name fails
    members = [{"members": ["甲地", "某地"], "kind": "合作", "since": None}]
    s = score({"articles": [article(regions=regions, partnerships=members)]}, THREE)
    assert only(s, "partnerships") == (0, 1, 3)


# --- alignment -------------------------------------------------------------------------------


TWO = seed(
    gold_article(
        "甲县携手乙县共建产业园",
        first_words="本报讯 甲县与乙县近日签约",
        regions=[{"canonical": "甲县", "adcode": "110101", "kind": "county"}],
    ),
    gold_article(
        "丙市出台方案 推动丁区高质量发展",
        first_words="近日，丙市印发《方案》",
        regions=[{"canonical": "丙市", "adcode": "120100", "kind": "prefecture"}],
    ),
)


def test_slightly_different_title_still_aligns() -> None:
    preds = [article("甲县携手乙县 共建“产业园”区", regions=[region("甲县", "110101")])]
    assert align(preds, normalise_gold(TWO)["articles"]) == [0]
    assert only(score({"articles": preds}, TWO), "regions") == (1, 0, 1)


def test_unrelated_title_aligns_by_first_words() -> None:
    text = "近日，丙市印发“方案”，提出……"
    preds = [article("本版要闻", text=text, regions=[region("丙市", "120100")])]
    assert align(preds, normalise_gold(TWO)["articles"]) == [1]
    assert only(score({"articles": preds}, TWO), "regions") == (1, 0, 1)


def test_unaligned_article_counts_everything_false() -> None:
    preds = [
        article("甲县携手乙县共建产业园", regions=[region("甲县", "110101")]),
        article("天气预报", text="明天晴", regions=[region("戊县"), region("丙市", "120100")]),
    ]
    s = score({"articles": preds}, TWO)
    assert only(s, "regions") == (1, 2, 1)
    assert {u for u, _ in s.details()["regions"]["fp"]} == {"(unaligned) 天气预报"}


def test_split_articles_aligned_to_one_gold_article_are_united() -> None:
    preds = [
        article("甲县携手乙县共建产业园", regions=[region("甲县", "110101")]),
        article("甲县携手乙县共建产业园（续）", regions=[region("甲县", "110101")]),
    ]
    s = score({"articles": preds}, TWO)
    assert only(s, "regions") == (1, 0, 1)


# --- the dev shape ---------------------------------------------------------------------------


def dev_gold(title: str = "快讯") -> dict:
    """A tiny dev-shape gold file (one article, aliases and an optional object)."""
    return {
        "title": title,
        "source": "made up",
        "date": "2024-01-01",
        "regions": [
            {
                "surface": "甲省",
                "canonical": "甲省",
                "adcode": "310000",
                "kind": "province",
                "aliases": ["甲乙"],
                "optional": False,
            },
            {
                "surface": "甲乙",
                "canonical": "乙省",
                "adcode": "530000",
                "kind": "province",
                "aliases": [],
                "optional": False,
            },
            {
                "surface": "丙",
                "canonical": "丙市",
                "adcode": "530100",
                "kind": "prefecture",
                "aliases": ["丙城"],
                "optional": False,
            },
            {
                "surface": "三地",
                "canonical": "丁省",
                "adcode": "130000",
                "kind": "province",
                "aliases": [],
                "optional": True,
            },
        ],
        "strategies": [
            {"name": "甲乙协作", "canonical": "甲乙东西部协作", "aliases": ["甲乙帮扶"]},
        ],
        "programs": [{"name": "甲乙科技城建设", "kind": "project"}],
        "measures": [{"text": "共建甲乙科技城", "program": "甲乙科技城建设"}],
        "partnerships": [
            {"a": "甲省", "b": "乙省", "kind": "合作", "evidence": "甲乙共建"},
        ],
        "indicators": [
            {
                "subject": "丙市",
                "value": 112,
                "unit": "个",
                "what": "projects",
                "year": None,
                "raw": "112个",
            },
        ],
        "optional": {
            "regions": ["西部地区"],
            "strategies": ["高水平开放"],
            "programs": ["某某博览会"],
            "measures": ["不断扩大开放"],
            "partnerships": [["甲省", "丙市"]],
            "indicators": [{"value": 30, "unit": "分钟", "raw": "30分钟"}],
        },
    }


def dev_report(title: str = "快讯") -> dict:
    return {
        "articles": [
            article(
                title,
                regions=[
                    region("甲省", "310000", "甲乙"),
                    region("乙省", "530000", "甲乙"),
                    region("丙城"),  # matches 丙市 through its alias
                ],
                strategies=[{"label": "甲乙帮扶"}],
                programs=[{"label": "甲乙科技城建设"}],
                measures=[{"label": "共建甲乙科技城"}],
                partnerships=[{"members": ["乙省", "甲省"], "kind": "合作", "since": None}],
                indicators=[{"subject": "丙市", "value": "112", "unit": "个"}],
            )
        ]
    }


def test_dev_shape_with_aliases_scores_one() -> None:
    s = score_files([(dev_report(), dev_gold())])
    for t in TYPES:
        assert s.per_type[t].f1 == 1.0, t


def test_dev_optional_object_predictions_count_neither() -> None:
    report = dev_report()
    a = report["articles"][0]
    a["regions"] += [region("西部地区"), region("丁省", "130000")]
    a["strategies"].append({"label": "高水平开放"})
    a["programs"].append({"label": "《某某博览会》"})
    a["measures"].append({"label": "不断扩大开放"})
    a["partnerships"].append({"members": ["丙城", "甲省"], "kind": "合作", "since": None})
    a["indicators"].append({"subject": "丙市", "value": 0.5, "unit": "小时"})  # not 分钟
    a["indicators"].append({"subject": "丙市", "value": 30, "unit": "分钟"})
    s = score_files([(report, dev_gold())])
    assert s.overall.fp == 1 and s.overall.fn == 0
    assert s.details()["indicators"]["fp"][0][1] == "丙市: 0.5 小时"


def test_bloc_alias_does_not_let_one_province_count_as_another() -> None:
    report = dev_report()
    # only 甲省 predicted, with the bloc surface 甲乙 as alt label: 乙省 is still missed
    report["articles"][0]["regions"] = [region("甲省", "310000", "甲乙"), region("丙市")]
    assert only(score_files([(report, dev_gold())]), "regions") == (2, 0, 1)


def test_dev_file_unites_all_predicted_articles_whatever_their_titles() -> None:
    report = dev_report()
    a = report["articles"][0]
    second = article("另一条", regions=a["regions"][2:], indicators=a["indicators"])
    a["regions"], a["indicators"] = a["regions"][:2], []
    report["articles"].append(second)
    s = score_files([(report, dev_gold())])
    assert s.overall.f1 == 1.0


def test_files_are_scored_on_their_own_and_summed() -> None:
    empty = {"articles": [article("快讯")]}
    s = score_files([(dev_report(), dev_gold()), (empty, dev_gold())])
    assert only(s, "regions") == (3, 0, 3)
    units = {u for u, _ in s.details()["regions"]["fn"]}
    assert units == {"快讯"}


def test_load_gold_both_shapes_and_folder(tmp_path: Path) -> None:
    (tmp_path / "01.json").write_text(json.dumps(dev_gold(), ensure_ascii=False), "utf-8")
    (tmp_path / "02.json").write_text(json.dumps(dev_gold(), ensure_ascii=False), "utf-8")
    g = load_gold(tmp_path / "01.json")
    assert g["shape"] == "dev" and len(g["articles"]) == 1
    names = g["articles"][0]["regions"][0]["names"]
    assert names == ["甲省", "甲乙"]
    assert g["articles"][0]["partnerships"][0]["pair"] == ["甲省", "乙省"]
    assert load_gold(SEED_GOLD)["shape"] == "seed"

    # a folder report: articles paired with gold files by the stem of their source
    r1 = dev_report()["articles"][0] | {"source": "dev/articles/01.md"}
    s = score_folder({"articles": [r1]}, tmp_path)
    assert only(s, "regions") == (3, 0, 3)  # 02 has no predictions
    assert score_file(dev_report(), g).overall.f1 == 1.0


# --- figures ---------------------------------------------------------------------------------


def test_counts_edge_cases() -> None:
    assert (Counts().precision, Counts().recall, Counts().f1) == (1.0, 1.0, 1.0)
    assert (Counts(fp=2).precision, Counts(fp=2).recall, Counts(fp=2).f1) == (0.0, 0.0, 0.0)
    assert (Counts(fn=2).precision, Counts(fn=2).f1) == (0.0, 0.0)
    c = Counts(tp=3, fp=1, fn=2)
    assert c.precision == 0.75 and c.recall == 0.6
    assert c.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)


def test_overall_is_micro_and_outputs_render() -> None:
    regions = [region("甲县", "110101"), region("丁县")]
    strategies = [{"label": "某战略"}]
    s = score({"articles": [article(regions=regions, strategies=strategies)]}, GOLD_REGIONS)
    assert (s.overall.tp, s.overall.fp, s.overall.fn) == (1, 2, 1)
    d = s.as_dict(details=True)
    json.dumps(d, ensure_ascii=False)
    assert d["overall"]["precision"] == pytest.approx(1 / 3, abs=1e-4)
    assert d["details"]["strategies"]["fp"] == [["甲县携手乙县共建产业园", "某战略"]]
    table = format_table(s)
    assert table.splitlines()[0].split() == ["type", "P", "R", "F1", "TP", "FP", "FN"]
    assert "overall" in table and "regions" in table


def test_equal_titles_are_told_apart_by_first_words() -> None:
    gold = seed(
        gold_article("快讯", first_words="甲县今天", regions=[region_gold("甲县", "110101")]),
        gold_article("快讯", first_words="乙县今天", regions=[region_gold("乙县", "110102")]),
    )
    preds = [
        article("快讯", text="乙县今天开工", regions=[region("乙县", "110102")]),
        article("快讯", text="甲县今天签约", regions=[region("甲县", "110101")]),
    ]
    assert align(preds, normalise_gold(gold)["articles"]) == [1, 0]
    assert only(score({"articles": preds}, gold), "regions") == (2, 0, 0)


def region_gold(canonical: str, adcode: str | None) -> dict:
    return {"canonical": canonical, "adcode": adcode, "kind": "county"}
