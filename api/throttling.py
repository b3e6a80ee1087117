"""Rate limits per user (settings `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`, env API_RATE)."""

from django.core.cache import caches
from rest_framework.throttling import UserRateThrottle


class ApiUserRateThrottle(UserRateThrottle):
    """Requests per user, counted in the cache `api` (Redis when REDIS_URL is set, so every
    web process counts the same requests)."""

    cache = caches["api"]
    scope = "user"
