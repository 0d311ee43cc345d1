"""WSGI entry point (gunicorn facetcare.config.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "facetcare.config.settings")
application = get_wsgi_application()
