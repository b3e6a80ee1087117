"""Test settings: fast hashing, in-memory mail, eager tasks unless a test asks for the worker."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403 (a settings module extends its base wholesale)
from .base import DATABASES, REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Unit tests run tasks in process; tests marked `worker` switch this off and use REDIS_URL.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
AXES_ENABLED = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Tests open threads with their own connections; keeping them open would leak them.
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# Documents and attachments written by tests go to a throwaway folder, not the project's media.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="kunskapsstyrning-test-media-"))
# The seal's demonstration certificate, made once per run (root conftest.py).
_SEAL_DIR = Path(tempfile.mkdtemp(prefix="kunskapsstyrning-test-seal-"))
DOCUMENT_SEAL_CERT = _SEAL_DIR / "cert.pem"
DOCUMENT_SEAL_KEY = _SEAL_DIR / "key.pem"
# The API's rate counts stay in the test process (a Redis database outlives the run, and the
# next run's users have the same ids).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "api": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api"},
}
