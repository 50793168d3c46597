"""Setting up a clerk: one step makes the login, its role, the staff flag and its department
tie (DESIGN rule 7: a department's staff reach only their own department). The admin's
开通部门账号 form calls it; so may any other door."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from devolution.models import Department, DepartmentStaff

from .roles import CITY_STAFF, DEPARTMENT_STAFF

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


def departments_for_role(role):
    """The departments a picker offers for `role`, grouped by level, the role's own level first:
    [(group label, [department, …]), …]. The other level is listed (after) so that a department
    is never missing from the picker, but `create_department_login` refuses it for this role."""
    own = DEPARTMENT_ROLES.get(role, Department.Level.COUNTY)
    departments = list(Department.objects.order_by("level", "sort_order", "id"))
    levels = [own, *[level for level in Department.Level.values if level != own]]
    return [(LEVEL_GROUPS[level], [d for d in departments if d.level == level]) for level in levels]


def check_role_and_department(role, department):
    if role not in DEPARTMENT_ROLES:
        raise ValidationError({"role": "请选择部门工作人员或市直部门工作人员。"})
    wanted = DEPARTMENT_ROLES[role]
    if department.level != wanted:
        raise ValidationError(
            {
                "department": f"“{role}”只能关联{LEVEL_GROUPS[wanted]}；"
                f"{department.short_name}是{LEVEL_GROUPS[department.level]}。"
            }
        )


@transaction.atomic
def create_department_login(*, username, password, department, role, name="", email=""):
    """A new login for `department`'s staff in one step: staff flag on, the role's group, the
    department tie. Refuses (ValidationError by field) a role that does not match the
    department's level, a taken username and a password the validators refuse; on any refusal
    nothing is written."""
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
    DepartmentStaff.objects.create(user=user, department=department)
    return user
