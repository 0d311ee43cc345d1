"""API rate limits: per staff token, and per client address for calls without one.

Counts are kept in the configured cache (Redis in production, so every worker
shares them; process memory in the embedded tier) in fixed windows, as
django-ratelimit counts the public pages: one atomic increment per call. A call
over the limit gets 429 with ``Retry-After``, the seconds until the window ends.
The switch that turns the public pages' limits off (``RATELIMIT_ENABLE``) turns
these off too.
"""

import math
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

from facetcare.config.proxies import client_address
from facetcare.web.auth import bearer_token
from facetcare.web.models import hash_token

_PERIOD_S = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def parse_rate(rate: str) -> tuple[int, int]:
    """``"600/m"`` → (600, 60); ``"20/5m"`` → (20, 300). Raises ValueError on anything else."""
    count, _, per = rate.partition("/")
    unit = per[-1:]
    if unit not in _PERIOD_S or not count.isdigit():
        raise ValueError(f"A rate is 'N/s', 'N/m', 'N/h' or 'N/d', got {rate!r}")
    multiple = int(per[:-1]) if per[:-1] else 1
    return int(count), multiple * _PERIOD_S[unit]


def token_key(request: HttpRequest) -> str | None:
    raw = bearer_token(request)
    return None if raw is None else hash_token(raw)


def anonymous_read_key(request: HttpRequest) -> str | None:
    if bearer_token(request) is not None or request.method not in _SAFE_METHODS:
        return None
    return client_address(request)


def anonymous_write_key(request: HttpRequest) -> str | None:
    if bearer_token(request) is not None or request.method in _SAFE_METHODS:
        return None
    return client_address(request)


class _Refusal(threading.local):
    wait: float | None = None


class WindowThrottle(BaseThrottle):
    """Up to the rate named by ``rate_setting`` per key in each fixed window.

    ``key`` picks what is counted (a token's hash, an address) or returns None for
    requests this throttle does not count. The rate is read from settings on every
    call. Ninja keeps one instance for every request, so the wait for a refused
    request is kept per thread, not on the instance.
    """

    def __init__(
        self, *, scope: str, rate_setting: str, key: Callable[[HttpRequest], str | None]
    ) -> None:
        self.scope = scope
        self.rate_setting = rate_setting
        self.key = key
        self._refusal = _Refusal()

    def allow_request(self, request: HttpRequest) -> bool:
        rate = getattr(settings, self.rate_setting)
        ident = self.key(request)
        if not settings.RATELIMIT_ENABLE or not rate or ident is None:
            return True
        limit, period = parse_rate(rate)
        now = time.time()
        window = int(now // period)
        cache_key = f"api-throttle:{self.scope}:{ident}:{period}:{window}"
        count = 1 if cache.add(cache_key, 1, period + 1) else _increment(cache_key, period)
        if count <= limit:
            return True
        self._refusal.wait = (window + 1) * period - now
        return False

    def wait(self) -> float | None:
        wait = self._refusal.wait
        return None if wait is None else max(1, math.ceil(wait))


def _increment(cache_key: str, period: int) -> int:
    try:
        return cache.incr(cache_key)
    except ValueError:  # the window's entry expired between add and incr
        cache.set(cache_key, 1, period + 1)
        return 1


API_THROTTLES: list[BaseThrottle] = [
    WindowThrottle(scope="token", rate_setting="FACETCARE_API_TOKEN_RATE", key=token_key),
    WindowThrottle(scope="read", rate_setting="FACETCARE_PUBLIC_RATE", key=anonymous_read_key),
    WindowThrottle(
        scope="write", rate_setting="FACETCARE_PUBLIC_WRITE_RATE", key=anonymous_write_key
    ),
]
