"""Cursor pagination: a page is found by its position in a stable order, not an offset, so a
deep page costs what the first does and rows added meanwhile never shift a page."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination


class ApiCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "antal"
    page_size_query_description = _("Antal per sida, 1–200 (50 om inget anges).")
    max_page_size = 200
    # The primary key: unique and never changing, so no row is skipped or shown twice.
    ordering = "pk"
    cursor_query_param = "cursor"
    cursor_query_description = _("Sidmarkören från föregående svars next eller previous.")
    invalid_cursor_message = _("Ogiltig sidmarkör (cursor).")

    def get_page_size(self, request):
        # DRF falls back to the default on a wrong size; a client that asks for -5 or "alla"
        # should hear that it asked wrongly instead.
        size = request.query_params.get(self.page_size_query_param)
        if size is None:
            return self.page_size
        if not size.isdigit() or not 1 <= int(size) <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [_("Ange ett heltal från 1 till 200.")]}
            )
        return int(size)

    def decode_cursor(self, request):
        # DRF answers a broken cursor with 404, which reads as "the list is gone"; it is a
        # wrong parameter (400).
        try:
            return super().decode_cursor(request)
        except NotFound as exc:
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}) from exc

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                }
        return parameters
