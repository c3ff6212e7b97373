"""The demo film: a short screenplay written for Milimo, read by `milimo demo`."""

from importlib.resources import files


def screenplay() -> str:
    return (files(__package__) / "the_keeper.fountain").read_text(encoding="utf-8")
