"""JSON bodies, strictly: only `application/json`, and no key twice in one object (JSON's "last
one wins" would let a proxy and the portal read different values)."""

import json

from ninja.parser import Parser

from connect.api.errors import ApiError, field_error, invalid


class DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _refuse_duplicates(pairs):
    found: dict = {}
    for key, value in pairs:
        if key in found:
            raise DuplicateKey(key)
        found[key] = value
    return found


class StrictJsonParser(Parser):
    def parse_body(self, request):
        if request.content_type != "application/json":
            raise ApiError(
                415,
                "unsupported_media_type",
                "Le corps doit être envoyé en JSON (Content-Type: application/json).",
                "The body must be sent as JSON (Content-Type: application/json).",
            )
        try:
            return json.loads(request.body, object_pairs_hook=_refuse_duplicates)
        except DuplicateKey as duplicate:
            raise invalid(
                [
                    field_error(
                        duplicate.key,
                        "duplicate_key",
                        f"La clé « {duplicate.key} » figure deux fois.",
                        f"Key '{duplicate.key}' appears twice.",
                        location="body",
                    )
                ]
            ) from None
