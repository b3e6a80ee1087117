"""Who is told of a national decision, and the e-mail they get (plain text from
`templates/nationellt/email/`; absolute links when the deployment sets `SITE_URL`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kunskapsstyrning.models import Case
from organisation.models import Membership, Role, User
from remisser.models import AccessKind, RemissAccess

from .models import NationalDecision


def told_of_national_decision(case: Case) -> list[User]:
    """The chairs of the case's LPOs (responsible and concerned) and the municipalities'
    coordinator: the remiss's, and for a joint case the LPO's municipal representatives (seed
    002, step 1: the strategist informs the LPO and the municipalities' coordinators)."""
    today = timezone.localdate()
    lpo_ids = [case.responsible_lpo_id, *case.concerned_lpos.values_list("pk", flat=True)]
    people = {
        m.user
        for m in Membership.objects.active_on(today)
        .filter(unit_id__in=lpo_ids, role=Role.CHAIR)
        .select_related("user")
    }
    if hasattr(case, "remiss"):
        people |= {
            access.user
            for access in RemissAccess.objects.active()
            .filter(remiss=case.remiss, kind=AccessKind.MUNICIPAL)
            .select_related("user")
        }
    if case.joint:
        people |= {
            m.user
            for m in Membership.objects.active_on(today)
            .filter(unit_id=case.responsible_lpo_id, role=Role.MUNICIPAL_REPRESENTATIVE)
            .select_related("user")
        }
    return sorted((p for p in people if p.is_active), key=lambda p: (p.last_name, p.pk))


def national_decision(case: Case, decision: NationalDecision, person: User) -> None:
    url = settings.SITE_URL.rstrip("/") if getattr(settings, "SITE_URL", "") else ""
    body = render_to_string(
        "nationellt/email/national_decision.txt",
        {
            "case": case,
            "decision": decision,
            "person": person,
            "url": url + reverse("kunskapsstyrning:case_detail", args=[case.pk]),
        },
    )
    subject = _("Nationellt beslut: %(support)s – %(outcome)s") % {
        "support": case.knowledge_support,
        "outcome": decision.get_outcome_display().lower(),
    }
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email], fail_silently=False)
