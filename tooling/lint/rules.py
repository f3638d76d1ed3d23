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
    Rule("GB104", "annex-citation-order", ERROR,
         "附录{annex}在正文中首次引用（{first}）早于附录{previous_annex}（{previous_first}）：附录应按在正文中"
         "首次引用的先后排列",
         "annex {annex} is first cited ({first}) before annex {previous_annex} ({previous_first})",
         "GB/T 1.1—2020：附录按在正文中首次被提及的先后次序编为附录A、附录B……。读者从正文跳到"
         "附录时，字母的先后就是阅读的先后。",
         "7.5.1 见附录D（公示牌）… 9.1.1 见附录C（评价表）",
         "7.5.1 见附录C（公示牌）… 9.1.1 见附录D（评价表）"),
    Rule("GB105", "scope-annex-order", WARNING,
         "范围中“{title}”（附录{annex}）列在“{other_title}”（附录{other_annex}）之前：范围中列出的附录"
         "内容应与附录的顺序一致",
         "the scope lists {title} (annex {annex}) before {other_title} (annex {other_annex})",
         "范围“给出了……”列出的式样和示例，其先后应与附录的先后一致，读者才能按范围找到附录。",
         "给出了……楼长服务评价表和楼长公示牌的式样（附录C 公示牌，附录D 评价表）",
         "给出了……楼长公示牌和楼长服务评价表的式样"),
    Rule("GB106", "annex-not-cited", ERROR,
         "附录{annex}在正文中没有被引用", "annex {annex} is never cited in the text",
         "GB/T 1.1—2020：每个附录都应在正文中提及（规范性附录用“应按附录A……”，资料性附录用"
         "“见附录B”），否则读者不知道何时使用它，也无法确定其次序。",
         "附录B 记录表（正文中没有“附录B”或对它的引用）",
         "楼长应填写记录表（式样见{clause-ref}`annex-record`）。"),
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
    Rule("GB305", "requirement-wording-in-informative", WARNING,
         "{where}中的“{word}”表达了要求：资料性内容只陈述事实或给出示例，要求写在正文条款中",
         "{word} in {where} reads as a requirement",
         "注、示例和资料性附录不规定要求（GB/T 1.1—2020）。“至少”“不少于”“统一”“须”“应当”等词"
         "即使没有“应”也在提出要求；要求应写在正文或规范性附录中并用能愿动词，资料性内容只引用它。"
         "同样的词也可能只是在转述正文，所以这是警告。",
         "附录B（资料性）：每户特殊家庭每月至少有1条走访或联系记录。",
         "附录B（资料性）：记录的频次见7.1.2。"),
    Rule("GB306", "mixed-provision-kinds", WARNING,
         "一条中有两种条款类型的能愿动词（“{modal_a}”和“{modal_b}”）：一条只表达一种条款类型，应拆分",
         "one provision mixes {modal_a} and {modal_b}",
         "每条的类型（要求、推荐、允许）由能愿动词表达，元数据 kind 只能有一个值；“应……，可……”"
         "混在一条里，检查表和修订对比就无法判断它是要求还是允许。把例外或允许另写一条。",
         "楼长年龄应不超过65周岁；身体健康的，年龄可适当放宽。",
         "4.1.3 楼长年龄应不超过65周岁。 / 4.1.4 身体健康……的，楼长年龄可适当放宽。"),
    Rule("GB307", "part-without-modal", WARNING,
         "“{part}”没有能愿动词：要求、推荐或允许中的每个分句都应写出“应/宜/可”，或另成一条",
         "part of a provision without a modal verb: {part}",
         "一条中用“；”或“。”分开的部分若没有能愿动词，读者无法判断它是要求还是陈述，也常常换了"
         "执行主体（“补选期间，由社区居委会指定……”）。写出能愿动词，或另写一条并注明执行主体。",
         "社区党组织应在30 d内补选；补选期间，由社区居委会指定代为履职人员。",
         "社区党组织应在30 d内补选。 / 补选期间，社区居委会应指定代为履职人员。"),
    Rule("GB308", "qualified-modal", ERROR,
         "“{phrase}”使条款无法验证：去掉“{qualifier}”，把例外另写一条",
         "{phrase}: a qualified modal verb cannot be verified",
         "“原则上应”“一般应”“应尽量”削弱了“应”：读者无法判断何时可以不做。要求写成“应”，允许的"
         "例外写成另一条允许条款（“……的，可……”）。",
         "楼长年龄原则上应不超过65周岁。",
         "楼长年龄应不超过65周岁。 / 身体健康……的，楼长年龄可适当放宽。"),
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
    Rule("GB406", "typed-designation", ERROR,
         "手写的编号“{mention}”不会随重新编号更新，应改为引用：{ref}",
         "typed designation {mention}: use a reference ({ref})",
         "编号由结构计算，不手工输入：增删一章、一个附录或一张表后，手写的“附录C”“表A.1”“第4章”"
         "“见5.2”就指错了地方。用 {clause-ref}`标识` 引用，构建时显示当前编号。`stdkit lint --fix` "
         "把能唯一确定目标的手写编号改写为引用，并列出改了哪些。",
         "楼长应填写台账（式样见附录A）。",
         "楼长应填写台账（式样见{clause-ref}`annex-visit-ledger`）。"),
    Rule("GB501", "unused-term", WARNING,
         "术语“{term}”已定义，但正文中没有使用", "term {term} is defined but never used",
         "只定义文件中使用的术语；未使用的术语应删除。",
         "3.5 网格 …（正文未出现“网格”）", "删除 3.5，或在条文中使用该术语"),
    Rule("GB502", "undefined-term", WARNING,
         "“{term}”在多处作为术语使用（加引号），但没有定义", "{term} is used as a term but not defined",
         "在条文中加引号反复使用的专门用语，通常应在第3章界定。",
         "“网格员”应……；“网格员”可……（第3章无“网格员”）", "在第3章增加术语“网格员”"),
    Rule("GB503", "definition-with-requirement", ERROR,
         "术语“{term}”的定义中有表示要求的“{word}”：定义只说明概念，要求写在条款中",
         "the definition of {term} states a requirement ({word})",
         "定义用来代替条文中的术语，不能含有要求（GB/T 1.1—2020）：能愿动词和“不少于”“至少”等"
         "写进定义，要求就藏在第3章里，无法引用、检查和考核。",
         "楼长公示牌：应设置在单元入口的、公开楼长身份的标识牌。",
         "楼长公示牌：公开楼长身份、职责和联系方式的标识牌。（设置位置见7.5.1）"),
    Rule("GB504", "definition-context", WARNING,
         "术语“{term}”的定义以“{start}”开头：定义应能直接代替条文中的术语（替换检验），不带主语、"
         "“指”或语境",
         "the definition of {term} starts with context ({start}) a substitution cannot carry",
         "把定义代入使用术语的条文，句子仍应通顺（替换检验）。以“指”“是”、术语本身或“楼长负责的"
         "……”这样的主语开头的定义，代入后读作“对负责楼宇内的……等楼长负责楼宇内的……家庭”。",
         "特殊家庭：楼长负责楼宇内的鳏寡孤独……等居民家庭。",
         "特殊家庭：鳏寡孤独、老加残、长期空巢等需要重点关注的居民家庭。"),
    Rule("GB505", "circular-definition", WARNING,
         "术语“{term}”的定义中用了术语本身", "the definition of {term} uses the term itself",
         "定义不能用被定义的术语来解释它自己，否则读者仍不知道它的含义。",
         "楼宇：以楼宇为单位的居民住宅建筑。",
         "楼宇：城市社区内独立建造的一座居民住宅建筑，包括其各单元和楼道等公共部位。"),
    Rule("GB506", "undefined-metric", ERROR,
         "目标的指标“{metric}”没有在第3章界定：比率类指标应给出分子、分母和计算方法",
         "the target metric {metric} is not a defined term",
         "“……率”这样的指标，不界定分子和分母就无法计算，也无法考核：空置房屋、全年外出的家庭、"
         "年内迁入的家庭算不算？在第3章界定术语，在条文中给出计算方法。",
         "target: {metric: 居民满意率, value: 90}（第3章没有“居民满意率”）",
         "3.8 居民满意率：……占参与评议户数的百分比 / target: {metric: 居民满意率, value: 90}"),
    Rule("GB507", "name-variants", WARNING,
         "同一名称有两种写法：“{one}”和“{other}”，全文应统一",
         "one name written two ways: {one} and {other}",
         "同一事物全文用同一名称（GB/T 1.1—2020 的一致性）；需要简称时，第一次出现时写明"
         "“（以下简称“……”）”。",
         "楼长任期应与社区居民委员会任期一致。（别处写“社区居委会”）",
         "楼长任期应与社区居委会任期一致。"),
    Rule("GB508", "plural-english-term", WARNING,
         "术语“{term}”的英文对应词“{en}”用了复数：英文对应词一般用单数",
         "the English equivalent {en} of {term} is plural",
         "术语的英文对应词与中文术语一样指一个概念，一般用单数。",
         "3.3 社区组织 community organizations", "3.3 社区组织 community organization"),
    Rule("GB601", "half-width-punctuation", WARNING,
         "中文文本中使用了半角标点“{char}”，应为“{full}”", "half-width {char} in Chinese text",
         "中文标准正文使用全角标点；半角逗号、分号、冒号和括号只用于外文和数字之间。",
         "楼长应走访,并记录。", "楼长应走访，并记录。"),
    Rule("GB602", "standard-number-dash", WARNING,
         "标准编号“{number}”的年号应以一字线“—”连接", "standard number {number}: use — before the year",
         "标准编号中顺序号与年号之间用一字线“—”，不用连字符“-”。",
         "GB/T 1.1-2020", "GB/T 1.1—2020"),
    Rule("GB603", "range-sign", ERROR,
         "范围“{range}”应以“～”连接", "the range {range} must be written with ～",
         "GB/T 1.1—2020：数值或时间的范围用浪纹式连接号“～”，一字线“—”用于标准编号的年号。",
         "入户走访宜安排在8:00—12:00。", "入户走访宜安排在8:00～12:00。"),
    Rule("GB604", "time-unit-convention", WARNING,
         "时间“{value}”应写作“{symbol}”：本文件的时、日用单位符号 h、d",
         "write {value} as {symbol}: hours and days with the symbols h and d",
         "时间写法全文一致（本工具的约定）：小时和日这两个法定计量单位用 GB 3100 的单位符号 h、d"
         "（24 h、3 d），工作日、月、年不是计量单位，写作“5个工作日”“1个月”“3年”。元数据 "
         "frequency.within 和 target.unit 与条文写法相同；检查表和网页上的元数据再用平常的话印出"
         "（24小时、3日，见 tooling/model/units.py）。",
         "楼长应在3日内传达；…应在24小时内处理。", "楼长应在3 d内传达；…应在24 h内处理。"),
    Rule("GB605", "stale-example-date", WARNING,
         "示例中的日期“{date}”早于本文件的年份（{year}）",
         "the example date {date} is older than the document ({year})",
         "修订或升级一个文件时，附录和示例中的示例日期常常照搬旧版；2026年的文件中出现2020年的"
         "示例日期，读者会以为示例过时。用本文件年份的日期，或只写月日。",
         "DB3715/T XXXX—2026 表A.1：2020-06-03", "DB3715/T XXXX—2026 表A.1：03-03"),
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
    Rule("GB705", "text-value-not-in-metadata", ERROR,
         "条文规定了{what}“{text}”，元数据 {field} 中没有",
         "the text states the {what} {text}, the metadata {field} does not",
         "检查表、条款索引和考核都读元数据：条文中的频次（每月……不少于N次）、时限（N d内、"
         "N个工作日内）和限值（不低于N%、不超过N）都应写进元数据（frequency、target），"
         "否则检查表上就没有它。",
         "楼长应每月备份不少于1次。（无 frequency）",
         "frequency: {min: 1, per: month} —— 楼长应每月备份不少于1次。"),
    Rule("GB706", "metadata-value-not-in-text", ERROR,
         "元数据 {field} 为“{meta}”，条文中没有写明",
         "the metadata {field} is {meta}, the text does not say so",
         "元数据只能记录条文规定的内容：条文没有写的频次或时限出现在检查表上，楼长就按条文中"
         "没有的要求被考核。",
         "frequency: {min: 1, per: month} —— 楼长应参加楼长议事会。",
         "frequency: {min: 1, per: month} —— 楼长应参加每月召开的楼长议事会。"),
    Rule("GB707", "text-metadata-mismatch", ERROR,
         "条文中的{what}为“{text}”，元数据 {field} 为“{meta}”",
         "the text's {what} is {text}, the metadata {field} says {meta}",
         "条文和元数据说的不是同一个值时，检查表印的与标准规定的不同。以条文为准改正元数据"
         "（或改正条文）。checklist_text 中的数值也与条文比较。",
         "frequency: {event: 年度评价不合格, within: 15 d} —— 公示期满后15 d内谈话。"
         "（checklist_text: 评价后30 d内谈话）",
         "frequency: {event: 评价结果公示期满, within: 15 d} —— 公示期满后15 d内谈话。"),
    Rule("GB708", "drafter-not-person", WARNING,
         "主要起草人“{name}”像是单位或岗位：主要起草人应列出自然人的姓名",
         "drafter {name} looks like an organisation or a post, not a person",
         "GB/T 1.1—2020 的前言中，起草单位列单位，主要起草人列自然人。姓名未定或不宜公开时，"
         "用“张××”这样的占位，并在说明中写明。",
         "drafters: [东阿县市场监督管理局标准化科]", "drafters: [张××, 李××]"),
    Rule("GB709", "evidence-not-in-text", WARNING,
         "证明记录“{evidence}”在条文中没有出现：记录的名称、式样和保存应由条文规定",
         "the evidence {evidence} named in metadata is never named in the text",
         "元数据 evidence 说明用哪份记录证明履行了条款；这份记录若在条文中从未出现，就没有人被要求"
         "填写或保存它，考核时也拿不出来。在条文中写明它（如档案保存的清单）。",
         "evidence: 楼长谈话记录（条文中没有“谈话记录”）",
         "社区居委会应集中保管……楼长谈话记录……"),
    Rule("GB710", "role-not-subject", WARNING,
         "条文中“{subject}{verb}……”的主语不在元数据 role（{role}）中：role 是按本条行事的一方",
         "the subject {subject} of the text is not in the role ({role})",
         "role 记录按本条款行事、并据此被检查的一方，即能愿动词的主语（楼长应……→ role: 楼长）；"
         "对人员条件是须符合条件的人，审查条件的组织由另一条（资格审查）规定。role 与主语不一致时，"
         "检查表会发给不该做这件事的人。",
         "role: 社区党组织 —— 楼长应思想觉悟高……", "role: 楼长 —— 楼长应思想觉悟高……"),
)

BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
