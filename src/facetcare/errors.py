"""Domain errors raised by services and selectors.

Each carries a stable machine ``code`` and the HTTP status it maps to; the API
(``config/api_errors.py``) and the pages turn them into responses and form
errors in one place.
"""


class DomainError(Exception):
    code = "error"
    http_status = 400

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field


class InvalidInput(DomainError):
    """A value is well-formed but not acceptable (past slot, outside hours, ...)."""

    code = "invalid"
    http_status = 422

    def __init__(self, detail: str, *, field: str | None = None, code: str | None = None) -> None:
        super().__init__(detail, field=field)
        if code:
            self.code = code


class NotFound(DomainError):
    code = "not_found"
    http_status = 404


class Forbidden(DomainError):
    code = "forbidden"
    http_status = 403


class Conflict(DomainError):
    code = "conflict"
    http_status = 409


class SlotTaken(Conflict):
    code = "slot_taken"


class PolicyRefused(Conflict):
    """A procedure booking the policy engine does not allow and no consultant overrode."""

    code = "policy_refused"
