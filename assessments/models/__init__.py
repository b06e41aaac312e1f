from .assessment import AspectCheck, Assessment, DvoAspect, NotApplicable, ProcessScore
from .invitation import Invitation
from .maturity import (
    BusinessProcess,
    Criterion,
    Dimension,
    Level,
    MaturityModel,
    ModelVersion,
    PublishedVersionError,
)
from .organisation import Membership, Organisation, OrganisationProcess

__all__ = [
    "AspectCheck",
    "Assessment",
    "BusinessProcess",
    "Criterion",
    "Dimension",
    "DvoAspect",
    "Invitation",
    "Level",
    "MaturityModel",
    "Membership",
    "ModelVersion",
    "NotApplicable",
    "Organisation",
    "OrganisationProcess",
    "ProcessScore",
    "PublishedVersionError",
]
