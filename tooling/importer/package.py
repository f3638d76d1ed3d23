"""Opening a Word file safely: what kind of file it is, before anything is parsed.

A .docx is a ZIP package. Before python-docx or lxml reads a byte of it, the file is checked:
a legacy binary .doc and an encrypted document are both OLE compound files (Word encrypts a
.docx by wrapping it in one, with an ``EncryptionInfo`` stream), a corrupt ZIP is refused with
zipfile's reason, and a package whose members would expand beyond the limits below is refused
from its central directory alone (a zip bomb is never inflated).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# A long standard with many pictures is a few tens of megabytes; 200 MB expanded, 5,000
# members and a ratio of 200:1 per member leave a wide margin and stop every known zip bomb.
MAX_TOTAL = 200 * 1024 * 1024
MAX_MEMBERS = 5000
MAX_RATIO = 200
MAX_FILE = 100 * 1024 * 1024  # the .docx itself


class PackageProblem(Exception):
    """The file cannot be imported; ``code`` and ``params`` make the diagnostic."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class Package:
    """The checked members of a .docx: name -> bytes."""

    parts: dict[str, bytes]

    def get(self, name: str) -> bytes | None:
        return self.parts.get(name)


def _ole_stream_names(data: bytes) -> bool:
    """Whether an OLE compound file holds an ``EncryptionInfo`` stream (an encrypted OOXML
    document). Directory entries store their names in UTF-16LE; a search for the name is
    enough to tell the two kinds of OLE file apart, and nothing is executed or decompressed."""
    return "EncryptionInfo".encode("utf-16-le") in data or \
        "EncryptedPackage".encode("utf-16-le") in data


def open_package(path: Path) -> Package:
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise PackageProblem("E250", detail="不是文件")
        if size > MAX_FILE:
            raise PackageProblem("E254", detail=f"文件大小 {size // (1024 * 1024)} MB，"
                                 f"超过 {MAX_FILE // (1024 * 1024)} MB")
        data = path.read_bytes()
    except FileNotFoundError:
        raise PackageProblem("E250", detail="文件不存在") from None
    except PermissionError:
        raise PackageProblem("E250", detail="没有读取权限") from None
    except IsADirectoryError:
        raise PackageProblem("E250", detail="这是一个目录") from None
    except OSError as err:
        raise PackageProblem("E250", detail=err.strerror or str(err)) from None
    if data.startswith(OLE_MAGIC):
        if _ole_stream_names(data):
            raise PackageProblem("E252")
        raise PackageProblem("E251")
    if not data.startswith(ZIP_MAGIC):
        raise PackageProblem("E253", detail="文件开头不是 ZIP 包的标志（不是 .docx 文件）")
    import io
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as err:
        raise PackageProblem("E253", detail=str(err)) from None
    if len(infos) > MAX_MEMBERS:
        raise PackageProblem("E254", detail=f"包含 {len(infos)} 个成员，超过 {MAX_MEMBERS} 个")
    total = sum(info.file_size for info in infos)
    if total > MAX_TOTAL:
        raise PackageProblem("E254", detail=f"解压后共 {total // (1024 * 1024)} MB，"
                             f"超过 {MAX_TOTAL // (1024 * 1024)} MB")
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise PackageProblem("E254", detail=f"成员 {info.filename} 的压缩比超过 {MAX_RATIO}:1")
    parts: dict[str, bytes] = {}
    try:
        for info in infos:
            if info.is_dir():
                continue
            with archive.open(info) as member:
                # Read at most the declared size plus one byte: a lying header cannot expand.
                content = member.read(info.file_size + 1)
            if len(content) > info.file_size:
                raise PackageProblem("E254", detail=f"成员 {info.filename} 的实际大小与声明不符")
            parts[info.filename] = content
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as err:
        raise PackageProblem("E253", detail=str(err)) from None
    if "word/document.xml" not in parts:
        raise PackageProblem("E253", detail="缺少 word/document.xml（不是 Word 文档）")
    return Package(parts)
