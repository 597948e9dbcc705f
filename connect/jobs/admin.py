from django.contrib import admin

from connect.jobs.models import FailedJob


@admin.register(FailedJob)
class FailedJobAdmin(admin.ModelAdmin):
    """Jobs that gave up, for administrators to see (and read why): read-only."""

    list_display = ("task_name", "attempts", "enqueued_at", "finished_at", "exception_class_path")
    readonly_fields = (
        "task_path",
        "args_kwargs",
        "worker_ids",
        "exception_class_path",
        "traceback",
    )
    fields = readonly_fields
    ordering = ["-finished_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status="FAILED")

    @admin.display(description="essais")
    def attempts(self, obj):
        return len(obj.worker_ids)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
