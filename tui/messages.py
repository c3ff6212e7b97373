"""Messages the editor's background work posts to the UI thread."""

from typing import Any

from textual.message import Message


class JobProgress(Message):
    """One step of a running job, from the live feed. A newer step of the same job replaces
    an older one still queued, so a flood of steps never backs up the UI."""

    def __init__(self, job_id: str, step: int, total: int, sent: float, data: dict[str, Any]):
        super().__init__()
        self.job_id = job_id
        self.step = step
        self.total = total
        self.sent = sent
        self.data = data

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, JobProgress) and message.job_id == self.job_id
