"""Citing sentences and the stance their wording suggests. Pure: no models, no requests.

``sentence_around`` finds the sentence (or clause, split at ``；``) of a passage that holds a
citation marker, as offsets into the passage text. ``suggest_stance`` reads the sentence for
cue phrases in Chinese and English and returns the stance with the cue it found, which the
page shows as the reason; with no cue the citation is a plain mention.

Cues are tried in a fixed order: contrasting first (``与……不同`` must win over ``与……一致``
-like openings), then supporting, then using a method.
"""

from __future__ import annotations

import re

SUPPORTING = "supporting"
CONTRASTING = "contrasting"
MENTIONING = "mentioning"
USING_METHOD = "using_method"

# A sentence ends at 。！？； and ! ?, and at a full stop followed by a space or the end (3.5 is no
# end). An ASCII ";" is no end: it separates the citations of one parenthesis (Lou, 2012; Chang, 2015).
_END = re.compile(r"[。！？；!?]+|\.(?=\s|$)")
# Note markers ([3], ［3］, 〔3〕, ①) follow what they cite; an author–year marker may open its sentence.
_NOTE_MARKER = re.compile(r"^[\[［〔\u2460-\u24ff\u2776-\u2793]")
_LEADING = " \t\r\n]）)］】〕,，、"

_CUES: list[tuple[str, re.Pattern]] = [
    (
        CONTRASTING,
        re.compile(
            r"然而[^。；]{0,30}?认为|不同于|有别于|质疑|相反|与[^。；，]{0,30}?不同|未能|商榷|批评|"
            r"\bhowever\b|\bin contrast\b|\bcontrary to\b|\bunlike\b|\bchalleng(?:e|es|ed)\b|"
            r"\bfail(?:s|ed)? to\b|\bdisagree",
            re.IGNORECASE,
        ),
    ),
    (
        SUPPORTING,
        re.compile(
            r"与[^。；，]{0,30}?(?:一致|相符|吻合|相同)|证实了?|验证了|印证了?|佐证|支持了|支持(?:这一|该|上述|此)|"
            r"得到[^。；]{0,8}?支持|\bconsistent with\b|\bconfirm(?:s|ed)?\b|\bsupport(?:s|ed)?\b|"
            r"\bin line with\b|\bcorroborat",
            re.IGNORECASE,
        ),
    ),
    (
        USING_METHOD,
        re.compile(
            r"采用[^。；]{0,30}?(?:方法|法|模型|框架|量表|指标|策略|设计|思路)|借鉴|参照|沿用|"
            r"参考[^。；]{0,12}?(?:方法|做法|思路)|基于[^。；]{0,20}?(?:方法|模型)|"
            r"\bfollowing\b|\badopt(?:s|ed)?\b|\bwe use\b|\busing the [^.;]{0,30}?method",
            re.IGNORECASE,
        ),
    ),
]


def sentences(text: str) -> list[tuple[int, int]]:
    """The sentences of ``text`` as (start, end) offsets, each ending after its punctuation."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(text):
        if match.end() > start:
            spans.append((start, match.end()))
        start = match.end()
    if start < len(text) and text[start:].strip():
        spans.append((start, len(text)))
    return spans


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence holding the marker at ``start``..``end``. A marker that opens a sentence
    right after the punctuation (``……一致。[3]``) belongs to the sentence before it; an author–year
    marker there (``。Scholes(1972)的研究……``) is the subject of its own sentence."""
    spans = sentences(text) or [(0, len(text))]
    for i, (s, e) in enumerate(spans):
        if s <= start < e or (start >= e and i == len(spans) - 1):
            opens = not text[s:start].strip(_LEADING)  # only spaces or closing marks before it
            if i > 0 and opens and _NOTE_MARKER.match(text[start:end]):
                prev_start = spans[i - 1][0]
                return prev_start, max(end, spans[i - 1][1])
            return s, max(e, end)
    return 0, len(text)


def suggest_stance(sentence: str) -> tuple[str, str]:
    """(stance, cue): the first cue found, or (``mentioning``, "")."""
    for stance, pattern in _CUES:
        match = pattern.search(sentence)
        if match:
            return stance, match.group(0)[:100]
    return MENTIONING, ""
