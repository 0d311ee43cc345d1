"""``facetcare apitoken issue USERNAME --name NAME`` and ``facetcare apitoken revoke ID``."""

from argparse import ArgumentParser
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from facetcare.errors import InvalidInput
from facetcare.web.models import ApiToken
from facetcare.web.services import issue_api_token, revoke_api_token


class Command(BaseCommand):
    help = "Issue a staff API token (its key is printed once) or revoke one."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        issue = actions.add_parser("issue", help="issue a token for a staff member")
        issue.add_argument("username")
        issue.add_argument("--name", required=True, help="what the token is for")
        revoke = actions.add_parser("revoke", help="revoke a token by its id")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "issue":
            self._issue(options["username"], options["name"])
        else:
            self._revoke(options["token_id"])

    def _issue(self, username: str, name: str) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"username: no user called {username!r}")
        try:
            token, raw = issue_api_token(user=user, name=name)
        except InvalidInput as refused:
            raise CommandError(f"{refused.field}: {refused.detail}") from None
        self.stderr.write(f"Token {token.pk} issued for {username}; it will not be shown again.")
        self.stdout.write(raw)

    def _revoke(self, token_id: int) -> None:
        token = ApiToken.objects.filter(pk=token_id).first()
        if token is None:
            raise CommandError(f"token_id: no token {token_id}")
        revoke_api_token(token=token)
        self.stdout.write(f"Token {token_id} ({token}) is revoked.")
