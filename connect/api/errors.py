"""Every error the API returns: a status, a machine code and a French/English message.

Shape: {"code": "...", "message": {"fr": "...", "en": "..."}, "errors": [field errors]}; a
field error names its location and field (and, in a batch, the item's index and reference).
"""

from django.http import Http404
from ninja.errors import AuthenticationError, HttpError, ValidationError

from connect.lib.plural import french_plural


class ApiError(Exception):
    def __init__(self, status: int, code: str, fr: str, en: str, errors=None, headers=None):
        super().__init__(en)
        self.status, self.code, self.fr, self.en = status, code, fr, en
        self.errors = errors or []
        self.headers = headers or {}

    def body(self) -> dict:
        return {"code": self.code, "message": {"fr": self.fr, "en": self.en}, "errors": self.errors}


def field_error(field: str, code: str, fr: str, en: str, **where) -> dict:
    return {"field": field, "code": code, "message": {"fr": fr, "en": en}, **where}


def invalid(errors: list[dict]) -> ApiError:
    return ApiError(
        422,
        "invalid",
        "Certaines valeurs sont invalides : rien n'a été enregistré.",
        "Some values are invalid: nothing was saved.",
        errors,
    )


def not_found(what_fr: str, what_en: str) -> ApiError:
    return ApiError(404, "not_found", f"{what_fr} introuvable.", f"{what_en} not found.")


# French wording of pydantic's error types; the English comes from pydantic itself.
FRENCH = {
    "missing": "Ce champ est obligatoire.",
    "string_too_long": "Au plus {max_length} caractère{max_length_plural}.",
    "string_too_short": "Au moins {min_length} caractère{min_length_plural}.",
    "string_pattern_mismatch": "Format invalide.",
    "string_type": "Texte attendu.",
    "literal_error": "Valeur non autorisée : {expected}.",
    "enum": "Valeur non autorisée : {expected}.",
    "bool_type": "Booléen attendu (true ou false).",
    "bool_parsing": "Booléen attendu (true ou false).",
    "int_type": "Nombre entier attendu.",
    "int_parsing": "Nombre entier attendu.",
    "greater_than_equal": "Au moins {ge}.",
    "less_than_equal": "Au plus {le}.",
    "datetime_type": "Date et heure ISO 8601 attendues.",
    "datetime_parsing": "Date et heure ISO 8601 attendues.",
    "datetime_from_date_parsing": "Date et heure ISO 8601 attendues.",
    "date_type": "Date AAAA-MM-JJ attendue.",
    "date_parsing": "Date AAAA-MM-JJ attendue.",
    "date_from_datetime_parsing": "Date AAAA-MM-JJ attendue.",
    "date_from_datetime_inexact": "Date AAAA-MM-JJ attendue.",
    "too_long": "Au plus {max_length} élément{max_length_plural}.",
    "too_short": "Au moins {min_length} élément{min_length_plural}.",
    "list_type": "Liste attendue.",
    "model_type": "Objet JSON attendu.",
    "dict_type": "Objet JSON attendu.",
    "model_attributes_type": "Objet JSON attendu.",
    "extra_forbidden": "Champ inconnu.",
    "json_invalid": "JSON invalide.",
    "set_type": "Liste attendue.",
}


def _french(error: dict) -> str:
    template = FRENCH.get(error["type"])
    if template is None:  # our own validators carry the French in their context
        return (error.get("ctx") or {}).get("fr", "Valeur invalide.")
    context = error.get("ctx") or {}
    # `{min_length_plural}`: the French plural mark of a count in the context.
    marks = {
        f"{key}_plural": french_plural(value)
        for key, value in context.items()
        if isinstance(value, int)
    }
    try:
        return template.format(**context, **marks)
    except (KeyError, IndexError):
        return template.split(":")[0].strip()


def from_validation(errors: list[dict]) -> ApiError:
    """Pydantic's errors, as ours: location, field path, batch index when there is one."""
    result = []
    for error in errors:
        location, *path = error["loc"]
        if location in ("body", "form") and path and path[0] in ("payload", "data"):
            path = path[1:]
        where = {"location": location}
        if len(path) >= 2 and path[0] == "dossiers" and isinstance(path[1], int):
            where["index"] = path[1]
        name = ".".join(str(part) for part in path)
        result.append(field_error(name, error["type"], _french(error), error["msg"], **where))
    return invalid(result)


def unauthorized() -> ApiError:
    return ApiError(
        401,
        "unauthorized",
        "Jeton absent, invalide ou révoqué.",
        "Missing, invalid or revoked token.",
        headers={"WWW-Authenticate": "Bearer"},
    )


def install(api) -> None:
    def respond(request, exc: ApiError):
        response = api.create_response(request, exc.body(), status=exc.status)
        for name, value in exc.headers.items():
            response[name] = value
        return response

    def on_http_error(request, exc: HttpError):
        if isinstance(exc.__cause__, ApiError):  # ninja wraps what the body parser raises
            error = exc.__cause__
        elif isinstance(exc, AuthenticationError):
            error = unauthorized()
        elif exc.status_code == 400:
            error = ApiError(
                400, "malformed", "Corps de requête illisible (JSON attendu).", str(exc)
            )
        else:
            error = ApiError(exc.status_code, "error", str(exc), str(exc))
        return respond(request, error)

    api.add_exception_handler(ApiError, respond)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(ValidationError, lambda r, e: respond(r, from_validation(e.errors)))
    api.add_exception_handler(Http404, lambda r, e: respond(r, not_found("Ressource", "Resource")))
