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
}
_FIELD = re.compile(r"\{(\w+)\}")
SEVERITY_ZH = {ERROR: "错误", "warning": "警告"}
INTRO = (
    "`stdkit lint` 按 GB/T 1.1—2020 检查标准源文件；每次构建也会把发现的问题作为警告报告"
    "（`-W` 时构建失败）。在 `pyproject.toml` 的 `[tool.stdkit.lint]` 中用 `select` / `ignore` "
    "选择规则（代码或代码前缀），在 `conf.py` 中用 `suppress_warnings = [\"stdkit.GB601\"]` "
    "关闭某条规则的构建警告。每条提示都有文件、行、列和下面的代码。"
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
