"""The drafting linter's rule catalogue: one stable code per rule, like ruff's.

Codes are grouped: GB1xx structure and order, GB2xx fixed wording, GB3xx modal verbs,
GB4xx clauses and lists, GB5xx terms, GB6xx punctuation and numbers, GB7xx edition metadata and
clause metadata. A code is never reused for another rule.
"""

from __future__ import annotations

from dataclasses import dataclass

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Rule:
    code: str
    name: str  # English, kebab-case
    severity: str
    message: str  # Chinese, with {placeholders}
    message_en: str
    rationale: str
    bad: str
    good: str


RULES: tuple[Rule, ...] = (
    Rule("GB101", "missing-element", ERROR,
         "缺少必备要素“{element}”", "required element {element} is missing",
         "GB/T 1.1—2020 要求每个文件都有前言、范围、规范性引用文件、术语和定义；后两者无内容时也应保留，"
         "并使用规定的“没有……”句。",
         "1 范围 / 2 术语和定义（缺少“规范性引用文件”）",
         "1 范围 / 2 规范性引用文件（本文件没有规范性引用文件。） / 3 术语和定义"),
    Rule("GB102", "element-order", ERROR,
         "要素顺序不对：“{element}”应在“{before}”之前", "{element} must come before {before}",
         "要素的顺序是 前言、引言、范围、规范性引用文件、术语和定义、技术要素、附录、参考文献、索引。"
         "读者按这个顺序查找内容。",
         "1 范围 / 2 术语和定义 / 3 规范性引用文件", "1 范围 / 2 规范性引用文件 / 3 术语和定义"),
    Rule("GB103", "forbidden-in-annex", ERROR,
         "附录中不应有“{element}”", "an annex may not contain {element}",
         "范围、规范性引用文件、术语和定义只能作为正文的第1、2、3章出现，不能放在附录中。",
         "附录A 术语和定义", "3 术语和定义（正文）"),
    Rule("GB201", "fixed-wording", ERROR,
         "“{element}”的固定用语不符：应为“{expected}”", "{element} must use the fixed wording",
         "前言、范围、规范性引用文件、术语和定义的引导语是 GB/T 1.1—2020 规定的固定句，"
         "逐字一致（包括全角空格和一字线）。",
         "下列术语和定义适用本文件。", "下列术语和定义适用于本文件。"),
    Rule("GB301", "kind-modal-mismatch", WARNING,
         "声明的条款类型为“{kind}”，但条文中没有相应的能愿动词（{verbs}）",
         "declared kind {kind} but the text has no matching modal verb",
         "条款类型由能愿动词表达：要求用“应/不应”，推荐用“宜/不宜”，允许用“可/不必”，"
         "能力和可能性用“能/可能”。元数据与条文不一致时，检查表和修订对比会出错。",
         "kind: requirement —— 楼长每月走访1次。", "kind: requirement —— 楼长应每月走访1次。"),
    Rule("GB302", "statement-with-modal", WARNING,
         "声明为“{kind}”，但条文中有表示要求或推荐的“{verb}”",
         "declared {kind} but the text uses the modal verb {verb}",
         "陈述和指示不表达要求；含有“应”“宜”的条文应标为 requirement 或 recommendation。",
         "kind: statement —— 楼长应佩戴标识。", "kind: requirement —— 楼长应佩戴标识。"),
    Rule("GB303", "forbidden-modal", ERROR,
         "不应使用“{verb}”，应使用“{instead}”", "use {instead} instead of {verb}",
         "GB/T 1.1—2020 附录C：要求用“应”，不用“必须”；禁止用“不应”，不用“不可”“不得”。",
         "楼长不得泄露居民信息。", "楼长不应泄露居民信息。"),
    Rule("GB304", "requirement-in-note", ERROR,
         "{where}中不应有表示要求或推荐的“{verb}”", "no requirement verb ({verb}) in {where}",
         "注、示例和资料性附录只提供信息，不规定要求；要求应写在正文条款或规范性附录中。",
         "注：台账应保存3年。", "注：台账保存期限见10.3.2。"),
    Rule("GB401", "hanging-paragraph", WARNING,
         "悬置段：“{number}”下既有段落又有下级条", "hanging paragraph under {number}",
         "章或条的标题与其第一个下级条之间不应有段落（悬置段），否则该段无法被引用。"
         "把段落改为一个无标题条，或移到下级条中。",
         "6 服务内容 / 楼长的服务内容如下。 / 6.1 …", "6 服务内容 / 6.1 楼长的服务内容如下。 / 6.2 …"),
    Rule("GB402", "mixed-clause-titles", WARNING,
         "同一层次的条不应有的有标题、有的无标题（{number}）",
         "siblings under {number} mix titled and untitled clauses",
         "GB/T 1.1—2020：同一层次的条，或者都有标题，或者都没有标题。",
         "5.1 推选方式 / 5.2 （无标题条）", "5.1 推选方式 / 5.2 推选步骤"),
    Rule("GB403", "list-punctuation", WARNING,
         "列项“{label}”的结尾应为“{expected}”", "list item {label} should end with {expected}",
         "列项用“：”引出，各项以“；”结尾，最后一项以“。”结尾（下面还有下级列项的，以“：”结尾）。",
         "a) 老党员， b) 常住居民", "a) 老党员； b) 常住居民。"),
    Rule("GB404", "list-letter-gap", WARNING,
         "列项编号不连续：“{previous}”之后是“{label}”", "list labels skip from {previous} to {label}",
         "手写的列项编号 a) b) c) 应连续；最好用 Markdown 列表，让工具编号。",
         "a) … b) … d) …", "a) … b) … c) …"),
    Rule("GB405", "unknown-element-mentioned", WARNING,
         "条文提到的“{mention}”在本文件中不存在", "the text mentions {mention}, which does not exist",
         "引用附录、表、章条时，手写的编号会在重新编号后失效；用 {clause-ref}`标识` 引用。",
         "见附录E。（本文件只有附录A～D）", "见{clause-ref}`annex-notice-board`。"),
    Rule("GB501", "unused-term", WARNING,
         "术语“{term}”已定义，但正文中没有使用", "term {term} is defined but never used",
         "只定义文件中使用的术语；未使用的术语应删除。",
         "3.5 网格 …（正文未出现“网格”）", "删除 3.5，或在条文中使用该术语"),
    Rule("GB502", "undefined-term", WARNING,
         "“{term}”在多处作为术语使用（加引号），但没有定义", "{term} is used as a term but not defined",
         "在条文中加引号反复使用的专门用语，通常应在第3章界定。",
         "“网格员”应……；“网格员”可……（第3章无“网格员”）", "在第3章增加术语“网格员”"),
    Rule("GB601", "half-width-punctuation", WARNING,
         "中文文本中使用了半角标点“{char}”，应为“{full}”", "half-width {char} in Chinese text",
         "中文标准正文使用全角标点；半角逗号、分号、冒号和括号只用于外文和数字之间。",
         "楼长应走访,并记录。", "楼长应走访，并记录。"),
    Rule("GB602", "standard-number-dash", WARNING,
         "标准编号“{number}”的年号应以一字线“—”连接", "standard number {number}: use — before the year",
         "标准编号中顺序号与年号之间用一字线“—”，不用连字符“-”。",
         "GB/T 1.1-2020", "GB/T 1.1—2020"),
    Rule("GB701", "dates-order", ERROR,
         "实施日期 {implemented} 早于发布日期 {issued}", "implementation date before issue date",
         "实施日期不能早于发布日期。", "issued: 2024-06-01 / implemented: 2024-05-01",
         "issued: 2024-05-01 / implemented: 2024-06-01"),
    Rule("GB702", "frequency-without-role", WARNING,
         "条款有频次（frequency）但没有执行主体（role）", "frequency given without a role",
         "没有执行主体的频次无法生成检查表，也无法考核。", "frequency: {min: 1, per: month}",
         "role: 楼长 / frequency: {min: 1, per: month}"),
    Rule("GB703", "unknown-checklist", ERROR,
         "条款引用的检查表“{checklist}”在 checklists.yaml 中没有定义",
         "checklist {checklist} is not declared in checklists.yaml",
         "条款元数据 checklist 中的标识应与 checklists.yaml 中的检查表一致，否则该条款不会出现在任何检查表上。",
         "checklist: steward-montly", "checklist: steward-monthly"),
    Rule("GB704", "requirement-without-role", WARNING,
         "要求或推荐没有执行主体（role）", "requirement or recommendation without a role",
         "每个要求或推荐都应说明由谁执行，检查表和考核依此分配。",
         "kind: requirement（无 role）", "kind: requirement / role: 社区居委会"),
)

BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
