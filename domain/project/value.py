"""Base of the project's immutable values.

State is replaced, never mutated, so a copy of an aggregate can share it: deepcopy returns the
value itself, which keeps the eventsourcing repository's copy-on-get cheap for big projects.
"""

from typing import Any, Self, TypeVar

from pydantic import BaseModel, ConfigDict


class Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def __deepcopy__(self, memo: dict[int, Any] | None = None) -> Self:
        return self

    def replace(self, **changes: Any) -> Self:
        """A copy with `changes`, unvalidated (callers validated them), without pydantic's copy.

        The hot path of every replay and projection, so it builds the new model directly.
        """
        new = object.__new__(type(self))
        object.__setattr__(new, "__dict__", {**self.__dict__, **changes})
        object.__setattr__(
            new, "__pydantic_fields_set__", self.__pydantic_fields_set__ | changes.keys()
        )
        object.__setattr__(new, "__pydantic_extra__", None)
        object.__setattr__(new, "__pydantic_private__", None)
        return new


M = TypeVar("M", bound=BaseModel)


def validated(model: type[M], data: dict[str, Any]) -> M:
    """Build `model` from user-given data, turning pydantic's errors into a domain error."""
    from pydantic import ValidationError

    from domain.errors import InvalidValue

    try:
        return model.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or model.__name__
        raise InvalidValue(f"{field}: {first['msg']} (got {first.get('input')!r})") from None
