"""The Django admin, reachable by the Admin role alone."""

from django.contrib import admin

from kb.lib.roles import is_admin


class TanyuanAdminSite(admin.AdminSite):
    site_header = "Tanyuan 探源"
    site_title = "Tanyuan admin"

    def has_permission(self, request):
        return request.user.is_active and is_admin(request.user)
