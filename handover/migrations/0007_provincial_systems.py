# Ports name a system from the list of provincial systems, not a typed name (issue 11.5).

import django.db.models.deletion
from django.db import migrations, models


def systems_from_names(apps, schema_editor):
    system_model = apps.get_model("items", "ProvincialSystem")
    for label in ("ProvincialPort", "HistoricalProvincialPort"):
        model = apps.get_model("handover", label)
        for name in sorted(set(model.objects.values_list("system_name", flat=True))):
            system, _ = system_model.objects.get_or_create(name=name.strip())
            model.objects.filter(system_name=name).update(system=system)


def names_from_systems(apps, schema_editor):
    for label in ("ProvincialPort", "HistoricalProvincialPort"):
        model = apps.get_model("handover", label)
        for port in model.objects.select_related("system"):
            model.objects.filter(pk=port.pk).update(system_name=port.system.name)


class Migration(migrations.Migration):

    dependencies = [
        ('devolution', '0013_merge_20261202_0434'),
        ('handover', '0006_sides_notices_training_documents'),
        ('items', '0005_provincial_systems'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicalprovincialport',
            name='system',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='items.provincialsystem', verbose_name='省级系统'),
        ),
        migrations.AddField(
            model_name='provincialport',
            name='system',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='ports', to='items.provincialsystem', verbose_name='省级系统'),
        ),
        migrations.RunPython(systems_from_names, names_from_systems),
        migrations.RemoveConstraint(
            model_name='provincialport',
            name='port_one_per_system',
        ),
        migrations.RemoveField(
            model_name='historicalprovincialport',
            name='system_name',
        ),
        migrations.RemoveField(
            model_name='provincialport',
            name='system_name',
        ),
        migrations.AlterField(
            model_name='provincialport',
            name='system',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='ports', to='items.provincialsystem', verbose_name='省级系统'),
        ),
        migrations.AlterModelOptions(
            name='provincialport',
            options={'ordering': ['county_department__sort_order', 'system__name'], 'verbose_name': '省级系统端口', 'verbose_name_plural': '省级系统端口'},
        ),
        migrations.AddConstraint(
            model_name='provincialport',
            constraint=models.UniqueConstraint(fields=('county_department', 'system'), name='port_one_per_system'),
        ),
    ]
