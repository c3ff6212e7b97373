"""The Audit screen's ledger: `l` swaps the generations for the project's machine time, `g`
groups it by shot, backend or day, `l` again goes back."""

from typing import Any

from milimo import wiring
from tests.tui.conftest import World, make_film, settle
from tui.app import MilimoApp
from tui.screens.audit import AuditScreen
from tui.screens.dialogs import ConfirmScreen
from tui.widgets.ledger_table import LedgerTable


def film_with_two_jobs(world: World) -> str:
    """Shot 1.1 generated on the animatic, shot 1.2 requested and cancelled before it ran."""
    m = world.milimo
    pid = make_film(m, scenes=1, shots=2)
    shots = [s["id"] for s in m.queries.project(pid)["shots"]]
    engine = wiring.engine(m, spawn_worker=False)
    first, second = engine.generate(pid, shots)
    assert wiring.runner(m).run(first) == "completed"
    engine.cancel(second)
    return pid


def groups(table: LedgerTable) -> list[str]:
    return [str(r["group"]) for r in table.rows_shown]


async def open_audit(app: MilimoApp, pilot: Any, pid: str) -> AuditScreen:
    await settle(pilot, lambda: app.ready)
    app.open_project(pid, "audit")
    await settle(pilot, lambda: isinstance(app.screen, AuditScreen) and len(app.jobs) == 2)
    screen = app.screen
    assert isinstance(screen, AuditScreen)
    return screen


async def test_l_shows_the_ledger_and_g_regroups_it(world: World) -> None:
    pid = film_with_two_jobs(world)
    app = world.app()
    async with app.run_test(size=(140, 36)) as pilot:
        screen = await open_audit(app, pilot, pid)
        ledger = screen.query_one("#audit-ledger", LedgerTable)
        assert not ledger.display
        await pilot.press("l")
        await settle(pilot, lambda: groups(ledger) == ["1.1", "1.2", "total"])
        assert ledger.display and not screen.query_one("#audit-body").display
        assert app.focused is ledger
        one, two, total = ledger.rows_shown
        assert (one["completed"], two["cancelled"], total["jobs"]) == (1, 1, 2)
        assert one["cpu_seconds"] > 0 and two["cpu_seconds"] == 0.0
        assert "ledger by shot" in str(screen.query_one("#audit-hint").render())

        await pilot.press("g")
        await settle(pilot, lambda: groups(ledger) == ["animatic", "total"])
        assert ledger.by == "backend"
        await pilot.press("g")
        await settle(pilot, lambda: ledger.by == "day" and len(groups(ledger)) == 2)
        await pilot.press("g")
        await settle(pilot, lambda: ledger.by == "shot")

        await pilot.press("r")  # reproduce acts on generations: idle under the ledger
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)

        await pilot.press("l")
        await pilot.pause()
        assert not ledger.display and screen.query_one("#audit-body").display
        assert app.focused is screen.table


async def test_the_ledger_follows_new_jobs(world: World) -> None:
    pid = film_with_two_jobs(world)
    app = world.app()
    async with app.run_test(size=(140, 36)) as pilot:
        screen = await open_audit(app, pilot, pid)
        ledger = screen.query_one("#audit-ledger", LedgerTable)
        await pilot.press("l")
        await settle(pilot, lambda: groups(ledger) == ["1.1", "1.2", "total"])
        shot = world.milimo.queries.project(pid)["shots"][1]["id"]
        wiring.engine(world.milimo, spawn_worker=False).generate(pid, [shot])
        await settle(pilot, lambda: ledger.rows_shown[-1]["jobs"] == 3)
        assert ledger.rows_shown[1]["unfinished"] == 1
