from .assessments import aspects_edit, assessment_delete, assessment_finalise, assessment_start
from .grid import assessment_grid, grid_focus, grid_results, score_form, score_save
from .invitations import invitation_accept, invitation_decline, invitation_detail
from .organisations import (
    home,
    invitation_create,
    invitation_revoke,
    member_remove,
    organisation_create,
    organisation_detail,
    organisation_edit,
    organisation_list,
    organisation_scope,
)
from .presenter import present, present_state
from .thermometer import assessment_compare, assessment_trend, reassessment_start

__all__ = [
    "aspects_edit",
    "assessment_compare",
    "assessment_delete",
    "assessment_finalise",
    "assessment_grid",
    "assessment_start",
    "assessment_trend",
    "grid_focus",
    "grid_results",
    "home",
    "invitation_accept",
    "invitation_create",
    "invitation_decline",
    "invitation_detail",
    "invitation_revoke",
    "member_remove",
    "organisation_create",
    "organisation_detail",
    "organisation_edit",
    "organisation_list",
    "organisation_scope",
    "present",
    "present_state",
    "reassessment_start",
    "score_form",
    "score_save",
]
