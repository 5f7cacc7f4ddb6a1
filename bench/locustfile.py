"""The load-test mix (``make loadtest``; ``tests/bench/test_locustfile.py`` runs it briefly).

Three kinds of user, each going through its tasks in a fixed order so that a short run covers
every one of them:

- scholars (weight 6): home, paper list (a random page), the reader, search with Chinese terms;
- editors (weight 3): read a paper, annotate a passage (POST to the annotation API with the
  CSRF token, as the reader's script does), make a claim with an evidence quote;
- an admin (exactly one): upload a small text file through the upload form, follow its progress.

Requests are named by route (``/papers/[id]/``) so the statistics group them. Accounts are the
demo ones (``manage.py create_demo_users``) unless ``LOADTEST_SCHOLAR`` / ``LOADTEST_EDITOR`` /
``LOADTEST_ADMIN`` give ``username:password``. ``LOADTEST_WAIT`` sets the think time in
seconds between tasks (default 0.5–2; ``0`` for the smoke test).
"""

from __future__ import annotations

import os
import random
import re
import uuid

from locust import HttpUser, SequentialTaskSet, between, constant, task

# Which paper, page or term a simulated user picks: load-test traffic, not security.
pick = random.Random()  # noqa: S311

PAPER_LINK = re.compile(r'href="/papers/(\d+)/"')
PASSAGE = re.compile(r'<p id="[^"]*" class="[^"]*" data-passage="(\d+)"')
PAGES = re.compile(r"第 \d+ / (\d+) 页")  # the paper list's "page n of m" (简体中文, the default)
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
UPLOAD_LINK = re.compile(r"/uploads/(\d+)/")
SEARCH_TERMS = [
    "数字鸿沟",
    "共同富裕",
    "数字治理",
    "公共价值",
    "新质生产力",
    "数字经济 平台",
    "乡村 振兴",
    "数据要素",
]


def _account(role: str) -> tuple[str, str]:
    value = os.environ.get(f"LOADTEST_{role.upper()}", f"{role}:{role}-tanyuan-demo")
    username, _, password = value.partition(":")
    return username, password


def _wait():
    seconds = os.environ.get("LOADTEST_WAIT")
    return constant(float(seconds)) if seconds else between(0.5, 2)


class Visitor(HttpUser):
    abstract = True
    role = "scholar"
    wait_time = _wait()

    def on_start(self) -> None:
        self.paper_ids: list[int] = []
        self.pages = 1
        page = self.client.get("/accounts/login/", name="/accounts/login/")
        token = CSRF_INPUT.search(page.text)
        username, password = _account(self.role)
        with self.client.post(
            "/accounts/login/",
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            name="/accounts/login/ [POST]",
            catch_response=True,
        ) as response:
            # A successful login redirects away from the login page.
            if "/accounts/login/" in response.url:
                response.failure(f"login as {username} failed")

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def paper_id(self) -> int:
        if not self.paper_ids:
            page = self.client.get("/papers/", name="/papers/")
            self.paper_ids = [int(pk) for pk in PAPER_LINK.findall(page.text)]
            pages = PAGES.search(page.text)
            self.pages = int(pages.group(1)) if pages else 1
        return pick.choice(self.paper_ids) if self.paper_ids else 0

    def read(self, pk: int) -> list[int]:
        """Open the reader; the ids of its paragraphs."""
        page = self.client.get(f"/papers/{pk}/", name="/papers/[id]/")
        return [int(p) for p in PASSAGE.findall(page.text)]


class Browse(SequentialTaskSet):
    @task
    def home(self):
        self.client.get("/", name="/")

    @task
    def paper_list(self):
        self.user.paper_id()
        number = pick.randint(1, self.user.pages)
        page = self.client.get(f"/papers/?page={number}", name="/papers/?page=[n]")
        # The reader then opens a paper of this page: reads spread over the whole library.
        self.user.paper_ids = [int(pk) for pk in PAPER_LINK.findall(page.text)] or self.user.paper_ids

    @task
    def reader(self):
        self.user.read(self.user.paper_id())

    @task
    def search(self):
        self.client.get("/search/", params={"q": pick.choice(SEARCH_TERMS)}, name="/search/?q=[terms]")


class Annotate(SequentialTaskSet):
    def on_start(self):
        self.passages: list[int] = []
        self.pk = 0

    @task
    def read(self):
        self.pk = self.user.paper_id()
        self.passages = self.user.read(self.pk)

    @task
    def annotate(self):
        if not self.passages:
            return
        self.client.post(
            f"/api/papers/{self.pk}/annotations/",
            json={
                "passage": pick.choice(self.passages),
                "start": 0,
                "end": 4,
                "body": f"负载测试批注 {uuid.uuid4().hex[:8]}",
                "tags": ["负载测试"],
                "visibility": pick.choice(["private", "editors", "public"]),
            },
            headers={"X-CSRFToken": self.user.csrf(), "Accept": "application/json"},
            name="/api/papers/[id]/annotations/ [POST]",
        )

    @task
    def claim(self):
        if not self.passages:
            return
        self.client.post(
            f"/api/papers/{self.pk}/claims/",
            json={
                "statement": f"负载测试论断：数字技术促进共同富裕 {uuid.uuid4().hex[:8]}",
                "kind": "thesis",
                "evidence": [{"passage": pick.choice(self.passages), "start": 0, "end": 6}],
            },
            headers={"X-CSRFToken": self.user.csrf(), "Accept": "application/json"},
            name="/api/papers/[id]/claims/ [POST]",
        )


class Upload(SequentialTaskSet):
    def on_start(self):
        self.upload = 0

    @task
    def upload_file(self):
        page = self.client.get("/uploads/new/", name="/uploads/new/")
        token = CSRF_INPUT.search(page.text)
        body = f"负载测试上传 {uuid.uuid4().hex}\n\n张三\n\n数字技术与社会治理的关系值得研究。\n".encode()
        with self.client.post(
            "/uploads/new/",
            data={"csrfmiddlewaretoken": token.group(1) if token else ""},
            files={"files": (f"loadtest-{uuid.uuid4().hex[:8]}.txt", body, "text/plain")},
            name="/uploads/new/ [POST]",
            catch_response=True,
        ) as response:
            found = UPLOAD_LINK.search(response.url)
            if found is None:
                response.failure(f"upload not accepted (ended at {response.url})")
            else:
                self.upload = int(found.group(1))

    @task
    def progress(self):
        if self.upload:
            self.client.get(f"/uploads/{self.upload}/progress/", name="/uploads/[id]/progress/")


class Scholar(Visitor):
    weight = 6
    role = "scholar"
    tasks = [Browse]


class Editor(Visitor):
    weight = 3
    role = "editor"
    tasks = [Annotate]


class Admin(Visitor):
    fixed_count = 1
    role = "admin"
    tasks = [Upload]
