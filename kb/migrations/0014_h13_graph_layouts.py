"""Stored graph layouts (H13: graphs laid out once, kb.models.layouts)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0013_h9_annotation_source_per_creator"),
    ]

    operations = [
        migrations.CreateModel(
            name="GraphLayout",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=200, unique=True)),
                ("fingerprint", models.CharField(max_length=64)),
                ("pending", models.CharField(blank=True, max_length=64)),
                ("positions", models.JSONField(default=dict)),
                ("width", models.PositiveIntegerField(default=0)),
                ("height", models.PositiveIntegerField(default=0)),
                ("computed_at", models.DateTimeField()),
            ],
        ),
    ]
