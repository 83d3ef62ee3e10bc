from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("asymmetric_jwt_auth", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="publickey",
            name="comment",
            field=models.CharField(default="", help_text="Comment describing this key", max_length=100),
            preserve_default=False,
        ),
    ]
