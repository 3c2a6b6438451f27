"""Stored matching results: which workers fit which vacancies, and why."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from migrants.models import MigrantProfile
from vacancies.models import Vacancy


class MatchRun(models.Model):
    """One full rematch. Readers see the matches of the newest *finished* run, so a run
    that stops half-way leaves the previous results in place; incremental updates edit
    the current run's rows."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    engine_version = models.CharField(_("engine version"), max_length=20)
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    workers = models.PositiveIntegerField(_("workers"), default=0)
    vacancies = models.PositiveIntegerField(_("vacancies"), default=0)
    pairs_scored = models.BigIntegerField(_("pairs scored"), default=0)
    matches_stored = models.PositiveIntegerField(_("matches stored"), default=0)
    seconds = models.FloatField(_("seconds"), default=0)
    # Unit group code -> skill codes in bit order: decodes Match.missing_skills as the
    # run saw them, even after the skill reference data changes.
    skill_vocabulary = models.JSONField(default=dict, editable=False)
    # Seconds per stage (load, score, explain, store), for the staff page and the bench.
    stages = models.JSONField(default=dict, editable=False)
    # The run wrote every open worker's BlockWorker rows (a full rematch does): from
    # then on a vacancy's block is read from there. The empty run made before the
    # first rematch reads the registry's own tables.
    block_workers_written = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")

    def __str__(self) -> str:
        return f"#{self.pk} {self.status} ({self.matches_stored})"

    @classmethod
    def current(cls) -> "MatchRun | None":
        return (
            cls.objects.filter(status=cls.Status.FINISHED).order_by("-finished_at", "-pk").first()
        )


class MatchQuerySet(models.QuerySet):
    """Reads of stored matches."""

    def current(self) -> "MatchQuerySet":
        """The matches readers see: those of the current run (MatchRun.current(), looked
        up when called), none before the first rematch; a run being written or one that
        failed is never seen. One pair's: ``.current().filter(vacancy_id=..., profile_id=...)``."""
        run = MatchRun.current()
        return self.none() if run is None else self.filter(run=run)


class Match(models.Model):
    """A worker × vacancy pair in the vacancy's top list, the worker's, or both.

    Compact on purpose (a national rematch stores millions of rows): one float column
    per score component and the missing items as bits, decoded for display by
    `components` and `missing`.
    """

    run = models.ForeignKey(
        MatchRun, on_delete=models.CASCADE, related_name="matches", db_index=False
    )
    vacancy = models.ForeignKey(
        Vacancy, on_delete=models.CASCADE, related_name="matches", db_index=False
    )
    profile = models.ForeignKey(
        MigrantProfile, on_delete=models.CASCADE, related_name="matches", db_index=False
    )
    score = models.FloatField(_("score"))
    in_vacancy_top = models.BooleanField(default=False)  # among the vacancy's best workers
    in_worker_top = models.BooleanField(default=False)  # among the worker's best vacancies
    # The components, in [0, 1], in matching.engine.Weights.COMPONENTS order.
    occupation = models.FloatField(_("occupation"))
    skills = models.FloatField(_("skills"))
    languages = models.FloatField(_("languages"))
    region = models.FloatField(_("region"))
    salary = models.FloatField(_("salary"))
    experience = models.FloatField(_("experience"))
    availability = models.FloatField(_("availability"))
    # Bit b set: the worker lacks skill b of the run's vocabulary for the vacancy's
    # unit group (MatchRun.skill_vocabulary). Stored as a signed 64-bit integer.
    missing_skills = models.BigIntegerField(default=0)
    # Byte l (LANGS order) = held level << 4 | required level, for each required
    # language the worker holds below the required CEFR level; 0 elsewhere.
    language_gaps = models.BigIntegerField(default=0)
    engine_version = models.CharField(max_length=20)
    computed_at = models.DateTimeField(default=timezone.now)

    objects = MatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        # Two indexes besides the id, rebuilt after every full rematch (22 M rows at
        # national size, so each costs seconds): profile first for the unique one,
        # as the rematch writes rows in profile order (a presorted build) and it also
        # serves a worker's list (a few dozen rows, sorted after the read) and
        # deleting a worker's rows; vacancy first for the other, which serves a
        # vacancy's candidates in score order and deleting a vacancy's rows.
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "vacancy", "run"], name="match_once_per_run"
            ),
        ]
        indexes = [
            models.Index(fields=["vacancy", "run", "-score"], name="match_by_vacancy"),
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} × {self.vacancy_id}: {self.score:.3f}"

    @property
    def components(self) -> dict[str, float]:
        from matching.engine import Weights

        return {name: getattr(self, name) for name in Weights.COMPONENTS}

    def set_components(self, values) -> None:
        from matching.engine import Weights

        for name, value in zip(Weights.COMPONENTS, values, strict=True):
            setattr(self, name, float(value))

    @property
    def missing(self) -> dict:
        """{"skills": [skill codes the worker lacks], "languages": [[code, held,
        required], ...]} with CEFR levels as the engine's numbers (1 A1 … 7 native)."""
        from matching.engine.decode import decode_language_gaps, skill_codes_from_bits

        return {
            "skills": skill_codes_from_bits(
                self.run.skill_vocabulary, self.vacancy.occupation_id, self.missing_skills
            ),
            "languages": decode_language_gaps(self.language_gaps),
        }


class BlockWorker(models.Model):
    """An open worker's engine row, once per occupation block (ISCO minor group) of
    their occupation slots, in the encoding of the current run (its skill vocabulary).

    One changed vacancy reads its block from here in one primary-key range scan
    (60 ms for a block of 200,000 workers), instead of reading the profiles and four
    related tables through the block's occupations (3 s). A full rematch rewrites the table
    from its snapshot; every incremental update of a worker rewrites that worker's rows
    (and deletes them when the worker leaves matching), so the table follows the same
    edits as the stored matches. See docs/decisions/0005-matching-engine.md.
    """

    pk = models.CompositePrimaryKey("block", "profile")
    block = models.PositiveSmallIntegerField()  # the unit code // 10
    # No database constraint: millions of rows are copied in at each rematch, and a
    # deleted profile's rows go with its worker update (and Django's cascade).
    profile = models.ForeignKey(
        MigrantProfile, on_delete=models.CASCADE, db_constraint=False, related_name="+"
    )
    # The worker's engine row, packed as matching.encoding.blocks.WORKER_ROW: one field
    # instead of eighteen makes a block's rows three times faster to read.
    row = models.BinaryField()

    class Meta:
        verbose_name = _("encoded worker")
        verbose_name_plural = _("encoded workers")

    def __str__(self) -> str:
        return f"{self.profile_id} in block {self.block:03d}"
