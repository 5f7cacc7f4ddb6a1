"""One imported copy of a source annotation per importing user (H9: Hypothesis and W3C import)."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("kb", "0012_citations"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="annotation", name="annotation_unique_source_id"),
        migrations.AddConstraint(
            model_name="annotation",
            constraint=models.UniqueConstraint(
                condition=models.Q(("source_id", ""), _negated=True),
                fields=("creator", "source_name", "source_id"),
                name="annotation_unique_source_id",
            ),
        ),
    ]
