from django.dispatch import Signal

# Sent after an import was committed, with `table` (its name), `record` (the ImportRecord) and
# `pks` (the primary keys of the records it created or changed).
# An import writes in bulk, which sends no post_save: whatever follows saves (derived item
# statuses, the public site's version) listens here instead.
import_committed = Signal()
