"""The statuses each operation documents in the OpenAPI schema, errors included."""

from connect.api.schemas import ErrorOut

COMMON = {401: ErrorOut, 413: ErrorOut, 415: ErrorOut, 422: ErrorOut, 429: ErrorOut}


def documented(ok: dict, *, not_found: bool = True, conflict: bool = False) -> dict:
    statuses = {**ok, **COMMON, 400: ErrorOut}
    if not_found:
        statuses[404] = ErrorOut
    if conflict:
        statuses[409] = ErrorOut
    return statuses
