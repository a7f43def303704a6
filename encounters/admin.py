from django.contrib import admin

from encounters.models import Right


@admin.register(Right)
class RightAdmin(admin.ModelAdmin):
    list_display = ["short_name", "name", "administered_by", "is_active", "position"]
    list_editable = ["is_active", "position"]
    search_fields = ["short_name", "name", "administered_by"]
