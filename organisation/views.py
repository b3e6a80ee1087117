from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.confirm import confirmation_step
from common.models import PendingImport
from common.tabular import TableRefused
from common.text import genitive

from . import forms, imports, selectors, services
from .models import Membership, Role, UnitKind
from .oidc import end_session_url, oidc_configured


@require_POST
@login_required
def session_extend(request):
    """The timeout warning's "stay logged in": the middleware has just touched the session."""
    return JsonResponse({"idle_timeout": request.session_idle_timeout})


class LoginView(auth_views.LoginView):
    """The login page: the organisation's sign-in first when configured, then passwords."""

    redirect_authenticated_user = True
    authentication_form = forms.LoginForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = oidc_configured()
        context["oidc_provider_name"] = settings.OIDC_PROVIDER_NAME
        context["local_login"] = settings.LOCAL_LOGIN != "off"
        return context

    def post(self, request, *args, **kwargs):
        if settings.LOCAL_LOGIN == "off":
            return HttpResponseNotAllowed(["GET"])
        return super().post(request, *args, **kwargs)


@require_POST
def logout(request):
    """End the product's session and, when the IdP can, the IdP's session as well."""
    idp_logout = end_session_url(request)
    auth.logout(request)
    return redirect(idp_logout or settings.LOGOUT_REDIRECT_URL)


# --- The administrator's organisation pages -----------------------------------------------


def _problems(exc):
    return exc.messages if hasattr(exc, "messages") else [str(exc)]


@login_required
def org_index(request):
    selectors.require_administrator(request.user)
    regions = list(selectors.regions_for(request.user))
    if len(regions) == 1:
        return redirect("organisation:org_region", pk=regions[0].pk)
    return render(request, "organisation/index.html", {"regions": regions})


@login_required
def org_region(request, pk):
    region = selectors.region_for(request.user, pk)
    context = {"region": region, **selectors.region_tree(region)}
    return render(request, "organisation/region.html", context)


@login_required
def org_unit_create(request, pk):
    region = selectors.region_for(request.user, pk)
    form = forms.UnitForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.unit_create(actor=request.user, region=region, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("%(unit)s är tillagd.") % {"unit": unit.name})
            return redirect("organisation:org_unit", pk=unit.pk)
    return render(request, "organisation/unit_form.html", {"region": region, "form": form})


def _add_errors(form, exc):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def org_unit(request, pk):
    unit = selectors.unit_for(request.user, pk)
    form = forms.RoleInUnitForm(request.POST or None, unit=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_add(actor=request.user, unit=unit, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(person)s är %(role)s i %(unit)s.")
                % {
                    "person": form.cleaned_data["person"],
                    "role": dict(Role.choices)[form.cleaned_data["role"]].lower(),
                    "unit": services.unit_label(unit),
                },
            )
            return redirect("organisation:org_unit", pk=unit.pk)
    memberships = list(selectors.memberships_of_unit(unit))
    today = timezone.localdate()
    context = {
        "unit": unit,
        "form": form,
        "current": [m for m in memberships if m.is_active(today) or m.start_date > today],
        "ended": [m for m in memberships if m.end_date and m.end_date < today],
        "children": unit.children.order_by("name"),
        "is_lag": unit.kind == UnitKind.LAG,
    }
    return render(request, "organisation/unit.html", context)


@login_required
def org_people(request, pk):
    region = selectors.region_for(request.user, pk)
    form = forms.PersonForm(request.POST or None, region=region)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(actor=request.user, region=region, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(person)s är upplagd. Ge hen ett uppdrag nedan.")
                % {"person": person.get_full_name()},
            )
            return redirect("organisation:org_person", pk=person.pk)
    people = selectors.people_of_region(region).select_related("municipality")
    page = Paginator(people.order_by("first_name", "last_name", "pk"), 100).get_page(
        request.GET.get("sida")
    )
    return render(
        request, "organisation/people.html", {"region": region, "form": form, "page": page}
    )


PERSON_FIELDS = ["first_name", "last_name", "hsa_id", "email", "title", "organisation_name"]


@login_required
def org_person_edit(request, pk):
    person = selectors.person_for(request.user, pk)
    initial = {name: getattr(person, name) for name in PERSON_FIELDS}
    initial["municipality"] = person.municipality_id
    form = forms.PersonForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request, _("Uppgifterna om %(person)s är sparade.") % {"person": person}
            )
            return redirect("organisation:org_person", pk=person.pk)
    return render(request, "organisation/person_edit.html", {"person": person, "form": form})


@login_required
def org_person(request, pk):
    person = selectors.person_for(request.user, pk)
    form = forms.RoleForPersonForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.role_add(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(person)s är %(role)s i %(unit)s.")
                % {
                    "person": person,
                    "role": dict(Role.choices)[form.cleaned_data["role"]].lower(),
                    "unit": services.unit_label(form.cleaned_data["unit"]),
                },
            )
            return redirect("organisation:org_person", pk=person.pk)
    today = timezone.localdate()
    memberships = list(
        selectors.memberships_of_person(person, selectors.administered_region_ids(request.user))
    )
    context = {
        "person": person,
        "form": form,
        "current": [m for m in memberships if m.is_active(today) or m.start_date > today],
        "ended": [m for m in memberships if m.end_date and m.end_date < today],
    }
    return render(request, "organisation/person.html", context)


@require_POST
@login_required
def org_role_end(request, pk):
    selectors.require_administrator(request.user)
    membership = get_object_or_404(Membership.objects.select_related("unit__region", "user"), pk=pk)
    selectors.unit_for(request.user, membership.unit_id)  # 404 outside the actor's regions
    back = request.POST.get("tillbaka")
    if confirm := confirmation_step(
        request,
        question=_("Avsluta %(person)s uppdrag som %(role)s i %(unit)s i dag?")
        % {
            "person": genitive(membership.user),
            "role": membership.get_role_display().lower(),
            "unit": services.unit_label(membership.unit),
        },
        consequence=_("Behörigheten som uppdraget ger upphör genast."),
        confirm_label=_("Ja, avsluta uppdraget"),
        back_url=reverse(
            "organisation:org_person" if back == "person" else "organisation:org_unit",
            args=[membership.user_id if back == "person" else membership.unit_id],
        ),
    ):
        return confirm
    try:
        services.role_end(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(person)s är inte längre %(role)s i %(unit)s.")
            % {
                "person": membership.user,
                "role": membership.get_role_display().lower(),
                "unit": services.unit_label(membership.unit),
            },
        )
    if back == "person":
        return redirect("organisation:org_person", pk=membership.user_id)
    return redirect("organisation:org_unit", pk=membership.unit_id)


IMPORT_KIND = "organisation.people"


@login_required
def org_import(request, pk):
    region = selectors.region_for(request.user, pk)
    key = f"org-import-{region.pk}"
    if request.method == "POST" and request.POST.get("step") == "confirm":
        pending = PendingImport.objects.take(
            owner=request.user,
            kind=IMPORT_KIND,
            target_id=region.pk,
            pk=request.session.pop(key, None),
        )
        if not pending:
            messages.error(
                request,
                _(
                    "Förhandsgranskningen är redan genomförd eller har gått ut: inget nytt har "
                    "lästs in. Se ändringshistoriken, eller läs in filen igen."
                ),
            )
            return redirect("organisation:org_import", pk=region.pk)
        try:
            result = imports.import_apply(actor=request.user, region=region, rows=pending["rows"])
        except imports.ImportRefused as exc:
            messages.error(request, exc.message)
            return redirect("organisation:org_import", pk=region.pk)
        messages.success(
            request,
            _("Importen är klar: %(rows)s rader, %(people)s nya personer, %(roles)s uppdrag.")
            % result,
        )
        return redirect("organisation:org_history", pk=region.pk)
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = imports.read_rows(upload)
        except (imports.ImportRefused, TableRefused) as exc:
            form.add_error("file", exc.message)
        else:
            preview = imports.check(region, rows)
            request.session.pop(key, None)
            if preview.ok:
                # Only an id rides in the session; the rows wait on the server.
                pending = PendingImport.objects.keep(
                    owner=request.user,
                    kind=IMPORT_KIND,
                    target_id=region.pk,
                    name=upload.name,
                    payload={"rows": rows},
                )
                request.session[key] = str(pending.pk)
    return render(
        request,
        "organisation/import.html",
        {"region": region, "form": form, "preview": preview, "columns": imports.COLUMNS},
    )


@login_required
def org_history(request, pk):
    region = selectors.region_for(request.user, pk)
    return render(
        request,
        "organisation/history.html",
        {"region": region, "changes": selectors.changes_of_region(region)},
    )
