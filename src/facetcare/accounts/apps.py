from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "facetcare.accounts"
    label = "accounts"
    verbose_name = "Sign-in security"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from facetcare.accounts import checks  # noqa: F401 (registers the deploy checks)
        from facetcare.accounts.middleware import forget_second_factor_check

        user_logged_in.connect(forget_second_factor_check, dispatch_uid="accounts-2fa-recheck")
