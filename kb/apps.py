"""App configs: the knowledge app and the Tanyuan admin site."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = "Knowledge base"
    default = True
    default_auto_field = "django.db.models.BigAutoField"


class TanyuanAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "kb.admin_site.TanyuanAdminSite"
