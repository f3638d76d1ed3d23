"""YAML loading for untrusted metadata: safe types only, no aliases, no duplicate keys.

PyYAML's ``safe_load`` already refuses ``!!python/object`` and friends. On top of it we
refuse anchors and aliases (metadata never needs them, and alias expansion is the
"billion laughs" attack) and duplicate keys (PyYAML would silently keep the last one, and a
user's value would be lost), and name a control character by line and code point (PyYAML
raises a bare reader error for it). We also keep the line of every top-level key so that a schema
error can point at the line the user must edit.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import chars


class YamlProblem(Exception):
    """A YAML document we refuse; ``line`` is 0-based within the text, ``code`` a rule code."""

    def __init__(self, code: str, line: int | None, **params: object) -> None:
        super().__init__(code, line, params)
        self.code = code
        self.line = line
        self.params = params


@dataclass(frozen=True)
class LoadedYaml:
    data: Any
    key_lines: dict[str, int]  # top-level key -> 0-based line within the text
    item_lines: tuple[int, ...] = ()  # top-level sequence: 0-based line of each item


class _Checks:
    """Constructor checks shared by the C and the pure-Python loaders."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=True)  # type: ignore[attr-defined]
            try:
                duplicate = key in seen
            except TypeError:
                duplicate = False
            if duplicate:
                raise YamlProblem("E111", key_node.start_mark.line, key=key)
            with contextlib.suppress(TypeError):
                seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc]

    def construct_yaml_timestamp(self, node: Any) -> Any:
        # PyYAML raises a bare ValueError for 2024-13-45; give it the line.
        try:
            return super().construct_yaml_timestamp(node)  # type: ignore[misc]
        except ValueError as err:
            raise YamlProblem("E101", node.start_mark.line, detail=f"日期无效：{err}") from None


class _PyLoader(_Checks, yaml.SafeLoader):
    """Pure-Python loader: refuses anchors and aliases while composing."""

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            raise YamlProblem("E110", self.peek_event().start_mark.line)
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise YamlProblem("E110", event.start_mark.line)
        return super().compose_node(parent, index)


_PyLoader.add_constructor("tag:yaml.org,2002:timestamp", _PyLoader.construct_yaml_timestamp)

if hasattr(yaml, "CSafeLoader"):
    class _CLoader(_Checks, yaml.CSafeLoader):  # type: ignore[misc, name-defined]
        """libyaml's parser (about ten times faster); aliases are found after composing."""

    _CLoader.add_constructor("tag:yaml.org,2002:timestamp", _CLoader.construct_yaml_timestamp)
    _FAST: type | None = _CLoader
else:  # pragma: no cover - PyYAML built without libyaml
    _FAST = None


def _refuse_aliases(node: Any) -> None:
    """libyaml composes an alias as the anchored node itself: a node met twice is an alias."""
    seen: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            raise YamlProblem("E110", current.start_mark.line)
        seen.add(id(current))
        if isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
        elif isinstance(current, yaml.MappingNode):
            for key, value in current.value:
                stack.extend((key, value))


def load_file(path: Path, fail: Callable[[int | None, str], Exception]
              ) -> tuple[str, LoadedYaml]:
    """Read and load a YAML file a person edits beside the standard (changes.yaml, the
    comments files): its text and what it holds. Every refusal is raised as ``fail(line,
    detail)``, with a 1-based line (or None) and the reason in Chinese."""
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise fail(None, "文件不是 UTF-8 编码，请另存为 UTF-8") from None
    except OSError as err:
        raise fail(None, f"无法读取（{err.strerror}）") from None
    try:
        return text, load(text)
    except YamlProblem as err:
        line = err.line + 1 if err.line is not None else None
        if err.code == "E111":
            raise fail(line, f"键“{err.params.get('key')}”重复") from None
        if err.code == "E110":
            raise fail(line, "不允许使用 YAML 锚点或别名（&/*）") from None
        raise fail(line, f"YAML 有误：{err.params.get('detail', err.code)}") from None


def load(text: str) -> LoadedYaml:
    """Load one YAML document; raise :class:`YamlProblem` with a 0-based line on refusal."""
    if _FAST is not None:
        try:
            return _load(text, _FAST)
        except YamlProblem as problem:
            if problem.code != "E101":
                raise
        # A syntax error: PyYAML's own parser words it better and points at the line the
        # user must edit; speed no longer matters.
    return _load(text, _PyLoader)


def _load(text: str, loader_class: type) -> LoadedYaml:
    try:
        loader = loader_class(text)  # the reader refuses control characters right here
    except yaml.reader.ReaderError:
        raise _control_character(text) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return LoadedYaml(None, {})
        if loader_class is _FAST and ("&" in text or "*" in text):  # no anchor without them
            _refuse_aliases(node)
        key_lines: dict[str, int] = {}
        item_lines: tuple[int, ...] = ()
        if isinstance(node, yaml.MappingNode):
            for key_node, _value in node.value:
                if isinstance(key_node, yaml.ScalarNode):
                    key_lines.setdefault(str(key_node.value), key_node.start_mark.line)
        elif isinstance(node, yaml.SequenceNode):
            item_lines = tuple(item.start_mark.line for item in node.value)
        data = loader.construct_document(node)
    except YamlProblem:
        raise
    except yaml.reader.ReaderError:
        raise _control_character(text) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        detail = err.problem or str(err)
        raise YamlProblem("E101", mark.line if mark else None, detail=detail) from None
    except (yaml.YAMLError, ValueError, RecursionError) as err:
        raise YamlProblem("E101", None, detail=str(err).splitlines()[0]) from None
    finally:
        loader.dispose()
    return LoadedYaml(plain_dates(data), key_lines, item_lines)


def _control_character(text: str) -> YamlProblem:
    """PyYAML refuses a control character with an offset into the text (a traceback before);
    say where it is and which one, by code point."""
    match = yaml.reader.Reader.NON_PRINTABLE.search(text)
    if match is None:  # pragma: no cover - the reader refused something; say so plainly
        return YamlProblem("E101", None, detail="含 YAML 不允许的字符")
    start = match.start()
    line = text.count("\n", 0, start)
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    char = chars.describe(match.group())
    return YamlProblem("E127", line, column=column, char=char,
                       detail=f"第{column}列含控制字符 {char}")


def plain_dates(data: Any) -> Any:
    """Turn YAML dates into ISO strings, so JSON Schema and JSON output see one type."""
    if isinstance(data, dict):
        return {k: plain_dates(v) for k, v in data.items()}
    if isinstance(data, list):
        return [plain_dates(v) for v in data]
    if isinstance(data, _dt.date):
        return data.isoformat()
    return data
