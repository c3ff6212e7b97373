"""Every rule the domain enforces has its own error type, with a message a user can act on."""


class DomainError(Exception):
    """A command was rejected by a domain rule; nothing was recorded."""


class InvalidValue(DomainError):
    """A field was given a value outside what the model or the timeline accepts."""


class InvalidFrameCount(InvalidValue):
    pass


class InvalidSize(InvalidValue):
    pass


class InvalidTrim(DomainError):
    pass


class InvalidSplit(DomainError):
    pass


class InvalidMove(DomainError):
    pass


class NameRequired(DomainError):
    pass


class TriggerWordInvalid(DomainError):
    pass


class TriggerWordTaken(DomainError):
    pass


class ElementNameTaken(DomainError):
    pass


class TrackLocked(DomainError):
    pass


class UnknownKey(DomainError):
    """A `set` command named a field that does not exist."""


class NotFound(DomainError):
    """An id, prefix or name named nothing in the project."""


class AmbiguousReference(DomainError):
    """A prefix or name matched more than one thing."""


class ScriptUnreadable(DomainError):
    """A script is empty, binary, too big or in a mode the parser cannot read."""


class AssetInUse(DomainError):
    """An asset something in the project still needs (a shot's conditioning) cannot go."""


class ElementHasNoImage(DomainError):
    """A look is edited from the element's image: an element without one has nothing to edit."""
