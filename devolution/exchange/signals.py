from django.dispatch import Signal

# Sent after an import was committed, with `table` (its name) and `record` (the ImportRecord).
# An import writes in bulk, which sends no post_save: whatever follows saves (derived item
# statuses, the public site's version) listens here instead.
import_committed = Signal()
