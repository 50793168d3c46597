from django import forms
from django.core.exceptions import ValidationError

from devolution.models import Department

from .roles import DEPARTMENT_STAFF
from .staff import (
    OFFICE_ROLES,
    check_role_and_department,
    create_login,
    departments_for_role,
)


class LoginForm(forms.Form):
    """开通账号: the login, its role and department on one screen (staff.py decides)."""

    role = forms.ChoiceField(label="角色", widget=forms.RadioSelect)
    department = forms.TypedChoiceField(
        label="所属部门",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="县承接部门的工作人员关联县承接部门，市直部门的工作人员关联市直部门。",
    )
    username = forms.CharField(
        label="用户名", max_length=150, help_text="登录时填写，例如 rsj-zhang。"
    )
    name = forms.CharField(label="姓名", max_length=150, required=False)
    email = forms.EmailField(label="电子邮箱", required=False)
    password1 = forms.CharField(
        label="初始密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="至少 8 个字符，不能全是数字，不能与用户名相近。请当面或电话告知本人。",
    )
    password2 = forms.CharField(
        label="再次输入密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, roles, role=None, **kwargs):
        """`roles`: {role: label} the user may give (staff.roles_given_by)."""
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = list(roles.items())
        self.offers_office_roles = not roles.keys().isdisjoint(OFFICE_ROLES)
        if self.offers_office_roles:
            self.fields[
                "department"
            ].help_text += "县编委办、监察督查、数据操作员覆盖全县，不选部门。"
        role = self.data.get("role") or role or DEPARTMENT_STAFF
        self.initial.setdefault("role", role if role in roles else DEPARTMENT_STAFF)
        self.fields["department"].choices = [("", "请选择部门（全县角色不选）")] + [
            (group, [(d.pk, f"{d.short_name}（{d.full_name}）") for d in departments])
            for group, departments in departments_for_role(role)
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", "两次输入的密码不一致。")
        pk = cleaned.get("department")
        cleaned["department"] = Department.objects.filter(pk=pk).first() if pk else None
        if pk and cleaned["department"] is None:
            self.add_error("department", "所选部门不存在，请重新选择。")
        elif "role" in cleaned:
            # The service checks again on save; here so that every refusal shows at once.
            try:
                check_role_and_department(cleaned["role"], cleaned["department"])
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned

    def save(self):
        """The new login, or None with the refusals added to the form's errors."""
        data = self.cleaned_data
        try:
            return create_login(
                username=data["username"],
                password=data["password1"],
                department=data["department"],
                role=data["role"],
                name=data["name"],
                email=data["email"],
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error("password1" if field == "password" else field, message)
            return None
