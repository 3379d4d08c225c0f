"""WSGI entry point for gunicorn, waitress and Django's runserver."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "memadmin.settings")
application = get_wsgi_application()
