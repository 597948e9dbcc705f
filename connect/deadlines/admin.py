from django.contrib import admin

from connect.deadlines.models import OpeningHours, ServiceLevel, WaitPeriod
from connect.lib.admin import ReadOnlyAdmin


@admin.register(ServiceLevel)
class ServiceLevelAdmin(admin.ModelAdmin):
    list_display = ["kind", "subject", "amount", "measure"]
    list_filter = ["kind", "measure"]
    fieldsets = [
        (
            None,
            {
                "fields": ["kind", "subject", "amount", "measure"],
                "description": (
                    "Le délai s'applique aux nouvelles attentes et aux attentes en cours au "
                    "prochain changement de leur dossier. « Objet » : la clé d'un objet de "
                    "message (expert, conseiller, divers…) pour un délai propre à cet objet ; "
                    "vide, le délai vaut pour tous les objets. Une attente sans délai n'a pas "
                    "d'échéance."
                ),
            },
        )
    ]


@admin.register(OpeningHours)
class OpeningHoursAdmin(admin.ModelAdmin):
    list_display = ["unit", "weekday", "opens", "closes"]
    list_filter = ["unit", "weekday"]
    fieldsets = [
        (
            None,
            {
                "fields": ["unit", "weekday", "opens", "closes"],
                "description": (
                    "Une ligne par plage d'ouverture (deux lignes pour une pause de midi). Une "
                    "unité sans aucune ligne travaille du lundi au vendredi, 9 h – 12 h 30 et "
                    "14 h – 18 h. Les jours fériés français ne comptent jamais."
                ),
            },
        )
    ]


@admin.register(WaitPeriod)
class WaitPeriodAdmin(ReadOnlyAdmin):
    """Derived by the clock (deadlines.services.recompute): inspected, never edited."""

    list_display = ["dossier", "kind", "side", "since", "due_at", "ended_at"]
    list_filter = ["kind", "side"]
    raw_id_fields = ["dossier"]
    search_fields = ["dossier__reference"]
    list_select_related = ["dossier"]
    show_full_result_count = False
