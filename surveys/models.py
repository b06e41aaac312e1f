"""A pre-workshop survey of an assessment: respondents (no account) answer, per process in
scope, which level fits today and optionally which criteria they see met, with a respondent
group the consultant chose. Nothing personal is stored: a respondent is the hash of a random
key kept in their browser's session (open link) or of their personal invitation token."""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from assessments.models import Assessment, Criterion, ProcessScore
from assessments.models.maturity import MAX_LEVELS

# Below this many respondents a group's figures could point at a person: never configurable
# lower, per survey only higher.
MIN_GROUP_FLOOR = 3


def default_min_group() -> int:
    return max(MIN_GROUP_FLOOR, settings.SURVEY_MIN_GROUP)


def new_link_token() -> str:
    return secrets.token_urlsafe(12)  # 16 characters, 96 bits: not guessable


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class SurveyQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)


class Survey(models.Model):
    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="surveys", verbose_name=_("assessment")
    )
    token = models.CharField(max_length=32, unique=True, default=new_link_token, editable=False)
    open_link = models.BooleanField(
        _("anyone with the link can answer"),
        default=True,
        help_text=_("Off: only personal invitation links sent by e-mail can answer."),
    )
    min_group = models.PositiveSmallIntegerField(
        _("minimum group size"),
        default=default_min_group,
        help_text=_(
            "A group's figures show only when at least this many of its respondents answered "
            "(never fewer than 3)."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Bumped (with F()) by every answer and by closing: the key of every cache of its figures.
    revision = models.PositiveIntegerField(default=1)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment"],
                condition=models.Q(closed_at__isnull=True),
                name="survey_one_open_per_assessment",
            ),
            models.CheckConstraint(
                condition=models.Q(min_group__gte=MIN_GROUP_FLOOR), name="survey_min_group_gte_3"
            ),
        ]

    def __str__(self) -> str:
        return _("Survey of %(assessment)s") % {"assessment": self.assessment}

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class SurveyGroup(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("group"), max_length=60)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["survey", "order", "id"]
        verbose_name = _("respondent group")
        verbose_name_plural = _("respondent groups")
        constraints = [
            models.UniqueConstraint(fields=["survey", "name"], name="survey_group_unique")
        ]

    def __str__(self) -> str:
        return self.name


class SurveyInvitation(models.Model):
    """A personal link, sent by e-mail; the address is not kept, only the token's hash."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("survey invitation")
        verbose_name_plural = _("survey invitations")

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.token_hash[:8]}"


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    # The hash of the respondent's key (session) or of the invitation's token (invitation).
    respondent = models.CharField(max_length=64, editable=False)
    invitation = models.OneToOneField(
        SurveyInvitation, on_delete=models.CASCADE, null=True, blank=True, related_name="response"
    )
    group = models.ForeignKey(
        SurveyGroup, on_delete=models.PROTECT, null=True, blank=True, related_name="responses"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            # Answering again replaces the answers: never a second response.
            models.UniqueConstraint(fields=["survey", "respondent"], name="survey_response_once")
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}:{self.pk}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    score = models.ForeignKey(ProcessScore, on_delete=models.CASCADE, related_name="+")
    level = models.PositiveSmallIntegerField(_("level"))
    criteria = models.ManyToManyField(Criterion, blank=True, related_name="+")

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "score"], name="survey_answer_once"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=MAX_LEVELS),
                name="survey_answer_level_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score_id}: {self.level}"
