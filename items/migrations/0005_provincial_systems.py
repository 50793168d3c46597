# The provincial systems become a list that items and ports choose from (issue 11.5).

import devolution.models
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def systems_from_names(apps, schema_editor):
    """Each distinct typed system name becomes one ProvincialSystem, and the items (and their
    history rows) point at it."""
    system_model = apps.get_model("items", "ProvincialSystem")
    for label in ("DevolvedItem", "HistoricalDevolvedItem"):
        model = apps.get_model("items", label)
        names = model.objects.exclude(provincial_system="").values_list(
            "provincial_system", flat=True
        )
        for name in sorted(set(names)):
            system, _ = system_model.objects.get_or_create(name=name.strip())
            model.objects.filter(provincial_system=name).update(provincial_system_ref=system)


def names_from_systems(apps, schema_editor):
    system_model = apps.get_model("items", "ProvincialSystem")
    for label in ("DevolvedItem", "HistoricalDevolvedItem"):
        model = apps.get_model("items", label)
        for system in system_model.objects.all():
            model.objects.filter(provincial_system_ref=system).update(provincial_system=system.name)


class Migration(migrations.Migration):

    dependencies = [
        ('items', '0004_approval_bureau_switch'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ProvincialSystem',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, unique=True, verbose_name='系统名称')),
                ('note', models.TextField(blank=True, verbose_name='备注')),
            ],
            options={
                'verbose_name': '省级业务系统',
                'verbose_name_plural': '省级业务系统',
                'ordering': ['name'],
            },
            bases=(devolution.models.KeptRecord, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalProvincialSystem',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('name', models.CharField(db_index=True, max_length=200, verbose_name='系统名称')),
                ('note', models.TextField(blank=True, verbose_name='备注')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': '省级业务系统历史',
                'verbose_name_plural': 'historical 省级业务系统',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddField(
            model_name='devolveditem',
            name='provincial_system_ref',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='items.provincialsystem'),
        ),
        migrations.AddField(
            model_name='historicaldevolveditem',
            name='provincial_system_ref',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='items.provincialsystem'),
        ),
        migrations.RunPython(systems_from_names, names_from_systems),
        migrations.RemoveField(model_name='devolveditem', name='provincial_system'),
        migrations.RemoveField(model_name='historicaldevolveditem', name='provincial_system'),
        migrations.RenameField(model_name='devolveditem', old_name='provincial_system_ref', new_name='provincial_system'),
        migrations.RenameField(model_name='historicaldevolveditem', old_name='provincial_system_ref', new_name='provincial_system'),
        migrations.AlterField(
            model_name='devolveditem',
            name='provincial_system',
            field=models.ForeignKey(blank=True, help_text='需在省级系统办理的事项，端口开通前县不能独立行使。', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='items', to='items.provincialsystem', verbose_name='所需省级系统'),
        ),
        migrations.AlterField(
            model_name='historicaldevolveditem',
            name='provincial_system',
            field=models.ForeignKey(blank=True, db_constraint=False, help_text='需在省级系统办理的事项，端口开通前县不能独立行使。', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='items.provincialsystem', verbose_name='所需省级系统'),
        ),
    ]
