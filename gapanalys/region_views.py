"""The region's kinds of statement before BP2, kept by its organisation administrator."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.refusals import ActionRefused, refusal_text
from organisation import selectors as org_selectors

from . import services
from .forms import StatementTypeForm
from .models import StatementType, statement_types_of


@login_required
def statement_types(request, pk):
    region = org_selectors.region_for(request.user, pk)
    saved = list(StatementType.objects.filter(region=region))
    return render(
        request,
        "gapanalys/statement_types.html",
        {"region": region, "kinds": statement_types_of(region, saved), "reference": not saved},
    )


@login_required
def statement_type_edit(request, pk, key=None):
    region = org_selectors.region_for(request.user, pk)
    kind = None
    if key is not None:
        kind = next((t for t in statement_types_of(region) if t.key == key), None)
        if kind is None:
            raise Http404
    form = StatementTypeForm(request.POST or None, instance=kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.statement_type_save(
                region=region, actor=request.user, data=form.cleaned_data, key=key
            )
        except ActionRefused as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, refusal_text(exc))
        else:
            messages.success(request, _("Yttrandet sparades."))
            return redirect("yttranden:statement_types", pk=region.pk)
    return render(
        request,
        "gapanalys/statement_type_form.html",
        {"region": region, "form": form, "kind": kind},
    )
