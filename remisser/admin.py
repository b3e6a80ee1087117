from django.contrib import admin

from .models import (
    Comment,
    Reminder,
    Remiss,
    RemissAccess,
    RemissAttachment,
    RemissQuestion,
    Response,
)


class QuestionInline(admin.TabularInline):
    model = RemissQuestion
    extra = 0


class AttachmentInline(admin.TabularInline):
    model = RemissAttachment
    extra = 0
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # uploads are checked by content on the round's page.


class ResponseInline(admin.TabularInline):
    model = Response
    extra = 0
    fields = ["kind", "lpo", "respondent", "submitted_at", "submitted_by"]
    readonly_fields = ["submitted_at", "submitted_by"]


class AccessInline(admin.TabularInline):
    model = RemissAccess
    extra = 0
    fields = ["user", "kind", "response", "invited_by", "invited_at", "revoked_at"]
    autocomplete_fields = ["user"]


@admin.register(Remiss)
class RemissAdmin(admin.ModelAdmin):
    list_display = [
        "case",
        "sender",
        "received_on",
        "reply_deadline",
        "internal_deadline",
        "status",
    ]
    list_filter = ["status", "sender", "case__region"]
    search_fields = ["case__registry_number", "case__knowledge_support__title", "diary_number"]
    list_select_related = ["case", "case__knowledge_support"]
    readonly_fields = [
        "case",
        "status",
        "created_by",
        "created_at",
        "distributed_at",
        "closed_at",
        "closed_by",
        "municipal_assessed_by",
        "municipal_assessed_at",
    ]
    inlines = [QuestionInline, AttachmentInline, ResponseInline, AccessInline]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["response", "author", "included", "disposition", "created_at"]
    list_filter = ["disposition", "included"]
    list_select_related = ["response__lpo", "response__remiss__case", "author"]
    raw_id_fields = ["response", "question", "recommendation"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["remiss", "user", "sent_at"]
    list_select_related = ["remiss__case__knowledge_support", "user"]
    readonly_fields = ["remiss", "user", "sent_at"]
