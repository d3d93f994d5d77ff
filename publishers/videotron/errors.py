"""Why a slide could not be made, one Indonesian sentence each (shown as they are in the CLI and
the dashboard). They are validation errors: the input has to change, retrying will not help."""

from __future__ import annotations

from content.infra.errors import ValidationFailed


class SlideError(ValidationFailed):
    """Base of every renderer refusal."""


class PhotoUnreadable(SlideError):
    pass


class HeadlineDoesNotFit(SlideError):
    pass


class QrDoesNotFit(SlideError):
    pass


class UnsupportedCharacters(SlideError):
    pass
