from django.utils.translation import gettext as _

from assessments.spreadsheets import csv_bytes, xlsx_bytes


def roadmap_table(rows):
    header = [
        _("Business process"),
        _("Dimension"),
        _("Deliverable"),
        _("Description"),
        _("Criterion it closes"),
        _("Target level"),
        _("Start"),
        _("End"),
        _("Owner"),
        _("Status"),
        _("Proposed"),
        _("Overdue"),
        _("Achieved"),
    ]
    body = [
        [
            row.process_name or _("All processes"),
            row.item.dimension.name if row.item.dimension_id else "",
            row.item.title,
            row.item.description,
            row.item.criterion_key or "",
            row.item.target_level or "",
            str(row.item.start),
            str(row.item.end),
            row.item.owner,
            row.item.get_status_display(),
            _("yes") if row.item.is_proposal else _("no"),
            _("yes") if row.overdue else _("no"),
            _("yes") if row.achieved else _("no"),
        ]
        for row in rows
    ]
    return header, body


def roadmap_csv(rows) -> bytes:
    return csv_bytes(*roadmap_table(rows))


def roadmap_xlsx(rows) -> bytes:
    header, body = roadmap_table(rows)
    return xlsx_bytes([(_("Roadmap"), header, body)])
