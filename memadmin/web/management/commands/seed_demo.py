"""`manage.py seed_demo`: demo users and content for local use; refused with DEBUG off."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from memadmin.accounts.services import DEMO_PASSWORD
from memadmin.web.demo import seed_demo_content


class Command(BaseCommand):
    help = "Create the demo users and demo content (local use only: refused when DEBUG is off)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Demo data is for local use only and is never created with DEBUG off."
            )
        for line in seed_demo_content():
            self.stdout.write(f"Demo {line}")
        self.stdout.write(f"Demo users sign in with password: {DEMO_PASSWORD}")
