"""Authentication backend giving the Admin role every permission."""

from django.contrib.auth.backends import BaseBackend

from kb.lib.roles import is_admin


class RoleBackend(BaseBackend):
    def has_perm(self, user_obj, perm, obj=None):
        return user_obj.is_active and is_admin(user_obj)

    def has_module_perms(self, user_obj, app_label):
        return user_obj.is_active and is_admin(user_obj)
