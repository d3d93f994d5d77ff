"""Domain errors. Each carries one sentence in Bahasa Indonesia that a user can act on.

"Wrong state" (InvalidTransition) is kept apart from "not allowed" (PermissionDenied):
the first says the post moved on, the second says who may do what.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class DomainError(Exception):
    """Base of every error a user may cause; `str(err)` is the sentence to show."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    exit_code = 3


class PermissionDenied(DomainError):
    exit_code = 4


class InvalidTransition(DomainError):
    exit_code = 5


class Conflict(DomainError):
    """Someone else changed the record since the caller read it (optimistic locking)."""

    exit_code = 6


class ValidationFailed(DomainError):
    exit_code = 2


class AuthenticationFailed(DomainError):
    exit_code = 7


class MediaRejected(ValidationFailed):
    pass


class ScreeningBlocked(DomainError):
    """Blocking screening findings stop a transition; the findings travel with the error."""

    exit_code = 8

    def __init__(self, message: str, findings: Sequence[Any]) -> None:
        super().__init__(message)
        self.findings = list(findings)
