from django.apps import AppConfig


class FleetsiteConfig(AppConfig):
    name = "fleetsite"
