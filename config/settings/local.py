"""Laptop and `make run`: everything from base. DJANGO_DEBUG=true shows Django's debug pages."""

from .base import *  # noqa: F403 (a settings module extends its base wholesale)
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=False)
