"""The knowledge layer: what people say about the papers."""

from kb.models import (
    aggregates,  # noqa: F401 - registers the aggregate tables
    layouts,  # noqa: F401 - registers the stored graph layouts
)
from kb.models.anchors import AnchorStatus
from kb.models.annotations import Annotation, HighlightColor, Motivation, Visibility
from kb.models.citations import (
    CitationStance,
    CitationStatement,
    CitedWork,
    LinkStatus,
    PaperKey,
    ReferenceLink,
)
from kb.models.claims import Claim, ClaimKind, ClaimStatus, Evidence, Stance
from kb.models.concepts import Concept, Mention, MentionOrigin, MentionStatus
from kb.models.crossrefs import CrossReference, CrossRefStatus, Relation
from kb.models.people import (
    ApiToken,
    GroupMembership,
    GroupRole,
    ReadingPosition,
    ResearchGroup,
    UserPreference,
)
from kb.models.uploads import Upload, UploadState

__all__ = [
    "ApiToken",
    "GroupMembership",
    "GroupRole",
    "HighlightColor",
    "ReadingPosition",
    "ResearchGroup",
    "Stance",
    "UserPreference",
    "AnchorStatus",
    "Annotation",
    "CitationStance",
    "CitationStatement",
    "CitedWork",
    "Claim",
    "ClaimKind",
    "ClaimStatus",
    "Concept",
    "CrossRefStatus",
    "CrossReference",
    "Evidence",
    "LinkStatus",
    "Mention",
    "Motivation",
    "MentionOrigin",
    "MentionStatus",
    "PaperKey",
    "ReferenceLink",
    "Relation",
    "Upload",
    "UploadState",
    "Visibility",
]
