"""Setting up a login: one step makes it, its role, the staff flag and, for a department's
staff, its department tie (DESIGN rule 7: a department's staff reach only their own
department). The admin's 开通账号 form calls it; so may any other door."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from devolution.models import Department, DepartmentStaff, department_of

from .roles import CITY_STAFF, DEPARTMENT_STAFF, OPERATOR, REFORM_OFFICE, SUPERVISION

# The roles of one department's staff, and the level of department each belongs to.
DEPARTMENT_ROLES = {
    DEPARTMENT_STAFF: Department.Level.COUNTY,
    CITY_STAFF: Department.Level.CITY,
}
ROLE_LABELS = {
    DEPARTMENT_STAFF: "部门工作人员（县承接部门）",
    CITY_STAFF: "市直部门工作人员（市直赋权部门）",
}
LEVEL_GROUPS = {Department.Level.COUNTY: "县承接部门", Department.Level.CITY: "市直部门"}
# The county offices' roles reach every department and are tied to none. Only a superuser (the
# system's administrator) gives them: the reform office sets up departments' staff, it does not
# widen anyone's reach to the whole county.
OFFICE_ROLES = {
    REFORM_OFFICE: "县编委办（全县：清单、调整、移交、期限、部门人员）",
    SUPERVISION: "监察督查（全县只读；登记问责）",
    OPERATOR: "数据操作员（全县只读；导入导出）",
}


def roles_given_by(user):
    """{role: label} of the logins `user` may set up: none for a department's own staff."""
    if not user.has_perm("devolution.add_departmentstaff") or department_of(user) is not None:
        return {}
    roles = dict(ROLE_LABELS)
    if user.is_superuser:
        roles.update(OFFICE_ROLES)
    return roles


def departments_for_role(role):
    """The departments a picker offers for `role`, grouped by level, the role's own level first:
    [(group label, [department, …]), …]. The other level is listed (after) so that a department
    is never missing from the picker, but `create_login` refuses it for this role."""
    own = DEPARTMENT_ROLES.get(role, Department.Level.COUNTY)
    departments = list(Department.objects.order_by("level", "sort_order", "id"))
    levels = [own, *[level for level in Department.Level.values if level != own]]
    return [(LEVEL_GROUPS[level], [d for d in departments if d.level == level]) for level in levels]


def check_role_and_department(role, department):
    """Refuses (ValidationError by field) a department's role without a department or with one
    of the other level, and an office's role with a department (the tie would narrow its reach
    to that department)."""
    if role in OFFICE_ROLES:
        if department is not None:
            raise ValidationError({"department": f"“{role}”覆盖全县各部门，不关联所属部门。"})
        return
    if role not in DEPARTMENT_ROLES:
        raise ValidationError({"role": "请选择一个角色。"})
    if department is None:
        raise ValidationError({"department": f"“{role}”须关联所属部门，请选择部门。"})
    wanted = DEPARTMENT_ROLES[role]
    if department.level != wanted:
        raise ValidationError(
            {
                "department": f"“{role}”只能关联{LEVEL_GROUPS[wanted]}；"
                f"{department.short_name}是{LEVEL_GROUPS[department.level]}。"
            }
        )


@transaction.atomic
def create_login(*, username, password, role, department=None, name="", email=""):
    """A new login in one step: staff flag on, the role's group and, for a department's staff,
    the department tie. Refuses (ValidationError by field) a role and department that do not go
    together (check_role_and_department), a taken username and a password the validators
    refuse; on any refusal nothing is written."""
    user_model = get_user_model()
    username = user_model.normalize_username(username.strip())
    errors = {}
    try:
        check_role_and_department(role, department)
    except ValidationError as error:
        errors.update(error.message_dict)
    if not username:
        errors["username"] = ["请填写用户名。"]
    elif user_model._default_manager.filter(username__iexact=username).exists():
        errors["username"] = [f"用户名“{username}”已被使用，请换一个。"]
    user = user_model(username=username, first_name=name.strip(), email=email.strip())
    try:
        validate_password(password, user)
    except ValidationError as error:
        errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)
    user.is_staff = True
    user.set_password(password)
    user.save()
    user.groups.add(Group.objects.get(name=role))
    if department is not None:
        DepartmentStaff.objects.create(user=user, department=department)
    return user
