from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    """Pairing workers with demand: the scoring engine, matches, encoded workers."""

    name = "matching"
    verbose_name = _("Matching")

    def ready(self):
        # Vacancies and migrants sit below matching: they announce their changes and
        # matching rescores (exchange/events.py).
        from exchange.events import vacancy_changed, worker_changed
        from matching import scheduling

        def rescore_vacancy(sender, vacancy_id, **kwargs):
            scheduling.schedule_vacancy_rematch(vacancy_id)

        def rescore_worker(sender, profile_id, **kwargs):
            scheduling.schedule_worker_rematch(profile_id)

        vacancy_changed.connect(rescore_vacancy, weak=False, dispatch_uid="matching.vacancy")
        worker_changed.connect(rescore_worker, weak=False, dispatch_uid="matching.worker")

        # The vacancy search sorts a worker's results by their match scores.
        from vacancies.search import register_match_scores

        def match_scores(profile_id):
            from matching.services import matches_for_worker_any

            return dict(matches_for_worker_any(profile_id).values_list("vacancy_id", "score"))

        register_match_scores(match_scores)
