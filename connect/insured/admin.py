from django.contrib import admin

from connect.insured.models import InsuredQuestion, InsuredSurvey


@admin.register(InsuredQuestion)
class InsuredQuestionAdmin(admin.ModelAdmin):
    list_display = ["dossier", "asked_at", "answered_at"]
    list_filter = ["answered_at"]
    search_fields = ["dossier__reference"]
    raw_id_fields = ["dossier", "author", "answered_by"]
    readonly_fields = ["code", "asked_at"]


@admin.register(InsuredSurvey)
class InsuredSurveyAdmin(admin.ModelAdmin):
    list_display = ["dossier", "score", "answered_at", "called_back_at"]
    list_filter = ["score"]
    search_fields = ["dossier__reference"]
    raw_id_fields = ["dossier", "author", "called_back_by"]
    readonly_fields = ["code", "answered_at"]
