"""The roles of the registry, as Django groups. The migrations create them; changing a role means
editing ROLES and adding a migration that calls `apply_roles` again. After every migrate and
every flush (a transactional test's) `roles_after_migrate` makes them again from ROLES.

Department staff are further confined to their own department by DepartmentStaff and the
admin's department scoping; the groups say what they may do, the scoping says to which records.
"""

VIEW, ADD, CHANGE = "view", "add", "change"
# The three answers of an evaluation (evaluation.services.SECTIONS): the county department's
# self-assessment, the city department's comment, the reform office's recommendation.
ASSESS, COMMENT, RECOMMEND = "assess", "comment", "recommend"
# 动态调整 (items.adjustments): a second person reviews, the office publishes.
REVIEW, PUBLISH = "review", "publish"
ALL = (VIEW, ADD, CHANGE)  # nobody deletes: records are retired or resolved instead

REGISTRY_MODELS = [
    "devolution.plan",
    "devolution.holiday",
    "devolution.importrecord",
    "devolution.department",
    "items.devolveditem",
    "items.cancelledapproval",
    "items.provincialsystem",
    "seals.seal",
    "seals.sealcustodyevent",
    "seals.sealusage",
    "handover.handover",
    "handover.handoverexclusion",
    "handover.trainingperiod",
    "handover.trainingextension",
    "handover.trainingassistance",
    "handover.provincialport",
    "handover.forwardeddocument",
    "handover.deadlineflag",
    "supervision.accountability",
    "evaluation.evaluationround",
    "evaluation.itemevaluation",
    "items.listversion",
    "items.adjustment",
    "items.adjustmentchange",
]
# A department proposes adjustments of its own items (the scoping confines it); versions are
# made by publishing only, never by hand.
PROPOSER = {
    "items.listversion": (VIEW,),
    "items.adjustment": (VIEW, ADD, CHANGE),
    "items.adjustmentchange": ALL,
}

DEPARTMENT_STAFF = "部门工作人员"  # a county receiving department's staff
CITY_STAFF = "市直部门工作人员"  # a city department's staff: the giving side
REFORM_OFFICE = "县编委办"
SUPERVISION = "监察督查"
OPERATOR = "数据操作员"

ROLES = {
    DEPARTMENT_STAFF: {
        "devolution.plan": (VIEW,),
        "devolution.holiday": (VIEW,),
        "devolution.importrecord": (VIEW,),
        # Their own department only (scoping): e.g. to keep its contact e-mail current.
        "devolution.department": (VIEW, CHANGE),
        "items.devolveditem": (VIEW, CHANGE),
        "items.cancelledapproval": (VIEW,),
        "items.provincialsystem": (VIEW,),
        "seals.seal": (VIEW, CHANGE),
        "seals.sealcustodyevent": (VIEW, ADD),
        "seals.sealusage": ALL,
        "handover.handover": (VIEW,),
        "handover.handoverexclusion": (VIEW,),
        "handover.trainingperiod": (VIEW, CHANGE),
        "handover.trainingextension": (VIEW,),
        "handover.trainingassistance": (VIEW,),
        "handover.provincialport": ALL,
        "handover.forwardeddocument": (VIEW, CHANGE),
        "handover.deadlineflag": (VIEW,),
        "supervision.accountability": (VIEW,),
        # Their own department's evaluations: the self-assessment only.
        "evaluation.evaluationround": (VIEW,),
        "evaluation.itemevaluation": (VIEW, CHANGE, ASSESS),
        **PROPOSER,
    },
    # The notice gives the city departments the rollout's work (四, 五(三)): engrave and deliver
    # the seals, hand over, run the training period with its 代办/帮办, open the ports, forward
    # the documents. They read the items they devolved and never see the county's stamps.
    CITY_STAFF: {
        "devolution.plan": (VIEW,),
        "devolution.holiday": (VIEW,),
        "devolution.importrecord": (VIEW,),
        "devolution.department": (VIEW, CHANGE),
        "items.devolveditem": (VIEW,),
        "items.cancelledapproval": (VIEW,),
        "items.provincialsystem": (VIEW,),
        "seals.seal": ALL,
        "seals.sealcustodyevent": (VIEW, ADD),
        "handover.handover": ALL,
        "handover.handoverexclusion": ALL,
        "handover.trainingperiod": ALL,
        "handover.trainingextension": (VIEW, ADD),
        "handover.trainingassistance": ALL,
        "handover.provincialport": ALL,
        "handover.forwardeddocument": ALL,
        "handover.deadlineflag": (VIEW,),
        "supervision.accountability": (VIEW,),
        # The evaluations of the items it gave: its comment only (评估: 市直部门意见).
        "evaluation.evaluationround": (VIEW,),
        "evaluation.itemevaluation": (VIEW, CHANGE, COMMENT),
        **PROPOSER,
    },
    REFORM_OFFICE: {
        **{model: ALL for model in REGISTRY_MODELS},
        "devolution.importrecord": (VIEW,),
        "devolution.departmentstaff": ALL,
        "handover.deadlineflag": (VIEW, CHANGE),
        "supervision.accountability": (VIEW,),
        # Evaluations are created by opening a round, never one by one; the office recommends.
        "evaluation.itemevaluation": (VIEW, CHANGE, RECOMMEND),
        "items.listversion": (VIEW,),
        "items.adjustment": (VIEW, ADD, CHANGE, REVIEW, PUBLISH),
    },
    SUPERVISION: {
        **{model: (VIEW,) for model in REGISTRY_MODELS},
        "supervision.accountability": ALL,
    },
    OPERATOR: {model: (VIEW,) for model in REGISTRY_MODELS},
}


IMPORT = ("devolution", "import_registry")
EXPORT = ("devolution", "export_registry")
ALL_DEPARTMENTS = ("devolution", "reach_all_departments")
# Rights that are not about one model. Without ALL_DEPARTMENTS a user reaches only the
# department DepartmentStaff ties them to, and nothing if none.
EXTRA_PERMISSIONS = {
    DEPARTMENT_STAFF: [EXPORT],
    CITY_STAFF: [EXPORT],
    REFORM_OFFICE: [IMPORT, EXPORT, ALL_DEPARTMENTS],
    SUPERVISION: [EXPORT, ALL_DEPARTMENTS],
    OPERATOR: [IMPORT, EXPORT, ALL_DEPARTMENTS],
}


def permission_codenames(role):
    """(app_label, codename) pairs of one role."""
    return sorted(
        [
            (model.split(".")[0], f"{action}_{model.split('.')[1]}")
            for model, actions in ROLES[role].items()
            for action in actions
        ]
        + EXTRA_PERMISSIONS[role]
    )


def apply_roles(apps, schema_editor=None):
    """The roles migrations' step: the permissions up to this migration, then the groups."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrations; make sure they exist now. These are
    # the migration's historical app configs, never the live registry's.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_roles(apps)


def ensure_roles(apps, using="default"):
    """Create or update the role groups; safe to run any number of times. One query reads
    every permission (it runs after every migration step and every flush)."""
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    existing = {}
    for permission in permission_model.objects.using(using).select_related("content_type"):
        key = (permission.content_type.app_label, permission.codename)
        existing.setdefault(key, []).append(permission)
    for role in ROLES:
        group, _ = group_model.objects.using(using).get_or_create(name=role)
        # A model whose app migrates after this migration has no permission yet: skip it here;
        # that app's own roles migration (e.g. evaluation 0002) applies the roles again.
        group.permissions.set(
            [
                permission
                for key in permission_codenames(role)
                for permission in existing.get(key, [])
            ]
        )


def roles_after_migrate(sender, using, apps=None, **kwargs):
    """post_migrate (sent once per app, after migrate and after flush; a flush sends no `apps`):
    on the last app's signal, when auth has created every app's permissions, make the groups
    again."""
    from django.apps import apps as registry

    last = [config for config in registry.get_app_configs() if config.models_module][-1]
    if sender.label == last.label:
        ensure_roles(apps or registry, using)
