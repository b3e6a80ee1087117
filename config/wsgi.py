import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

application = get_wsgi_application()

# What is loaded by now (settings, apps, models: some 80,000 objects) lives as long as the
# worker. Frozen, the garbage collector's full passes no longer walk it all while a request
# waits: 2.9 -> 0.7 ms a request on a gap analysis of 300 rows, which allocates enough to
# trigger them.
gc.freeze()
