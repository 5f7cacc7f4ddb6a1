"""Document frequencies of concepts and the profile count, stored beside the token ones.

The cross-reference suggestions read them from ``TermStat`` (keys ``#c<id>`` and
``#profiles``) instead of counting over the whole library on every load. This fills
them in once for profiles built before.
"""

from collections import Counter

from django.db import migrations


def fill(apps, schema_editor):
    PassageProfile = apps.get_model("kb", "PassageProfile")
    TermStat = apps.get_model("kb", "TermStat")
    counts: Counter = Counter()
    for concepts in PassageProfile.objects.values_list("concepts", flat=True).iterator(chunk_size=2000):
        counts["#profiles"] += 1
        counts.update(f"#c{c}" for c in concepts)
    TermStat.objects.filter(term__startswith="#").delete()
    TermStat.objects.bulk_create([TermStat(term=k, df=v) for k, v in counts.items()], batch_size=1000)


def empty(apps, schema_editor):
    apps.get_model("kb", "TermStat").objects.filter(term__startswith="#").delete()


class Migration(migrations.Migration):
    dependencies = [("kb", "0009_groups_colours_stance_tokens")]

    operations = [migrations.RunPython(fill, empty)]
