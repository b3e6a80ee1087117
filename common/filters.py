"""The lists' filters: django-filter FilterSets, one style for every list."""

import hashlib

import django_filters
from django import forms

# Every select of a filter bar is rendered once and then kept (`_filters.html`), keyed on its
# options and the chosen one: Django's select widget costs ~50 µs an option, and a bar's
# selects hold 40-70 options for a strategist (the board and case list spent 10-20 ms on
# them), 630 LPOs for a national administrator (20-45 ms); kept, each costs a cache read.


class FilterSet(django_filters.FilterSet):
    """A list's filters, read from the query string under the names bookmarks already use.

    A query string that does not validate (an old bookmark naming a status that is gone)
    shows the list unfiltered, as the lists always have."""

    def filter_queryset(self, queryset):
        if not self.form.is_valid():
            return queryset
        return super().filter_queryset(queryset)

    @property
    def form(self):
        form = super().form
        if getattr(form, "options_versioned", False):
            return form
        form.options_versioned = True  # once a request: a national LPO list is 630 options
        for field in form.fields.values():
            choices = getattr(field, "choices", None)
            if isinstance(field.widget, forms.Select) and choices is not None:
                # What the kept select is keyed on, with the chosen value: its options.
                options = repr(list(choices)).encode()
                field.options_version = hashlib.md5(options).hexdigest()
        return form

    @property
    def filtered(self):
        """Whether any filter narrows the list."""
        return self.is_bound and self.form.is_valid() and any(self.form.cleaned_data.values())


def search(queryset, name, value):
    """The free-text filter (`q`): the model's own search."""
    return queryset.search(value)
