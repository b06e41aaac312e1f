"""Writes that touch several models, one module per topic. Each is atomic and validates before
it saves; import them from here (`services.score_save`)."""

from .aspects import AspectsConflict, aspects_save
from .assessments import (
    assessment_delete,
    assessment_finalise,
    assessment_focus,
    assessment_start,
    bump_revision,
    changed_without_explanation,
    newer_versions,
    reassessment_start,
)
from .model_versions import (
    levels_without_criteria,
    version_clone,
    version_problems,
    version_publish,
)
from .organisations import (
    INVITATIONS_OPEN_MAX,
    InvitationInvalid,
    invitation_accept,
    invitation_create,
    invitation_decline,
    invitation_revoke,
    invitation_send,
    member_add,
    member_remove,
    organisation_create,
    scope_update,
)
from .scores import (
    SCORE_FIELDS,
    FinalAssessmentError,
    ScoreConflict,
    ScoreSaved,
    score_locked,
    score_save,
    score_state,
)

__all__ = [
    "INVITATIONS_OPEN_MAX",
    "SCORE_FIELDS",
    "AspectsConflict",
    "FinalAssessmentError",
    "InvitationInvalid",
    "ScoreConflict",
    "ScoreSaved",
    "aspects_save",
    "assessment_delete",
    "assessment_finalise",
    "assessment_focus",
    "assessment_start",
    "bump_revision",
    "changed_without_explanation",
    "invitation_accept",
    "invitation_create",
    "invitation_decline",
    "invitation_revoke",
    "invitation_send",
    "levels_without_criteria",
    "member_add",
    "member_remove",
    "newer_versions",
    "organisation_create",
    "reassessment_start",
    "scope_update",
    "score_locked",
    "score_save",
    "score_state",
    "version_clone",
    "version_problems",
    "version_publish",
]
