# Schema identical to asymmetric-jwt-auth 1.x's migration of the same name, so databases created by
# either package are interchangeable.
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PublicKey",
            fields=[
                ("id", models.AutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("key", models.TextField(help_text="The user's RSA public key")),
                (
                    "user",
                    models.ForeignKey(on_delete=models.CASCADE, related_name="public_keys", to=settings.AUTH_USER_MODEL),
                ),
            ],
        ),
    ]
