from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "facetcare.accounts"
    label = "accounts"
    verbose_name = "Sign-in security"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from facetcare.accounts import checks  # noqa: F401 (registers the deploy checks)
        from facetcare.accounts.middleware import remember_sign_in

        user_logged_in.connect(remember_sign_in, dispatch_uid="accounts-remember-sign-in")
