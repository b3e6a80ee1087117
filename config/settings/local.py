"""Laptop and `make run`: everything from base, DEBUG on unless the environment says otherwise."""

from .base import *  # noqa: F403 (a settings module extends its base wholesale)
from .base import env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
