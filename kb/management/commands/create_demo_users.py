"""manage.py create_demo_users: one demo account per role, for local use; prints the credentials."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from kb.lib import roles
from kb.services.users import user_ensure

DEMO = [
    ("scholar", "scholar-tanyuan-demo", roles.SCHOLAR),
    ("editor", "editor-tanyuan-demo", roles.EDITOR),
    ("admin", "admin-tanyuan-demo", roles.ADMIN),
]


class Command(BaseCommand):
    help = "Create demo accounts scholar/editor/admin (local development only) and print their passwords."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="allow with DEBUG off")

    def handle(self, *args, force: bool = False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "demo accounts have well-known passwords: refusing with DEBUG off (use --force)"
            )
        self.stdout.write("Demo accounts (username / password / role):")
        for username, password, role in DEMO:
            _, created = user_ensure(username=username, password=password, role=role)
            note = "" if created else "  (existed; password unchanged)"
            self.stdout.write(f"  {username:8} {password:22} {role}{note}")
