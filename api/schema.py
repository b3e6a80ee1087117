"""The OpenAPI schema (drf-spectacular): every operation also documents its errors, so a client
(and schemathesis) knows what a refusal looks like."""

from drf_spectacular.openapi import AutoSchema

from .serializers import ErrorSerializer


class ApiAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = {
            "401": "Ingen, ogiltig eller borttagen API-nyckel.",
            "429": "För många anrop; försök igen om en stund (Retry-After).",
        }
        if self._is_list_view():
            errors["400"] = "Ett filter eller antal per sida är ogiltigt, eller en parameter okänd."
            errors["404"] = "Sidmarkören (cursor) kommer inte från API:t."
        else:
            errors["400"] = "En parameter är okänd (ett objekt tar inga)."
            errors["404"] = "Finns inte, eller ligger utanför det nyckelns ägare får se."
        for code, description in errors.items():
            response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
            response["description"] = description
            responses.setdefault(code, response)
        return responses
