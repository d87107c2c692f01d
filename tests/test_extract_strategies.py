from helpers import doc_with_regions, labels


def strategies(text):
    return {s.label: s for s in doc_with_regions(text).ex.strategies}


def test_vocabulary_with_variants_and_covers():
    found = strategies("推动京津冀协同发展，推动长江经济带高质量发展，提升长三角一体化发展水平。")
    assert found["京津冀协同发展"].covers == ["京津冀"]
    assert "长江经济带高质量发展" in found["长江经济带发展"].alt_labels
    assert found["长三角一体化发展"].covers == ["长三角"]


def test_named_strategy_pattern():
    found = strategies("深入实施区域协调发展战略、主体功能区战略和科教兴国战略。")
    assert {"区域协调发展战略", "主体功能区战略"} <= set(found)
    assert "科教兴国战略" in found or any("科教兴国" in k for k in found)


def test_strategy_phrases_that_are_not_strategies():
    assert "脱贫攻坚" not in strategies("实现脱贫攻坚成果与乡村振兴有效衔接。")
    assert "国家战略" not in strategies("中部地区要积极融入国家战略。")
    found = strategies("把握向西开放的战略机遇。")
    assert not [k for k in found if k.endswith("战略")]


def test_mentions_have_offsets():
    doc = doc_with_regions("全面推进乡村振兴。")
    (s,) = doc.ex.strategies
    assert labels(doc.ex.strategies) == ["乡村振兴"]
    m = s.mentions[0]
    assert doc.text[m.start:m.end] == "乡村振兴"
