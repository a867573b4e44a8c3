"""A learner's name on a workshop server: checked once, compared without regard to case.

The name picks the learner's account, so "Alice" and "alice" must be one learner, and a name
that cannot be told apart when printed (blank, control characters) or that still holds the
banner's ``<your name>`` placeholder is refused with one sentence saying what to type.
"""

from __future__ import annotations

import re
import unicodedata

from ecslab.errors import ConfigurationError

MAX_LENGTH = 40
#: Letters and digits of any script, spaces, and . - _ ' (as in "Ada Lovelace", "O'Neil").
_ALLOWED = re.compile(r"[\w .'\-]+")
EXAMPLE = 'learner="Ada Lovelace"'


def learner_name(raw: str) -> str:
    """The name as it will be shown: trimmed, inner spaces single; refused when unusable."""
    name = " ".join(unicodedata.normalize("NFC", str(raw)).split())
    if "<" in name or ">" in name:
        raise ConfigurationError(
            f"Replace the placeholder {name!r} with your own name, for example {EXAMPLE}."
        )
    if not name or not any(ch.isalnum() for ch in name):
        raise ConfigurationError(f"A learner name needs at least one letter or digit: {EXAMPLE}.")
    if len(name) > MAX_LENGTH or not _ALLOWED.fullmatch(name):
        raise ConfigurationError(
            f"A learner name is up to {MAX_LENGTH} letters, digits, spaces or . - _ ' "
            f"(not {name!r}): {EXAMPLE}."
        )
    return name


def learner_key(raw: str) -> str:
    """What identifies the learner: the checked name without regard to case."""
    return learner_name(raw).casefold()
