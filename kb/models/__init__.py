"""The knowledge layer: what people say about the papers."""

from kb.models.anchors import AnchorStatus
from kb.models.annotations import Annotation, Motivation, Visibility
from kb.models.claims import Claim, ClaimKind, ClaimStatus, Evidence
from kb.models.concepts import Concept, Mention, MentionOrigin, MentionStatus
from kb.models.crossrefs import CrossReference, CrossRefStatus, Relation
from kb.models.uploads import Upload, UploadState

__all__ = [
    "AnchorStatus",
    "Annotation",
    "Claim",
    "ClaimKind",
    "ClaimStatus",
    "Concept",
    "CrossRefStatus",
    "CrossReference",
    "Evidence",
    "Mention",
    "Motivation",
    "MentionOrigin",
    "MentionStatus",
    "Relation",
    "Upload",
    "UploadState",
    "Visibility",
]
