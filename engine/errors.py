"""The engine's small family of domain errors.

The API turns each into one problem-details response; the CLI prints the
message. A message says what was wrong and what to do about it.
"""
from __future__ import annotations


class PlanflowError(Exception):
    status = 400
    title = "Bad request"

    def __init__(self, message: str, **details: object) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def __str__(self) -> str:
        return self.message


class NotFound(PlanflowError):
    status = 404
    title = "Not found"


class Conflict(PlanflowError):
    """The thing changed meanwhile: a stale version, a task already completed."""

    status = 409
    title = "Conflict"


class Duplicate(Conflict):
    """A unique key was taken by a change made at the same moment (a double submit): nothing was written."""


class Unavailable(PlanflowError):
    """The database is busy or cannot be reached; the change was not made and may be tried again."""

    status = 503
    title = "Service unavailable"
    headers = {"Retry-After": "2"}  # noqa: RUF012 - read-only


class NotOnThisServer(PlanflowError):
    """What this server cannot do as installed (a program it needs is missing, or failed): said with the way
    round it; nothing was changed."""

    status = 501
    title = "Not available on this server"


class TooManyAttempts(PlanflowError):
    """Too many failed sign-ins: the next try waits ``retry_after`` seconds (checked before any password)."""

    status = 429
    title = "Too many requests"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, retry_after=retry_after)
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(retry_after)}


class Invalid(PlanflowError):
    """Input that fails validation; ``errors`` maps field paths to messages."""

    status = 422
    title = "Invalid input"

    def __init__(self, message: str, errors: dict[str, object] | None = None, **details: object) -> None:
        super().__init__(message, **details)
        self.errors = errors or {}


class BpmnRejected(Invalid):
    """A BPMN file the engine refuses: malformed, unsafe or unsupported.

    ``file`` and ``element`` name where the problem is.
    """

    title = "BPMN file rejected"

    def __init__(self, message: str, file: str | None = None, element: str | None = None) -> None:
        where = ", ".join(part for part in (file and f"file {file}", element and f"element {element}") if part)
        super().__init__(f"{where}: {message}" if where else message, file=file, element=element)
        self.reason = message
        self.file = file
        self.element = element

    def in_file(self, file: str | None) -> "BpmnRejected":
        """The same refusal, naming the file when it did not yet."""
        return self if self.file or not file else BpmnRejected(self.reason, file=file, element=self.element)


class NotStartable(PlanflowError):
    """A process that exists but cannot be started the way it was asked."""

    status = 409
    title = "Process cannot be started"


class ProcessFailed(PlanflowError):
    """A step failed inside the process (a script error, no gateway condition true).

    The step was rolled back; an incident records it for the coordinator.
    """

    status = 409
    title = "Process step failed"


def field_errors(tree: object, path: str = "", root: str = "_schema") -> dict[str, list[str]]:
    """A nested error tree (marshmallow's, webargs') as ``{field path: [messages]}``, paths as people read
    them: ``items[3].lead``, ``contribution.summary``. Errors of an object as a whole (marshmallow's
    ``_schema``) stand at the object's own path; those of the whole input at ``root``."""
    flat: dict[str, list[str]] = {}

    def add(where: str, messages: list[str]) -> None:
        flat.setdefault(where or root, []).extend(messages)

    if isinstance(tree, dict):
        for key, value in tree.items():
            if isinstance(key, int):
                child = f"{path}[{key}]"
            elif key == "_schema":
                child = path
            else:
                child = f"{path}.{key}" if path else str(key)
            for where, messages in field_errors(value, child, root).items():
                add(where, messages)
    elif isinstance(tree, list) and all(isinstance(message, str) for message in tree):
        add(path, list(tree))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            for where, messages in field_errors(value, f"{path}[{index}]", root).items():
                add(where, messages)
    else:
        add(path, [str(tree)])
    return flat
