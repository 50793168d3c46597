"""A registry loaded before the approval-bureau flag existed gets its bureau marked."""

import pytest
from django.db import connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

BEFORE = [("devolution", "0002_department_staff")]
AFTER = [("devolution", "0003_department_is_approval_bureau")]
SCRATCH = "before_the_flag"


@pytest.fixture
def scratch_database(django_db_setup, django_db_blocker, tmp_path):
    """An empty database of the test database's vendor, under an alias of its own: migrating it
    forward to BEFORE and then to AFTER runs the real migrations without taking the test
    database back through every later one (that was most of a minute). No test case wraps it
    (a test case admits only the aliases it declares)."""
    with django_db_blocker.unblock():
        yield from _scratch_database(tmp_path)


def _scratch_database(tmp_path):
    settings_dict = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "before_the_flag.sqlite3")
    else:
        settings_dict["NAME"] = f"{connection.settings_dict['NAME']}_{SCRATCH}"[:63]
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}"')
            cursor.execute(f'CREATE DATABASE "{settings_dict["NAME"]}"')
    connections.settings[SCRATCH] = settings_dict
    try:
        yield connections[SCRATCH]
    finally:
        connections[SCRATCH].close()
        del connections[SCRATCH]
        del connections.settings[SCRATCH]
        if connection.vendor != "sqlite":
            with connection._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}"')


def unsquashed(database):
    """An executor of the migrations a registry at BEFORE goes on through: the ones the squashed
    0001_squashed_0014_constraint_messages replaces (a new database takes the squashed one)."""
    executor = MigrationExecutor(database)
    executor.loader = MigrationLoader(database, replace_migrations=False)
    return executor


def test_the_data_migration_marks_the_city_approval_bureau_by_its_name(scratch_database):
    executor = unsquashed(scratch_database)
    executor.migrate(BEFORE)
    Department = executor.loader.project_state(BEFORE).apps.get_model("devolution", "Department")
    for full_name, short_name, sort_order in [
        ("盘锦市行政审批局", "市行政审批局", 59),
        ("盘锦市民政局", "市民政局", 7),
    ]:
        Department.objects.using(SCRATCH).create(
            full_name=full_name, short_name=short_name, level="city", sort_order=sort_order
        )

    executor = unsquashed(scratch_database)
    executor.migrate(AFTER)
    Department = executor.loader.project_state(AFTER).apps.get_model("devolution", "Department")
    marked = Department.objects.using(SCRATCH).filter(is_approval_bureau=True)
    assert list(marked.values_list("full_name", flat=True)) == ["盘锦市行政审批局"]


@pytest.mark.django_db
def test_the_data_migration_strips_the_copied_page_chrome_from_stored_plans():
    import importlib

    from django.apps import apps

    from devolution.tests.factories import PlanFactory

    migration = importlib.import_module("devolution.migrations.0010_plan_text_without_page_chrome")
    scraped = PlanFactory(
        text="标题 的通知\n\n发布时间:2016-09-11 浏览次数:181\n文号\n\n\xa0\n\n正文"
    )
    clean = PlanFactory(text="正文一\n\n正文二")
    migration.clean_plan_texts(apps, None)
    scraped.refresh_from_db()
    clean.refresh_from_db()
    assert (scraped.text, clean.text) == ("文号\n\n正文", "正文一\n\n正文二")
