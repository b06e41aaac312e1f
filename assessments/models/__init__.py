from .assessment import Assessment, ProcessScore
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
    "Assessment",
    "BusinessProcess",
    "Criterion",
    "Dimension",
    "Level",
    "MaturityModel",
    "Membership",
    "ModelVersion",
    "Organisation",
    "OrganisationProcess",
    "ProcessScore",
    "PublishedVersionError",
]
