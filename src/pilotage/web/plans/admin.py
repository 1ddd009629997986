from django.contrib import admin

from pilotage.web.plans.models import Budget, BudgetLine, KpiTarget


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


@admin.register(Budget)
class BudgetAdmin(admin.ModelAdmin):
    list_display = ("workspace", "year", "name", "status", "approved_by", "approved_at")
    list_filter = ("status", "year", "workspace")
    inlines = [BudgetLineInline]


@admin.register(KpiTarget)
class KpiTargetAdmin(admin.ModelAdmin):
    list_display = (
        "workspace",
        "metric",
        "period_start",
        "period_end",
        "dimension",
        "dimension_value",
        "value",
    )
    list_filter = ("metric", "workspace")
