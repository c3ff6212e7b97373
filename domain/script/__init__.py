"""Screenplays: parsing Fountain and plain text into a plan of scenes and shots (pure).

`parse_script(text, mode)` reads a script; `match_elements(plan, elements)` matches the names
in it to a project's elements and proposes elements for the recurring ones that have none.
"""

from domain.script.element_matching import match_elements
from domain.script.parse import PARSED_MODES, parse_script

__all__ = ["PARSED_MODES", "match_elements", "parse_script"]
