"""Optimistic locking (a ``version`` column on annotations, evidence, claims, concepts and
cross-references, and on their history) and the history of concepts, seeded with one
"created" version of each existing concept so that its first edit has something to diff against."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def seed_concept_history(apps, schema_editor):
    from django.utils import timezone

    Concept = apps.get_model("kb", "Concept")
    Historical = apps.get_model("kb", "HistoricalConcept")
    Broader = apps.get_model("kb", "HistoricalConcept_broader")
    Link = Concept.broader.through
    now = timezone.now()
    fields = [f.attname for f in Concept._meta.concrete_fields]
    for concept in Concept.objects.all().iterator():
        record = Historical.objects.create(
            **{name: getattr(concept, name) for name in fields},
            history_date=now,
            history_type="+",
            history_change_reason="history started",
        )
        Broader.objects.bulk_create(
            [
                Broader(
                    history=record, id=link.pk, from_concept_id=concept.pk, to_concept_id=link.to_concept_id
                )
                for link in Link.objects.filter(from_concept_id=concept.pk)
            ]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("kb", "0007_concept_polyhierarchy"),
        ("papers", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="annotation",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name="claim",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name="concept",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name="crossreference",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name="evidence",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name="historicalannotation",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name="historicalclaim",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name="historicalcrossreference",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.AddField(
            model_name="historicalevidence",
            name="version",
            field=models.PositiveIntegerField(default=1, editable=False),
        ),
        migrations.CreateModel(
            name="HistoricalConcept",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("label_zh", models.CharField(db_index=True, max_length=200, verbose_name="中文名")),
                ("label_en", models.CharField(blank=True, max_length=200, verbose_name="英文名")),
                ("slug", models.SlugField(allow_unicode=True, max_length=200)),
                ("aliases", models.JSONField(blank=True, default=list, verbose_name="别名")),
                ("definition", models.TextField(blank=True, verbose_name="定义")),
                (
                    "definition_quote",
                    models.CharField(blank=True, max_length=200, verbose_name="定义出处引文"),
                ),
                ("group", models.CharField(blank=True, db_index=True, max_length=40, verbose_name="分组")),
                ("created_at", models.DateTimeField(blank=True, editable=False)),
                ("updated_at", models.DateTimeField(blank=True, editable=False)),
                ("version", models.PositiveIntegerField(default=1, editable=False)),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "definition_source",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="papers.passage",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "merged_into",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="kb.concept",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical 概念",
                "verbose_name_plural": "historical 概念",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="HistoricalConcept_broader",
            fields=[
                (
                    "id",
                    models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID"),
                ),
                ("m2m_history_id", models.AutoField(primary_key=True, serialize=False)),
                (
                    "from_concept",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="kb.concept",
                    ),
                ),
                (
                    "history",
                    models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        to="kb.historicalconcept",
                    ),
                ),
                (
                    "to_concept",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_tablespace="",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="kb.concept",
                    ),
                ),
            ],
            options={
                "verbose_name": "HistoricalConcept_broader",
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(seed_concept_history, migrations.RunPython.noop),
    ]
