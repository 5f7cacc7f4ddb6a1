"""factory_boy factories for papers, knowledge objects and users with roles."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from kb import models as kbm
from papers import models as pm

PASSWORD = "tanyuan-test-pw"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))
        if create:
            self.save()


class PaperFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Paper

    title = factory.Sequence(lambda n: f"数字技术赋能共同富裕研究之{n}")
    title_en = factory.Sequence(lambda n: f"Digital technology and common prosperity {n}")
    abstract = "数字技术为共同富裕带来新的契机。"
    keywords = factory.LazyFunction(lambda: ["数字技术", "共同富裕"])
    year = 2022
    venue = "社会科学研究"
    status = pm.PaperStatus.PUBLISHED


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Author

    name = factory.Sequence(lambda n: f"作者{n}")
    name_en = factory.Sequence(lambda n: f"Author {n}")


class AuthorshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Authorship

    paper = factory.SubFactory(PaperFactory)
    author = factory.SubFactory(AuthorFactory)
    order = factory.Sequence(lambda n: n)
    affiliation = "某大学 公共管理学院，北京 100000"


class RevisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.TextRevision

    paper = factory.SubFactory(PaperFactory)
    number = 1
    text = ""
    is_current = True


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Section

    revision = factory.SubFactory(RevisionFactory)
    paper = factory.SelfAttribute("revision.paper")
    order = factory.Sequence(lambda n: n)
    number = "一、"
    heading = "数字鸿沟的内涵"
    level = 1


class PassageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Passage

    revision = factory.SubFactory(RevisionFactory)
    paper = factory.SelfAttribute("revision.paper")
    order = factory.Sequence(lambda n: n)
    kind = pm.PassageKind.PARAGRAPH
    text = "数字鸿沟是数字时代社会不平等的新形态，弥合数字鸿沟是实现共同富裕的重要路径。"
    start = 0
    end = factory.LazyAttribute(lambda p: len(p.text))


class FootnoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = pm.Footnote

    revision = factory.SubFactory(RevisionFactory)
    paper = factory.SelfAttribute("revision.paper")
    order = factory.Sequence(lambda n: n)
    marker = "①"
    page = 1
    text = "参见国家统计局数据。"


class ConceptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = kbm.Concept

    label_zh = factory.Sequence(lambda n: f"概念{n}")
    label_en = factory.Sequence(lambda n: f"concept {n}")
    slug = factory.LazyAttribute(lambda c: c.label_zh)


class MentionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = kbm.Mention

    concept = factory.SubFactory(ConceptFactory)
    passage = factory.SubFactory(PassageFactory)
    start = 0
    end = 4
    surface = factory.LazyAttribute(lambda m: m.passage.text[m.start : m.end])


class ClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = kbm.Claim

    paper = factory.SubFactory(PaperFactory)
    statement = "数字技术能够缩小城乡收入差距。"
    creator = factory.SubFactory(UserFactory, role="Editor")


class AnnotationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = kbm.Annotation

    passage = factory.SubFactory(PassageFactory)
    revision = factory.SelfAttribute("passage.revision")
    exact = factory.LazyAttribute(lambda a: a.passage.text[0:4])
    start = 0
    end = 4
    body = "重要的定义"
    visibility = kbm.Visibility.PUBLIC
    creator = factory.SubFactory(UserFactory, role="Editor")


def passages_for(revision, texts, **extra):
    """Passages of ``revision`` from ``(kind, section, text)`` triples, with offsets into the
    canonical text (passages joined by a blank line), which is saved on the revision too."""
    passages, cursor = [], 0
    for order, (kind, section, text) in enumerate(texts):
        passages.append(
            PassageFactory(
                revision=revision,
                order=order,
                kind=kind,
                section=section,
                text=text,
                start=cursor,
                end=cursor + len(text),
                **extra,
            )
        )
        cursor += len(text) + 2
    revision.text = "\n\n".join(text for _, _, text in texts)
    revision.save(update_fields=["text"])
    return passages


def references_to_works(*, paper, revision, works) -> None:
    """One reference of ``paper`` per cited work, in order, each linked to its work."""
    for order, work in enumerate(works):
        reference = pm.Reference.objects.create(
            paper=paper,
            revision=revision,
            order=order,
            marker=f"[{order + 1}]",
            raw=work.title,
            title=work.title,
        )
        kbm.ReferenceLink.objects.create(reference=reference, citing_paper=paper, cited_work=work)
