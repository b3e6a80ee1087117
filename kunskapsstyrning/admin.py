from django.contrib import admin
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import (
    Case,
    CaseEvent,
    Decision,
    DecisionRule,
    Document,
    Indicator,
    KnowledgeSupport,
    Notification,
    Recommendation,
)


class RecommendationInline(admin.TabularInline):
    model = Recommendation
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(KnowledgeSupport)
class KnowledgeSupportAdmin(admin.ModelAdmin):
    list_display = ["title", "version", "type", "npo", "national_status"]
    list_filter = ["type", "national_status"]
    search_fields = ["title"]
    autocomplete_fields = ["replaces", "npo"]
    inlines = [RecommendationInline, IndicatorInline]


@admin.register(DecisionRule)
class DecisionRuleAdmin(admin.ModelAdmin):
    """Who decides BP1–BP3 in each region: kept by the administrator."""

    list_display = ["region", "point", "applies_to", "deciding_body", "preparing_body"]
    list_filter = ["region", "point", "applies_to"]
    autocomplete_fields = ["deciding_body", "preparing_body"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Cases, decisions and documents change only through the services: the admin reads."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    fields = ["at", "kind", "from_state", "to_state", "actor", "message"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["registry_number", "knowledge_support", "region", "responsible_lpo", "state"]
    list_filter = ["state", "region", "joint"]
    search_fields = ["registry_number", "knowledge_support__title"]
    list_select_related = ["knowledge_support", "region", "responsible_lpo"]
    inlines = [CaseEventInline]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["case", "point", "outcome", "deciding_body", "decided_by", "decided_on"]
    list_filter = ["point", "outcome"]
    search_fields = ["case__registry_number"]
    list_select_related = ["case__knowledge_support", "deciding_body", "decided_by"]


class DocumentReadyFilter(admin.SimpleListFilter):
    """The documents that are not ready: what the administrator looks for first."""

    title = _("klar")
    parameter_name = "klar"

    def lookups(self, request, model_admin):
        return [("nej", _("Inte klara")), ("ja", _("Klara"))]

    def queryset(self, request, queryset):
        if self.value() == "nej":
            return queryset.exclude(status=Document.Status.READY)
        if self.value() == "ja":
            return queryset.filter(status=Document.Status.READY)
        return queryset


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = [
        "case",
        "kind",
        "version",
        "status",
        "requested_at",
        "attempts",
        "why_not_ready",
        "pages",
        "size",
        "finished_at",
    ]
    list_filter = [DocumentReadyFilter, "kind", "status"]
    search_fields = ["case__registry_number", "sha256"]
    list_select_related = ["case__knowledge_support"]

    @admin.display(description=_("varför inte klart"))
    def why_not_ready(self, document):
        return document.not_ready_reason()


class NotificationMailedFilter(admin.SimpleListFilter):
    """Whether a notification's e-mail went out: what support looks for when someone says they
    were never told. A notification with no e-mail of its own (a part decided: the home page
    only; a national decision: mailed in its own words by its task) is stamped as mailed when
    it is made (`notifications.notify`), at the moment it was made."""

    title = _("e-post")
    parameter_name = "mejlat"

    def lookups(self, request, model_admin):
        return [
            ("nej", _("Väntar på mejl")),
            ("ja", _("Mejlat")),
            ("utan", _("Utan eget mejl")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "nej":
            return queryset.filter(emailed_at__isnull=True)
        if self.value() == "ja":
            return queryset.filter(emailed_at__gt=F("created_at"))
        if self.value() == "utan":
            return queryset.filter(emailed_at=F("created_at"))
        return queryset


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Who was told what and when, and whether it was mailed and read (written only by
    kunskapsstyrning.notifications)."""

    # Narrow columns around the message (the kind is a filter, the moments are on each
    # notification's own page): the list fits beside the navigation at 1280 pixels instead
    # of scrolling sideways.
    list_display = ["created", "to", "registry_number", "text", "delivered"]
    list_filter = ["kind", NotificationMailedFilter]
    search_fields = ["recipient__username", "recipient__email", "case__registry_number", "text"]
    list_select_related = ["recipient", "case"]
    date_hierarchy = "created_at"

    @admin.display(description=_("skapat"), ordering="created_at")
    def created(self, notification):
        return timezone.localtime(notification.created_at).strftime("%Y-%m-%d %H:%M")

    @admin.display(description=_("e-post, läst"), ordering="emailed_at")
    def delivered(self, notification):
        if notification.emailed_at is None:
            mail = _("väntar på mejl")
        elif notification.emailed_at == notification.created_at:
            mail = _("utan eget mejl")
        else:
            mail = _("mejlat")
        return f"{mail}, {_('läst') if notification.read_at else _('oläst')}"

    @admin.display(description=_("mottagare"), ordering="recipient__last_name")
    def to(self, notification):
        return notification.recipient.get_full_name() or notification.recipient.username

    @admin.display(description=_("ärende"), ordering="case__registry_number")
    def registry_number(self, notification):
        return notification.case.registry_number
