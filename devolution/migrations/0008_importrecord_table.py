# One word per idea: an import brings in one of the exchange's tables, not a "kind".
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("devolution", "0007_reach_all_departments")]

    operations = [migrations.RenameField("importrecord", "kind", "table")]
