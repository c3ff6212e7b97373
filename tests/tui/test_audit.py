"""Audit: every generation of the project with its inputs; filter by shot, status, backend and
words; the full parameters of one; reproduce it; copy its id."""

import io
from typing import Any

from rich.console import Console
from textual.widgets import Input

from domain.job.aggregate import Job
from milimo import wiring
from tests.tui.conftest import World, make_film, settle
from tui.app import MilimoApp
from tui.screens.audit import AuditScreen, detail, matches, parse_filter, unknown_terms

ACTOR = "mara@lighthouse"


def film_with_jobs(world: World, run: bool = True) -> tuple[str, list[str], dict[str, str]]:
    """Three shots and four generations: shot 1's video (completed when `run`, else queued),
    shot 2's video cancelled, shot 3's concept art failed, shot 1 again on another backend."""
    m = world.milimo
    m.studio.actor = ACTOR
    pid = make_film(m, scenes=1, shots=3)
    shots = [s["id"] for s in m.queries.project(pid)["shots"]]
    for shot in shots:  # the rule-based enhancer times itself: keep snapshots exact
        m.studio.change_shot(pid, shot, enhance_prompt=False)
    engine = wiring.engine(m, spawn_worker=False)
    world.services.engine = lambda: engine  # the editor's reproduce starts no worker either
    first, second = engine.generate(pid, shots[:2])
    if run:
        assert wiring.runner(m).run(first) == "completed"
    engine.cancel(second)
    concept = engine.concept_art(pid, shots[2])
    m.studio.edit_job(concept, lambda j: j.fail(ACTOR, "OutOfMemory", "CUDA out of memory", True))
    request = {**m.queries.job(first)["request"], "backend": "ltx2", "model": "ltx-2-distilled"}
    other = Job.request_generation(ACTOR, pid, shots[0], "video", request)
    m.studio.save(other)
    jobs = {"first": first, "cancelled": second, "failed": concept, "ltx": other.id.hex}
    return pid, shots, jobs


async def open_audit(app: MilimoApp, pilot: Any, pid: str, count: int) -> AuditScreen:
    await settle(pilot, lambda: app.ready)  # connected to the store
    app.open_project(pid, "audit")
    await settle(pilot, lambda: isinstance(app.screen, AuditScreen) and len(app.jobs) == count)
    screen = app.screen
    assert isinstance(screen, AuditScreen)
    await settle(pilot, lambda: len(screen.rows) == count)
    return screen


def listed(screen: AuditScreen) -> list[str]:
    return [e["job_id"] for e in screen.rows]


async def filter_by(pilot: Any, screen: AuditScreen, text: str) -> list[str]:
    field = screen.query_one("#audit-filter", Input)
    field.value = text
    await pilot.pause()
    return listed(screen)


def text_of(renderable: Any) -> str:
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def test_the_filter_language() -> None:
    assert parse_filter("shot:3 Status:Failed backend:ltx storm shot:ab12") == {
        "shot": ["3", "ab12"],
        "status": ["failed"],
        "backend": ["ltx"],
        "": ["storm"],
    }
    assert parse_filter("status: oops:1") == {"": ["oops:1"]}  # an empty key filters nothing
    assert unknown_terms(parse_filter("status:fail kind:vid status:bogus kind:film")) == [
        "no status 'bogus' (one of pending, queued, running, completed, failed, cancelled)",
        "no kind 'film' (one of video, image, inpaint, segment, thumbnail, render, concept)",
    ]
    entry = {
        "job_id": "abc",
        "shot_id": "f00d",
        "status": "failed",
        "kind": "video",
        "actor": "a@b",
        "request": {"backend": "ltx2", "prompt": "a storm"},
        "error": None,
    }
    numbers = {"f00d": 3}
    assert matches(entry, parse_filter("shot:3 status:fail backend:ltx storm"), numbers)
    assert matches(entry, parse_filter("shot:f0"), numbers)
    assert not matches(entry, parse_filter("shot:2"), numbers)
    assert not matches(entry, parse_filter("status:completed"), numbers)
    assert not matches(entry, parse_filter("backend:animatic"), numbers)
    assert not matches(entry, parse_filter("calm"), numbers)


async def test_audit_lists_every_generation_and_the_filter_narrows_it(world: World) -> None:
    pid, shots, jobs = film_with_jobs(world)
    app = world.app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_audit(app, pilot, pid, 4)
        assert listed(screen) == [jobs["first"], jobs["cancelled"], jobs["failed"], jobs["ltx"]]
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        assert await filter_by(pilot, screen, "status:failed") == [jobs["failed"]]
        assert await filter_by(pilot, screen, "status:completed") == [jobs["first"]]
        assert await filter_by(pilot, screen, "shot:1") == [jobs["first"], jobs["ltx"]]
        assert await filter_by(pilot, screen, f"shot:{shots[1][:6]}") == [jobs["cancelled"]]
        assert await filter_by(pilot, screen, "backend:ltx") == [jobs["ltx"]]
        assert await filter_by(pilot, screen, "backend:animatic shot:1") == [jobs["first"]]
        assert await filter_by(pilot, screen, "out of memory") == [jobs["failed"]]
        assert await filter_by(pilot, screen, "memory stairs") == [jobs["failed"]]
        assert await filter_by(pilot, screen, "memory lamp") == []  # every word must match
        assert await filter_by(pilot, screen, "status:queued") == []
        await pilot.press("escape")  # leaves the filter …
        assert not isinstance(app.focused, Input)
        await pilot.press("escape")  # … then clears it
        await pilot.pause()
        assert len(listed(screen)) == 4


async def test_detail_shows_the_full_parameters(world: World) -> None:
    pid, _, jobs = film_with_jobs(world)
    app = world.app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_audit(app, pilot, pid, 4)
        assert screen.current() is not None and screen.current()["job_id"] == jobs["ltx"]
        await pilot.press("k", "k", "k")
        entry = screen.current()
        assert entry is not None and entry["job_id"] == jobs["first"]
        text = text_of(detail(entry, 1))
        for expected in (
            jobs["first"],
            "completed",
            "seed       42",
            "steps      40",
            "cfg        3.0",
            "size       768x512",
            "frames     49 @ 25 fps",
            "Mara climbs the stairs, step 1",
            "timings",
            "output",
            '"num_inference_steps": 40',
        ):
            assert expected in text, expected
        await pilot.press("j", "j")
        failed = screen.current()
        assert failed is not None and "OutOfMemory: CUDA out of memory" in text_of(
            detail(failed, 3)
        )


async def test_reproduce_asks_first_then_requests_the_same_generation(world: World) -> None:
    pid, _, jobs = film_with_jobs(world)
    app = world.app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_audit(app, pilot, pid, 4)
        await pilot.press("k", "k", "k")  # the completed one
        await pilot.press("r", "n")
        await pilot.pause(0.3)
        assert len(world.milimo.queries.jobs(pid)) == 4
        await pilot.press("r", "y")
        await settle(pilot, lambda: len(screen.entries) == 5)
    newest = world.milimo.queries.jobs(pid)[-1]
    original = world.milimo.queries.job(jobs["first"])
    assert newest["id"] not in jobs.values()
    assert newest["request"] == original["request"] and newest["status"] == "queued"


async def test_c_copies_the_job_id(world: World) -> None:
    pid, _, jobs = film_with_jobs(world)
    app = world.app()
    async with app.run_test(size=(120, 36)) as pilot:
        await open_audit(app, pilot, pid, 4)
        await pilot.press("c")
        assert app.clipboard == jobs["ltx"]


def test_audit_snapshot(world: World, deterministic: None, snap_compare: Any) -> None:
    pid, _, _ = film_with_jobs(world, run=False)
    app = world.app()

    async def loaded(pilot: Any) -> None:
        screen = await open_audit(app, pilot, pid, 4)
        screen.query_one("#audit-filter", Input).cursor_blink = False
        await pilot.press("k")  # the failed concept art
        await pilot.pause()

    assert snap_compare(app, terminal_size=(120, 36), run_before=loaded)
