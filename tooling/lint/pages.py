"""The rule catalogue for people: ``stdkit rules`` prints it in the terminal, and
``stdkit rules --format markdown`` writes the page of the toolkit's own docs (``docs/rules.md``).

It is documentation of the toolkit, not part of a standard, so the HTML edition does not carry
it. Messages are shown with their placeholders named in Chinese (〈要素〉), never as ``{element}``.
"""

from __future__ import annotations

import re

from .rules import ERROR, RULES, Rule

# What each placeholder of a message stands for, as the catalogue shows it.
PLACEHOLDERS = {
    "before": "后一要素", "char": "半角标点", "checklist": "检查表标识", "element": "要素",
    "expected": "应有的内容", "full": "全角标点", "implemented": "实施日期",
    "instead": "应使用的词", "issued": "发布日期", "kind": "条款类型", "label": "列项编号",
    "mention": "提到的要素", "number": "编号", "previous": "前一列项编号", "term": "术语",
    "verb": "能愿动词", "verbs": "能愿动词", "where": "注、示例或资料性附录",
    "annex": "附录编号", "first": "首次引用处", "previous_annex": "前一附录编号",
    "previous_first": "前一附录的首次引用处", "title": "附录内容", "other_title": "另一附录内容",
    "other_annex": "另一附录编号", "word": "词语", "modal_a": "能愿动词", "modal_b": "另一能愿动词",
    "part": "分句", "phrase": "词组", "qualifier": "限定词", "ref": "引用", "start": "开头",
    "metric": "指标", "one": "一种写法", "other": "另一种写法", "en": "英文对应词",
    "range": "范围", "value": "时间", "symbol": "应有的写法", "date": "日期", "year": "年份",
    "what": "频次、时限或限值", "field": "元数据字段", "text": "条文中的值", "meta": "元数据中的值",
    "name": "姓名", "evidence": "证明记录", "subject": "主语", "role": "执行主体",
}
_FIELD = re.compile(r"\{(\w+)\}")
SEVERITY_ZH = {ERROR: "错误", "warning": "警告"}
INTRO = (
    "`stdkit lint` 按 GB/T 1.1—2020 检查标准源文件；每次构建也会按同样的级别报告发现的问题"
    "（`-W` 时构建失败）。每个标准在自己的 `standard.yaml` 的 `lint:` 中用 `select` / `ignore` "
    "选择规则（代码或代码前缀），用 `severity` 改变级别。每条提示都有文件、行、列和下面的代码。"
    "`stdkit lint --fix` 把能唯一确定目标的手写编号（GB406）改写为引用，并列出改了哪些。"
)


def message_zh(rule: Rule) -> str:
    """The Chinese message with its placeholders named: 缺少必备要素“〈要素〉”."""
    return _FIELD.sub(lambda m: f"〈{PLACEHOLDERS.get(m.group(1), m.group(1))}〉", rule.message)


def message_en(rule: Rule) -> str:
    return _FIELD.sub(lambda m: f"<{m.group(1)}>", rule.message_en)


def catalogue_text() -> str:
    """The catalogue for the terminal: one block per rule."""
    lines = ["起草规则检查（stdkit lint）的规则", "", INTRO.replace("`", ""), ""]
    for rule in RULES:
        lines += [
            f"{rule.code}　{SEVERITY_ZH[rule.severity]}　{message_zh(rule)}",
            f"    {rule.name}: {message_en(rule)}",
            f"    理由：{rule.rationale}",
            f"    不符合：{rule.bad}",
            f"    符合：{rule.good}",
            "",
        ]
    return "\n".join(lines)


_ROLE = re.compile(r"\{([a-z-]+)\}`([^`]*)`")


def _md_text(text: str) -> str:
    """Prose for the Markdown page: MyST roles quoted as code (they are examples of markup)."""
    return _ROLE.sub(lambda m: f"`` {{{m.group(1)}}}`{m.group(2)}` ``", text)


def _md_cell(text: str) -> str:
    return _md_text(text).replace("|", "\\|").replace("\n", " ")


def catalogue_markdown() -> str:
    """The catalogue as a Markdown (MyST) page for the toolkit's docs."""
    out = ["# 起草规则检查", "", INTRO, "",
           "本页由 `stdkit rules --format markdown` 生成，请勿手工修改。", "",
           "| 代码 | 级别 | 提示 | 规则名 |", "| --- | --- | --- | --- |"]
    out += [f"| [{r.code}](#{r.code.lower()}) | {SEVERITY_ZH[r.severity]} | "
            f"{_md_cell(message_zh(r))} | `{r.name}` |" for r in RULES]
    for rule in RULES:
        out += [
            "", f"({rule.code.lower()})=", f"## {rule.code}　{_md_cell(message_zh(rule))}", "",
            f"**{SEVERITY_ZH[rule.severity]}**　`{rule.name}`：`{message_en(rule)}`", "",
            _md_text(rule.rationale), "",
            "| | 示例 |", "| --- | --- |",
            f"| 不符合 | {_md_cell(rule.bad)} |",
            f"| 符合 | {_md_cell(rule.good)} |",
        ]
    return "\n".join(out) + "\n"
