"""Make an API key for a member's organization from the command line (for scripts,
CI and first setup); members normally make keys on their account's page."""

from django.core.management.base import BaseCommand, CommandError

from exchange.backends import normalize_login
from exchange.models import ApiKey, User
from integrations.services import create_api_key


class Command(BaseCommand):
    help = "Create an API key for the organization of the given member; prints the key once."

    def add_arguments(self, parser):
        parser.add_argument("login", help="the member's e-mail or phone")
        parser.add_argument("--name", default="command line")
        parser.add_argument("--scope", choices=ApiKey.Scope.values, default=ApiKey.Scope.WRITE)

    def handle(self, *args, login, name, scope, **options):
        lookup = normalize_login(login)
        user = User.objects.filter(**lookup).first() if lookup else None
        if user is None or not (user.agency_id or user.employer_id):
            raise CommandError(f"{login} is not a member of an agency or employer")
        _key, raw = create_api_key(by=user, name=name, scope=scope)
        self.stdout.write(raw)
