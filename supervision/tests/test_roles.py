"""The role groups come back after a flush (post_migrate), with every app's permissions."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from supervision.roles import ROLES, permission_codenames


@pytest.mark.django_db(transaction=True)
def test_a_flush_leaves_every_role_group_with_its_permissions():
    Group.objects.all().delete()
    call_command("flush", interactive=False, verbosity=0)
    for role in ROLES:
        group = Group.objects.get(name=role)
        held = sorted(group.permissions.values_list("content_type__app_label", "codename"))
        assert held == permission_codenames(role), role
