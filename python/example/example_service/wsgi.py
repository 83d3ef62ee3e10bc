"""WSGI entry point, e.g. ``gunicorn example_service.wsgi`` (run from python/example)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_service.settings")

application = get_wsgi_application()
