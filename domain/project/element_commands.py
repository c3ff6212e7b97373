"""Elements and style presets."""

from typing import Any
from uuid import uuid4

from domain.errors import ElementNameTaken, NotFound, TriggerWordTaken, UnknownKey
from domain.project.core import ProjectCore
from domain.project.element import (
    ELEMENT_FIELDS,
    Element,
    check_trigger_word,
    trigger_from_name,
)
from domain.project.events import (
    ElementChanged,
    ElementDefined,
    ElementLookAdded,
    ElementLookChosen,
    ElementRemoved,
    StylePresetDefined,
)
from domain.project.look import Look
from domain.project.lookup import find, find_element
from domain.project.settings import check_name
from domain.project.style import StylePreset
from domain.project.value import validated


class ElementCommands(ProjectCore):
    def element(self, ref: str) -> Element:
        return find_element(self.state, ref)

    def _check_name_free(self, element: Element) -> None:
        """Two elements of one type never share a name: a cue or a heading must name one."""
        for other in self.state.elements.values():
            same = (other.name.casefold(), other.type) == (element.name.casefold(), element.type)
            if same and other.id != element.id:
                raise ElementNameTaken(
                    f"the project has {article(element.type)} {element.type} named "
                    f"{other.name!r} already ({other.trigger_word}); give this one another name"
                )

    def _check_trigger_free(self, word: str, element_id: str | None = None) -> None:
        check_trigger_word(word)
        for other in self.state.elements.values():
            if other.id != element_id and other.trigger_word.lower() == word.lower():
                raise TriggerWordTaken(
                    f"trigger word {word} is already used by {other.type} {other.name!r}; "
                    "trigger words are unique in a project"
                )

    def define_element(
        self,
        actor: str,
        name: str,
        type: str,
        trigger_word: str | None = None,
        description: str = "",
        image: str | None = None,
        element_id: str | None = None,
    ) -> str:
        name = check_name("element", name)
        taken = {e.trigger_word.casefold() for e in self.state.elements.values()}
        word = trigger_word or trigger_from_name(name, taken)
        self._check_trigger_free(word)
        element = validated(
            Element,
            {
                "id": element_id or uuid4().hex,
                "name": name,
                "trigger_word": word,
                "type": type,
                "description": description,
                "image": image,
                "order": max((e.order for e in self.state.elements.values()), default=0) + 1,
            },
        )
        self._check_name_free(element)
        self.trigger_event(ElementDefined, actor=actor, element=element.model_dump())
        return element.id

    def change_element(self, actor: str, ref: str, **changes: Any) -> dict[str, Any]:
        element = self.element(ref)
        unknown = set(changes) - set(ELEMENT_FIELDS)
        if unknown:
            raise UnknownKey(
                f"unknown element field {', '.join(sorted(unknown))}; "
                f"fields are {', '.join(ELEMENT_FIELDS)}"
            )
        if "name" in changes:
            changes["name"] = check_name("element", str(changes["name"]))
        if changes.get("image") == "":
            changes["image"] = None
        if "image" in changes:
            # An image set by hand is the chosen look only when it is that look's file.
            changes["look"] = next(
                (look.id for look in element.looks if look.path == changes["image"]), None
            )
        updated = validated(Element, {**element.model_dump(), **changes})
        if updated.trigger_word != element.trigger_word:
            self._check_trigger_free(updated.trigger_word, element.id)
        if (updated.name.casefold(), updated.type) != (element.name.casefold(), element.type):
            self._check_name_free(updated)
        new = {
            k: getattr(updated, k) for k in changes if getattr(updated, k) != getattr(element, k)
        }
        if new:
            previous = {k: getattr(element, k) for k in new}
            self.trigger_event(
                ElementChanged,
                actor=actor,
                element_id=element.id,
                changes=new,
                previous=previous,
                version=self.state.next_element_version(element.version),
            )
        return new

    def remove_element(self, actor: str, ref: str) -> None:
        element = self.element(ref)
        self.trigger_event(
            ElementRemoved, actor=actor, element_id=element.id, element=element.model_dump()
        )

    # -- looks ---------------------------------------------------------------------------------

    def look(self, element_ref: str, look_ref: str) -> Look:
        element = self.element(element_ref)
        try:
            return find("look", look_ref, element.looks, lambda look: [look.id])
        except NotFound:
            name = element.trigger_word or element.name
            raise NotFound(
                f"{name} has no look {look_ref.strip()!r} "
                f"(see `milimo element looks PROJECT {name}`)"
            ) from None

    def add_look(self, actor: str, element_id: str, look: dict[str, Any]) -> bool:
        """Give an element the look a finished job made, once; the first look of an element
        without an image is chosen with it. False if the element never was or has it already;
        an element that an edit removed keeps the look for when it comes back."""
        live = self.state.elements.get(element_id)
        element = live or self.removed.elements.get(element_id)
        if element is None or any(existing.id == look["id"] for existing in element.looks):
            return False
        added = Look.model_validate(look)
        self.trigger_event(
            ElementLookAdded, actor=actor, element_id=element_id, look=added.model_dump()
        )
        if live is not None and element.image is None:
            self._choose(actor, element, added, automatic=True)
        return True

    def choose_look(self, actor: str, element_ref: str, look_ref: str) -> bool:
        """The element uses the look from now on (its version rises); False if it already did."""
        element = self.element(element_ref)
        look = self.look(element.id, look_ref)
        if element.look == look.id and element.image == look.path:
            return False
        self._choose(actor, element, look, automatic=False)
        return True

    def _choose(self, actor: str, element: Element, look: Look, automatic: bool) -> None:
        self.trigger_event(
            ElementLookChosen,
            actor=actor,
            element_id=element.id,
            look_id=look.id,
            image=look.path,
            previous={"image": element.image, "look": element.look},
            version=self.state.next_element_version(element.version),
            automatic=automatic,
        )

    def define_style(
        self, actor: str, name: str, prompt_additions: str = "", negative_prompt: str = ""
    ) -> None:
        style = StylePreset(
            name=check_name("style preset", name),
            prompt_additions=prompt_additions,
            negative_prompt=negative_prompt,
        )
        previous = self.state.styles.get(style.name)
        if previous == style:
            return
        self.trigger_event(
            StylePresetDefined,
            actor=actor,
            style=style.model_dump(),
            previous=previous.model_dump() if previous else None,
        )


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"
