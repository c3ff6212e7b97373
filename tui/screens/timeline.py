"""Timeline: tracks V1, V2 and A1 with a playhead; select, move, trim, split, delete, reorder."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static

from application.render_request import left_out, request_render, untaken
from domain.project.track import MAGNETIC
from tui.commands import first_key
from tui.labels import active_take, excerpt, shot_label, shot_labels
from tui.screens.base import MilimoScreen
from tui.screens.dialogs import Field
from tui.screens.player import PlayerScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.timeline_view import Clip, TimelineView, timecode

EXPORT_FORMATS = ("otio", "edl", "fcpxml")


def export_path(raw: str, kind: str) -> str:
    """The file to export to: a name ending in another format's extension takes this one's."""
    path = Path(raw).expanduser()
    if kind in EXPORT_FORMATS and path.suffix.lstrip(".") in EXPORT_FORMATS:
        path = path.with_suffix(f".{kind}")
    return str(path)


class TimelineScreen(MilimoScreen):
    BINDINGS = [
        Binding("h,left", "step_clip(-1)", "Previous clip", id="timeline.previous"),
        Binding("l,right", "step_clip(1)", "Next clip", id="timeline.next"),
        Binding("k,up", "step_track(-1)", "Track up", id="timeline.track_up", show=False),
        Binding("j,down", "step_track(1)", "Track down", id="timeline.track_down", show=False),
        Binding("H,shift+h,shift+left", "shift(-1)", "Move earlier", id="timeline.earlier"),
        Binding("L,shift+l,shift+right", "shift(1)", "Move later", id="timeline.later"),
        Binding("m", "other_track", "To the other video track", id="timeline.other_track"),
        Binding("i", "trim_at('in')", "Trim in at playhead", id="timeline.trim_in"),
        Binding("o", "trim_at('out')", "Trim out at playhead", id="timeline.trim_out"),
        Binding("left_square_bracket", "nudge('in', 1)", "Trim in +1", id="timeline.in_more"),
        Binding("right_square_bracket", "nudge('out', 1)", "Trim out +1", id="timeline.out_more"),
        Binding(
            "left_curly_bracket", "nudge('in', -1)", "Trim in -1", id="timeline.in_less", show=False
        ),
        Binding(
            "right_curly_bracket",
            "nudge('out', -1)",
            "Trim out -1",
            id="timeline.out_less",
            show=False,
        ),
        Binding("s", "split", "Split at playhead", id="timeline.split"),
        Binding("x,delete", "delete", "Delete shot", id="timeline.delete"),
        Binding("comma", "playhead_by(-1)", "Frame back", id="timeline.frame_back", show=False),
        Binding("full_stop", "playhead_by(1)", "Frame on", id="timeline.frame_on", show=False),
        Binding(
            "less_than_sign",
            "playhead_seconds(-1)",
            "Second back",
            id="timeline.second_back",
            show=False,
        ),
        Binding(
            "greater_than_sign",
            "playhead_seconds(1)",
            "Second on",
            id="timeline.second_on",
            show=False,
        ),
        # Not `0`: that key shows the Workers screen, from here as from every screen.
        Binding(
            "home,circumflex_accent",
            "playhead_to('start')",
            "To start",
            id="timeline.start",
            show=False,
        ),
        Binding("dollar_sign,end", "playhead_to('end')", "To end", id="timeline.end", show=False),
        Binding("g", "playhead_to('clip')", "Playhead to clip", id="timeline.to_clip"),
        Binding("plus,equals_sign", "zoom(-1)", "Zoom in", id="timeline.zoom_in"),
        Binding("minus,underscore", "zoom(1)", "Zoom out", id="timeline.zoom_out"),
        Binding("enter", "inspect", "Inspect", id="timeline.inspect"),
        Binding("p", "play", "Play the take", id="timeline.play"),
        Binding("P", "play_film", "Play the rendered film", id="timeline.play_film"),
        Binding("R", "render", "Render the film", id="timeline.render", key_display="R"),
        Binding("E", "export", "Export the cut (OTIO/EDL/FCP XML)", id="timeline.export"),
        Binding("M", "track_flag('muted')", "Mute/unmute the track", id="timeline.mute"),
        Binding("K", "track_flag('locked')", "Lock/unlock the track", id="timeline.lock"),
        Binding("V", "track_flag('hidden')", "Hide/show the track", id="timeline.hide"),
    ]
    DEFAULT_CSS = """
    TimelineScreen #timeline-status { height: 1; padding: 0 1; background: $boost; }
    TimelineScreen #timeline-clip { height: 8; padding: 0 1; overflow: hidden; }
    TimelineScreen #timeline-hint { height: 1; padding: 0 1; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        yield TimelineView(id="timeline")
        yield Static("", id="timeline-status", markup=False)
        yield Static("", id="timeline-clip", markup=False)
        yield Static(
            "h/l j/k select · ,/. playhead · i/o [/] trim · s split · H/L m move · x delete · "
            "p play · M/K/V mute/lock/hide",
            id="timeline-hint",
            markup=False,
        )
        yield KeyBar()

    def __init__(self) -> None:
        super().__init__()
        self.synced: str | None = None  # the shot this screen last put in app.selected_shot

    @property
    def timeline(self) -> TimelineView:
        return self.query_one(TimelineView)

    def on_mount(self) -> None:
        self.timeline.on_changed = self.show_state
        self.timeline.focus()

    def data_changed(self) -> None:
        milimo = self.milimo
        if milimo.project_id is None:
            self.timeline.load(None)
            self.query_one("#timeline-clip", Static).update("open a project first (1: Projects)")
            return
        # Another screen's choice of shot wins; our own (perhaps left for an empty track) stays.
        chosen = milimo.selected_shot if milimo.selected_shot != self.synced else None
        self.timeline.load(milimo.view, prefer=chosen)

    def job_progress(self, job_id: str, step: int, total: int, data: dict[str, Any]) -> None:
        job = next((j for j in self.milimo.jobs if j["id"] == job_id), None)
        if job and job.get("shot_id") and total:
            self.timeline.set_progress(job["shot_id"], round(100.0 * step / total, 1))

    # -- what the status line and the details say --------------------------------------------

    @on(TimelineView.Changed)
    def show_state(self) -> None:
        view = self.timeline
        clip = view.selected_clip()
        if clip is not None and view.loaded:
            self.milimo.selected_shot = self.synced = clip.id
        status = (
            f"▶ {timecode(view.playhead, view.fps)}  frame {view.playhead}"
            f" of {view.total}  ·  {view.fps} fps  ·  zoom {view.zoom} frames/cell"
        )
        # Fixed-size panels repainted in place: no relayout, so no second frame.
        self.query_one("#timeline-status", Static).update(status, layout=False)
        self.query_one("#timeline-clip", Static).update(self.details(clip), layout=False)

    def details(self, clip: Clip | None) -> Text | str:
        if not self.timeline.loaded:
            return "loading…" if self.milimo.project_id else "open a project first (1: Projects)"
        if clip is None:
            return "no shot on this track: j/k to another track"
        shot = clip.shot
        text = Text()
        text.append(f"{clip.number} ", style="bold")
        text.append(f"{clip.track} · {clip.title} · {clip.status}")
        if clip.stale:
            text.append(" · stale", style="bold yellow")
        over = self.timeline.lanes[clip.track].overlapping(clip)
        if over:
            names = ", ".join(c.number for c in over[:3]) + (" …" if len(over) > 3 else "")
            text.append(f" · overlaps {names}", style="bold yellow")
        text.append(
            f"\nframes {clip.start}–{clip.end - 1} ({clip.length} of {shot['num_frames']}, "
            f"trim in {shot['trim_in']} out {shot['trim_out']}) · "
            f"{timecode(clip.start, self.timeline.fps)}"
        )
        takes = shot.get("takes") or []
        take = active_take(shot)
        if takes:
            text.append(f" · {len(takes)} take(s), active {take['id'][:8] if take else 'none'}")
        if clip.text:
            text.append(f"\n{clip.text}", style="italic")
        if shot.get("dialogue"):
            who = f"{shot['character']}: " if shot.get("character") else ""
            text.append(f"\n{who}“{shot['dialogue']}”")
        for why in shot.get("stale_because") or []:
            name = why.get("element") or why.get("element_id", "")[:8]
            text.append(f"\nstale: element {name} {why.get('reason')}", style="yellow")
        return text

    # -- selection and playhead (no I/O) --------------------------------------------------

    def action_step_clip(self, delta: int) -> None:
        self.timeline.step_clip(delta)

    def action_step_track(self, delta: int) -> None:
        self.timeline.step_track(delta)

    def action_playhead_by(self, frames: int) -> None:
        self.timeline.move_playhead(self.timeline.playhead + frames)

    def action_playhead_seconds(self, seconds: int) -> None:
        view = self.timeline
        view.move_playhead(view.playhead + seconds * view.fps)

    def action_playhead_to(self, where: str) -> None:
        view = self.timeline
        if where == "start":
            view.move_playhead(0)
        elif where == "end":
            view.move_playhead(max(0, view.total - 1))
        elif (clip := view.selected_clip()) is not None:
            view.move_playhead(clip.start)

    def action_zoom(self, step: int) -> None:
        self.timeline.set_zoom(step)

    def action_inspect(self) -> None:
        clip = self.timeline.selected_clip()
        if clip is None:
            return
        self.milimo.selected_shot = clip.id
        self.milimo.action_show("inspector")

    def action_play(self) -> None:
        clip = self.timeline.selected_clip()
        take = active_take(clip.shot) if clip else None
        title = f"shot {clip.number}" if clip and take else "the film"
        path = take["path"] if take else latest_render(self.milimo.jobs)
        if path is None:
            self.app.notify("nothing to play: generate the shot or render the film first")
            return
        self.app.push_screen(PlayerScreen(path, title))

    def action_play_film(self) -> None:
        path = latest_render(self.milimo.jobs)
        if path is None:
            self.app.notify("no render yet: R renders the film (a job)")
            return
        self.app.push_screen(PlayerScreen(path, "the film"))

    def action_render(self) -> None:
        """The timeline as it is now, rendered by a job into the media dir; P plays it."""
        pid, view = self.milimo.project_id, self.milimo.view
        if pid is None or view is None:
            return
        if not view["shots"]:
            self.app.notify("nothing to render: the timeline is empty", severity="warning")
            return
        studio, engine = self.milimo.services.studio, self.milimo.services.engine
        length = timecode(view["total_frames"], view["fps"])

        def ask(found: tuple[list[str], list[str]]) -> None:
            notes, missing = found
            if missing:  # the application's rule, said with the labels every screen uses
                labels = shot_labels(view)
                named = [labels.get(shot_id, shot_id[:8]) for shot_id in missing]
                self.app.notify(
                    f"{len(named)} shot(s) have no take yet: {', '.join(named[:12])}"
                    f"{' …' if len(named) > 12 else ''}; ctrl+g on the Storyboard (2) generates "
                    "every shot",
                    severity="warning",
                    timeout=8,
                )
                return
            left = "".join(f" {note}." for note in notes)
            self.milimo.confirm(
                f"Render the film ({view['total_frames']} frames, {length}) to one MP4?{left} "
                "It is a job (6: Jobs); P plays it when it is done.",
                lambda: self.milimo.run_command(
                    lambda: request_render(engine(), pid),
                    lambda job_id: self.app.notify(
                        f"render job {job_id[:8]} requested (6: Jobs; P plays it when done)"
                    ),
                ),
                yes="Render",
            )

        def read() -> tuple[list[str], list[str]]:
            state = studio.project(pid).state
            return left_out(state), untaken(state)

        self.milimo.run_command(read, ask)

    def action_export(self) -> None:
        pid = self.milimo.project_id
        export = self.milimo.services.export_timeline
        if pid is None or export is None:
            return
        studio = self.milimo.services.studio

        def command(values: dict[str, str]) -> Callable[[], Any] | None:
            kind = values["format"].strip().lower()
            path = export_path(values["path"].strip(), kind)

            def work() -> Any:
                if kind not in EXPORT_FORMATS:  # refused here so that the form opens again
                    raise ValueError(
                        f"format must be one of {', '.join(EXPORT_FORMATS)}: got {kind!r}"
                    )
                return export(studio.project(pid).state, pid, path, kind)

            return work

        def done(result: Any) -> None:
            for warning in result.warnings:
                self.app.notify(f"warning: {warning}", severity="warning", timeout=8)
            self.app.notify(f"exported {result.clips} clip(s) to {result.path} ({result.format})")

        name = (self.milimo.view or {}).get("name") or "film"
        self.milimo.form(
            "Export the cut (an EDL holds V1 only)",
            [
                Field(
                    "format",
                    f"Format ({', '.join(EXPORT_FORMATS)})",
                    "otio",
                    "otio",
                    EXPORT_FORMATS,
                ),
                Field(
                    "path",
                    "File (its folder must exist; the extension follows the format)",
                    str(Path.cwd() / f"{name}.otio"),
                ),
            ],
            "Export",
            command,
            done=done,
        )

    # -- edits (on the I/O thread, through the application) ---------------------------------

    def edit(self, work: Callable[[Any, str], Any], success: str) -> None:
        """`work(studio, project id)` on the I/O thread; a track locked elsewhere since the view
        was drawn is said in this screen's terms (`unlock_hint`, through the app)."""
        pid = self.milimo.project_id
        if pid is None:
            return
        studio = self.milimo.services.studio
        self.milimo.run_command(lambda: work(studio, pid), success=success)

    def unlock_hint(self, track: str) -> str:
        """How to unlock `track` here (the domain's own message names the CLI's way)."""
        key = first_key(self.app, type(self), "timeline.lock")
        if track == self.timeline.track_name:
            return f"{key} unlocks the track"
        return f"j/k to {track}, then {key} unlocks the track"

    def locked(self, *tracks: str) -> bool:
        """Say so when one of `tracks` is locked, before anything is asked or sent."""
        lanes = self.timeline.lanes
        track = next((t for t in tracks if t in lanes and lanes[t].flags.get("locked")), None)
        if track is None:
            return False
        self.app.notify(
            f"track {track} is locked: {self.unlock_hint(track)}",
            title="Not done",
            severity="error",
            timeout=8,
        )
        return True

    def chosen(self) -> Clip | None:
        clip = self.timeline.selected_clip()
        if clip is None:
            self.app.notify("select a shot first (h/l, j/k or a click)", severity="warning")
        return clip

    def editable(self) -> Clip | None:
        """The selected clip, if there is one and its track is not locked."""
        clip = self.chosen()
        return None if clip is None or self.locked(clip.track) else clip

    def action_trim_at(self, side: str) -> None:
        clip = self.editable()
        if clip is None:
            return
        shot, offset = clip.shot, self.timeline.playhead - clip.start
        if not 0 <= offset < clip.length:
            self.app.notify(
                f"the playhead (frame {self.timeline.playhead}) is not inside shot "
                f"{clip.number} (frames {clip.start}–{clip.start + clip.length - 1}): "
                "g puts it at the clip's start, ,/. move it",
                severity="warning",
            )
            return
        if side == "in":
            self.trim(clip, shot["trim_in"] + offset, None)
        else:
            self.trim(clip, None, shot["num_frames"] - shot["trim_in"] - offset)

    def action_nudge(self, side: str, frames: int) -> None:
        clip = self.editable()
        if clip is None:
            return
        if side == "in":
            self.trim(clip, clip.shot["trim_in"] + frames, None)
        else:
            self.trim(clip, None, clip.shot["trim_out"] + frames)

    def trim(self, clip: Clip, trim_in: int | None, trim_out: int | None) -> None:
        """Trim `clip`. On V1 the shots after it follow; a clip placed freely (V2, A1) keeps its
        out point where it is: the domain moves its start with the in point."""
        if self.locked(clip.track):
            return
        before = clip.shot["trim_in"]
        follow = clip.track != MAGNETIC and trim_in is not None and trim_in >= 0
        if follow and trim_in is not None:
            trim_in = max(trim_in, before - clip.start)  # the head grows back only to frame 0
        if (trim_in, trim_out) in ((before, None), (None, clip.shot["trim_out"])):
            where = "starts" if trim_in is not None else "ends"
            self.app.notify(f"shot {clip.number} already {where} there: nothing trimmed")
            return
        said = f"in {trim_in}" if trim_in is not None else f"out {trim_out}"
        if follow and trim_in is not None:  # the domain moves a free clip's start with its in
            said += f", from {timecode(clip.start + trim_in - before, self.timeline.fps)}"
        self.edit(
            lambda studio, pid: studio.trim_shot(pid, clip.id, trim_in, trim_out),
            f"shot {clip.number} trimmed ({said})",
        )

    def action_split(self) -> None:
        view = self.timeline
        if self.locked(view.track_name):
            return
        lane = view.lanes[view.track_name]
        under = lane.between(view.playhead, view.playhead + 1)
        clip = under[-1] if under else self.chosen()
        if clip is None or self.locked(clip.track):
            return
        at = view.playhead - clip.start
        self.edit(
            lambda studio, pid: studio.split_shot(pid, clip.id, at),
            f"shot {clip.number} split at {timecode(view.playhead, view.fps)}",
        )

    def action_delete(self) -> None:
        clip = self.editable()
        if clip is None:
            return
        said = f": {excerpt(clip.text, 40)}" if clip.text else ""
        self.milimo.confirm(
            f"Delete shot {clip.number}{said}? (u undoes it)",
            lambda: self.edit(
                lambda studio, pid: studio.remove_shot(pid, clip.id),
                f"shot {clip.number} deleted",
            ),
            yes="Delete",
        )

    def action_shift(self, delta: int) -> None:
        clip = self.editable()
        if clip is None:
            return
        if clip.track != MAGNETIC:
            start = max(0, clip.start + delta * self.timeline.zoom)
            self.move_free(clip, clip.track, start)
            return
        order = self.scene_order(clip.scene_id)
        line = [i for i in order if self.track_of(i) == MAGNETIC]
        k = line.index(clip.id) + delta
        if not 0 <= k < len(line):
            where = "first" if delta < 0 else "last"
            self.app.notify(f"shot {clip.number} is already the {where} of its scene on V1")
            return
        a, b = order.index(clip.id), order.index(line[k])
        order[a], order[b] = order[b], order[a]
        self.reorder(clip, order)

    def action_other_track(self) -> None:
        clip = self.editable()
        if clip is None:
            return
        if clip.track not in ("V1", "V2"):
            self.app.notify("m moves a shot between the video tracks V1 and V2", severity="warning")
            return
        to = "V2" if clip.track == "V1" else "V1"
        if self.locked(to):
            return
        self.edit(
            lambda studio, pid: studio.move_shot(pid, clip.id, track=to),
            f"shot {clip.number} moved to {to}",
        )

    def action_track_flag(self, flag: str) -> None:
        """Toggle a flag of the track under the cursor (a render skips muted and hidden ones)."""
        view = self.milimo.view
        if view is None:
            return
        track = self.timeline.track_name
        on = not view["tracks"][track][flag]
        words = {"muted": ("muted", "unmuted"), "locked": ("locked", "unlocked")}
        said = words.get(flag, ("hidden", "shown"))[0 if on else 1]
        self.edit(
            lambda studio, pid: studio.set_track(pid, track, **{flag: on}),
            f"track {track} {said}",
        )

    def move_free(self, clip: Clip, track: str, start: int) -> None:
        if self.locked(clip.track, track):
            return
        if (track, start) == (clip.track, clip.start):
            where = "the start" if start == 0 else timecode(start, self.timeline.fps)
            self.app.notify(f"shot {clip.number} is already at {where} of {track}: nothing moved")
            return
        self.edit(
            lambda studio, pid: studio.move_shot(pid, clip.id, track=track, start_frame=start),
            f"shot {clip.number} moved to {track} at {timecode(start, self.timeline.fps)}",
        )

    def reorder(self, clip: Clip, order: list[str]) -> None:
        """Give `clip`'s scene the shot order `order` (the domain checks every shot of it)."""
        scene = clip.scene_id
        tracks = {self.track_of(shot_id) for shot_id in order}
        if self.locked(*sorted(t for t in tracks if t)):
            return
        if order == self.scene_order(scene):
            self.app.notify(f"shot {clip.number} is already there: nothing moved")
            return
        now = self.label(scene, order.index(clip.id))
        self.edit(
            lambda studio, pid: studio.reorder_shots(pid, scene, order),
            f"shot {now} moved (was {clip.number})",
        )

    def label(self, scene_id: str, index: int) -> str:
        """The label of the shot at `index` of a scene ("2.3"), as every screen names it."""
        scenes = (self.milimo.view or {}).get("scenes") or []
        numbers = {s["id"]: n for n, s in enumerate(scenes, 1)}
        return shot_label(numbers, {"scene_id": scene_id, "index": index})

    def scene_order(self, scene_id: str) -> list[str]:
        shots = (self.milimo.view or {}).get("shots") or []
        mine = sorted((s for s in shots if s["scene_id"] == scene_id), key=lambda s: s["index"])
        return [s["id"] for s in mine]

    def track_of(self, shot_id: str) -> str | None:
        clip = self.timeline.find(shot_id)
        return clip.track if clip else None

    @on(TimelineView.Dragged)
    def dragged(self, event: TimelineView.Dragged) -> None:
        clip = event.clip
        if self.locked(clip.track):
            return
        if event.edge == "in":
            self.trim(clip, clip.shot["trim_in"] + event.frames, None)
        elif event.edge == "out":
            self.trim(clip, None, clip.shot["trim_out"] - event.frames)
        elif event.track is None:
            return
        elif event.track != clip.track:
            if event.track != MAGNETIC:
                self.move_free(clip, event.track, max(0, clip.start + event.frames))
            elif not self.locked(MAGNETIC):
                self.edit(
                    lambda studio, pid: studio.move_shot(pid, clip.id, track=MAGNETIC),
                    f"shot {clip.number} moved to V1",
                )
        elif clip.track != MAGNETIC:
            self.move_free(clip, clip.track, max(0, clip.start + event.frames))
        elif event.target is None:
            self.app.notify("drop a shot onto another shot of V1 to put it there")
        elif event.target.scene_id != clip.scene_id:
            target = event.target  # it takes the target's place: its label is the target's
            self.edit(
                lambda studio, pid: studio.move_shot(pid, clip.id, before=target.id),
                f"shot {target.number} moved (was {clip.number})",
            )
        else:
            order = self.scene_order(clip.scene_id)
            at = order.index(event.target.id)
            order.remove(clip.id)
            order.insert(at, clip.id)
            self.reorder(clip, order)


def latest_render(jobs: list[dict[str, Any]]) -> str | None:
    for job in reversed(jobs):
        if job.get("kind") == "render" and job.get("status") == "completed":
            path = (job.get("output") or {}).get("path")
            if path:
                return str(path)
    return None
