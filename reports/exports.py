"""An assessment as an Excel workbook for consultants: scores, criteria and the roadmap."""

from django.utils import translation
from django.utils.translation import gettext as _

from assessments.selectors import assessment_results
from assessments.spreadsheets import xlsx_bytes
from roadmaps.exports import roadmap_table
from roadmaps.models import Roadmap
from roadmaps.selectors import roadmap_rows


def assessment_xlsx(assessment, language: str) -> bytes:
    with translation.override(language):
        catalogue, results = assessment_results(assessment)
        dimensions = catalogue.dimensions
        scores_header = [
            _("Business process"),
            _("Level"),
            _("Progress score"),
            _("Computed level"),
            _("Consensus level"),
            _("Reason for the consensus level"),
            _("Ambition"),
            _("Gap"),
            _("Why this ambition"),
            _("Confidence"),
            _("Notes"),
            _("Evidence"),
            _("What changed"),
            *(str(d.name) for d in dimensions),
        ]
        scores = [
            [
                item.score.display_name,
                str(item.level) if item.is_scored else _("not scored"),
                item.result.progress if item.is_scored else None,
                item.result.computed_level,
                item.score.override_level,
                item.score.override_reason,
                item.result.ambition,
                item.result.gap,
                item.score.ambition_reason,
                item.score.get_confidence_display(),
                item.score.notes,
                item.score.evidence,
                item.score.change_explanation,
                *(item.result.dimension_levels.get(d.key) for d in dimensions),
            ]
            for item in results
        ]
        criteria_header = [
            _("Business process"),
            _("Level"),
            _("Dimension"),
            _("Key"),
            _("Criterion"),
            _("Level-3 baseline"),
            _("Met"),
            _("Why it does not apply"),
        ]
        criteria = [
            [
                item.score.display_name,
                criterion.level.number,
                str(criterion.dimension.name),
                criterion.key,
                criterion.statement,
                _("yes") if criterion.is_baseline else "",
                _("does not apply")
                if criterion.pk in item.not_applicable
                else _("yes")
                if criterion.pk in item.met_ids
                else _("no"),
                item.not_applicable.get(criterion.pk, ""),
            ]
            for item in results
            for criterion in catalogue.applicable_to(item.score.process_id)
        ]
        sheets = [(_("Scores"), scores_header, scores), (_("Criteria"), criteria_header, criteria)]
        roadmap = Roadmap.objects.filter(assessment=assessment).first()
        if roadmap is not None:
            sheets.append((_("Roadmap"), *roadmap_table(roadmap_rows(roadmap))))
        return xlsx_bytes(sheets)
