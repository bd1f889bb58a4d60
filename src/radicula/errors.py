"""Radicula's exceptions, in one small tree.

    RadiculaError                 base of everything Radicula raises on purpose
    ├── CaseError                 a case file or case document is not valid (CLI exit 2, HTTP 422)
    │                             carries a list of CaseIssue, one per problem
    └── KnowledgeError            the knowledge base failed to load or cross-check (a packaging bug)
                                  carries a list of problem strings

Adapters map each branch to one response; nothing else is caught broadly.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CaseIssue:
    """One problem with a case: where it is, what was given, what is allowed, what was probably meant."""

    path: str
    message: str
    value: object = None
    allowed: tuple[str, ...] = ()
    suggestion: str | None = None

    def render(self) -> str:
        text = f"{self.path}: {self.message}" if self.path else self.message
        if not text.endswith((".", "?", "!")):
            text += "."
        if self.suggestion:
            text += f" Did you mean '{self.suggestion}'?"
        if self.allowed:
            text += f" Allowed values: {', '.join(self.allowed)}."
        return text

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"path": self.path, "message": self.message}
        if self.value is not None:
            out["value"] = self.value
        if self.allowed:
            out["allowed"] = list(self.allowed)
        if self.suggestion:
            out["suggestion"] = self.suggestion
        return out


class RadiculaError(Exception):
    """Base class of every error Radicula raises on purpose."""


@dataclass
class CaseError(RadiculaError):
    """A case is not valid. ``issues`` lists every problem found, each naming its field."""

    issues: list[CaseIssue] = field(default_factory=list)
    origin: str | None = None

    def __str__(self) -> str:
        head = f"{self.origin}: " if self.origin else ""
        lines = [issue.render() for issue in self.issues]
        if len(lines) == 1:
            return head + lines[0]
        return head + f"{len(lines)} problems\n" + "\n".join(f"  - {line}" for line in lines)


@dataclass
class KnowledgeError(RadiculaError):
    """The knowledge base could not be loaded or did not pass its cross-checks."""

    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return "knowledge base problems:\n" + "\n".join(f"  - {p}" for p in self.problems)
