"""Admin for staff API tokens: issue one (its key shown once), see when each was
last used, and revoke."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest

from facetcare.errors import InvalidInput
from facetcare.web.models import ApiToken
from facetcare.web.services import check_token_request, issue_api_token, revoke_api_token


class IssueTokenForm(forms.ModelForm):  # type: ignore[type-arg]
    """Who the token is for and what it is called, checked as the service checks them."""

    class Meta:
        model = ApiToken
        fields = ["user", "name"]

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        user, name = cleaned.get("user"), cleaned.get("name")
        if user is not None and name is not None:
            try:
                check_token_request(user=user, name=name)
            except InvalidInput as refused:
                self.add_error(
                    refused.field if refused.field in self.fields else None, refused.detail
                )
        return cleaned


_SHOWN = ("name", "user", "created_at", "last_used_at", "revoked")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = _SHOWN
    list_filter = ["revoked"]
    search_fields = ["name", "user__username"]
    list_select_related = ["user"]
    actions = ["revoke"]

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = IssueTokenForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ["user", "name"]
        return _SHOWN

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A token is issued, used and revoked (the list's action), never edited, so
        # its page is for viewing only: the admin then shows every field read-only.
        return False

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user":
            kwargs["queryset"] = get_user_model().objects.filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        token, raw = issue_api_token(user=obj.user, name=obj.name)
        # The admin logs the addition and redirects with ``obj``: make it the saved row.
        obj.pk, obj.key_hash, obj.created_at = token.pk, token.key_hash, token.created_at
        obj._state.adding = False
        self.message_user(
            request,
            f"Token issued for {token.user}. Copy it now; it will not be shown again: {raw}",
            messages.WARNING,
        )

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        live = list(queryset.filter(revoked=False))
        for token in live:
            revoke_api_token(token=token)
        self.message_user(request, f"Revoked {len(live)} token(s).", messages.SUCCESS)
