"""Data builders shared by the benchmarks."""


def twelve_process_version(processes: int = 12):
    """A published clone of the SMG model with `processes` processes (SMG itself has 7)."""
    from assessments.models import BusinessProcess, ModelVersion
    from assessments.services import version_clone, version_publish

    existing = (
        ModelVersion.objects.published()
        .filter(model__key="smg", notes__startswith=f"bench {processes}")
        .first()
    )
    if existing is not None:
        return existing
    source = ModelVersion.objects.published().get(model__key="smg", number=1)
    draft = version_clone(version=source)
    draft.notes = f"bench {processes} processes"
    draft.save()
    known = list(BusinessProcess.objects.filter(version=draft).order_by("order"))
    for index in range(len(known), processes):
        template = known[index % len(known)]
        BusinessProcess.objects.create(
            version=draft,
            order=index + 1,
            key=f"{template.key}-{index}",
            name_en=f"{template.name_en} {index}",
            name_nl=f"{template.name_nl} {index}",
        )
    return version_publish(version=draft)
