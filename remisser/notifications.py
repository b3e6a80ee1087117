"""E-mail to the people in a round: distribution and invitation (reminders go out in the
core's daily digest, `kunskapsstyrning.notifications.digest_send`).

Plain text rendered from `templates/remisser/email/`. Links are absolute when the deployment
sets `SITE_URL` (e.g. https://kunskapsstyrning.regionen.se), otherwise paths on the site.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _


def link(name, *args):
    return getattr(settings, "SITE_URL", "").rstrip("/") + reverse(f"remisser:{name}", args=args)


def _send(to, subject, template, context):
    body = render_to_string(f"remisser/email/{template}.txt", context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)


def distributed(remiss, response, person):
    _send(
        person.email,
        _("Remiss att besvara: %(title)s, svar senast %(date)s")
        % {
            "title": remiss.case.knowledge_support.title,
            "date": remiss.internal_deadline.isoformat(),
        },
        "distributed",
        {
            "remiss": remiss,
            "response": response,
            "person": person,
            "url": link("remiss_answer", remiss.pk, response.pk),
        },
    )


def invited(access):
    remiss = access.remiss
    _send(
        access.user.email,
        _("Du är inbjuden som sakkunnig: %(title)s") % {"title": remiss.case.knowledge_support},
        "invited",
        {"access": access, "remiss": remiss, "url": link("remiss_comments", remiss.pk)},
    )
