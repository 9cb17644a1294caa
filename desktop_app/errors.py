"""Exception hierarchy: every failure a user can cause is a TolkError with a clear message."""


class TolkError(Exception):
    """Base class of all errors Tolk reports to a user."""


class ModelError(TolkError):
    """A model package is missing, broken or cannot serve a request."""


class ConversionError(TolkError):
    """A checkpoint cannot be converted into a model package."""


class DocumentError(TolkError):
    """A document cannot be read, translated or written."""


class InputError(TolkError):
    """A request is invalid: unknown language, bad option, unreadable input."""


class TranslationCancelled(TolkError):
    """The user stopped a translation before it finished."""
