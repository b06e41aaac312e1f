"""One organisation as JSON, to back it up or move it to another installation.

Everything of the organisation travels: scope, members (by username), units (and which
manager is limited to which), assessments with their unit, scores, criteria met, aspects and
roadmaps. A file without units (written before they existed) restores as before. Model
content is referred to by stable keys and the model version by (model key, version number),
which must exist, published, where it is imported. An import is checked as it is written
inside one transaction: any problem aborts the whole import, names the place in the file, and
leaves the database as it was (what is checked how: `backups.reading`).
"""

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from assessments.model_files.limits import SMALL_MAX
from assessments.models import (
    AspectCheck,
    Assessment,
    BusinessProcess,
    Criterion,
    Dimension,
    Membership,
    ModelVersion,
    NotApplicable,
    Organisation,
    OrganisationProcess,
    ProcessScore,
)
from assessments.models.maturity import MAX_LEVELS
from roadmaps.models import Roadmap, RoadmapItem
from units.models import Unit, UnitAssessment, UnitRestriction

from .reading import OrganisationFileError, Reader, check_depth

FORMAT = "dvo-organisation/1"
SCORE_TEXT = (
    "override_reason",
    "ambition_reason",
    "notes",
    "evidence",
    "confidence",
    "change_explanation",
)
_LEVEL = {"required": False, "minimum": 1, "maximum": MAX_LEVELS}  # an optional level number


def _version_ref(version) -> dict:
    return {"model": version.model.key, "version": version.number}


def organisation_to_data(organisation: Organisation) -> dict[str, Any]:
    assessments = list(
        organisation.assessments.select_related("version__model").order_by("assessed_on", "id")
    )
    refs = {assessment.pk: index for index, assessment in enumerate(assessments, start=1)}
    data = {
        "format": FORMAT,
        "organisation": {
            "name": organisation.name,
            "report_language": organisation.report_language,
        },
        "scope": [
            {
                **_version_ref(entry.process.version),
                "process": entry.process.key,
                "custom_name": entry.custom_name,
            }
            for entry in organisation.processes.select_related("process__version__model")
        ],
        "members": [
            {"username": m.user.get_username(), "role": m.role}
            for m in organisation.memberships.select_related("user")
        ],
        "units": [
            {
                "name": unit.name,
                "kind": unit.kind,
                "parent": unit.parent.name if unit.parent else None,
            }
            for unit in Unit.objects.filter(organisation=organisation)
            .select_related("parent")
            # Parents (no parent) first on every database: PostgreSQL puts NULL last.
            .order_by(F("parent_id").asc(nulls_first=True), "name")
        ],
        "unit_limits": [
            {"username": r.membership.user.get_username(), "unit": r.unit.name}
            for r in UnitRestriction.objects.filter(
                membership__organisation=organisation
            ).select_related("membership__user", "unit")
        ],
        "assessments": [],
    }
    unit_of = dict(
        UnitAssessment.objects.filter(assessment__organisation=organisation).values_list(
            "assessment_id", "unit__name"
        )
    )
    for assessment in assessments:
        entry = {
            "ref": refs[assessment.pk],
            **_version_ref(assessment.version),
            "kind": assessment.kind,
            "unit": unit_of.get(assessment.pk),
            "previous": refs.get(assessment.previous_id),
            "assessed_on": assessment.assessed_on.isoformat(),
            "status": assessment.status,
            "finalised_at": assessment.finalised_at.isoformat()
            if assessment.finalised_at
            else None,
            "carried_over": assessment.carried_over,
            "scores": [
                {
                    "process": score.process.key,
                    "custom_name": score.custom_name,
                    "order": score.order,
                    "criteria_met": sorted(c.key for c in score.criteria_met.all()),
                    "not_applicable": sorted(
                        (
                            {"criterion": e.criterion.key, "reason": e.reason}
                            for e in score.exclusions.all()
                        ),
                        key=lambda exclusion: exclusion["criterion"],
                    ),
                    "override_level": score.override_level,
                    "override_carried_over": score.override_carried_over,
                    "ambition_level": score.ambition_level,
                    "scored_at": score.scored_at.isoformat() if score.scored_at else None,
                    "team_vote": score.team_vote,
                    **{name: getattr(score, name) for name in SCORE_TEXT},
                }
                for score in assessment.scores.select_related("process").prefetch_related(
                    "criteria_met", "exclusions__criterion"
                )
            ],
            "aspects": [
                {"aspect": a.aspect, "status": a.status, "note": a.note}
                for a in assessment.aspects.all()
            ],
            "roadmap": None,
        }
        roadmap = Roadmap.objects.filter(assessment=assessment).first()
        if roadmap is not None:
            entry["roadmap"] = {
                "start_quarter": roadmap.start_quarter,
                "items": [
                    {
                        "title": item.title,
                        "description": item.description,
                        "process": item.process.key if item.process_id else None,
                        "dimension": item.dimension.key if item.dimension_id else None,
                        "criterion": item.criterion.key if item.criterion_id else None,
                        "target_level": item.target_level,
                        "start_quarter": item.start_quarter,
                        "end_quarter": item.end_quarter,
                        "owner": item.owner,
                        "status": item.status,
                        "is_proposal": item.is_proposal,
                    }
                    for item in roadmap.items.select_related("process", "dimension", "criterion")
                ],
            }
        data["assessments"].append(entry)
    return data


def _clean(obj, path: str):
    try:
        obj.full_clean(validate_constraints=False, validate_unique=False)
    except ValidationError as error:
        raise OrganisationFileError(path, "; ".join(error.messages)) from error
    return obj


class _Catalogues:
    def __init__(self):
        self.versions: dict[tuple[str, int], tuple] = {}

    def get(self, reader: Reader):
        key = (reader.get("model", str), reader.get("version", int, minimum=1))
        if key not in self.versions:
            version = (
                ModelVersion.objects.published().filter(model__key=key[0], number=key[1]).first()
            )
            if version is None:
                raise OrganisationFileError(
                    reader.path, f"model {key[0]} version {key[1]} is not published here"
                )
            self.versions[key] = (
                version,
                {p.key: p for p in BusinessProcess.objects.filter(version=version)},
                {d.key: d for d in Dimension.objects.filter(version=version)},
                {c.key: c for c in Criterion.objects.filter(version=version)},
            )
        return self.versions[key]


def _lookup(table: dict, key, path: str, what: str):
    if key is None:
        return None
    if key not in table:
        raise OrganisationFileError(path, f"unknown {what} '{key}'")
    return table[key]


@transaction.atomic
def organisation_import(data: Any, *, rename: str | None = None) -> tuple[Organisation, list[str]]:
    """Create the organisation from `data`; returns it and warnings (members not found here)."""
    check_depth(data)
    root = Reader(data, "$")
    if root.get("format", str) != FORMAT:
        raise OrganisationFileError("$.format", f"expected '{FORMAT}'")
    info = Reader(root.get("organisation", dict), "$.organisation")
    name = rename or info.text("name", required=True)
    organisation = _clean(
        Organisation(name=name, report_language=info.get("report_language", str)),
        "$.organisation",
    )
    organisation.save()
    catalogues = _Catalogues()
    for order, entry in enumerate(root.items("scope"), start=1):
        _version, processes, _dims, _criteria = catalogues.get(entry)
        process = _lookup(processes, entry.get("process", str), f"{entry.path}.process", "process")
        _clean(
            OrganisationProcess(
                organisation=organisation,
                process=process,
                custom_name=entry.text("custom_name"),
                order=order,
            ),
            entry.path,
        ).save()
    warnings = []
    users = get_user_model().objects
    for entry in root.items("members"):
        username = entry.get("username", str)
        user = users.filter(username=username).first()
        if user is None:
            warnings.append(f"{entry.path}: no user '{username}' here; membership not created")
            continue
        _clean(
            Membership(organisation=organisation, user=user, role=entry.get("role", str)),
            entry.path,
        ).save()
    # Names are unique among the organisations one user sees (not across all clients): the
    # restored members must not find two of the same name in their list.
    clash = (
        Organisation.objects.filter(
            name__iexact=name, memberships__user__in=organisation.memberships.values("user")
        )
        .exclude(pk=organisation.pk)
        .exists()
    )
    if clash:
        raise OrganisationFileError(
            "$.organisation.name",
            f"a member of it has an organisation named '{name}' already; restore with --rename",
        )
    units = _units(root, organisation)
    for entry in root.items("unit_limits") if "unit_limits" in root.value else []:
        membership = organisation.memberships.filter(
            user__username=entry.get("username", str)
        ).first()
        if membership is None:
            warnings.append(f"{entry.path}: no such member here; limit not restored")
            continue
        unit = _lookup(units, entry.get("unit", str), f"{entry.path}.unit", "unit")
        if membership.role != Membership.Role.MANAGER:
            raise OrganisationFileError(entry.path, "only a manager can be limited to a unit")
        UnitRestriction.objects.create(membership=membership, unit=unit)
    by_ref: dict[int, Assessment] = {}
    for entry in root.items("assessments"):
        version, processes, dimensions, criteria = catalogues.get(entry)
        previous_ref = entry.get("previous", int, required=False)
        if previous_ref is not None and previous_ref not in by_ref:
            raise OrganisationFileError(f"{entry.path}.previous", "refers to no earlier assessment")
        finalised = entry.get("finalised_at", str, required=False)
        assessment = _clean(
            Assessment(
                organisation=organisation,
                version=version,
                kind=entry.get("kind", str),
                previous=by_ref.get(previous_ref),
                assessed_on=_date(entry, "assessed_on"),
                status=entry.get("status", str),
                finalised_at=_datetime(entry, finalised),
                carried_over=entry.json("carried_over", default={}),
            ),
            entry.path,
        )
        assessment.save()
        by_ref[entry.get("ref", int)] = assessment
        # As the file says (a re-assessment is linked to its previous one's unit on saving).
        unit_name = entry.get("unit", str, required=False)
        if unit_name is None:
            UnitAssessment.objects.filter(assessment=assessment).delete()
        else:
            UnitAssessment.objects.update_or_create(
                assessment=assessment,
                defaults={"unit": _lookup(units, unit_name, f"{entry.path}.unit", "unit")},
            )
        for score_entry in entry.items("scores"):
            process = _lookup(
                processes, score_entry.get("process", str), f"{score_entry.path}.process", "process"
            )
            score = _clean(
                ProcessScore(
                    assessment=assessment,
                    process=process,
                    custom_name=score_entry.text("custom_name"),
                    order=score_entry.get(
                        "order", int, required=False, default=0, maximum=SMALL_MAX
                    ),
                    override_level=score_entry.get("override_level", int, **_LEVEL),
                    override_carried_over=score_entry.get(
                        "override_carried_over", bool, required=False, default=False
                    ),
                    ambition_level=score_entry.get("ambition_level", int, **_LEVEL),
                    team_vote=score_entry.json("team_vote"),
                    **{name: score_entry.text(name) for name in SCORE_TEXT},
                ),
                score_entry.path,
            )
            if score.override_level is not None and not score.override_reason:
                raise OrganisationFileError(score_entry.path, "a consensus level needs a reason")
            levels = set(version.levels.values_list("number", flat=True))
            for field in ("override_level", "ambition_level"):
                value = getattr(score, field)
                if value is not None and value not in levels:
                    raise OrganisationFileError(
                        f"{score_entry.path}.{field}", f"{value} is not a level of this model"
                    )
            met = [
                _lookup(criteria, key, f"{score_entry.path}.criteria_met", "criterion")
                for key in score_entry.key_list("criteria_met")
            ]
            excluded = _exclusions(score_entry, criteria)
            if "scored_at" in score_entry.value:
                score.scored_at = _datetime(
                    score_entry, score_entry.get("scored_at", str, required=False), "scored_at"
                )
            elif met or score.override_level is not None:
                # A file from before "not scored" existed: a process with answers was scored.
                score.scored_at = assessment.created_at
            # One audit record, with the criteria: written once they are in place.
            score.save_without_historical_record()
            through = ProcessScore.criteria_met.through
            through.objects.bulk_create(through(processscore=score, criterion=c) for c in met)
            NotApplicable.objects.bulk_create(
                NotApplicable(score=score, criterion=c, reason=r) for c, r in excluded
            )
            score.save(update_fields=["updated_at"])
        for aspect_entry in entry.items("aspects"):
            _clean(
                AspectCheck(
                    assessment=assessment,
                    aspect=aspect_entry.get("aspect", str),
                    status=aspect_entry.get("status", str),
                    note=aspect_entry.text("note"),
                ),
                aspect_entry.path,
            ).save()
        roadmap_data = entry.get("roadmap", dict, required=False)
        if roadmap_data is not None:
            roadmap_reader = Reader(roadmap_data, f"{entry.path}.roadmap")
            roadmap = _clean(
                Roadmap(
                    assessment=assessment,
                    start_quarter=roadmap_reader.get("start_quarter", int),
                ),
                roadmap_reader.path,
            )
            roadmap.save()
            for item_entry in roadmap_reader.items("items"):
                item = _clean(
                    RoadmapItem(
                        roadmap=roadmap,
                        title=item_entry.text("title", required=True),
                        description=item_entry.text("description"),
                        process=_lookup(
                            processes,
                            item_entry.get("process", str, required=False),
                            f"{item_entry.path}.process",
                            "process",
                        ),
                        dimension=_lookup(
                            dimensions,
                            item_entry.get("dimension", str, required=False),
                            f"{item_entry.path}.dimension",
                            "dimension",
                        ),
                        criterion=_lookup(
                            criteria,
                            item_entry.get("criterion", str, required=False),
                            f"{item_entry.path}.criterion",
                            "criterion",
                        ),
                        target_level=item_entry.get("target_level", int, **_LEVEL),
                        start_quarter=item_entry.get("start_quarter", int),
                        end_quarter=item_entry.get("end_quarter", int),
                        owner=item_entry.text("owner"),
                        status=item_entry.get("status", str),
                        is_proposal=item_entry.get(
                            "is_proposal", bool, required=False, default=False
                        ),
                    ),
                    item_entry.path,
                )
                if item.end_quarter < item.start_quarter:
                    raise OrganisationFileError(item_entry.path, "ends before it starts")
                if (
                    not roadmap.start_quarter
                    <= item.start_quarter
                    <= item.end_quarter
                    <= (roadmap.last_quarter.index)
                ):
                    raise OrganisationFileError(
                        item_entry.path, "lies outside the roadmap's quarters"
                    )
                item.save()
    return organisation, warnings


def _units(root: Reader, organisation) -> dict[str, Unit]:
    """The file's units (parents before their parts), by name."""
    units: dict[str, Unit] = {}
    for entry in root.items("units") if "units" in root.value else []:
        name = entry.text("name", required=True)
        if name in units:
            raise OrganisationFileError(f"{entry.path}.name", f"a second unit '{name}'")
        parent_name = entry.get("parent", str, required=False)
        parent = _lookup(units, parent_name, f"{entry.path}.parent", "earlier unit")
        unit = _clean(
            Unit(organisation=organisation, name=name, kind=entry.get("kind", str), parent=parent),
            entry.path,
        )
        unit.save()
        units[name] = unit
    return units


def _exclusions(score_entry: Reader, criteria: dict) -> list[tuple]:
    """The criteria that do not apply to a process, with their reasons (none in older files)."""
    if "not_applicable" not in score_entry.value:
        return []
    excluded = []
    for exclusion in score_entry.items("not_applicable"):
        path = f"{exclusion.path}.criterion"
        criterion = _lookup(criteria, exclusion.get("criterion", str), path, "criterion")
        reason = exclusion.text("reason", required=True).strip()
        if not reason:
            raise OrganisationFileError(f"{exclusion.path}.reason", "a reason is needed")
        excluded.append((criterion, reason))
    return excluded


def _datetime(
    reader: Reader, value: str | None, key: str = "finalised_at"
) -> datetime.datetime | None:
    if not value:
        return None
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError as error:
        raise OrganisationFileError(
            f"{reader.path}.{key}", "expected a date and time like 2026-10-15T12:00:00+00:00"
        ) from error


def _date(reader: Reader, key: str) -> datetime.date:
    value = reader.get(key, str)
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise OrganisationFileError(
            f"{reader.path}.{key}", "expected a date like 2026-10-15"
        ) from error
