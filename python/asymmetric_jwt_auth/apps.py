from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class JWTAuthConfig(AppConfig):
    name = "asymmetric_jwt_auth"
    verbose_name = "Asymmetric Key Authentication"
    # The migrations create AutoField ids; pinning it here keeps makemigrations quiet on projects whose
    # DEFAULT_AUTO_FIELD is BigAutoField.
    default_auto_field = "django.db.models.AutoField"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from . import checks  # noqa: F401 - registers the system checks
        from .models import JWKSEndpointTrust, PublicKey
        from .signals import retire_cached_auth

        for model in (get_user_model(), PublicKey, JWKSEndpointTrust):
            post_save.connect(retire_cached_auth, sender=model, dispatch_uid=f"asymmetric_jwt_auth.save.{model.__name__}")
            post_delete.connect(retire_cached_auth, sender=model, dispatch_uid=f"asymmetric_jwt_auth.delete.{model.__name__}")
