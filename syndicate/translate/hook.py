"""The glossary hook: how the driver hands each sentence to a glossary
before the model sees it (protect) and takes it back after (restore).

syndicate.glossary.enforce.Glossary is the real hook; NoGlossary passes
text through, for runs and measurements without one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from .problems import Problem


@dataclass
class Protected:
    """A sentence with its glossary terms replaced by placeholders.

    ``terms_version`` is the glossary's version as it applies to this
    sentence: it changes only when an edit changes what the sentence
    matches. The translation memory is keyed on it rather than on the
    whole glossary's version, so after a glossary edit only the sentences
    it touches go back to the model. "" means "use the glossary's version".
    """

    text: str
    state: Any = None
    terms_version: str = ""


@dataclass
class Restored:
    text: str
    problems: list[Problem] = field(default_factory=list)
    terms: list[dict[str, Any]] = field(default_factory=list)  # one per source term: {"source", "target", "ok"}
    needs_review: bool = False


class TermHook(Protocol):
    version: str

    # context: the whole article the sentence comes from (a glossary may use
    # it to tell apart places that share a name); "" when there is none.
    def protect(self, text: str, src: str, tgt: str, context: str = "") -> Protected: ...

    def restore(self, output: str, protected: Protected, src: str, tgt: str) -> Restored: ...


class NoGlossary:
    version = "none"

    def protect(self, text: str, src: str, tgt: str, context: str = "") -> Protected:
        return Protected(text)

    def restore(self, output: str, protected: Protected, src: str, tgt: str) -> Restored:
        return Restored(output)
