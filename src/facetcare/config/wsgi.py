"""WSGI entry point (gunicorn facetcare.config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "facetcare.config.settings")
application = get_wsgi_application()

from facetcare.config.heap import load_and_freeze  # noqa: E402  (needs the app loaded)

load_and_freeze()
