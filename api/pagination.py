"""Cursor pagination: a page is found by its position in a stable order, not an offset, so a
deep page costs what the first does and rows added meanwhile never shift a page."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination

from common.forms import whole_number


class ApiCursorPagination(CursorPagination):
    page_size = 50
    page_size_query_param = "antal"
    page_size_query_description = _("Antal per sida, 1–200 (50 om inget anges).")
    max_page_size = 200
    # The primary key: unique and never changing, so no row is skipped or shown twice.
    ordering = "pk"
    cursor_query_param = "cursor"
    cursor_query_description = _("Sidmarkören från föregående svars next eller previous.")
    # A cursor the API did not hand out is 404, as DRF has it: any string is a cursor as far as
    # the schema can tell, and that page does not exist.
    invalid_cursor_message = _("Det finns ingen sida med den sidmarkören (cursor).")

    def get_page_size(self, request):
        # DRF falls back to the default on a wrong size; a client that asks for -5 or "alla"
        # should hear that it asked wrongly instead.
        size = request.query_params.get(self.page_size_query_param)
        if size is None:
            return self.page_size
        number = whole_number(size, digits=3)
        if number is None or not 1 <= number <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [_("Ange ett heltal från 1 till 200.")]}
            )
        return number

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
