"""Modal verbs are found whatever the word splitter does with the characters around them, and
words that only contain a modal character never count (GB/T 1.1—2020 附录C)."""

from __future__ import annotations

import pytest

from tooling.model.modal import find_modals, first_modal

# phrase -> the modal verbs in it, in order
CASES = [
    # the splitter joins the verb with what follows
    ("网格员应立即报告社区", ["应"]),
    ("楼长应及时处理", ["应"]),
    ("物业应当遵守本规定", ["应当"]),
    ("损坏的设施宜尽快维修", ["宜"]),
    ("公示牌可由社区统一制作", ["可"]),
    ("结果应予以公示", ["应"]),
    ("楼长应为本楼常住居民", ["应"]),
    ("楼长应对特殊家庭进行走访", ["应"]),
    ("应按规定时限报告", ["应"]),
    ("应在3个工作日内答复", ["应"]),
    ("宜由社区党组织推荐", ["宜"]),
    ("宜在每月月底前提交", ["宜"]),
    ("应于每月5日前报送", ["应"]),
    ("费用应缴纳至社区账户", ["应"]),
    ("应确保信息准确", ["应"]),
    ("宜每月召开一次", ["宜"]),
    ("宜定期开展培训", ["宜"]),
    ("楼长能及时联系居民", ["能"]),
    ("年龄可适当放宽", ["可"]),
    ("可按单元增设楼长", ["可"]),
    ("可以委托他人代为填写", ["可以"]),
    ("能够胜任楼长工作", ["能够"]),
    # the splitter joins the verb with what precedes it
    ("推选楼长时宜优先推选老党员", ["宜"]),
    ("雨天作业时宜穿防滑鞋", ["宜"]),
    ("楼长均应参加培训", ["应"]),
    ("社区也应记录", ["应"]),
    ("还应在公示栏公示", ["应"]),
    ("必要时应报告派出所", ["应"]),
    # negations and forbidden substitutes
    ("楼长不应泄露居民隐私", ["不应"]),
    ("不得收受财物", ["不得"]),
    ("必须登记", ["必须"]),
    ("不可替代", ["不可"]),
    ("不宜超过10户", ["不宜"]),
    ("宜不超过10户", ["宜"]),
    ("无须审批", ["无须"]),
    ("不必填写", ["不必"]),
    ("不能参加的应请假", ["不能", "应"]),
    ("可能发生火情时应报警", ["可能", "应"]),
    ("应当报告的，不应当延误", ["应当", "不应当"]),
    # words that only contain a modal character
    ("应急处置预案", []),
    ("社区应用软件", []),
    ("响应时间", []),
    ("相应措施", []),
    ("适应能力", []),
    ("适宜条件", []),
    ("不合时宜的做法", []),
    ("相关事宜", []),
    ("宜居社区", []),
    ("因地制宜", []),
    ("对应的记录", []),
    ("供应商名单", []),
    ("反应迅速", []),
    ("可能性较大", []),
    ("可靠性检验", []),
    ("可持续发展", []),
    ("可追溯的记录", []),
    ("许可证", []),
    ("社区认可", []),
    ("能力要求", []),
    ("功能完好", []),
    ("节能设施", []),
    ("智能门禁", []),
    ("职业技能", []),
    ("能源消耗", []),
    ("必要的资料", []),
    # both kinds in one sentence
    ("遇有应急事件应及时响应", ["应"]),
    ("相应的记录应保存3年", ["应"]),
    ("适宜的时间宜安排在上午", ["宜"]),
    ("楼长不应承担应急处置职责", ["不应"]),
    ("社区应用相应的表格记录", []),
]


def test_the_table_is_large_enough():
    assert len(CASES) >= 60
    assert len({text for text, _ in CASES}) == len(CASES)


@pytest.mark.parametrize(("text", "modals"), CASES, ids=[t for t, _ in CASES])
def test_modal_verbs(text, modals):
    assert [hit.word for hit in find_modals(text)] == modals
    assert first_modal(text) == (modals[0] if modals else None)


def test_offsets_point_at_the_verb():
    text = "网格员应立即报告；必要时宜由社区处理"
    assert [(h.word, text[h.offset:h.offset + len(h.word)]) for h in find_modals(text)] == [
        ("应", "应"), ("宜", "宜")]


def test_the_shared_dictionary_is_not_modified():
    """Sphinx's Chinese search uses the same jieba dictionary: finding modal verbs must not
    change how any other text is segmented."""
    import jieba

    before = dict(jieba.dt.FREQ)
    find_modals("推选楼长时宜优先推选；应为本楼居民；不应泄露")
    assert before == jieba.dt.FREQ
