from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "connect.staff"

    def ready(self) -> None:
        from connect.accounts.services import repairer_attached
        from connect.staff.services import audit_attachment

        repairer_attached.connect(audit_attachment, dispatch_uid="staff.audit_attachment")
