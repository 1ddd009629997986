from django.contrib import admin

from pilotage.web.experiments.models import ArmResult, Experiment


class ArmResultInline(admin.TabularInline):
    model = ArmResult
    extra = 0


@admin.register(Experiment)
class ExperimentAdmin(admin.ModelAdmin):
    list_display = ("name", "workspace", "channel", "status", "decision", "planned_start")
    list_filter = ("status", "decision")
    inlines = [ArmResultInline]
