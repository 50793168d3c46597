from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from devolution.admin import DepartmentStaffAdmin, RegistryRecordAdmin
from devolution.models import DepartmentStaff

from .forms import LoginForm
from .models import Accountability
from .staff import DEPARTMENT_ROLES, LEVEL_GROUPS, roles_given_by


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


admin.site.unregister(DepartmentStaff)


@admin.register(DepartmentStaff)
class ClerkSetupAdmin(DepartmentStaffAdmin):
    """部门人员, with 开通账号: a login, role and department tie on one screen."""

    change_list_template = "admin/supervision/departmentstaff_change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.new_login_view)
        return [
            path("new-login/", view, name="devolution_departmentstaff_new_login"),
            *super().get_urls(),
        ]

    def may_set_up_logins(self, request):
        # The reform office's work (and a superuser's): never a department's own staff.
        return bool(roles_given_by(request.user))

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "may_set_up_logins": self.may_set_up_logins(request),
        }
        return super().changelist_view(request, extra_context)

    def new_login_view(self, request):
        roles = roles_given_by(request.user)
        if not roles:
            raise PermissionDenied
        form = LoginForm(request.POST or None, roles=roles, role=request.GET.get("role"))
        if request.method == "POST" and form.is_valid():
            user = form.save()
            if user is not None:
                department = form.cleaned_data["department"]
                added = user.department_staff if department is not None else user
                self.log_addition(request, added, [{"added": {}}])
                reach = f"所属部门 {department}" if department else "覆盖全县各部门"
                # A county-wide login is tied to no department, so the 部门人员 list does
                # not show it: its own account page does, to whoever may read accounts.
                landing, where = reverse("admin:devolution_departmentstaff_changelist"), ""
                if department is None:
                    where = "该账号不属于某一部门，不列入部门人员列表"
                    if request.user.has_perm("auth.view_user"):
                        landing = reverse("admin:auth_user_change", args=[user.pk])
                        where += "：以下为其账号页"
                    where += "。"
                self.message_user(
                    request,
                    f"已开通账号“{user.username}”：{form.cleaned_data['role']}，{reach}。"
                    f"本人可用初始密码登录。{where}",
                    messages.SUCCESS,
                )
                return redirect(landing)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "开通账号",
            "form": form,
            # The picker's group of each role's own level (department_login.js puts it first).
            "role_levels": {role: LEVEL_GROUPS[level] for role, level in DEPARTMENT_ROLES.items()},
        }
        return TemplateResponse(request, "admin/supervision/department_login.html", context)
