"""Reading the current run's stored lists: a vacancy's candidates, a worker's vacancies."""

from matching.models import Match


def matches_for_vacancy(vacancy_id: int):
    return (
        Match.objects.current()
        .filter(vacancy_id=vacancy_id, in_vacancy_top=True)
        .select_related("run", "vacancy")  # Match.missing decodes with both
        .order_by("-score", "profile_id")
    )


def matches_for_worker_any(profile_id: int):
    """Every stored match of the worker (their own list and vacancies' lists)."""
    return Match.objects.current().filter(profile_id=profile_id)


def matches_for_worker(profile_id: int):
    return (
        Match.objects.current()
        .filter(profile_id=profile_id, in_worker_top=True)
        .select_related("run", "vacancy")  # Match.missing decodes with both
        .order_by("-score", "vacancy_id")
    )
