"""Pages and regions of passages, pages and removed lines of revisions, document type of papers.

Text and Markdown sources have no pages: the page numbers earlier versions gave their
passages and footnotes (counted from form feeds or line blocks) are cleared. Going back
leaves them cleared: they were never real pages.
"""

from django.db import migrations, models

NO_PAGES = ("txt", "md", "docx")


def clear_fake_pages(apps, schema_editor):
    Passage = apps.get_model("papers", "Passage")
    Footnote = apps.get_model("papers", "Footnote")
    for model in (Passage, Footnote):
        model.objects.filter(revision__source__format__in=NO_PAGES).exclude(page=None).update(page=None)


class Migration(migrations.Migration):
    dependencies = [
        ("papers", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="paper",
            name="advisor",
            field=models.CharField(blank=True, max_length=200, verbose_name="导师"),
        ),
        migrations.AddField(
            model_name="paper",
            name="degree",
            field=models.CharField(blank=True, max_length=100, verbose_name="学位"),
        ),
        migrations.AddField(
            model_name="paper",
            name="doc_type",
            field=models.CharField(
                choices=[
                    ("article", "期刊论文"),
                    ("thesis", "学位论文"),
                    ("preprint", "预印本"),
                    ("report", "研究报告"),
                    ("conference", "会议论文"),
                    ("book", "图书"),
                    ("chapter", "图书章节"),
                    ("other", "其他"),
                ],
                default="article",
                max_length=16,
                verbose_name="文献类型",
            ),
        ),
        migrations.AddField(
            model_name="paper",
            name="institution",
            field=models.CharField(blank=True, max_length=300, verbose_name="学位授予单位"),
        ),
        migrations.AddField(
            model_name="passage",
            name="boxes",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="passage",
            name="ocr_conf",
            field=models.FloatField(
                blank=True, help_text="mean OCR confidence (0–1); NULL: text layer", null=True
            ),
        ),
        migrations.AddField(
            model_name="passage",
            name="page_label",
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.AddField(
            model_name="textrevision",
            name="pages",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="textrevision",
            name="removed",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AlterField(
            model_name="passage",
            name="kind",
            field=models.CharField(
                choices=[
                    ("heading", "标题"),
                    ("paragraph", "段落"),
                    ("abstract", "摘要"),
                    ("caption", "图表说明"),
                    ("footnote", "脚注"),
                    ("reference", "参考文献"),
                    ("metadata", "元数据"),
                    ("table", "表格"),
                    ("figure", "图"),
                    ("formula", "公式"),
                ],
                default="paragraph",
                max_length=16,
            ),
        ),
        migrations.RunPython(clear_fake_pages, migrations.RunPython.noop),
    ]
