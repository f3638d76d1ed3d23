"""A new standard folder (``stdkit new``): the elements GB/T 1.1—2020 requires, with their fixed
wording, one example chapter and an empty ``checklists.yaml``.

Pure: :func:`folder_files` turns the answers (class, number, titles, issuing body, stage) into
file texts; the CLI validates ``standard.yaml`` with the same loader a build uses and writes the
folder. What it writes builds with ``-W`` and lints clean as it stands (a test proves it), so
an office starts from a correct standard and changes it, never from an empty folder.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .edition_metadata import DEFAULT_CLASS_LINES, PLACEHOLDER_DATE
from .explanation import EXPLANATION_FILE
from .explanation import template as explanation_template
from .stages import STAGES

CLASSES = ("national", "industry", "local", "group", "enterprise", "other")
CLASS_ZH = {"national": "国家标准", "industry": "行业标准", "local": "地方标准",
            "group": "团体标准", "enterprise": "企业标准", "other": "其他文件"}
# A title's last words that name the kind of document, not its subject: 住宅小区物业服务规范
# is about 住宅小区物业服务.
_TITLE_KINDS = ("技术规范", "规范", "要求", "指南", "规程", "规则",
                "标准", "导则")


@dataclass(frozen=True)
class NewStandard:
    """What ``stdkit new`` asks for."""

    doc_class: str
    number: str
    title_zh: str
    issuer: str
    stage: str = "征求意见稿"
    title_en: str | None = None
    class_line: str | None = None
    drafting_units: tuple[str, ...] = field(default=())

    @property
    def subject(self) -> str:
        for suffix in _TITLE_KINDS:
            if self.title_zh.endswith(suffix) and len(self.title_zh) > len(suffix):
                return self.title_zh[: -len(suffix)]
        return self.title_zh


def _q(value: str) -> str:
    """A YAML scalar: JSON's double-quoted string is valid YAML and escapes everything."""
    return json.dumps(value, ensure_ascii=False)


def standard_yaml(std: NewStandard) -> str:
    class_line = std.class_line or DEFAULT_CLASS_LINES.get(std.doc_class)
    units = std.drafting_units or (std.issuer,)
    lines = [
        "# 标准的封面和前言信息。全部字段的说明见 tooling/schemas/standard.schema.json。",
        f"class: {std.doc_class}            # {CLASS_ZH[std.doc_class]}",
        *([f"class_line: {_q(class_line)}"] if class_line else []),
        f"number: {_q(std.number)}",
        "title:",
        f"  zh: {_q(std.title_zh)}",
        *([f"  en: {_q(std.title_en)}"] if std.title_en else []),
        f"stage: {std.stage}           # {' / '.join(STAGES)}（改阶段：stdkit stage）",
    ]
    if std.stage != "published":
        lines += [
            "# 日期未定时写 XXXX-XX-XX（正式发布前必须写明日期）",
            f"issued: {PLACEHOLDER_DATE}",
            f"implemented: {PLACEHOLDER_DATE}",
        ]
    lines += [
        f"issuer: {_q(std.issuer)}",
        f"proposer: {_q(std.issuer)}",
        f"administrator: {_q(std.issuer)}",
        "drafting_units:",
        *(f"  - {_q(unit)}" for unit in units),
        "# ics: [\"03.080.99\"]   # ICS 分类号",
        "# ccs: A12              # 中国标准文献分类号",
        "# 本标准的起草规则检查设置（见 stdkit rules）：",
        "# lint:",
        "#   ignore: [GB601]",
    ]
    return "\n".join(lines) + "\n"


def index_md(std: NewStandard) -> str:
    return f"""# {std.title_zh}

:::{{cover}}
:::

```{{toctree}}
foreword
scope
normative-references
terms
requirements
```
"""


FOREWORD_MD = """(foreword)=
# 前言

:::{foreword}
:::
"""


def scope_md(std: NewStandard) -> str:
    return f"""(scope)=
# 范围

本文件规定了{std.subject}的要求。

本文件适用于{std.subject}。
"""


NORMATIVE_LEAD = (
    "下列文件中的内容通过文中的规范性引用而构成本文件必不可少的条款。其中，注日期的引用文件，"
    "仅该日期对应的版本适用于本文件；不注日期的引用文件，其最新版本（包括所有的修改单）适用于本文件。"
)
NORMATIVE_MD = """(normative-references)=
# 规范性引用文件

本文件没有规范性引用文件。

% 有规范性引用文件时，把上面一句换成 GB/T 1.1—2020 的引导语，并逐条写出：
%
% {lead}
%
% :::{reference}
% :id: ref-gb-2894
% :number: GB 2894
% :title: 安全标志及其使用导则
% :::
"""

TERMS_MD = """(terms)=
# 术语和定义

本文件没有需要界定的术语和定义。

% 有术语时，把上面一句换成“下列术语和定义适用于本文件。”，并逐条写出：
%
% :::{term}
% ---
% id: term-example
% term: 术语
% en: term
% source: {document: GB/T 20000.1—2014, clause: "3.1", modified: true}
% ---
% 定义。
% :::
"""


def requirements_md(std: NewStandard) -> str:
    return """(requirements)=
# 基本要求

% 示例章：每一章或每个附录一个文件，并列入 index.md 的 toctree。
% 标题上方写标识；无标题条用 {clause}，元数据写在最前面。

(requirements-general)=
## 一般要求

:::{clause}
---
id: general-provider
kind: requirement
role: 服务提供方
evidence: 服务记录
---
服务提供方应按本文件的规定提供服务，并保存服务记录。
:::
"""


CHECKLISTS_YAML = """# 检查表：由本标准印制的检查表（stdkit build checklists）。暂时没有。
# 添加检查表时，在下面的列表中写出每张表，并在条款的元数据中写 checklist: [表的标识]。
# 字段说明见 tooling/schemas/checklists.schema.json 和 README 的“检查表”一节。
checklists: []
"""


def folder_files(std: NewStandard) -> dict[str, str]:
    """Every file of the new folder, by name."""
    return {
        "standard.yaml": standard_yaml(std),
        "index.md": index_md(std),
        "foreword.md": FOREWORD_MD,
        "scope.md": scope_md(std),
        "normative-references.md": NORMATIVE_MD.replace("{lead}", NORMATIVE_LEAD),
        "terms.md": TERMS_MD,
        "requirements.md": requirements_md(std),
        "checklists.yaml": CHECKLISTS_YAML,
        # The 编制说明's authored sections (stdkit explanation); not a chapter of the standard.
        EXPLANATION_FILE: explanation_template(std.title_zh),
    }
