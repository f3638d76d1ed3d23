"""Diagnostics for bad input: a stable code, an English name, a Chinese message, a location.

Every problem the toolkit reports about a user's sources goes through :class:`Diagnostic`, so
that the Sphinx build, the CLI and the tests all print the same words for the same fault.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: code -> (English rule name, Chinese message template). Codes are stable: never reuse one.
RULES: dict[str, tuple[str, str]] = {
    "E101": ("yaml-syntax", "元数据不是有效的 YAML：{detail}"),
    "E102": ("unknown-metadata-key", "未知的元数据键“{key}”（允许的键：{allowed}）"),
    "E103": ("metadata-type", "元数据“{key}”的值无效：{detail}"),
    "E104": ("missing-id", "{element}缺少标识（id）"),
    "E105": ("invalid-id", "标识“{id}”无效：只能使用小写 ASCII 字母、数字和连字符，并以字母开头"),
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
    "E117": ("include-outside", "包含的文件“{path}”位于标准目录之外，已拒绝"),
    "E118": ("directive-fence", "{detail}"),
    "E119": ("missing-metadata", "缺少必填的元数据“{key}”"),
    "E120": ("previous-edition", "无法读取上一版本（previous_edition）：{detail}"),
    "E140": ("output-not-writable", "无法写入输出目录：{detail}"),
    "E141": ("output-busy", "输出目录正被另一个构建使用，等待 {seconds} 秒后仍未释放；请稍后再试"),
    "E142": ("diff-side", "无法读取比较的一方：{detail}"),
    "E143": ("option-value", "选项 {option} 的值无效：{detail}"),
    "E170": ("table-span", "表格的合并单元格标记有误：{detail}"),
    # Word files: what Word cannot take is replaced by a visible placeholder (warnings).
    "E190": ("docx-picture", "{element}无法放入 Word 版：{detail}；已以占位框代替"),
    "E191": ("docx-table-width", "{element}共 {columns} 列，最窄也超出版心宽度，"
                                 "Word 版以占位框代替"),
    "E192": ("docx-formula", "{element}无法转换为 Word 公式：{detail}；已以占位框代替"),
    "E193": ("docx-unsupported", "Word 版暂不支持的元素“{element}”，按纯文本排版"),
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
    return Diagnostic(
        code, display_path(source), line, tuple((k, str(v)) for k, v in params.items())
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
