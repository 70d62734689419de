"""JSON from outside with a bounded nesting depth (issue 21, item 8).

Python's parser recurses once per level: a signed webhook body of 100,000 brackets raised
RecursionError (a 500), and a body that parses at a few hundred levels can still break the
code that encodes it again. Every JSON body we accept (webhooks, web chat, REST API through
the app's JSON provider) is refused as malformed (ValueError, so a 400) past MAX_DEPTH.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask.json.provider import DefaultJSONProvider

MAX_DEPTH = 64  # our own payloads nest 6 levels; WhatsApp's about 8
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


def depth(raw: bytes | str) -> int:
    """The deepest nesting of arrays and objects in `raw` (strings' contents ignored)."""
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    deepest = level = 0
    for bracket in _BRACKET.findall(_STRING.sub(b"", data)):
        if bracket in (b"[", b"{"):
            level += 1
            deepest = max(deepest, level)
        else:
            level -= 1
    return deepest


def loads(raw: bytes | str, max_depth: int = MAX_DEPTH) -> Any:
    """`json.loads`, with ValueError for a body nested deeper than `max_depth`."""
    if depth(raw) > max_depth:
        raise ValueError(f"JSON nested deeper than {max_depth} levels")
    try:
        return json.loads(raw)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON with `loads` above: `request.get_json()` everywhere is bounded."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        """Parse like Flask does, refusing deep nesting as malformed."""
        if depth(s) > MAX_DEPTH:
            raise ValueError(f"JSON nested deeper than {MAX_DEPTH} levels")
        return super().loads(s, **kwargs)
