from django.contrib import admin

from .models import IdentityLink


@admin.register(IdentityLink)
class IdentityLinkAdmin(admin.ModelAdmin):
    list_display = ["user", "subject", "created_at", "last_login_at"]
    search_fields = ["user__username", "subject"]
    raw_id_fields = ["user"]
    readonly_fields = ["created_at", "last_login_at"]
