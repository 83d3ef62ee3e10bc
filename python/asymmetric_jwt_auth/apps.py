from django.apps import AppConfig


class JWTAuthConfig(AppConfig):
    name = "asymmetric_jwt_auth"
    verbose_name = "Asymmetric Key Authentication"
    # The migrations create AutoField ids; pinning it here keeps makemigrations quiet on projects whose
    # DEFAULT_AUTO_FIELD is BigAutoField.
    default_auto_field = "django.db.models.AutoField"
