from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm

from connect.accounts.models import (
    AccessCode,
    Garage,
    LoginFailure,
    Membership,
    NotificationPreference,
    Unit,
    User,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "garage"]


class UserCreationAdminForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "role", "unit"]


class UserChangeAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "unit", "is_active", "last_login"]
    list_filter = ["role", "unit", "is_account_manager", "is_active"]
    list_select_related = ["unit"]
    search_fields = ["email", "full_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Identité", {"fields": ["full_name", "phone"]}),
        (
            "Rôle",
            {"fields": ["role", "unit", "is_account_manager", "is_active", "is_superuser"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "full_name", "role", "unit", "password1", "password2"]})
    ]
    filter_horizontal = []
    readonly_fields = ["last_login", "date_joined"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(Garage)
class GarageAdmin(admin.ModelAdmin):
    list_display = ["name", "external_id", "city", "unit", "expert"]
    list_filter = ["unit"]
    list_select_related = ["unit", "expert"]
    search_fields = ["name", "external_id", "siret", "city"]
    autocomplete_fields = ["expert"]
    inlines = [MembershipInline]


@admin.register(AccessCode)
class AccessCodeAdmin(admin.ModelAdmin):
    """Issued codes are kept for good (never issued twice): read-only, never deleted."""

    list_display = ["code", "user", "issued_at"]
    search_fields = ["code", "user__email"]
    readonly_fields = ["code", "user", "issued_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    """Staff unlock an account or an address by deleting its failures."""

    list_display = ["username", "ip", "at"]
    search_fields = ["username", "ip"]
    list_filter = ["at"]
    readonly_fields = ["username", "ip", "at"]

    def has_add_permission(self, request):
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "mode"]
    list_filter = ["mode"]
    list_select_related = ["user"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
