"""Diagnostics for bad input: a stable code, an English name, a Chinese message, a location.

Every problem the toolkit reports about a user's sources goes through :class:`Diagnostic`, so
that the Sphinx build, the CLI and the tests all print the same words for the same fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import chars

#: code -> (English rule name, Chinese message template). Codes are stable: never reuse one.
RULES: dict[str, tuple[str, str]] = {
    "E101": ("yaml-syntax", "元数据不是有效的 YAML：{detail}"),
    "E102": ("unknown-metadata-key", "未知的元数据键“{key}”（允许的键：{allowed}）"),
    "E103": ("metadata-type", "元数据“{key}”的值无效：{detail}"),
    "E104": ("missing-id", "{element}缺少标识（id）"),
    # detail: the grammar (lowercase ASCII letters, digits, hyphens, starting with a letter),
    # the length (at most 80) or an invisible character named by code point; see model.ids.
    "E105": ("invalid-id", "标识“{id}”{detail}"),
    "E106": ("duplicate-id", "标识“{id}”重复，已在 {other} 使用"),
    "E107": ("unknown-reference", "引用的标识“{id}”不存在"),
    "E108": ("edition-metadata", "标准元数据（standard.yaml）有误：{detail}"),
    "E109": ("misplaced-element", "{detail}"),
    "E110": ("yaml-alias", "元数据中不允许使用 YAML 锚点或别名（&/*）"),
    "E111": ("yaml-duplicate-key", "元数据键“{key}”重复"),
    "E112": ("missing-file", "找不到文件：{detail}"),
    "E113": ("roster-row", "花名册{where}：{detail}"),
    "E114": ("checklist-declaration", "检查表定义（checklists.yaml）有误：{detail}"),
    "E115": ("not-utf8", "文件不是 UTF-8 编码{guess}，请另存为 UTF-8"),
    "E116": ("empty-file", "文件为空：每个列入目次的文件至少要有一个带标识的标题"),
    "E117": ("include-outside", "包含的文件“{path}”{problem}，已拒绝"),
    "E118": ("directive-fence", "{detail}"),
    "E119": ("missing-metadata", "缺少必填的元数据“{key}”"),
    "E120": ("previous-edition", "无法读取上一版本（previous_edition）：{detail}"),
    # A standard folder is data (tooling/sphinx/guard.py): what it may read, link and run.
    "E121": ("file-outside", "{what}“{path}”{problem}，已拒绝：标准只能使用本目录中的文件"),
    "E122": ("remote-content",
             "{what}不能从网址读取内容（“{url}”）：请把文件放进标准目录，用相对路径引用"),
    "E123": ("directive-refused", "不允许使用“{name}”：{reason}"),
    "E124": ("front-matter-refused", "文件开头的元数据中不允许使用“{key}”：{reason}"),
    "E125": ("url-scheme", "{what}“{url}”使用了不允许的协议“{scheme}:”，只允许 {allowed}"),
    "E126": ("conf-in-standard",
             "标准目录中的 conf.py 不会被执行（a standard folder's conf.py is never run）："
             "标准的设置写在 standard.yaml 中；"
             "工具的 conf.py 在项目根目录，或用 --conf 指定其所在目录"),
    "E127": ("control-character",
             "第{column}列含控制字符 {char}：它在页面上看不见，却会原样写入成果，请删除"),
    "E128": ("not-markdown",
             "“{path}”不是 Markdown（.md）文件：标准的章节文件只能用 Markdown 编写"),
    "E129": ("no-heading", "{detail}"),
    "E130": ("heading-too-deep",
             "“{text}”不是标题：Markdown 只有六级标题，更深的一行成了普通段落，"
             "它的标识也随之丢失；GB/T 1.1—2020 的条最多分到第五层次"),
    "E131": ("clause-too-deep",
             "“{id}”的编号 {number} 是第{level}层次的条："
             "GB/T 1.1—2020 规定条最多分到第五层次"),
    "E132": ("translation-catalogs",
             "标准目录中的翻译目录“{path}”已拒绝：翻译文件会不经检查地替换标准的文字和页面上的"
             "文字；请在工具的 conf.py 中设 locale_dirs = []"),
    "E133": ("active-file",
             "{what}“{path}”是浏览器会运行的文件类型（{suffix}），不予发布："
             "图片请用 PNG、JPEG、GIF 或 WebP，供下载的文件请用 PDF 等格式"),
    "E140": ("output-not-writable", "无法写入输出目录：{detail}"),
    "E141": ("output-busy", "输出目录正被另一个构建使用，等待 {seconds} 秒后仍未释放；请稍后再试"),
    "E142": ("diff-side", "无法读取比较的一方：{detail}"),
    "E143": ("option-value", "选项 {option} 的值无效：{detail}"),
    "E144": ("serve-port", "无法在 127.0.0.1:{port} 上提供预览：{detail}"),
    # Elements of GB/T 1.1—2020 beyond clauses (figures, formulas, references, table notes)
    # and markup errors from the parser, reported like every other problem.
    "E150": ("image-missing", "{what}“{path}”不存在：请把图片文件放进标准目录，用相对路径引用"),
    "E151": ("not-an-image",
             "{what}“{path}”不是图片文件（{detail}）：图片请用 PNG、JPEG、GIF 或 WebP"),
    "E152": ("formula-syntax", "公式无法解析：{detail}"),
    "E153": ("not-referenceable", "“{id}”是{what}，不能被引用：{hint}"),
    "E154": ("footnote-outside", "{detail}"),
    "E155": ("table-content", "{detail}"),
    "E156": ("markup-error", "标记有误：{detail}"),
    "E170": ("table-span", "表格的合并单元格标记有误：{detail}"),
    # Word files: what Word cannot take is replaced by a visible placeholder (warnings).
    "E190": ("docx-picture", "{element}无法放入 Word 版：{detail}；已以占位框代替"),
    "E191": ("docx-table-width", "{element}共 {columns} 列，最窄也超出版心宽度，"
                                 "Word 版以占位框代替"),
    "E192": ("docx-formula", "{element}无法转换为 Word 公式：{detail}；已以占位框代替"),
    "E193": ("docx-unsupported", "Word 版暂不支持的元素“{element}”，按纯文本排版"),
    # The editor's changes.yaml (tooling/diff/overrides.py): E200 stops, the others warn.
    "E200": ("changes-file", "修订说明文件 changes.yaml 有误：{detail}"),
    "E201": ("changes-unmatched", "changes.yaml 中的“{key}”没有用上：{detail}"),
    "E202": ("changes-outdated",
             "“{key}”的自动表述已经变化，请核对人工表述：原为“{was}”，现为“{now}”"),
    "E203": ("changes-conflict",
             "“{key}”和“{other}”在前言的同一项中，都给出了 text：只使用“{other}”的"),
    # Comments on a draft (tooling/comments): comments/<stage>.yaml, the returned forms, and
    # the cross-checks with the next draft. E210–E215 stop; E216 and above warn.
    "E210": ("comments-file", "意见文件有误：{detail}"),
    "E211": ("disposition-reason",
             "{clause}的意见（{unit}）处理意见为“{disposition}”，缺少理由（disposition_reason）："
             "部分采纳和未采纳都要说明理由"),
    "E212": ("form-file", "意见表无法读取：{detail}"),
    "E213": ("form-too-large", "意见表过大：{detail}；请只保留意见表的工作表和填写了意见的行"),
    "E214": ("form-row", "{where}：{detail}；该行已原样保存在 {rejects} 中"),
    "E215": ("clause-number-unknown",
             "{where}：章条编号“{number}”在{draft}中不存在；该行已原样保存在 {rejects} 中"),
    "E216": ("formula-text", "{where}的{column}以“{lead}”开头：按文字保存，不作为公式"),
    "E217": ("disposition-conflict",
             "{where}：处理意见“{given}”与意见文件中已有的“{kept}”不同，保留意见文件中的"),
    "E218": ("form-notice", "{detail}"),
    "E219": ("comment-clause-unknown",
             "“{id}”不是{draft}中条款的标识：汇总处理表按意见上写的编号“{number}”列出"),
    "E220": ("adopted-unchanged",
             "{number}的意见（{unit}）处理意见为“{disposition}”，但{next}没有修改这一条"),
    "E221": ("change-without-comment",
             "{number}有技术性变化（{summary}），但没有相应的意见，编制说明中也没有说明"),
    # stdkit import (tooling/importer): reading a Word file into a standard folder.
    "E250": ("import-unreadable", "无法读取 Word 文件：{detail}"),
    "E251": ("import-legacy-doc", "这是旧版 Word 二进制文件（.doc），不能导入：请在 Word 或 WPS 中"
             "“另存为” .docx 后再导入"),
    "E252": ("import-encrypted", "文件已加密（设置了打开密码），不能导入：请在 Word 中删除密码后"
             "另存为 .docx 再导入"),
    "E253": ("import-corrupt", "不是有效的 .docx 文件（文件已损坏）：{detail}"),
    "E254": ("import-oversized", "文件过大，为防止解压炸弹而拒绝：{detail}"),
    "E255": ("import-not-a-standard", "这个 Word 文件看起来不是一项标准：{detail}"),
    "E256": ("import-target", "目标目录 {path} 已存在且不为空，不会覆盖其中的文件"),
    "E257": ("import-number", "{what}编号不一致：Word 文件中为“{typed}”，导入后计算为“{computed}”"
             "（{element}）"),
    "E258": ("import-reference",
             "引用不一致：Word 文件中写的是“{typed}”，导入后显示为“{computed}”"),
    "E259": ("import-unresolved", "{detail}"),
    "E260": ("import-build", "导入的标准目录无法构建（导入错误，请报告）：{detail}"),
    "E261": ("import-skipped", "未能按结构导入：{detail}"),
    # Stages, the 编制说明 and the 报批 package (tooling/approval).
    "E230": ("stage-order", "不能从“{old}”改为“{new}”：{detail}"),
    "E231": ("stage-no-comments",
             "改为送审稿之前需要征求意见稿的意见记录（stdkit comments collect 写出此文件），"
             "现在没有"),
    "E232": ("stage-comments-open",
             "征求意见稿的意见还没有处理完：{undecided} 条没有处理意见，{unresolved} 条无法对应到"
             "条款；送审前每条意见都要写明处理意见（采纳 / 部分采纳 / 未采纳）"),
    "E233": ("stage-no-explanation",
             "改为报批稿之前需要编制说明 explanation.md（stdkit new 写出各节的标题，"
             "stdkit explanation 生成编制说明）"),
    "E234": ("stage-placeholders", "正式发布之前要写明：{detail}"),
    "E235": ("stage-file", "无法改阶段：{detail}"),
    "E236": ("explanation-file", "编制说明 explanation.md 有误：{detail}"),
    "E237": ("explanation-missing-section", "编制说明缺少一节“{title}”，已印为“（未填写）”"),
    "E238": ("explanation-unfinished", "编制说明的“{title}”仍是“（待填写）”"),
    "E239": ("dossier-stage",
             "报批材料只为报批稿生成，现在的阶段是“{stage}”（先用 stdkit stage 改为报批稿；"
             "只想看看效果，加 --preview）"),
    "E240": ("dossier-part", "报批材料中的“{part}”无法生成：{detail}"),
}


@dataclass(frozen=True)
class Diagnostic:
    """One problem in the user's input, with where it is."""

    code: str
    source: str  # file path as the user knows it (relative where possible)
    line: int | None
    params: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        return RULES[self.code][0]

    @property
    def message(self) -> str:
        return RULES[self.code][1].format(**dict(self.params))

    @property
    def location(self) -> str:
        return f"{self.source}:{self.line}" if self.line else self.source

    def __str__(self) -> str:
        return f"{self.location}: {self.code} {self.message} [{self.name}]"


def diagnostic(code: str, source: str | Path, line: int | None, **params: object) -> Diagnostic:
    # What the user wrote is quoted with its invisible characters named (``<U+200B>``): a
    # message must never hide the very character that is wrong, or print a control code.
    return Diagnostic(
        code, display_path(source), line,
        tuple((k, chars.visible(str(v))) for k, v in params.items()),
    )


def display_path(path: str | Path) -> str:
    """A path relative to the working directory when it lies below it, else as given."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


class StandardInputError(Exception):
    """Raised when the sources contain errors that stop a build; carries the diagnostics."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = diagnostics
        first = diagnostics[0] if diagnostics else None
        count = len(diagnostics)
        summary = f"构建已停止：{count} 个错误（build stopped: {count} error(s)）"
        super().__init__(f"{first}\n{summary}" if first else summary)
