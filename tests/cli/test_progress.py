import io

from milimo.cli.progress import ProgressBoard, bar


def job(progress: float, status: str = "running") -> dict[str, object]:
    return {
        "id": "a" * 32,
        "kind": "video",
        "shot_id": "b" * 32,
        "status": status,
        "progress": progress,
        "step": int(progress),
        "total": 100,
        "eta": 3.0,
    }


def test_a_bar_fills_in_proportion_to_the_work_done() -> None:
    assert bar(0.0, 10) == "░" * 10
    assert bar(0.5, 10) == "█" * 5 + "░" * 5
    assert bar(1.5, 10) == "█" * 10


def test_off_a_terminal_a_line_is_written_per_quarter_and_status_change() -> None:
    out = io.StringIO()
    board = ProgressBoard(out, live=False)
    for p in (0, 5, 10, 30, 31, 60, 99):
        board.show([job(p)])
    board.show([job(100, "completed")])
    lines = out.getvalue().splitlines()
    assert len(lines) == 5  # 0, 30 (first quarter), 60, 99 (third), completed
    assert lines[-1].endswith("completed")


def test_on_a_terminal_bars_are_redrawn_in_place() -> None:
    out = io.StringIO()
    board = ProgressBoard(out, live=True)
    board.show([job(10), job(20)])
    board.show([job(50), job(60)])
    text = out.getvalue()
    assert text.count("\x1b[F") == 2  # moved up over the two bars once
    assert " 50.0% running 50/100" in text
