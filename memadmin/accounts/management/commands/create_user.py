"""`manage.py create_user NAME --role Operator`: a user with one role."""

import getpass

from django.core.management.base import BaseCommand, CommandError

from memadmin.accounts import services
from memadmin.accounts.roles import ROLES


class Command(BaseCommand):
    help = "Create or update a user and give them exactly one role."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=ROLES)
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password",
            help="Prompted for when omitted; passing it on the command line leaves it in history.",
        )

    def handle(self, *args, username, role, email, password, **options):
        if not password:
            password = getpass.getpass(f"Password for {username}: ")
        if len(password) < 8:
            raise CommandError("The password must be at least 8 characters long.")
        services.create_user_with_role(username=username, password=password, role=role, email=email)
        self.stdout.write(self.style.SUCCESS(f"{username} is now a {role}."))
