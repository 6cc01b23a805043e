"""What a reader sees of escaped Markdown (components.common.literal.md): for page tests."""

from __future__ import annotations

import re

from components.common.literal import WORD_JOINER

_ESCAPE = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")


def plain(markdown: str) -> str:
    return _ESCAPE.sub(r"\1", markdown).replace(WORD_JOINER, "")
