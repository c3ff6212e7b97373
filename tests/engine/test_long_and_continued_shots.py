"""Long shots and auto_continue through the real console script and background worker.

`generate --all` chains a shot longer than one call into segments and continues the next shot
from its last frame once its job is done; the audit shows both. Later, generating the next
shot alone continues from the long shot's active take.
"""

from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from tests.cli.conftest import Run
from tests.engine.conftest import make_project, ok, probe_video, sha256, shots_by_id

pytestmark = [pytest.mark.usefixtures("reap_embedded_worker")]

SIZE = {"width": 256, "height": 256, "fps": 24}


def last_frame(path: str) -> np.ndarray:
    with av.open(path) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)][-1]


def test_generate_all_chains_the_long_shot_and_continues_the_next_from_it(milimo: Run) -> None:
    pid, (long_shot, next_shot) = make_project(
        milimo,
        [{"prompt": "the long crossing", "frames": 137}, {"prompt": "landfall", "frames": 17}],
        **SIZE,
    )
    ok(milimo("shot", "set", pid, next_shot, "auto_continue=true", "--json"))

    long_job, next_job = ok(milimo("generate", pid, "--all", "--wait", "--json"))["jobs"]

    assert (long_job["status"], next_job["status"]) == ("completed", "completed")
    audit = {e["job_id"]: e for e in ok(milimo("audit", pid, "--json"))}
    long_entry, next_entry = audit[long_job["id"]], audit[next_job["id"]]
    assert [s["num_frames"] for s in long_entry["request"]["segments"]] == [81, 73]
    assert long_entry["events"].count("SegmentCompleted") == 2
    assert [s["index"] for s in long_entry["segments_done"]] == [0, 1]
    take = shots_by_id(milimo, pid)[long_shot]["takes"][0]
    assert probe_video(take["path"])["frames"] == 137

    assert next_entry["request"]["continue_from"] == {
        "shot_id": long_shot,
        "job_id": long_job["id"],
    }
    assert "ConditioningResolved" in next_entry["events"]
    item = next_entry["continued_from"]["item"]
    assert item["sha256"] == sha256(item["asset"]) and item["frame_index"] == 0
    still = np.asarray(Image.open(item["asset"]).convert("RGB"))
    assert np.array_equal(still, last_frame(take["path"]))

    # Generated alone, the next shot continues from the long shot's active take at once.
    (again,) = ok(milimo("generate", pid, next_shot, "--json"))["jobs"]
    request = ok(milimo("job", "show", again["id"], "--json"))["request"]
    (conditioning,) = request["conditioning"]
    assert conditioning["source"] == {"shot_id": long_shot, "take_id": take["id"]}
    assert Path(conditioning["asset"]).stem == conditioning["sha256"] == item["sha256"]
