"""Plain text: UTF-8 (with or without BOM), else GB18030."""

from __future__ import annotations

import logging
import re

log = logging.getLogger(__name__)


def decode(data: bytes, html: bool = False) -> str:
    """The text of `data`; an .html file may name its charset in a <meta> tag."""
    from generator.importer.read import ReadError

    if data.startswith(b"PK\x03\x04"):
        raise ReadError(
            "这是一个压缩包或 Word（.docx）/Excel（.xlsx）文件，不是纯文本：请把扩展名改为 .docx 或 .xlsx。"
        )
    if data.startswith(b"%PDF"):
        raise ReadError("这是一个 PDF 文件，不是纯文本：请把扩展名改为 .pdf。")
    encodings = ["utf-8-sig", "gb18030"]
    if html:
        m = re.search(rb"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", data[:4096])
        named = m.group(1).decode("ascii").lower() if m else ""
        if named in ("gb2312", "gbk", "gb18030"):
            encodings.reverse()
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding != "utf-8-sig":
            log.info("按 %s 编码读取", encoding.upper())
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise ReadError("无法识别文件编码：既不是 UTF-8 也不是 GB18030（GBK）。请用记事本或 WPS 另存为 UTF-8 编码后重试。")
