"""Text from a target or a record, made safe to print on a terminal.

A hostname, a version, an agent's error text or a result's label is the peer's choice: an
escape sequence in it could retitle the window, clear the screen, rewrite earlier lines or
(through rich's markup) plant a hyperlink. ``printable`` shows every control character as
its escape (``\\x1b``) instead; newlines and tabs stay where the text has lines.
"""

import re

from rich.markup import escape

CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""C0 (but newline and tab), DEL, C1, and the bidirectional overrides (text shown reversed)."""


def printable(value):
    """``value`` as text with its control characters shown as escapes."""
    return CONTROLS.sub(lambda match: ascii(match.group())[1:-1], str(value))


def markup_safe(value):
    """``printable(value)`` for a rich cell or line: its square brackets are not markup."""
    return escape(printable(value))
