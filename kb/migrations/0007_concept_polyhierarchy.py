"""Concepts may have several broader concepts (SKOS polyhierarchy): the foreign key becomes a
many-to-many relation, each existing link kept."""

from django.db import migrations, models


def forward(apps, schema_editor):
    Concept = apps.get_model("kb", "Concept")
    Link = Concept.broader_many.through
    Link.objects.bulk_create(
        [
            Link(from_concept_id=pk, to_concept_id=broader_id)
            for pk, broader_id in Concept.objects.exclude(broader=None).values_list("pk", "broader_id")
        ]
    )


def backward(apps, schema_editor):
    # Back to one broader concept: the first by label, as the polyhierarchy cannot be kept.
    Concept = apps.get_model("kb", "Concept")
    for concept in Concept.objects.all():
        first = concept.broader_many.order_by("label_zh").first()
        if first is not None:
            Concept.objects.filter(pk=concept.pk).update(broader=first)


class Migration(migrations.Migration):
    dependencies = [("kb", "0006_upload_publishing_state")]

    operations = [
        migrations.AddField(
            model_name="concept",
            name="broader_many",
            field=models.ManyToManyField(blank=True, related_name="narrower_many", to="kb.concept"),
        ),
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="concept", name="broader"),
        migrations.RenameField(model_name="concept", old_name="broader_many", new_name="broader"),
        migrations.AlterField(
            model_name="concept",
            name="broader",
            field=models.ManyToManyField(
                blank=True, related_name="narrower", to="kb.concept", verbose_name="上位概念"
            ),
        ),
    ]
