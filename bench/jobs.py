"""Engine measurements (issue 3): latencies over Redis, and the animatic backend's speed.

- enqueue_to_start_p50_ms / _p99_ms: from a job's JobQueued to its JobStarted, with one real
  `milimo worker` process on the Redis broker, jobs sent one at a time to an idle worker whose
  model is resident (a first warm-up job, not counted, loads it: JobStarted comes after the load
  and records its time).
- progress_to_subscriber_p50_ms / _p99_ms: from a worker publishing a step to a Redis
  subscriber in this process receiving it.
- ltx2_vs_bare: an LTX-2 job through Milimo vs the bare pipeline call (bench/ltx2.py).
- animatic_realtime_x: seconds of 768x512, 121-frame, 25 fps video rendered per second.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from uuid import UUID

from store import Metric, log

REDIS_URL = os.environ.get("MILIMO_BENCH_REDIS", "redis://127.0.0.1:6379/9")
ROOT = Path(__file__).resolve().parents[1]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def measure_animatic(runs: int = 5) -> Metric:
    from models.animatic.backend import AnimaticBackend

    backend = AnimaticBackend()
    request = {
        "seed": 42,
        "width": 768,
        "height": 512,
        "num_frames": 121,
        "fps": 25,
        "prompt": "a lighthouse at dusk",
        "storyboard": {
            "scene": "Lighthouse",
            "scene_index": 0,
            "shot_index": 0,
            "heading": "EXT. LIGHTHOUSE - DUSK",
            "shot_type": "close_up",
            "action": "Waves break below the lamp.",
            "character": "MARA",
            "dialogue": "Someone has to keep it burning.",
        },
    }
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(runs):
            started = time.perf_counter()
            backend.generate(request, f"{tmp}/{n}.mp4", lambda *_: None, lambda: False)
            times.append(time.perf_counter() - started)
    seconds_of_video = 121 / 25
    return Metric(
        "animatic_realtime_x", seconds_of_video / statistics.median(times), "x", 10.0, ">="
    )


def redis_available() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


def measure_redis(jobs: int = 40) -> list[Metric]:
    import redis

    from infrastructure.bootstrap import bootstrap
    from infrastructure.live_feed import CHANNEL
    from infrastructure.settings import Settings
    from milimo.wiring import engine

    redis.Redis.from_url(REDIS_URL).flushdb()
    tmp = tempfile.mkdtemp(prefix="milimo-bench-jobs-")
    env = {
        **os.environ,
        "MILIMO_DATA_DIR": tmp,
        "MILIMO_BROKER_URL": REDIS_URL,
        "MILIMO_STORE_URL": f"sqlite:///{tmp}/events.db",
    }
    settings = Settings(data_dir=Path(tmp), broker_url=REDIS_URL, store_url=env["MILIMO_STORE_URL"])
    m = bootstrap(settings, actor="bench@localhost")
    pid = m.studio.create_project("Bench")
    scene = m.studio.add_scene(pid, "One")
    shots = [
        m.studio.add_shot(pid, scene, num_frames=25, width=256, height=256) for _ in range(jobs)
    ]
    worker = subprocess.Popen(
        [sys.executable, "-m", "milimo", "worker"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    progress_ms: list[float] = []
    stop = threading.Event()

    def listen() -> None:
        pubsub = redis.Redis.from_url(REDIS_URL).pubsub(ignore_subscribe_messages=True)
        pubsub.subscribe(CHANNEL)
        while not stop.is_set():
            message = pubsub.get_message(timeout=0.1)
            if message:
                sent = json.loads(message["data"])["sent"]
                progress_ms.append((time.time() - sent) * 1000)
        pubsub.close()

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    try:
        assert worker.stdout is not None
        worker.stdout.readline()  # "milimo worker: queues …" once it is up
        time.sleep(0.5)
        generate = engine(m)
        start_ms = []
        for shot in shots:
            (job_id,) = generate.generate(pid, [shot])
            deadline = time.monotonic() + 60
            while m.studio.job(job_id).status not in ("completed", "failed", "cancelled"):
                if time.monotonic() > deadline:
                    raise RuntimeError("a bench job did not finish within 60 s")
                time.sleep(0.02)
            events = {type(e).__name__: e for e in m.studio.events.get(UUID(job_id))}
            queued, started = events["JobQueued"].timestamp, events["JobStarted"].timestamp
            start_ms.append((started - queued).total_seconds() * 1000)
    finally:
        stop.set()
        worker.terminate()
        worker.wait(timeout=10)
        m.close()
    start_ms = start_ms[1:]  # the warm-up job loaded the model
    log(f"redis: {len(start_ms)} jobs, {len(progress_ms)} progress messages")
    return [
        Metric("enqueue_to_start_p50_ms", percentile(start_ms, 50), "ms"),
        Metric("enqueue_to_start_p99_ms", percentile(start_ms, 99), "ms", 100.0, "<="),
        Metric("progress_to_subscriber_p50_ms", percentile(progress_ms, 50), "ms"),
        Metric("progress_to_subscriber_p99_ms", percentile(progress_ms, 99), "ms", 100.0, "<="),
    ]


def run_jobs() -> list[Metric]:
    log("engine: animatic speed")
    metrics = [measure_animatic()]
    if redis_available():
        log("engine: latencies over Redis")
        metrics += measure_redis()
    else:
        note = f"no Redis at {REDIS_URL}"
        metrics += [
            Metric("enqueue_to_start_p99_ms", None, "ms", 100.0, "<=", note),
            Metric("progress_to_subscriber_p99_ms", None, "ms", 100.0, "<=", note),
        ]
    log("engine: LTX-2 through Milimo vs bare")
    from ltx2 import measure_ltx2

    metrics += measure_ltx2()
    return metrics
