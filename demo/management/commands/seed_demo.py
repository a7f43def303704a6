from django.core.management.base import BaseCommand

from demo import data, seed


class Command(BaseCommand):
    help = "Load the demo organisations, users and territory directories (idempotent)."

    def handle(self, *args, **options) -> None:
        orgs = seed.seed()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(orgs)} organisations."))
        self.stdout.write(f"Demo logins (password for all: {data.DEMO_PASSWORD}):")
        for user in data.USERS:
            roles = ", ".join(f"{role.label} @ {slug}" for slug, role in user.roles.items())
            self.stdout.write(f"  {user.email:<30} {roles}")
