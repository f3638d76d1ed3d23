"""The read structure written as a standard folder: ids, references, Markdown files.

Ids: a Word bookmark of the element when it is a valid id (our own Word edition names every
element's bookmark after its id), else the English term or a fixed chapter name, else the
pinyin of the Chinese title (pypinyin), else the position (clause-5-2-1); unique within the
standard. References: hyperlinks to bookmarks and the typed forms 见5.2, 第5章, 附录B, 表A.1,
图1, 公式(1), 4.1.2 a), 表1的注2, [1] and a normative reference's number, each recorded with
the text typed in Word so the verification can compare it with what the build prints.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from pypinyin import lazy_pinyin

from ..model.ids import MAX_ID_LENGTH, is_valid_id
from .reader import Cell, Token
from .structure import FIXED_TITLES, Node, Parsed, plain, squash
from .suggest import suggest

SUGGESTED = "  # 建议值，请核对"


@dataclass
class Output:
    files: dict[str, str] = field(default_factory=dict)  # relative path -> text
    binary: dict[str, bytes] = field(default_factory=dict)
    toc: list[str] = field(default_factory=list)
    typed: dict[str, tuple[str, str, int]] = field(default_factory=dict)  # id -> (typed, what, idx)
    refs: list[tuple[str, str, int]] = field(default_factory=list)  # (id, typed text, block)
    unresolved: list[tuple[str, int]] = field(default_factory=list)
    skipped: list[tuple[str, int]] = field(default_factory=list)  # E261
    suggested: int = 0


def escape(text: str) -> str:
    """Markdown-escape text so it reads back as the same characters."""
    return re.sub(r"([\\`*_\[\]<>|$~])", r"\\\1", text)


def block_start(text: str) -> str:
    """A paragraph's first characters must not read as Markdown block syntax."""
    return re.sub(r"^([#>+\-=]|\d+[.)])", r"\\\1", text)


def slug(text: str) -> str:
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return value


def pinyin(text: str, limit: int = 6) -> str:
    chars = [c for c in text if "\u4e00" <= c <= "\u9fff" or (c.isascii() and c.isalnum())]
    words = lazy_pinyin("".join(chars)[:limit * 2])
    return slug("-".join(words[:limit]))


class Ids:
    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, wanted: str, fallback: str) -> str:
        base = wanted if wanted else fallback
        base = base[:MAX_ID_LENGTH - 4].strip("-")
        if not base or not base[0].isalpha():
            base = f"{fallback.split('-')[0] or 'x'}-{base}".strip("-")
        if not is_valid_id(base):
            base = slug(base) or "x"
        candidate, n = base, 2
        while candidate in self.used:
            candidate = f"{base}-{n}"
            n += 1
        self.used.add(candidate)
        return candidate


def _from_bookmark(name: str | None) -> str | None:
    if not name:
        return None
    value = name.lstrip("_").replace("_", "-")
    return value if is_valid_id(value) else None


class Writer:
    def __init__(self, parsed: Parsed) -> None:
        self.parsed = parsed
        self.ids = Ids()
        self.out = Output()
        self.by_number: dict[str, Node] = {}
        self.by_anchor: dict[str, Node] = {}
        self.parent: dict[int, Node] = {}
        self.designations: dict[str, Node] = {}
        self.pending_ids: dict[int, str] = {}
        self.duplicates: list[tuple[str, int]] = []
        self.skipped: list[tuple[str, int]] = []
        self.terms: tuple[str, ...] = ()
        self.foot: str | None = None  # footnote prefix inside a table or figure

    # --- ids ---------------------------------------------------------------------------
    def assign(self) -> None:
        nodes = [n for top in self.parsed.body for n in top.walk()]
        if self.parsed.introduction:
            nodes = list(self.parsed.introduction.walk()) + nodes
        for node in nodes:
            for child in node.children:
                self.parent[id(child)] = node
        # Bookmarks first, so our own export keeps every id.
        for node in nodes:
            wanted = _from_bookmark(node.bookmark)
            if wanted and wanted not in self.ids.used:
                self.ids.used.add(wanted)
                node.id = wanted
        self.terms = tuple(n.title for n in nodes if n.kind == "term")
        counters: dict[str, int] = {}
        for node in nodes:
            counters[node.kind] = counters.get(node.kind, 0) + 1
            if node.id is None:
                node.id = self._new_id(node, counters[node.kind])
            if node.bookmark:
                self.by_anchor[node.bookmark] = node
            key = self._key(node)
            if key:
                if key in self.by_number:
                    self.duplicates.append((f"编号“{key[1]}”在 Word 文件中出现了两次；"
                                            "引用它时指向第一个", node.index))
                else:
                    self.by_number[key] = node
            if node.kind in ("reference", "bib") and node.designation:
                self.designations.setdefault(node.designation, node)

    def _key(self, node: Node) -> tuple[str, str] | None:
        if node.typed is None or node.kind in ("item", "note", "example"):
            return None
        group = {"chapter": "clause", "clause": "clause", "untitled": "clause", "term": "clause",
                 "annex": "annex", "table": "table", "figure": "figure", "formula": "formula",
                 "bib": "bib"}.get(node.kind)
        return (group, node.typed) if group else None

    def _new_id(self, node: Node, position: int) -> str | None:
        kind = node.kind
        if kind in ("list", "para", "item", "note", "example"):
            return None
        title = node.title.strip()
        if kind in ("chapter", "annex", "clause", "bibliography", "introduction"):
            fixed = FIXED_TITLES.get(squash(title))
            prefix = "annex-" if kind == "annex" else ""
            wanted = fixed if fixed and kind != "annex" else prefix + pinyin(title)
            fallback = f"{'annex' if kind == 'annex' else 'clause'}-{_pos(node, position)}"
            return self.ids.take(wanted if title else "", fallback)
        if kind == "term":
            wanted = "term-" + (slug(node.en) if node.en else pinyin(title))
            return self.ids.take(wanted, f"term-{position}")
        if kind == "untitled":
            return self.ids.take("", "clause-" + (node.typed or str(position)).lower()
                                 .replace(".", "-"))
        if kind in ("table", "figure"):
            prefix = "table" if kind == "table" else "fig"
            wanted = f"{prefix}-{pinyin(title, 5)}" if title else ""
            return self.ids.take(wanted, f"{prefix}-{_pos(node, position)}")
        if kind == "formula":
            return self.ids.take("", f"formula-{_pos(node, position)}")
        if kind == "reference":
            return self.ids.take("ref-" + slug(node.designation or ""), f"ref-{position}")
        if kind == "bib":
            wanted = "bib-" + slug(node.designation) if node.designation else ""
            return self.ids.take(wanted, f"bib-{node.typed or position}")
        return None

    # --- references --------------------------------------------------------------------
    _REF = re.compile(
        r"(?P<chapter>第\s*(?P<ch>\d+)\s*章)"
        r"|(?P<annex>附录\s*(?P<ax>[A-Z])(?![A-Za-z.]))"
        r"|(?P<table>表\s*(?P<tb>[A-Z]\.\d+|\d+)(?![\d.]))"
        r"|(?P<figure>图\s*(?P<fg>[A-Z]\.\d+|\d+)(?![\d.]))"
        r"|(?P<formula>公式\s*[（(]\s*(?P<fm>[A-Z]\.\d+|\d+)\s*[)）])"
        r"|(?<=[见按照据合足循和、或及至与～~，（(从在于])(?P<clause>(?P<cl>(?:\d{1,2}|[A-Z])"
        r"(?:\.\d{1,3})+)(?![\d.])(?:[ \u00a0]?(?P<item>[a-z])\))?)"
        r"|(?P<bib>\[(?P<bn>\d{1,3})\])")
    _AFTER = re.compile(r"^的(注|示例)(\d*)")
    _BARE = re.compile(r"((?:\d{1,2}|[A-Z])(?:\.\d{1,3})+)(?:[ ]?([a-z])\))?")
    _AFTER_END = re.compile(r"的(注|示例)(\d*)$")
    _UNIT_AFTER = re.compile(r"^[ \u00a0]?(?:%|[a-zA-Z]{1,3}(?![a-z)])"
                             r"|个|年|月|日|天|周|次|户|名|人|元|倍|万|米|分|℃|°)")

    def _note_of(self, owner: Node, kind: str, n: str, anchor: str | None) -> Node | None:
        notes = [c for c in owner.children if c.kind == kind]
        if owner.kind in ("untitled", "term"):
            pass
        if not notes:
            return None
        index = int(n) - 1 if n else 0
        if not 0 <= index < len(notes):
            return None
        note = notes[index]
        if note.id is None:
            wanted = _from_bookmark(anchor) if anchor else None
            base = owner.id or "x"
            note.id = self.ids.take(wanted or "", f"{kind}-{base}-{index + 1}")
        return note

    def _item_of(self, owner: Node, letter: str, anchor: str | None = None) -> Node | None:
        for child in owner.children:
            if child.kind == "list":
                for item in child.children:
                    if item.label == f"{letter})":
                        if item.id is None:
                            wanted = _from_bookmark(anchor) if anchor else None
                            item.id = self.ids.take(wanted or "", f"{owner.id}-{letter}")
                        return item
        return None

    def resolve(self, text: str, anchor: str | None = None) -> tuple[Node | None, str]:
        """The element a whole typed reference names, and the kind of failure otherwise."""
        match = self._REF.fullmatch(text.strip().replace("\u00a0", " ")) if text else None
        if anchor:
            node = self.by_anchor.get(anchor)
            if node is not None:
                return node, ""
        bare = self._BARE.fullmatch(text.strip().replace("\u00a0", " ")) if text else None
        if bare:
            node = self.by_number.get(("clause", bare.group(1)))
            if node is not None and bare.group(2):
                node = self._item_of(node, bare.group(2), anchor)
            return node, "" if node is not None else "Word 文件中没有这个编号"
        if match is None:
            after = self._AFTER_END.search(text.strip())
            base = text[:after.start()] if after else text
            match2 = (self._REF.fullmatch(base.strip()) or self._BARE.fullmatch(base.strip())) \
                if after else None
            if match2:
                owner, _ = self.resolve(base)
                if owner is not None:
                    kind = "note" if after.group(1) == "注" else "example"
                    note = self._note_of(owner, kind, after.group(2), anchor)
                    return note, "" if note else "没有这个注或示例"
            if text.strip() in self.designations:
                return self.designations[text.strip()], ""
            return None, "不认识的引用"
        return self._target(match, anchor)

    def _target(self, match: re.Match[str], anchor: str | None) -> tuple[Node | None, str]:
        g = match.groupdict()
        if g["chapter"]:
            node = self.by_number.get(("clause", g["ch"]))
        elif g["annex"]:
            node = self.by_number.get(("annex", g["ax"]))
        elif g["table"]:
            node = self.by_number.get(("table", g["tb"]))
        elif g["figure"]:
            node = self.by_number.get(("figure", g["fg"]))
        elif g["formula"]:
            node = self.by_number.get(("formula", g["fm"]))
        elif g["bib"]:
            node = self.by_number.get(("bib", g["bn"]))
        else:
            node = self.by_number.get(("clause", g["cl"]))
            if node is not None and g["item"]:
                node = self._item_of(node, g["item"], anchor)
        return node, "" if node is not None else "Word 文件中没有这个编号"

    def inline(self, tokens: list[Token], footnote_prefix: str | None = None) -> str:
        out: list[str] = []
        for token in tokens:
            if token.kind == "img":
                continue
            if token.kind == "math":
                out.append("{math}`" + token.text.replace("`", "") + "`")
            elif token.kind == "sup":
                if footnote_prefix and re.fullmatch(r"[a-z]", token.text):
                    out.append(f"[^{footnote_prefix}-{token.text}]")
                else:
                    out.append(escape(token.text.translate(str.maketrans("0123456789-",
                                                                         "⁰¹²³⁴⁵⁶⁷⁸⁹⁻"))))
            elif token.kind == "ref":
                node, _ = self.resolve(token.text, token.anchor)
                if node is not None and node.id:
                    out.append(self._role(node, token.text))
                else:
                    out.append(self.link(token.text))
            else:
                out.append(self.link(token.text))
        return "".join(out).strip()

    def _role(self, node: Node, typed: str) -> str:
        self.out.refs.append((node.id or "", typed.strip(), node.index))
        return "{clause-ref}`" + (node.id or "") + "`"

    def link(self, text: str) -> str:
        """Plain text with its typed references as {clause-ref} roles."""
        text = text.replace("\u00a0", " ")
        pieces: list[str] = []
        position = 0
        designations = sorted(self.designations, key=len, reverse=True)
        pattern = self._REF
        if designations:
            pattern = re.compile("(?P<desig>" + "|".join(re.escape(d) for d in designations)
                                 + r")(?![\d.])|" + self._REF.pattern)
        for match in pattern.finditer(text):
            if match.start() < position:
                continue
            g = match.groupdict()
            typed = match.group(0)
            end = match.end()
            if g.get("desig"):
                node = self.designations[g["desig"]]
            else:
                if g["clause"] and self._UNIT_AFTER.match(text[end:]):
                    continue
                node, problem = self._target(match, None)
                after = self._AFTER.match(text[end:])
                if after and node is not None:
                    kind = "note" if after.group(1) == "注" else "example"
                    note = self._note_of(node, kind, after.group(2), None)
                    if note is not None:
                        node, typed, end = note, typed + after.group(0), end + after.end()
                if node is None:
                    self.out.unresolved.append((f"引用“{typed}”：{problem}", 0))
                    continue
            pieces.append(escape(text[position:match.start()]))
            pieces.append(self._role(node, typed))
            position = end
        pieces.append(escape(text[position:]))
        return "".join(pieces)

    # --- Markdown ----------------------------------------------------------------------
    def write(self) -> Output:
        self.assign()
        # Twice: a reference may give an id to a note or list item written before it (见4.1.2
        # a), 表1的注2); the first pass finds them all, the second writes them.
        for _ in range(2):
            self.out = Output()
            if self.parsed.introduction is not None:
                self._file(self.parsed.introduction)
            for top in self.parsed.body:
                self._file(top)
        self.out.unresolved[:0] = self.duplicates
        self.out.skipped = list(dict.fromkeys(self.skipped))
        return self.out

    def _record(self, node: Node, what: str) -> None:
        if node.id and node.typed and node.verified:
            self.out.typed[node.id] = (node.typed, what, node.index)

    def _file(self, top: Node) -> None:
        lines: list[str] = [f"({top.id})=", f"# {escape(top.title) or '（无标题）'}", ""]
        if top.kind == "annex":
            obligation = top.obligation or "informative"
            lines += [f":::{{annex}} {obligation}", ":::", ""]
            self._record(top, "附录")
        elif top.kind == "chapter":
            self._record(top, "章")
        self._children(top, lines, 1)
        name = f"{top.id}.md"
        self.out.files[name] = "\n".join(lines).rstrip("\n") + "\n"
        self.out.toc.append(top.id or "")

    def _children(self, node: Node, lines: list[str], depth: int) -> None:
        for child in node.children:
            self._element(child, lines, depth)

    def _element(self, node: Node, lines: list[str], depth: int) -> None:
        kind = node.kind
        if kind == "clause":
            self._record(node, "条")
            lines += [f"({node.id})=", f"{'#' * (depth + 1)} {escape(node.title)}", ""]
            self._children(node, lines, depth + 1)
        elif kind == "untitled":
            self._record(node, "条")
            text = block_start(self.inline(node.tokens))
            meta = self._suggestions(node)
            inner: list[str] = [text, ""] if text else []
            for child in node.children:
                self._element(child, inner, depth)
            lines += ["::::{clause}", "---", f"id: {node.id}", *meta, "---", *inner, "::::",
                      ""]
        elif kind == "para":
            text = block_start(self.inline(node.tokens))
            if text:
                lines += [text, ""]
        elif kind == "list":
            lines += [*self._list(node, 0), ""]
        elif kind in ("note", "example"):
            directive = "note" if kind == "note" else "example"
            body = block_start(self.inline(node.tokens, self.foot)).replace("\n", "\n\n")
            opts = [f":id: {node.id}"] if node.id else []
            if node.id and node.typed is not None:
                self.out.typed[node.id] = (("注" if kind == "note" else "示例") + node.typed,
                                           "注" if kind == "note" else "示例", node.index)
            lines += [f":::{{{directive}}}", *opts, body, ":::", ""]
        elif kind == "term":
            self._record(node, "术语条目")
            meta = [f"id: {node.id}", f"term: {json.dumps(node.title, ensure_ascii=False)}"]
            if node.en:
                meta.append(f"en: {json.dumps(node.en, ensure_ascii=False)}")
            if node.source:
                meta.append(f"source: {_source(node.source)}")
            body: list[str] = []
            for child in node.children:
                self._element(child, body, depth)
            lines += ["::::{term}", "---", *meta, "---", *body, "::::", ""]
        elif kind == "table":
            self._record(node, "表")
            self._table(node, lines)
        elif kind == "figure":
            self._record(node, "图")
            self._figure(node, lines)
        elif kind == "formula":
            self._record(node, "公式")
            meta = [f"id: {node.id}"]
            if node.where:
                meta.append("where:")
                meta += [f"  {_json(k)}: {_json(v)}" for k, v in node.where]
            lines += [":::{formula}", "---", *meta, "---", node.latex or "?", ":::", ""]
        elif kind == "reference":
            lines += [":::{reference}", f":id: {node.id}", f":number: {node.designation}",
                      f":title: {node.title}", ":::", ""]
        elif kind == "bib":
            self._record(node, "参考文献")
            opts = [f":id: {node.id}"]
            if node.designation:
                opts.append(f":number: {node.designation}")
            lines += [":::{reference}", *opts, f":title: {node.title}", ":::", ""]

    def _suggestions(self, node: Node) -> list[str]:
        words = plain(node.tokens)
        data = suggest(words, self.terms)
        out = []
        for key in ("kind", "role", "frequency", "target"):
            if key in data:
                value = data[key]
                shown = _json(value) if isinstance(value, str) else _flow(value)
                out.append(f"{key}: {shown}{SUGGESTED}")
                self.out.suggested += 1
        return out

    def _list(self, node: Node, indent: int) -> list[str]:
        lines: list[str] = []
        for item in node.children:
            dash = item.label in ("——", "·")
            marker = "-" if dash else "1."
            pad = " " * indent
            head = f"{{item}}`{item.id}` " if item.id else ""
            lines.append(f"{pad}{marker} {head}{self.inline(item.tokens)}")
            for child in item.children:
                if child.kind == "list":
                    lines += self._list(child, indent + len(marker) + 1)
        return lines

    def _table(self, node: Node, lines: list[str]) -> None:
        rows = _grid(node.rows)
        prefix = node.id or "t"
        width = max((len(r) for r in rows), default=1)
        md: list[str] = []
        for r, row in enumerate(rows):
            cells = [c if c is not None else "" for c in row] + [""] * (width - len(row))
            rendered = []
            for cell in cells:
                if cell in ("^^", "<<"):
                    rendered.append(cell)
                elif isinstance(cell, Cell):
                    text = self.inline(cell.tokens, prefix).replace("\n", " ")
                    rendered.append(text)
                else:
                    rendered.append("")
            md.append("| " + " | ".join(rendered) + " |")
            if r == 0:
                md.append("|" + " --- |" * width)
        colons = "::::"
        opts = [f":name: {node.id}"]
        body: list[str] = []
        self.foot = prefix
        for child in node.children:
            self._element(child, body, 0)
        self.foot = None
        for k, foot in enumerate(node.footnotes):
            letter = chr(ord("a") + k)
            body += [f"[^{prefix}-{letter}]: {self.inline(foot)}", ""]
        title = escape(node.title)
        if not title:
            # GB/T 1.1—2020 gives every table a number and a title (the build insists, E109).
            title = "（无表题，请补写）"
            self.skipped.append(("表格前没有表题（“表n　表题”），已写为“（无表题，请补写）”",
                                 node.index))
        lines += [f"{colons}{{table}} {title}", *opts, "", *md, "",
                  *body, colons, ""]

    def _figure(self, node: Node, lines: list[str]) -> None:
        data, ext = node.images[0]
        ext = {"jpeg": "jpg"}.get(ext, ext)
        if not _usable_image(data):
            # EMF, WMF, BMP, TIFF …: the editions show PNG, JPEG, GIF and WebP only. A blank
            # stand-in keeps the figure (and every later figure's number) in place.
            self.skipped.append((f"图{node.typed or ''}“{node.title}”的图片格式 {ext.upper()} "
                                 f"不能导入，已用空白占位图代替：请另存为 PNG 后替换 "
                                 f"images/{node.id}.png", node.index))
            data, ext = _BLANK_PNG, "png"
        name = f"images/{node.id}.{ext}"
        self.out.binary[name] = data
        body: list[str] = []
        prefix = node.id or "f"
        self.foot = prefix
        for child in node.children:
            self._element(child, body, 0)
        self.foot = None
        for k, foot in enumerate(node.footnotes):
            body += [f"[^{prefix}-{chr(ord('a') + k)}]: {self.inline(foot)}", ""]
        caption = escape(node.title) if node.title else "（无图题）"
        lines += [f"::::{{figure}} {name}", f":name: {node.id}", "", caption, "", *body,
                  "::::", ""]


def _usable_image(data: bytes) -> bool:
    """PNG, JPEG, GIF or WebP, by content (what the build accepts, E151)."""
    return data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")) \
        or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")


def _blank_png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(
            ">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0)  # 8×8 grey
    raw = b"".join(b"\x00" + b"\xff" * 8 for _ in range(8))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


_BLANK_PNG = _blank_png()


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _pos(node: Node, position: int) -> str:
    """An id part from the typed number (5.2.1 → 5-2-1), else the position."""
    return (node.typed or str(position)).lower().replace(".", "-")


def _flow(value: dict[str, object]) -> str:
    parts = []
    for key, item in value.items():
        shown = json.dumps(item, ensure_ascii=False) if isinstance(item, str) else str(item)
        parts.append(f"{key}: {shown}")
    return "{" + ", ".join(parts) + "}"


def _source(text: str) -> str:
    parts = [p.strip() for p in re.split(r"[，,]", text.replace("\u00a0", " ")) if p.strip()]
    data: dict[str, object] = {"document": parts[0] if parts else text}
    rest = parts[1:]
    if rest and rest[-1] in ("有修改", "有改动"):
        data["modified"] = True
        rest = rest[:-1]
    if rest:
        data["clause"] = "，".join(rest)
    return _flow(data).replace("modified: True", "modified: true")


def _grid(rows: list[list[Cell]]) -> list[list[Cell | str | None]]:
    """Word's rows (cells with gridSpan, vMerge) as a rectangular grid with ^^ and <<."""
    grid: list[list[Cell | str | None]] = []
    for r, row in enumerate(rows):
        out: list[Cell | str | None] = []
        for cell in row:
            column = len(out)
            above = grid[r - 1][column] if r and column < len(grid[r - 1]) else None
            if cell.vmerge == "continue" and above is not None:
                out.append("^^")
            else:
                out.append(cell)
            for _ in range(cell.span - 1):
                out.append("^^" if cell.vmerge == "continue" and above is not None else "<<")
        grid.append(out)
    return grid


def write(parsed: Parsed) -> Output:
    return Writer(parsed).write()
