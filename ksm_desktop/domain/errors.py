"""Typed errors raised by services; the UI and CLI show `message` (already translated)."""

from __future__ import annotations


class KsmError(Exception):
    """Base of every error a user can cause; never shown as a traceback."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return self.message


class ValidationError(KsmError):
    """A value is malformed or breaks a rule; `field` names the form field."""


class NotFoundError(KsmError):
    """A code, number or id that does not exist."""


class ConflictError(KsmError):
    """The change conflicts with existing data (duplicate, still referenced, wrong state)."""

    def __init__(self, message: str, field: str | None = None, *, existing_id: int | None = None):
        super().__init__(message, field)
        self.existing_id = existing_id


class PermissionDeniedError(KsmError):
    """The current user's role does not allow this action."""


class DatabaseError(KsmError):
    """The database cannot be opened or used (corrupted, foreign, newer schema, read-only)."""


class ConcurrentSaveError(DatabaseError):
    """The server aborted the save because someone else was saving the same rows at that moment
    (serialisation failure, deadlock, a code taken in between); trying again usually succeeds."""


class StaleRecordError(ConflictError):
    """Someone else saved the record after it was opened here; `changed_by`/`changed_at` say who
    and when, so the form can offer to reload it."""

    def __init__(self, message: str, *, changed_by: str | None = None, changed_at: object = None) -> None:
        super().__init__(message, None)
        self.changed_by = changed_by
        self.changed_at = changed_at
