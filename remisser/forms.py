from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common import forms as common_forms
from common.validators import happened, planned
from kunskapsstyrning.models import KnowledgeSupport, SupportType
from organisation.models import Membership, Municipality, Role, Unit, UnitKind, User

from .attachments import ALLOWED_DESCRIPTION, MAX_ATTACHMENTS_PER_UPLOAD, check_upload
from .models import Asks, Disposition, Sender


def date_field(label, required=True, **kwargs):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Ange %(what)s.") % {"what": label.lower()}},
        **kwargs,
    )


class MultipleFileInput(forms.FileInput):
    """A file input that takes several files. Not `allow_multiple_selected`, so that the
    shared field template labels it like any other input."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["multiple"] = True
        return context

    def value_from_datadict(self, data, files, name):
        return files.getlist(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in files


def shortened(text, length=90):
    """A long text cut at a word, with "…", for an option in a list."""
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if text[length - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]  # not in the middle of a word
    return cut.rstrip(" ,;:.–-") + "…"


class AttachmentsField(forms.Field):
    """Several files, each checked by content (type and size); all errors at once."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            _("%(allowed)s, högst 25 MB per fil. Du kan välja flera filer.")
            % {"allowed": ALLOWED_DESCRIPTION},
        )
        super().__init__(**kwargs)

    def to_python(self, data):
        return [f for f in (data or []) if f]

    def validate(self, value):
        if self.required and not value:
            raise ValidationError(_("Välj minst en fil."), code="required")

    def clean(self, data):
        files = super().clean(data)
        if len(files) > MAX_ATTACHMENTS_PER_UPLOAD:
            raise ValidationError(
                _("Ladda upp högst %(n)s filer åt gången.") % {"n": MAX_ATTACHMENTS_PER_UPLOAD}
            )
        errors, checked = [], []
        for upload in files:
            try:
                checked.append(check_upload(upload))
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        return files


def strategists_of(region):
    return User.objects.filter(
        memberships__unit__region=region, memberships__role=Role.STRATEGIST
    ).distinct()


def people_of_region(region):
    """Everyone with a current role somewhere in the region, for invitations."""
    today = timezone.localdate()
    return User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.active_on(today).filter(unit__region=region).values("user_id"),
    ).order_by("first_name", "last_name", "username")


def municipal_people_of(region):
    today = timezone.localdate()
    return User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.active_on(today)
        .filter(unit__region=region, role__in=[Role.MUNICIPAL_REPRESENTATIVE, Role.MAS_MAR])
        .values("user_id"),
    ).order_by("first_name", "last_name")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.username
        return f"{name} – {obj.title}" if obj.title else name


class RemissRegisterForm(common_forms.Form):
    knowledge_support = forms.ModelChoiceField(
        KnowledgeSupport.objects.all(),
        required=False,
        label=_("Kunskapsstöd i katalogen"),
        empty_label=_("– Nytt kunskapsstöd (fyll i nedan) –"),
        help_text=_("Finns kunskapsstödet och versionen inte i katalogen, beskriv det nedan."),
    )
    new_title = forms.CharField(required=False, max_length=250, label=_("Nytt kunskapsstöd: titel"))
    new_version = forms.CharField(
        required=False, max_length=20, initial="1.0", label=_("Nytt kunskapsstöd: version")
    )
    new_type = forms.ChoiceField(
        required=False,
        choices=[("", _("– Välj typ –"))] + SupportType.choices,
        label=_("Nytt kunskapsstöd: typ"),
    )
    sender = forms.ChoiceField(
        choices=[("", _("– Välj avsändare –"))] + Sender.choices,
        label=_("Avsändare"),
        error_messages={"required": _("Välj vem remissen kommer från.")},
    )
    sender_name = forms.CharField(
        required=False,
        max_length=200,
        label=_("Avsändare i klartext"),
        help_text=_("T.ex. NPO Hjärt- och kärlsjukdomar."),
    )
    sender_reference = forms.CharField(
        required=False, max_length=64, label=_("Remissinstansens diarienummer")
    )
    received_on = date_field(_("Inkom"), validators=[happened])
    reply_deadline = date_field(_("Svar senast (nationellt)"), validators=[planned])
    diary_number = forms.CharField(
        required=False,
        max_length=64,
        label=_("Diarienummer i regionens diarium"),
        help_text=_("Lämna tomt för att använda ärendets diarienummer."),
    )
    asks = forms.ChoiceField(
        choices=Asks.choices,
        initial=Asks.WHOLE,
        widget=forms.RadioSelect,
        label=_("Remissen gäller"),
    )
    questions = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        label=_("Frågor"),
        help_text=_("En fråga per rad, i den ordning remissinstansen ställer dem."),
    )
    responsible_lpo = forms.ModelChoiceField(
        Unit.objects.none(),
        label=_("Ansvarigt LPO"),
        error_messages={"required": _("Välj det LPO som ansvarar för ärendet.")},
    )
    concerned_lpos = forms.ModelMultipleChoiceField(
        Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Andra berörda LPO"),
    )
    strategist = PersonChoiceField(User.objects.none(), label=_("Ansvarig strateg"))
    municipal_coordinator = PersonChoiceField(
        User.objects.none(),
        required=False,
        label=_("Kommunernas samordnare"),
        empty_label=_("– Ingen –"),
        help_text=_("Får se remissen och registrera kommunernas bedömning."),
    )
    attachments = AttachmentsField(required=False, label=_("Bilagor"))

    def __init__(self, *args, region, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        lpos = Unit.objects.filter(region=region, kind=UnitKind.LPO, active=True)
        self.fields["responsible_lpo"].queryset = lpos
        self.fields["concerned_lpos"].queryset = lpos
        self.fields["strategist"].queryset = strategists_of(region)
        self.fields["municipal_coordinator"].queryset = municipal_people_of(region)
        if case is not None:
            # Registered in a case waiting for its remiss: the case's support, whatever is
            # posted (another one would open a case of its own, not be this case's remiss).
            supports = self.fields["knowledge_support"]
            supports.disabled = True
            supports.initial = case.knowledge_support_id
            supports.help_text = _("Ärendet gäller det här kunskapsstödet.")
            for name in ("new_title", "new_version", "new_type"):
                del self.fields[name]

    def clean(self):
        data = super().clean()
        received, deadline = data.get("received_on"), data.get("reply_deadline")
        if received and deadline and deadline < received:
            self.add_error(
                "reply_deadline",
                _("Svarsdatumet kan inte ligga före inkomstdatumet (%(date)s).")
                % {"date": received.isoformat()},
            )
        if received and received > timezone.localdate():
            self.add_error("received_on", _("Inkomstdatumet kan inte ligga i framtiden."))
        if data.get("asks") == Asks.QUESTIONS and not self.question_list():
            self.add_error("questions", _("Skriv minst en fråga, en per rad."))
        support = data.get("knowledge_support")
        title = (data.get("new_title") or "").strip()
        version = (data.get("new_version") or "").strip() or "1.0"
        if support is None and not title:
            self.add_error(
                "knowledge_support",
                _("Välj ett kunskapsstöd i katalogen eller skriv titeln på ett nytt."),
            )
        elif support is not None and title:
            self.add_error(
                "new_title",
                _("Välj antingen ett kunskapsstöd i katalogen eller ett nytt, inte båda."),
            )
        elif support is None:
            if not data.get("new_type"):
                self.add_error("new_type", _("Välj vilken typ av kunskapsstöd det är."))
            if KnowledgeSupport.objects.filter(title=title, version=version).exists():
                self.add_error(
                    "new_title",
                    _("%(title)s %(version)s finns redan i katalogen; välj det i listan.")
                    % {"title": title, "version": version},
                )
        return data

    def question_list(self):
        text = self.cleaned_data.get("questions") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def service_arguments(self):
        data = self.cleaned_data
        new_support = None
        if data["knowledge_support"] is None:
            new_support = {
                "title": data["new_title"].strip(),
                "version": (data["new_version"] or "").strip() or "1.0",
                "type": data["new_type"],
            }
        return {
            "knowledge_support": data["knowledge_support"],
            "new_support": new_support,
            "sender": data["sender"],
            "sender_name": data["sender_name"],
            "sender_reference": data["sender_reference"],
            "diary_number": data["diary_number"],
            "received_on": data["received_on"],
            "reply_deadline": data["reply_deadline"],
            "asks": data["asks"],
            "questions": self.question_list(),
            "responsible_lpo": data["responsible_lpo"],
            "concerned_lpos": list(data["concerned_lpos"]),
            "strategist": data["strategist"],
            "municipal_coordinator": data["municipal_coordinator"],
            "files": data["attachments"],
        }


class AttachmentsForm(common_forms.Form):
    attachments = AttachmentsField(required=True, label=_("Lägg till bilagor"))


class MunicipalAssessmentForm(common_forms.Form):
    concerned = forms.TypedChoiceField(
        label=_("Berör remissen kommunerna?"),
        choices=[("ja", _("Ja – hanteras gemensamt med kommunerna")), ("nej", _("Nej"))],
        coerce=lambda v: v == "ja",
        widget=forms.RadioSelect,
        error_messages={"required": _("Svara ja eller nej.")},
    )
    municipalities = forms.ModelMultipleChoiceField(
        Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Berörda kommuner"),
        help_text=_("Lämna tomt om alla länets kommuner berörs."),
    )
    assessment = forms.CharField(
        label=_("Bedömning"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Vad berör kommunerna, och vilka verksamheter eller MAS/MAR har bedömt det."),
        error_messages={"required": _("Beskriv kort vad bedömningen bygger på.")},
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = Municipality.objects.filter(region=region)
        self.fields["municipalities"].queryset = municipalities
        if not municipalities.exists():
            del self.fields["municipalities"]

    def service_arguments(self):
        data = dict(self.cleaned_data)
        data["municipalities"] = list(data.get("municipalities") or []) or None
        return data


class DistributeForm(common_forms.Form):
    lpos = forms.ModelMultipleChoiceField(
        Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Skicka till ordförande i"),
    )
    internal_deadline = date_field(
        _("Intern svarstid"),
        help_text=_("Före remissens svarsdatum, så att svaren hinner sammanställas."),
        validators=[planned],
    )
    municipal_representative = PersonChoiceField(
        User.objects.none(),
        required=False,
        label=_("Kommunernas svar lämnas av"),
        empty_label=_("– Kommunerna tillfrågas inte –"),
    )
    message = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Meddelande till ordförandena"),
    )

    def __init__(self, *args, remiss, **kwargs):
        super().__init__(*args, **kwargs)
        self.remiss = remiss
        region = remiss.case.region
        self.fields["lpos"].queryset = Unit.objects.filter(
            region=region, kind=UnitKind.LPO, active=True
        )
        self.fields["municipal_representative"].queryset = municipal_people_of(region)

    def clean(self):
        data = super().clean()
        deadline = data.get("internal_deadline")
        if deadline:
            if deadline < timezone.localdate():
                self.add_error(
                    "internal_deadline", _("Den interna svarstiden kan inte ligga bakåt i tiden.")
                )
            elif deadline >= self.remiss.reply_deadline:
                self.add_error(
                    "internal_deadline",
                    _("Den interna svarstiden måste ligga före remissens svarsdatum (%(date)s).")
                    % {"date": self.remiss.reply_deadline.isoformat()},
                )
        if not data.get("lpos") and not data.get("municipal_representative"):
            already = self.remiss.responses.exists()
            if not already:
                self.add_error("lpos", _("Välj minst ett LPO att skicka remissen till."))
        return data


class ExpertInviteForm(common_forms.Form):
    user = PersonChoiceField(
        User.objects.none(),
        label=_("Sakkunnig"),
        empty_label=_("– Välj person –"),
        error_messages={"required": _("Välj vem du vill bjuda in.")},
    )

    def __init__(self, *args, remiss, exclude=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people_of_region(remiss.case.region).exclude(
            pk__in=list(exclude)
        )


GENERAL = "allmant"


class CommentForm(common_forms.Form):
    target = forms.ChoiceField(label=_("Synpunkten gäller"))
    text = forms.CharField(
        label=_("Synpunkt"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Skriv din synpunkt.")},
    )

    def __init__(self, *args, questions, recommendations, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = {f"fraga-{q.pk}": q for q in questions}
        self.recommendations = {f"rek-{r.pk}": r for r in recommendations}
        choices = [(GENERAL, _("Kunskapsstödet i stort"))]
        if self.questions:
            choices.append(
                (
                    _("Remissens frågor"),
                    [(k, f"{q.number}. {shortened(q.text)}") for k, q in self.questions.items()],
                )
            )
        if self.recommendations:
            choices.append(
                (
                    _("Rekommendationer"),
                    [
                        (k, f"{r.number}. {shortened(r.text)}")
                        for k, r in self.recommendations.items()
                    ],
                )
            )
        self.fields["target"].choices = choices

    def targets(self):
        key = self.cleaned_data["target"]
        return {
            "question": self.questions.get(key),
            "recommendation": self.recommendations.get(key),
        }


class CommentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.target_label}: {obj.text} ({obj.author})"


# An answer to a consultation may run to many pages; every other text has the product's limit
# (common.forms).
MAX_ANSWER = 50_000


class ResponseForm(common_forms.Form):
    text = forms.CharField(
        required=False,
        max_length=MAX_ANSWER,
        label=_("LPO:ts svar"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Sammanfatta LPO:ts ståndpunkt. Synpunkterna du tar med följer med svaret."),
    )
    included = CommentChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Synpunkter som tas med i LPO:ts svar"),
    )

    def __init__(self, *args, comments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["included"].queryset = comments
        if not comments:
            del self.fields["included"]

    def included_ids(self):
        return [c.pk for c in self.cleaned_data.get("included", [])]


class CompileForm(common_forms.Form):
    """The region's answer and one disposition (with reason) per comment that reached it."""

    answer_text = forms.CharField(
        required=False,
        max_length=MAX_ANSWER,
        label=_("Regionens svar"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Det sammanställda svaret som skickas till remissinstansen."),
    )

    def __init__(self, *args, comments, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.comments = comments
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"answer_{question.pk}"] = forms.CharField(
                required=False,
                label=_("Svar på fråga %(n)s") % {"n": question.number},
                widget=forms.Textarea(attrs={"rows": 4}),
                initial=question.answer,
            )
        for number, comment in enumerate(comments, start=1):
            comment.form_number = number
            self.fields[f"disposition_{comment.pk}"] = forms.ChoiceField(
                required=False,
                choices=Disposition.choices,
                widget=forms.RadioSelect,
                label=_("Hantering av synpunkt %(n)s") % {"n": number},
                initial=comment.disposition,
            )
            self.fields[f"reason_{comment.pk}"] = forms.CharField(
                required=False,
                label=_("Motivering till synpunkt %(n)s") % {"n": number},
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=comment.disposition_reason,
            )

    def attach_fields(self):
        """Give each comment its two bound fields and each question its answer's, for the
        template that lays them out."""
        for comment in self.comments:
            comment.disposition_field = self[f"disposition_{comment.pk}"]
            comment.reason_field = self[f"reason_{comment.pk}"]
        for question in self.questions:
            question.answer_field = self[f"answer_{question.pk}"]

    def answers(self):
        return {q.pk: self.cleaned_data.get(f"answer_{q.pk}") or "" for q in self.questions}

    def dispositions(self):
        return {
            c.pk: (
                self.cleaned_data.get(f"disposition_{c.pk}") or "",
                self.cleaned_data.get(f"reason_{c.pk}") or "",
            )
            for c in self.comments
        }


class SendForm(common_forms.Form):
    sent_on = date_field(_("Skickat datum"), validators=[happened])
    registry_reference = forms.CharField(
        max_length=64,
        label=_("Diarienummer för svaret"),
        error_messages={"required": _("Ange diarienumret som svaret registrerades med.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sent_on"].initial = timezone.localdate()

    def clean_sent_on(self):
        day = self.cleaned_data["sent_on"]
        if day > timezone.localdate():
            raise ValidationError(_("Datumet då svaret skickades kan inte ligga i framtiden."))
        return day


class DeclineForm(common_forms.Form):
    reason = forms.CharField(
        label=_("Skäl att avstå"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Ange varför regionen avstår från att svara.")},
    )
