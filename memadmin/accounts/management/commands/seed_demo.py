"""`manage.py seed_demo`: demo users for local use; refuses to run with DEBUG off."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from memadmin.accounts import services


class Command(BaseCommand):
    help = "Create the demo users (local use only: refused when DEBUG is off)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Demo data is for local use only and is never created with DEBUG off."
            )
        names = services.seed_demo_users()
        self.stdout.write(f"Demo users: {', '.join(names)} (password: {services.DEMO_PASSWORD})")
