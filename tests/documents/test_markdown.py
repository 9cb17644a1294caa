"""Markdown: structure, code, URLs and front matter untouched; the prose translated."""

from __future__ import annotations

from pathlib import Path

from markdown_it import MarkdownIt

from desktop_app.documents.formats.markdown import MarkdownHandler
from tests.documents.contract import FormatContract, translate_upper

DOC = """---
title: Front matter stays
tags: [a, b]
---
# The café *guide* #

> A quote that
> spans lines with **naïve** words.

- Item one [the link](http://example.com/path "Title") and `make test`
  continued here.
- ![alt text](img.png) <span>größe</span> <http://auto.link>

| Name | Value **bold** |
|------|----------------|
| one  | two_three      |

```python
print("hello world")
```

    indented code block
"""


def _html(data: bytes) -> str:
    return MarkdownIt("commonmark").enable("table").enable("strikethrough").render(data.decode())


class TestMarkdown(FormatContract):
    extension = ".md"

    def sample(self, tmp_path: Path) -> bytes:
        return DOC.encode()

    def malformed(self, tmp_path: Path) -> bytes:
        return b"\xff\xfe\x00\xd8 broken surrogate"

    def visible_text(self, data: bytes) -> str:
        return _html(data)

    def assert_equivalent(self, original: bytes, written: bytes) -> None:
        assert _html(written) == _html(original)
        assert written.startswith(b"---\ntitle: Front matter stays\ntags: [a, b]\n---\n")

    def test_code_urls_front_matter_and_structure_are_kept(self) -> None:
        written = translate_upper(MarkdownHandler(), DOC.encode()).decode()
        assert written.startswith(
            "---\ntitle: Front matter stays\ntags: [a, b]\n---\n# THE CAFÉ *GUIDE* #\n"
        )
        assert "> A QUOTE THAT\n> SPANS LINES WITH **NAÏVE** WORDS.\n" in written
        assert (
            '- ITEM ONE [THE LINK](http://example.com/path "Title") AND `make test`\n'
            "  CONTINUED HERE.\n"
        ) in written
        assert "- ![alt text](img.png) <span>GRÖSSE</span> <http://auto.link>\n" in written
        assert (
            "| NAME | VALUE **BOLD** |\n|------|----------------|\n| ONE  | TWO\\_THREE      |\n"
            in written
        )
        assert '```python\nprint("hello world")\n```\n\n    indented code block\n' in written
