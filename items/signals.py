from django.dispatch import Signal

# Sent after item statuses were rewritten in bulk (no post_save is sent for those rows), with
# `item_ids`: the items whose status changed.
item_statuses_changed = Signal()

# Sent after an adjustment was published (its items written in bulk), with `adjustment` and
# `version`: the items it touched are `DevolvedItem.objects.filter(changes__adjustment=...)`.
list_published = Signal()
