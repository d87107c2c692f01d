from helpers import doc_with_regions

from kg.extract.partnerships import extract_partnerships


def pairs(text):
    doc = doc_with_regions(text)
    return {(tuple(p.members), p.kind, p.since): p for p in extract_partnerships(doc)}


def test_paired_assistance_with_since_and_chains_collapsed():
    found = pairs("自2021年以来，浙江省金华市婺城区与四川省甘孜藏族自治州道孚县两地同心同德，"
                  "对口支援工作结出硕果。")
    assert list(found) == [(("婺城区", "道孚县"), "对口支援", 2021)]


def test_directed_verb_between_places():
    found = pairs("近年来，福建省对口支援西藏自治区林芝市，援建一批学校。")
    assert (("福建省", "林芝市"), "对口支援", None) in found


def test_joint_act_of_a_list():
    found = pairs("海南省儋州、临高和昌江等市县联合出台工作方案。")
    ((members, kind, _),) = found
    assert kind == "协同"
    assert members == ("儋州市", "临高县", "昌江黎族自治县")


def test_compound_with_cooperation_verb():
    found = pairs("川渝两地将共建西部陆海新通道运营平台。")
    assert (("四川省", "重庆市"), "合作", None) in found


def test_strongest_kind_wins_for_one_pair():
    text = "安徽省与贵州省签署合作协议。安徽省与贵州省开展对口帮扶。"
    kinds = {k for (_, k, _) in pairs(text)}
    assert kinds == {"对口支援"}


def test_places_without_cooperation_are_not_partners():
    assert not pairs("河北、山西、江苏、安徽等七省获得中央救灾资金。")
    assert not pairs("这条河流经四川省、云南省和贵州省。")
    # a verb in another clause of the sentence does not link a plain list
    assert not pairs("促进香港、澳门更好融入国家发展大局，全力推动协同发展。")


def test_evidence_is_the_sentence():
    doc = doc_with_regions("前言。重庆市与四川省近日共同发布行动方案。")
    (p,) = extract_partnerships(doc)
    assert p.evidence.quote == "重庆市与四川省近日共同发布行动方案。"
    assert doc.text[p.evidence.start:p.evidence.end] == p.evidence.quote


def test_list_acting_as_one_subject():
    found = pairs("湖北、湖南、江西三省建立跨省流域生态补偿机制。")
    ((members, kind, _),) = found
    assert set(members) == {"湖北省", "湖南省", "江西省"} and kind == "协同"


def test_compound_with_joint_act():
    found = pairs("川渝两地发改委日前发布一批重大项目。")
    assert (("四川省", "重庆市"), "协同", None) in found


def test_helpers_of_a_located_place():
    found = pairs("在林芝市巴宜区，广东、福建接力援建产业园。")
    assert set(found) == {(("广东省", "巴宜区"), "对口支援", None),
                          (("福建省", "巴宜区"), "对口支援", None)}


def test_aid_verb_names_its_recipient():
    found = pairs("江苏援疆干部踏上新的征程。")
    assert (("江苏省", "新疆维吾尔自治区"), "对口支援", None) in found


def test_nearest_verb_decides_the_kind_and_compounds_keep_their_order():
    found = pairs("江苏省与陕西省深化东西部协作，开展消费帮扶。两省签署《苏陕协作工作要点》。")
    assert list(found) == [(("江苏省", "陕西省"), "结对", None)]


def test_zones_are_partners_not_the_provinces_inside_their_names():
    found = pairs("四川自贸试验区与重庆自贸试验区开展联动创新。")
    assert (("中国（四川）自由贸易试验区", "中国（重庆）自由贸易试验区"), "联动", None) in found


def test_origins_of_guests_are_not_partners():
    assert not pairs("来自江苏、山东等地的30家企业参加了本次对接活动。")


def test_agencies_meeting_are_not_their_regions_partnering():
    assert not pairs("广东省商务厅会同深圳市政府在当地举办合作交流活动。")


def test_every_word_that_can_make_a_partnership_is_a_cue() -> None:
    """Sentences without a cue are passed over: every trigger, joint act and aid verb is one."""
    from kg.extract.partnerships import _AID_AFTER, _CUE, _JOINT_ACT, KINDS

    words = [w for _, ws in KINDS for w in ws]
    words += _JOINT_ACT.pattern.split("|")
    words += _AID_AFTER.pattern.split("(?P<verb>")[1].rstrip(")").split("|")
    for word in words:
        assert _CUE.fullmatch(word), word


def test_a_sentence_without_a_cue_gives_no_partnership() -> None:
    doc = doc_with_regions("四川省和重庆市的游客人数都在增长。")
    assert extract_partnerships(doc) == []
