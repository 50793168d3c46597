"""A registry loaded before the approval-bureau flag existed gets its bureau marked."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("devolution", "0002_department_staff")]
AFTER = [("devolution", "0003_department_is_approval_bureau")]


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_marks_the_city_approval_bureau_by_its_name():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    Department = old_apps.get_model("devolution", "Department")
    Department.objects.create(
        full_name="盘锦市行政审批局", short_name="市行政审批局", level="city", sort_order=59
    )
    Department.objects.create(
        full_name="盘锦市民政局", short_name="市民政局", level="city", sort_order=7
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps
    Department = new_apps.get_model("devolution", "Department")
    marked = Department.objects.filter(is_approval_bureau=True)
    assert list(marked.values_list("full_name", flat=True)) == ["盘锦市行政审批局"]
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


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
