from .assessments import (
    aspects_edit,
    assessment_delete,
    assessment_finalise,
    assessment_grid,
    assessment_start,
    score_save,
)
from .organisations import (
    home,
    member_add,
    member_remove,
    organisation_create,
    organisation_detail,
    organisation_edit,
    organisation_list,
    organisation_scope,
)

__all__ = [
    "aspects_edit",
    "assessment_delete",
    "assessment_finalise",
    "assessment_grid",
    "assessment_start",
    "home",
    "member_add",
    "member_remove",
    "organisation_create",
    "organisation_detail",
    "organisation_edit",
    "organisation_list",
    "organisation_scope",
    "score_save",
]
