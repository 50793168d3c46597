"""Issue 15 item 9: a clerk's login, role, staff flag and department tie in one step."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.urls import reverse

from devolution.models import DepartmentStaff, department_of
from devolution.tests.factories import (
    CityDepartmentFactory,
    CountyDepartmentFactory,
    DepartmentStaffFactory,
    UserFactory,
)
from supervision.roles import CITY_STAFF, DEPARTMENT_STAFF, REFORM_OFFICE
from supervision.staff import create_login, departments_for_role

pytestmark = pytest.mark.django_db
PASSWORD = "panshan-rsj-2016"
NEW_LOGIN = "/admin/devolution/departmentstaff/new-login/"


def test_one_step_makes_a_staff_login_with_its_role_and_department():
    county = CountyDepartmentFactory()
    user = create_login(
        username="rsj-zhang",
        password=PASSWORD,
        department=county,
        role=DEPARTMENT_STAFF,
        name="张三",
    )
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [DEPARTMENT_STAFF]
    assert department_of(user) == county
    assert user.check_password(PASSWORD) and user.first_name == "张三"


def test_a_city_clerk_is_tied_to_a_city_department():
    city = CityDepartmentFactory()
    user = create_login(username="mzj-li", password=PASSWORD, department=city, role=CITY_STAFF)
    assert department_of(user) == city
    assert user.groups.get().name == CITY_STAFF


@pytest.mark.parametrize(
    "role,factory",
    [(DEPARTMENT_STAFF, CityDepartmentFactory), (CITY_STAFF, CountyDepartmentFactory)],
)
def test_a_role_of_the_other_level_is_refused_and_nothing_is_written(role, factory):
    department = factory()
    with pytest.raises(ValidationError) as refused:
        create_login(username="wrong", password=PASSWORD, department=department, role=role)
    assert "只能关联" in " ".join(refused.value.message_dict["department"])
    assert not get_user_model().objects.filter(username="wrong").exists()


def test_a_taken_username_or_a_weak_password_writes_nothing():
    UserFactory(username="rsj-zhang")
    county = CountyDepartmentFactory()
    with pytest.raises(ValidationError) as refused:
        create_login(username="RSJ-zhang", password="123", department=county, role=DEPARTMENT_STAFF)
    assert set(refused.value.message_dict) == {"username", "password"}
    assert "已被使用" in refused.value.message_dict["username"][0]
    assert get_user_model().objects.count() == 1
    assert not DepartmentStaff.objects.exists()


def test_the_picker_lists_the_roles_own_level_first():
    county, city = CountyDepartmentFactory(), CityDepartmentFactory()
    county_first = departments_for_role(DEPARTMENT_STAFF)
    assert [label for label, _ in county_first] == ["县承接部门", "市直部门"]
    assert county in county_first[0][1] and city not in county_first[0][1]
    city_first = departments_for_role(CITY_STAFF)
    assert [label for label, _ in city_first] == ["市直部门", "县承接部门"]
    assert city in city_first[0][1]


@pytest.fixture
def reform_office(client):
    user = UserFactory(username="bwb")
    user.groups.add(Group.objects.get(name=REFORM_OFFICE))
    client.force_login(user)
    return client


def login_form(role, username, **fields):
    """What the 开通账号 form posts, the initial password typed twice."""
    return {
        "role": role,
        "username": username,
        "password1": PASSWORD,
        "password2": PASSWORD,
        **fields,
    }


def optgroups(page):
    return re.findall(r'<optgroup label="([^"]+)">', page)


def test_the_reform_office_sets_up_a_clerk_on_one_screen(reform_office):
    county = CountyDepartmentFactory(short_name="县人社局", full_name="盘山县人力资源和社会保障局")
    CityDepartmentFactory()
    listing = reform_office.get("/admin/devolution/departmentstaff/").content.decode()
    assert NEW_LOGIN in listing
    page = reform_office.get(NEW_LOGIN).content.decode()
    assert optgroups(page) == ["县承接部门", "市直部门"]
    assert "县人社局（盘山县人力资源和社会保障局）" in page
    city_page = reform_office.get(NEW_LOGIN, {"role": CITY_STAFF}).content.decode()
    assert optgroups(city_page) == ["市直部门", "县承接部门"]
    response = reform_office.post(
        NEW_LOGIN,
        login_form(DEPARTMENT_STAFF, "rsj-zhang", department=county.pk, name="张三"),
        follow=True,
    )
    assert "已开通账号“rsj-zhang”" in response.content.decode()
    user = get_user_model().objects.get(username="rsj-zhang")
    assert department_of(user) == county and user.is_staff


def test_the_new_clerk_logs_in_and_works_at_once(reform_office, client):
    county = CountyDepartmentFactory()
    create_login(username="rsj-zhang", password=PASSWORD, department=county, role=DEPARTMENT_STAFF)
    client.logout()
    login = {"username": "rsj-zhang", "password": PASSWORD, "next": "/admin/"}
    assert client.post("/admin/login/", login).status_code == 302
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/items/devolveditem/").status_code == 200


def test_a_mismatch_is_shown_in_chinese_on_the_form_and_writes_nothing(reform_office):
    city = CityDepartmentFactory(short_name="市民政局")
    response = reform_office.post(
        NEW_LOGIN,
        {
            "role": DEPARTMENT_STAFF,
            "department": city.pk,
            "username": "x-clerk",
            "password1": PASSWORD,
            "password2": PASSWORD + "x",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "只能关联县承接部门；市民政局是市直部门" in page
    assert "两次输入的密码不一致" in page
    assert not get_user_model().objects.filter(username="x-clerk").exists()


def test_a_department_clerk_cannot_set_up_logins(client):
    clerk = DepartmentStaffFactory().user
    clerk.groups.add(Group.objects.get(name=DEPARTMENT_STAFF))
    client.force_login(clerk)
    assert client.get(NEW_LOGIN).status_code == 403
    post = client.post(NEW_LOGIN, {"role": DEPARTMENT_STAFF, "username": "sneak"})
    assert post.status_code == 403


def test_a_department_that_does_not_exist_is_a_form_error_not_a_500(reform_office):
    response = reform_office.post(
        NEW_LOGIN, {"role": "nonsense", "department": "99999999999999999999", "username": "\x00"}
    )
    assert response.status_code in (200, 400)


def test_an_office_login_is_tied_to_no_department_and_reaches_every_one():
    user = create_login(username="bwb-wang", password=PASSWORD, role=REFORM_OFFICE)
    assert user.groups.get().name == REFORM_OFFICE
    assert not DepartmentStaff.objects.filter(user=user).exists()
    assert user.has_perm("devolution.reach_all_departments")


@pytest.mark.parametrize(
    "role,department,error",
    [
        (REFORM_OFFICE, CountyDepartmentFactory, "不关联所属部门"),
        (DEPARTMENT_STAFF, None, "须关联所属部门"),
    ],
)
def test_an_office_role_with_a_department_or_a_clerk_without_one_is_refused(
    role, department, error
):
    with pytest.raises(ValidationError) as refused:
        create_login(
            username="wrong",
            password=PASSWORD,
            role=role,
            department=department() if department else None,
        )
    assert error in " ".join(refused.value.message_dict["department"])
    assert not get_user_model().objects.filter(username="wrong").exists()


def test_only_a_superuser_is_offered_the_office_roles(reform_office, client):
    page = reform_office.get(NEW_LOGIN).content.decode()
    assert "部门工作人员（县承接部门）" in page and "县编委办（全县" not in page
    sneak = reform_office.post(NEW_LOGIN, login_form(REFORM_OFFICE, "sneak"))
    assert "县编委办 不在可用的选项中" in sneak.content.decode()
    assert not get_user_model().objects.filter(username="sneak").exists()

    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    page = client.get(NEW_LOGIN).content.decode()
    assert "县编委办（全县" in page and "监察督查（全县只读" in page
    response = client.post(
        NEW_LOGIN, login_form(REFORM_OFFICE, "bwb-wang", department=""), follow=True
    )
    assert "已开通账号“bwb-wang”：县编委办，覆盖全县各部门" in response.content.decode()
    user = get_user_model().objects.get(username="bwb-wang")
    # Not a 部门人员 row: the page it lands on is the new account's own.
    assert response.redirect_chain[-1][0] == reverse("admin:auth_user_change", args=[user.pk])
    assert "不列入部门人员列表：以下为其账号页" in response.content.decode()
    assert user.is_staff and department_of(user) is None
