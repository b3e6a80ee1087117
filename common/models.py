import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

PENDING_IMPORT_LIFETIME = timedelta(minutes=30)


class PendingImportQuerySet(models.QuerySet):
    def keep(self, *, owner, kind: str, target_id: int, name: str, payload) -> "PendingImport":
        """Store what a confirmed import will apply; older previews of the same kind go."""
        now = timezone.now()
        self.filter(models.Q(expires_at__lte=now) | models.Q(owner=owner, kind=kind)).delete()
        return self.create(
            owner=owner,
            kind=kind,
            target_id=target_id,
            name=name[:200],
            payload=payload,
            expires_at=now + PENDING_IMPORT_LIFETIME,
        )

    def take(self, *, owner, kind: str, target_id: int, pk):
        """The payload of a preview that is still valid, removed as it is taken; or None."""
        try:
            pk = uuid.UUID(str(pk))
        except ValueError:
            return None
        pending = self.filter(
            pk=pk, owner=owner, kind=kind, target_id=target_id, expires_at__gt=timezone.now()
        ).first()
        if pending is None:
            return None
        # Taken once: of two confirmations at the same moment (two tabs, a double click) only
        # the one whose delete removed the row applies it; the other finds it gone.
        deleted, _rows = self.filter(pk=pending.pk).delete()
        return pending.payload if deleted else None


class PendingImport(models.Model):
    """A previewed import waiting for the person's confirmation, kept on the server.

    The session holds only this row's id, so a large preview never rides along with every
    request; it expires after PENDING_IMPORT_LIFETIME.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    target_id = models.PositiveBigIntegerField()
    name = models.CharField(max_length=200, blank=True)
    payload = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    objects = PendingImportQuerySet.as_manager()

    def __str__(self):
        return f"{self.kind} {self.target_id} ({self.name})"
