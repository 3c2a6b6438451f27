from django.contrib import admin

from matching.models import Match, MatchRun


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin):
    list_display = [
        "pk",
        "status",
        "started_at",
        "finished_at",
        "workers",
        "vacancies",
        "matches_stored",
        "seconds",
    ]
    list_filter = ["status"]


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ["vacancy", "profile", "score", "in_vacancy_top", "in_worker_top", "run"]
    list_filter = ["in_vacancy_top", "in_worker_top"]
    raw_id_fields = ["vacancy", "profile", "run"]
