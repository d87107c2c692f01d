from helpers import doc_with_regions


def regions(text):
    return {r.label: r for r in doc_with_regions(text).ex.regions}


def test_full_names_with_codes_and_parents():
    found = regions("浙江省金华市婺城区与四川省甘孜藏族自治州道孚县开展对口支援。")
    assert found["婺城区"].adcode == "330702"
    assert found["婺城区"].parent == "金华市"
    assert found["道孚县"].parent == "甘孜藏族自治州"
    assert found["浙江省"].kind == "province"


def test_short_form_resolved_by_full_name_elsewhere():
    found = regions("婺城区干部赴道孚县调研。婺城携手道孚，共谋发展。")
    assert set(found) == {"婺城区", "道孚县"}
    assert "婺城" in found["婺城区"].alt_labels
    assert len(found["道孚县"].mentions) == 2


def test_ambiguous_short_form_by_context():
    # 甘孜 names the prefecture unless its county is meant by context
    assert "甘孜藏族自治州" in regions("四川省甘孜发展旅游产业。")
    found = regions("甘孜藏族自治州甘孜县和甘孜州其他县一起推进。")
    assert "甘孜县" in found


def test_short_county_names_need_support():
    # 合作 is a county-level city in 甘肃, but here it is the ordinary word
    assert "合作市" not in regions("两地深化合作，推动产业发展。")
    # 会理 written after its prefecture is the county
    assert "会理县" in regions("四川凉山会理的石榴产业兴旺。")


def test_province_compounds():
    found = regions("川渝两地共建中欧班列运价机制。")
    assert {"四川省", "重庆市"} <= set(found)
    assert found["四川省"].alt_labels == ["川渝"]
    # a common character next to a word is not part of a compound: 创新 + 川渝
    found = regions("创新川渝制造产业合作模式。")
    assert "新疆维吾尔自治区" not in found


def test_zone_patterns():
    found = regions("广东省商务厅在深圳举办广东自贸试验区推介会。上海自贸试验区设立十周年。")
    assert "中国（广东）自由贸易试验区" in found
    assert "广东自贸试验区" in found["中国（广东）自由贸易试验区"].alt_labels
    assert found["中国（上海）自由贸易试验区"].kind == "zone"
    # a zone with no place name in front is not taken
    assert not [r for r in regions("两地自贸区将开展合作。").values() if r.kind == "zone"]


def test_grouping_members_from_listed_places():
    found = regions("海南省儋州、临高、昌江和白沙等市县联合出台《儋州经济圈协同发展方案》。")
    circle = found["儋州经济圈"]
    assert circle.kind == "macro-region"
    assert circle.members == ["儋州市", "临高县", "昌江黎族自治县", "白沙黎族自治县"]


def test_known_groupings_and_places_inside_zone_names():
    found = regions("推动京津冀协同发展。湖北自贸区襄阳片区挂牌。")
    assert found["京津冀"].kind == "macro-region"
    assert "湖北省" in found and "襄阳市" in found
    assert "中国（湖北）自由贸易试验区襄阳片区" in found


def test_mountains_and_rivers_are_not_units():
    found = regions("吉林省长白山和东辽河的生态治理，浙江湖州的湿地。")
    assert "长白朝鲜族自治县" not in found
    assert "东辽县" not in found
    assert {"浙江省", "湖州市"} <= set(found)


def test_townships_after_their_county():
    found = regions("云南省勐海县勐混镇曼召村的村民喝上了自来水。")
    assert found["勐混镇"].kind == "other"
    assert found["曼召村"].parent == "勐海县"
    assert "推进乡" not in regions("勐海县推进乡村振兴。")


def test_mentions_carry_sentence_offsets():
    doc = doc_with_regions("第一句话。浙江省支持四川省。")
    for region in doc.ex.regions:
        for m in region.mentions:
            assert doc.text[m.start:m.end] == m.surface
            assert doc.text[m.sentence.start:m.sentence.end] == m.sentence.quote
            assert m.sentence.start <= m.start < m.sentence.end


def test_dateline_place_is_not_a_mention():
    found = regions("本报北京3月17日电 国家统计局今天发布数据。江苏省工业增长较快。")
    assert "北京市" not in found and "江苏省" in found


def test_places_inside_a_known_zone_name():
    found = regions("在重庆两江新区，一批项目集中开工。")
    assert {"两江新区", "重庆市"} <= set(found)


def test_short_names_inside_words_and_lists():
    assert "范县" not in regions("建设乡村振兴示范县。")
    assert "范县" in regions("山东省范县发展农业。")
    found = regions("福建省泉州和龙岩两市开展合作。")
    assert {"泉州市", "龙岩市"} <= set(found) and "和龙市" not in found


def test_compounds_with_common_characters_before_cooperation_words():
    assert {"北京市", "内蒙古自治区"} <= set(regions("京蒙协作持续深化。"))
    assert {"福建省", "宁夏回族自治区"} <= set(regions("闽宁合作结出硕果。"))
    found = regions("鲁渝中药材产业合作项目落地。")
    assert {"山东省", "重庆市"} <= set(found) and "渝中区" not in found


def test_verbs_before_village_words_are_not_villages():
    found = regions("勐海县转移农村劳动力，勐海县和桐乡企业合作。")
    assert not [r for r in found.values() if r.kind == "other"]


def test_names_are_found_next_to_characters_no_name_has():
    # control characters and characters outside the BMP must not move the offsets
    # (the automaton reports character offsets)
    text = "A\x00婺城区x与😀道孚县2023，川渝\x00合作。"
    found = regions(text)
    (m,) = found["婺城区"].mentions
    assert text[m.start : m.end] == "婺城区"
    (m,) = found["道孚县"].mentions
    assert text[m.start : m.end] == "道孚县"


def test_compound_runs_end_at_names_already_found():
    # 川渝 ends where 黔江区 starts: a covered character ends the run of abbreviations
    found = regions("川渝黔江区合作。沪滇")
    assert {"四川省", "重庆市"} <= set(found)
    assert found["四川省"].mentions[0].surface == "川渝"


def test_select_without_overlaps_keeps_every_hit_in_order() -> None:
    import random

    from kg.extract.regions import Hit, _select

    def ranked(hits):  # the ranking _select applies when hits overlap
        taken = []
        for h in sorted(hits, key=lambda h: (h.start - h.end, h.surface[0] in "和与及同或",
                                             h.start)):
            if all(h.end <= t.start or t.end <= h.start for t in taken):
                taken.append(h)
        return sorted(taken, key=lambda h: (h.start, h.end))

    rnd = random.Random(3)
    for _ in range(500):
        hits = []
        for _ in range(rnd.randint(0, 8)):
            s = rnd.randint(0, 30)
            e = s + rnd.randint(1, 5)
            hits.append(Hit(s, e, rnd.choice("和甲乙") * (e - s), ()))
        assert _select(hits) == ranked(hits)


def test_memoised_gazetteer_answers_match_the_tables() -> None:
    from kg.gazetteer import load

    gaz = load()
    assert gaz.lineage("330702") == ("330700", "330000")
    assert gaz.lineage("330702") is gaz.lineage("330702")  # computed once
    assert gaz.keys_by_name["婺城区"] == (tuple(gaz.full["婺城区"]), True)
    assert gaz.keys_by_name["婺城"] == (tuple(gaz.short["婺城"]), False)
    assert set(gaz.keys_by_name) == set(gaz.full) | set(gaz.short)


def test_find_reports_overlapping_names_by_end_then_start() -> None:
    from kg.gazetteer import load

    found = load().find("浙江省金华市婺城区")
    assert found == sorted(found, key=lambda m: (m[1], m[0]))
    assert (0, 2, "浙江") in found and (0, 3, "浙江省") in found
    assert (6, 9, "婺城区") in found and (6, 8, "婺城") in found


def test_a_dateline_hides_only_the_places_inside_it() -> None:
    found = regions("本报成都3月17日电 成都市与重庆市签署合作协议。")
    assert [m.start for m in found["成都市"].mentions] == [11]
    assert "重庆市" in found
