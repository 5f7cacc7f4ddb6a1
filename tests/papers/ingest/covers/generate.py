"""Generated PDFs of front matter (reportlab, built-in STSong-Light): a thesis and a CNKI copy.

- ``thesis``: a cover of labelled form fields (label and value drawn apart, as in a form's
  table), a Chinese-numeral date, an originality declaration, a table of contents with dotted
  leaders, a two-paragraph abstract with its keywords, then the first chapter.
- ``cnki``: a CNKI 网络首发 cover (journal label, 题目/作者/日期 fields, the publisher's notice),
  then the article's first page with a letter-spaced ``摘 要`` label and an abstract that runs
  over several lines, and a reference list whose entry carries a DOI of its own.
"""

from __future__ import annotations

import io
from functools import cache

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

FONT = "STSong-Light"
WIDTH, HEIGHT = A4
LEFT = 72.0
SIZE = 10.5

THESIS_TITLE = "社区数字治理的参与机制研究"
THESIS_SUBTITLE = "基于三个街道的比较"
THESIS_AUTHOR = "林晓东"
THESIS_ADVISOR = "周明远"
THESIS_SCHOOL = "华东理工大学"
ABSTRACT_ONE = (
    "社区是基层治理的基本单元，数字技术正在改变居民参与公共事务的方式。本文以三个街道为例，"
    "比较数字平台在议题提出、协商与监督三个环节中的作用。"
)
ABSTRACT_TWO = "研究发现，平台降低了参与成本，但参与的持续性取决于线下组织的支撑。本文据此提出改进建议。"

CNKI_TITLE = "平台企业社会责任的治理逻辑"
CNKI_AUTHORS = ["韩雪松", "邓一凡"]
CNKI_JOURNAL = "《西南政法大学学报(社会科学版)》网络首发论文"
CNKI_ABSTRACT = (
    "平台企业承担社会责任既是市场秩序的要求，也是数字时代公共治理的组成部分。本文梳理平台企业社会责任的"
    "理论来源，分析政府、平台与用户三方的互动关系，提出以规则协同为核心的治理框架，并讨论其适用边界与"
    "实施条件，为完善平台治理提供参考。"
)
REFERENCE_DOI = "10.1234/ref.2020.001"


def wrap(text: str, per_line: int) -> list[str]:
    return [text[i : i + per_line] for i in range(0, len(text), per_line)]


class Doc:
    def __init__(self) -> None:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        self.buffer = io.BytesIO()
        self.c = canvas.Canvas(self.buffer, pagesize=A4)

    def text(self, x: float, y: float, text: str, size: float = SIZE) -> None:
        self.c.setFont(FONT, size)
        self.c.drawString(x, y, text)

    def centred(self, y: float, text: str, size: float) -> None:
        self.c.setFont(FONT, size)
        self.c.drawCentredString(WIDTH / 2, y, text)

    def paragraph(self, y: float, text: str, per_line: int = 40) -> float:
        rows = wrap(text, per_line)
        for n, row in enumerate(rows):
            self.text(LEFT + (2 * SIZE if n == 0 else 0), y, row)
            y -= SIZE * 1.7
        return y

    def page(self, number: int | None = None) -> None:
        if number is not None:
            self.text(WIDTH / 2, 40, str(number), 9)
        self.c.showPage()

    def bytes(self) -> bytes:
        self.c.save()
        return self.buffer.getvalue()


def body(doc: Doc, y: float, first: str, count: int = 2) -> float:
    for n in range(count):
        y = doc.paragraph(
            y, f"{first}第{n + 1}段讨论社区议事的组织方式，说明居民如何通过平台提出议题并参与协商，形成共识。"
        )
        y -= 6
    return y


@cache
def thesis() -> bytes:
    doc = Doc()
    doc.centred(HEIGHT - 200, "本 科 毕 业 论 文", 26)
    rows = [
        ("题 目", THESIS_TITLE),
        ("", "——" + THESIS_SUBTITLE),
        ("学 院", "公共管理学院"),
        ("专 业", "行政管理"),
        ("学生姓名", THESIS_AUTHOR),
        ("学 号", "2020123456"),
        ("指导教师", THESIS_ADVISOR + " 副教授"),
    ]
    y = HEIGHT - 330
    for label, value in rows:
        if label:
            doc.text(150, y, label, 15)
        doc.text(260, y, value, 15)
        y -= 32
    doc.centred(y - 40, "二〇二四年五月", 15)
    doc.page()
    doc.centred(HEIGHT - 120, THESIS_SCHOOL + "学位论文原创性声明", 16)
    y = doc.paragraph(
        HEIGHT - 170,
        "本人郑重声明：所呈交的学位论文是本人在导师指导下独立进行研究工作所取得的成果。除文中已经注明引用的内容外，本论文不含任何其他个人或集体已经发表的作品。",
    )
    doc.text(300, y - 30, "作者签名：        日期：    年  月  日")
    doc.page()
    doc.centred(HEIGHT - 100, "目 录", 16)
    y = HEIGHT - 140
    for entry, page in [
        ("第一章 绪论", 1),
        ("1.1 研究背景", 1),
        ("1.2 研究问题", 2),
        ("第二章 文献综述", 4),
        ("参考文献", 20),
    ]:
        doc.text(LEFT, y, entry + " " + "." * 60 + " " + str(page))
        y -= 24
    doc.page()
    doc.centred(HEIGHT - 100, "摘 要", 16)
    y = doc.paragraph(HEIGHT - 140, ABSTRACT_ONE)
    y = doc.paragraph(y - 4, ABSTRACT_TWO)
    doc.text(LEFT, y - 20, "关键词：社区治理；数字平台；居民参与")
    doc.page()
    doc.centred(HEIGHT - 100, "第一章 绪论", 16)
    doc.text(LEFT, HEIGHT - 140, "1.1 研究背景", 13)
    body(doc, HEIGHT - 170, "绪论")
    doc.page(1)
    doc.text(LEFT, HEIGHT - 100, "1.2 研究问题", 13)
    body(doc, HEIGHT - 130, "问题")
    doc.page(2)
    return doc.bytes()


@cache
def cnki() -> bytes:
    doc = Doc()
    doc.centred(HEIGHT - 90, CNKI_JOURNAL, 16)
    y = HEIGHT - 150
    for line in [
        "题目：" + CNKI_TITLE,
        "作者：" + "，".join(CNKI_AUTHORS),
        "收稿日期：2024-01-15",
        "网络首发日期：2024-06-20",
        "引用格式：韩雪松，邓一凡．平台企业社会责任的治理逻辑[J/OL]．西南政法大学学报(社会科学版)．",
    ]:
        doc.text(LEFT, y, line, 11)
        y -= 26
    notice = (
        "网络首发：在编辑部工作流程中，稿件从录用到出版要经历录用定稿、排版定稿、整期汇编定稿等阶段。"
        "录用定稿指内容已经确定，且通过同行评议、主编终审同意刊用的稿件。"
    )
    for row in wrap(notice, 42):
        doc.text(LEFT, y - 20, row, 9)
        y -= 16
    doc.page()
    doc.centred(HEIGHT - 100, CNKI_TITLE, 20)
    doc.centred(HEIGHT - 135, "  ".join(CNKI_AUTHORS), 12)
    doc.centred(HEIGHT - 158, "（西南政法大学 行政法学院，重庆 401120）", 9)
    y = HEIGHT - 190
    rows = wrap(CNKI_ABSTRACT, 38)
    doc.text(LEFT, y, "摘 要：" + rows[0], 9)
    for row in rows[1:]:
        y -= 15
        doc.text(LEFT + 27, y, row, 9)
    doc.text(LEFT, y - 18, "关 键 词：平台企业；社会责任；治理", 9)
    doc.text(LEFT, y - 50, "一、问题的提出", 13)
    body(doc, y - 80, "引言")
    doc.page(1)
    doc.text(LEFT, HEIGHT - 100, "二、结论", 13)
    y = body(doc, HEIGHT - 130, "结论", 1)
    doc.text(LEFT, y - 20, "参考文献", 13)
    doc.text(LEFT, y - 45, f"[1] 王明．平台治理研究[J]．政治学研究，2020(3)：1-10．DOI：{REFERENCE_DOI}．", 9)
    doc.text(LEFT, y - 62, "[2] 李强．数字社会[M]．北京：人民出版社，2019．", 9)
    doc.page(2)
    return doc.bytes()


PLAIN_TITLE = "县域融媒体中心的传播效果研究"
PLAIN_TITLE_EN = "A Study of the Communication Effects of County Media Centres"
PLAIN_ABSTRACT = (
    "县域融媒体中心是基层传播体系的重要组成部分。本文以问卷与访谈资料为基础，考察县域融媒体中心在"
    "信息发布、舆论引导与公共服务三方面的传播效果，发现其影响力取决于本地议题的供给与互动渠道的建设。"
)


@cache
def thesis_plain() -> bytes:
    """A master's thesis whose cover has no 题目 label (the title is its largest line, the
    English title under it), acknowledgements before the abstract, and a running head on the
    abstract page that repeats the label ``中文摘要`` printed under it."""
    doc = Doc()
    doc.centred(HEIGHT - 120, "硕 士 学 位 论 文", 24)
    doc.centred(HEIGHT - 220, PLAIN_TITLE, 20)
    doc.centred(HEIGHT - 250, PLAIN_TITLE_EN, 12)
    doc.centred(HEIGHT - 400, "作者：陈思远", 14)
    doc.centred(HEIGHT - 430, "导师：吴建国", 14)
    doc.centred(HEIGHT - 520, "东江大学", 16)
    doc.centred(HEIGHT - 550, "2021 年 11 月", 14)
    doc.page()
    doc.centred(HEIGHT - 60, "致谢", 9)
    doc.centred(HEIGHT - 100, "致谢", 16)
    body(doc, HEIGHT - 140, "致谢", 3)
    doc.page()
    doc.centred(HEIGHT - 60, "中文摘要", 9)
    doc.centred(HEIGHT - 100, "中文摘要", 16)
    y = doc.paragraph(HEIGHT - 140, PLAIN_ABSTRACT)
    doc.page()
    doc.centred(HEIGHT - 60, "中文摘要", 9)
    doc.text(LEFT, HEIGHT - 100, "关键词：融媒体；传播效果；基层治理")
    doc.page()
    doc.centred(HEIGHT - 100, "1 绪论", 16)
    doc.text(LEFT, HEIGHT - 140, "1.1 研究背景", 13)
    body(doc, HEIGHT - 170, "背景")
    doc.page(1)
    doc.text(LEFT, HEIGHT - 100, "1.2 研究问题", 13)
    y = body(doc, HEIGHT - 130, "问题", 1)
    doc.paragraph(y, "已有研究指出这一点（Zhang, 2020, doi:10.5555/body.cite.7）。")
    doc.page(2)
    return doc.bytes()
