from domain.errors import DomainError, NotFound


class ProjectNotFound(NotFound):
    pass


class ConcurrentEditConflict(DomainError):
    """Other processes kept changing the project while this command retried."""


class JobNotFound(NotFound):
    pass
