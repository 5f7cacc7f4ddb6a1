"""manage.py generate_papers COUNT [--corpus DIR] [--seed N] [--start N] [--skip-crossrefs] [--skip-index].

For load tests and benchmarks: COUNT distinct papers made from the sample texts, each through
the real save path (``kb.services.loading.paper_load`` with the parsed paper: the save service,
concept mentions, definitions, term profiles). Every sample is parsed once; a variant shuffles
its paragraphs (headings stay in place; footnote, reference and citation links follow their
passages) and gets its own title, authors and year, and no DOI. The same COUNT and seed give
the same papers, so a second run finds them all unchanged.

The expensive steps can be skipped explicitly: ``--skip-crossrefs`` (cross-reference
suggestions, quadratic in the library) and ``--skip-index`` (then run
``manage.py rebuild_search_index`` once afterwards).
"""

from __future__ import annotations

import dataclasses
import hashlib
import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from kb.services.loading import expand_paths, max_upload_bytes, paper_load
from papers.ingest import IngestError, ParsedPaper, parse_bytes
from papers.ingest.types import AuthorInfo, SourceInfo

PREFIXES = ["", "再论", "试论", "浅析", "重思", "比较视野下的", "实证研究：", "案例研究：", "理论与实践："]
REGIONS = ["东部", "中部", "西部", "东北", "长三角", "珠三角", "京津冀", "成渝", "县域", "城乡"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
GIVEN = "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华玉兰萍红建国志文斌浩宇欣怡"
YEARS = range(2012, 2026)


def variant_title(title: str, n: int) -> str:
    """A distinct title for variant ``n`` of a sample: a prefix and a region/year scope."""
    prefix = PREFIXES[n % len(PREFIXES)]
    rest = n // len(PREFIXES)
    region = REGIONS[rest % len(REGIONS)]
    year = YEARS[(rest // len(REGIONS)) % len(YEARS)]
    series = rest // (len(REGIONS) * len(YEARS))
    scope = f"——基于{region}{year}年的考察" + (f"（{series + 1}）" if series else "")
    return f"{prefix}{title}{scope}"


def variant_authors(rng: random.Random) -> list[AuthorInfo]:
    return [
        AuthorInfo(name=rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2))))
        for _ in range(rng.randint(1, 3))
    ]


def paper_variant(parsed: ParsedPaper, *, n: int, seed: int) -> tuple[ParsedPaper, bytes]:
    """Variant ``n`` of a parsed sample and the text file it stands for (pure; deterministic)."""
    rng = random.Random(f"{seed}:{n}:{parsed.source.sha256}")  # noqa: S311 -- reproducible test data, not security
    paragraphs = [i for i, p in enumerate(parsed.passages) if p.kind == "paragraph"]
    shuffled = paragraphs[:]
    rng.shuffle(shuffled)
    # new position -> old index: paragraphs trade places among themselves, the rest stay.
    order = list(range(len(parsed.passages)))
    for slot, old in zip(paragraphs, shuffled, strict=True):
        order[slot] = old
    new_of = {old: new for new, old in enumerate(order)}

    def moved(index: int | None) -> int | None:
        return None if index is None else new_of[index]

    first = next((p.text for p in parsed.passages if p.kind in ("heading", "paragraph")), "")
    title = variant_title(parsed.title or parsed.title_en or first[:24], n)
    passages = [parsed.passages[old] for old in order]
    if passages and passages[0].kind == "heading" and passages[0].text == parsed.title:
        passages[0] = dataclasses.replace(passages[0], text=title)
    variant = dataclasses.replace(
        parsed,
        title=title,
        authors=variant_authors(rng),
        year=rng.choice(YEARS),
        doi="",
        passages=passages,
        citations=[dataclasses.replace(c, passage=new_of[c.passage]) for c in parsed.citations],
        footnotes=[dataclasses.replace(f, passage=moved(f.passage)) for f in parsed.footnotes],
        references=[dataclasses.replace(r, passage=moved(r.passage)) for r in parsed.references],
        warnings=[],
        warning_codes=[],
    )
    data = "\n\n".join([title, "  ".join(a.name for a in variant.authors), variant.canonical_text()]).encode()
    variant.source = SourceInfo(
        filename=f"generated-{n:05d}.txt",
        sha256=hashlib.sha256(data).hexdigest(),
        format="txt",
        size=len(data),
    )
    return variant, data


class Command(BaseCommand):
    help = "Generate COUNT distinct papers from the sample texts through the real save path (load tests)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument(
            "--corpus", default=None, help="folder of sample texts (default KB_SAMPLE_CORPUS)"
        )
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--start", type=int, default=0, help="first variant number (to split a run across processes)"
        )
        parser.add_argument(
            "--skip-crossrefs",
            action="store_true",
            help="no cross-reference suggestions for generated papers",
        )
        parser.add_argument(
            "--skip-index", action="store_true", help="no reindex per paper (run rebuild_search_index after)"
        )

    def handle(self, *args, count, corpus, seed, start, skip_crossrefs, skip_index, **options):
        if count <= 0:
            self.stdout.write("generated 0 papers (nothing to do)")
            return
        files = [p for p in expand_paths([corpus or settings.KB_SAMPLE_CORPUS]) if p.suffix.lower() != ".pdf"]
        samples = []
        for path in files:
            try:
                samples.append(
                    parse_bytes(path.read_bytes(), filename=path.name, max_bytes=max_upload_bytes())
                )
            except IngestError as exc:
                self.stderr.write(f"skipped {path.name}: {exc}")
        if not samples:
            raise CommandError(f"no sample texts to vary in {corpus or settings.KB_SAMPLE_CORPUS}")
        started = time.monotonic()
        statuses: dict[str, int] = {}
        quiet = options["verbosity"] == 0
        for n in tqdm(
            range(start, start + count), desc="generate", unit="paper", disable=quiet, file=self.stderr
        ):
            parsed, data = paper_variant(samples[n % len(samples)], n=n, seed=seed)
            result = paper_load(
                data=data,
                filename=parsed.source.filename,
                parsed=parsed,
                crossrefs=not skip_crossrefs,
                index=not skip_index,
            )
            statuses[result.status] = statuses.get(result.status, 0) + 1
            if result.status == "failed":
                raise CommandError(f"{parsed.source.filename}: {result.error}")
        summary = ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
        self.stdout.write(f"generated {count} papers in {time.monotonic() - started:.1f} s ({summary})")
