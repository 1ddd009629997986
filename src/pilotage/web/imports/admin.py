from django.contrib import admin

from pilotage.web.imports.models import ChannelRule, ImportRecord


@admin.register(ImportRecord)
class ImportRecordAdmin(admin.ModelAdmin):
    list_display = ("file_name", "workspace", "source", "status", "rows_read", "created_at")
    list_filter = ("workspace", "source", "status")
    readonly_fields = [f.name for f in ImportRecord._meta.fields]


@admin.register(ChannelRule)
class ChannelRuleAdmin(admin.ModelAdmin):
    list_display = ("workspace", "position", "channel", "platform", "source", "medium", "campaign")
    list_filter = ("workspace",)
