from django.contrib import admin

from pilotage.web.workspaces.models import AuditEvent, Membership, Workspace


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Workspace)
class WorkspaceAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "currency", "locale", "country", "fiscal_year_start_month")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "workspace", "actor", "action", "object_type", "summary")
    list_filter = ("action", "object_type")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
