"""Errors docqa raises on purpose, each with a message a user can act on."""

from __future__ import annotations


class DocQAError(Exception):
    """Base class: the message is shown to the user as is."""


class MissingExtraError(DocQAError, ImportError):
    """An optional dependency is missing; the message names the extra to install."""

    def __init__(self, feature: str, extra: str, cause: BaseException | None = None) -> None:
        detail = f" ({cause})" if cause else ""
        super().__init__(f"{feature} needs the optional extra: pip install 'docqa[{extra}]'{detail}")
        self.extra = extra


class IndexMismatchError(DocQAError):
    """The index was built with another embedding model or chunker than the one configured."""


class SourceNotFoundError(DocQAError):
    """A source named by the user is not in the index."""


class LlamaCrashError(DocQAError):
    """In-process llama.cpp would crash this process: its probe subprocess died."""


class ConfigurationError(DocQAError):
    """A setting is missing or inconsistent."""
