"""SP-API's and LWA's errors, one class per code, as ``errors`` does for MWS.

SP-API answers ``{"errors": [{"code", "message", "details"}]}`` (``render.error_body``); LWA, an
OAuth 2 server, answers ``{"error", "error_description"}`` (``render.lwa_error_body``). Messages use
Amazon's wording where it is public (../shared/reference/sp-api.md), otherwise say what to fix.
"""

from __future__ import annotations


class SpApiError(Exception):
    code = "InternalFailure"
    status = 500
    message = "We encountered an internal error. Please try again."

    def __init__(self, message: str | None = None, details: str = "") -> None:
        super().__init__(message or self.message)
        self.message = message or self.message
        self.details = details


class InvalidInput(SpApiError):
    code = "InvalidInput"
    status = 400
    message = "Invalid Input"


class Unauthorized(SpApiError):
    code = "Unauthorized"
    status = 403
    message = "Access to requested resource is denied."


class NotFound(SpApiError):
    code = "NotFound"
    status = 404
    message = "The resource specified does not exist."


class UnsupportedMediaType(SpApiError):
    code = "UnsupportedMediaType"
    status = 415
    message = "The request payload is in an unsupported format; send application/json."


class QuotaExceeded(SpApiError):
    code = "QuotaExceeded"
    status = 429
    message = "You exceeded your quota for the requested resource."


class InternalFailure(SpApiError):
    pass


class LwaError(Exception):
    """An OAuth 2 error from the token endpoint (``POST /auth/o2/token``)."""

    error = "server_error"
    status = 500
    description = "The authorization server encountered an unexpected error."

    def __init__(self, description: str | None = None) -> None:
        super().__init__(description or self.description)
        self.description = description or self.description


class InvalidRequest(LwaError):
    error = "invalid_request"
    status = 400
    description = "The request is missing a required parameter or is otherwise malformed."


class InvalidClient(LwaError):
    error = "invalid_client"
    status = 401
    description = "Client authentication failed: the client_id or client_secret is wrong."


class InvalidGrant(LwaError):
    error = "invalid_grant"
    status = 400
    description = ("The request has an invalid grant parameter: refresh_token. The refresh token was revoked, "
                   "has expired or was issued to another client; authorise the application again.")


class UnsupportedGrantType(LwaError):
    error = "unsupported_grant_type"
    status = 400
    description = "The sandbox's token endpoint serves grant_type=refresh_token only."
