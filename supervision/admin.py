from django.contrib import admin

from devolution.admin import RegistryRecordAdmin

from .models import Accountability


@admin.register(Accountability)
class AccountabilityAdmin(RegistryRecordAdmin):
    department_field = city_department_field = "department"
    list_display = ["decided_on", "department", "measure", "persons", "recorded_by"]
    list_filter = ["measure", ("department", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["department", "recorded_by"]
    search_fields = ["department__short_name", "department__full_name", "persons", "findings"]
    autocomplete_fields = ["department", "flags"]
    date_hierarchy = "decided_on"

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
