"""Third-party admin screens in Chinese where a translation catalog cannot reach: django-axes'
computed columns and messages, the auth forms' help texts Django writes in English, the
permission names Django stores as "Can add …", and the admin's True/False icons."""

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.conf import settings as axes_settings
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm
from django.contrib.auth.models import Group, User
from django.utils import timezone
from django.utils.html import format_html

# Django writes a permission's name once, in English, when it creates it ("Can add log entry");
# the label is made from its codename and the model's Chinese name instead, whenever shown.
DEFAULT_ACTIONS = {"add": "增加", "change": "修改", "delete": "删除", "view": "查看"}


def permission_label(permission):
    """ "管理 | 日志记录 | 可以增加日志记录" for a default permission; a permission of our own
    keeps its (Chinese) name."""
    content_type = permission.content_type
    model = content_type.model_class()
    action, _, model_name = permission.codename.partition("_")
    if model is not None and action in DEFAULT_ACTIONS and model_name == model._meta.model_name:
        name = f"可以{DEFAULT_ACTIONS[action]}{model._meta.verbose_name}"
    else:
        name = permission.name
    return f"{content_type} | {name}"


class PermissionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, permission):
        return permission_label(permission)


class PermissionLabelsMixin:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name in ("permissions", "user_permissions"):
            kwargs["form_class"] = PermissionChoiceField
            kwargs.setdefault(
                "queryset", db_field.remote_field.model.objects.select_related("content_type")
            )
        return super().formfield_for_manytomany(db_field, request=request, **kwargs)


USABLE_PASSWORD_HELP = (
    "是否允许该用户用密码登录。不允许时，该账号只能由管理员重新设置密码后再登录。"
)


class ChinesePasswordChangeForm(AdminPasswordChangeForm):
    # Django adds its warning to the help text in English, outside any catalog.
    usable_password_help_text = USABLE_PASSWORD_HELP + (
        '<ul id="id_unusable_warning" class="messagelist"><li class="warning">'
        "不允许时，该用户的当前密码将作废。</li></ul>"
    )


class ChineseUserCreationForm(AdminUserCreationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "usable_password" in self.fields:
            self.fields["usable_password"].help_text = USABLE_PASSWORD_HELP


class RegistryUserAdmin(PermissionLabelsMixin, UserAdmin):
    add_form = ChineseUserCreationForm
    change_password_form = ChinesePasswordChangeForm


class RegistryGroupAdmin(PermissionLabelsMixin, GroupAdmin):
    pass


class ChineseAccessAttemptAdmin(AccessAttemptAdmin):
    """django-axes' list, with its computed columns and its clean-up message in Chinese."""

    list_display = [
        name if name not in ("status", "expiration") else f"{name}_label"
        for name in AccessAttemptAdmin.list_display
    ]
    actions = ["clean_up_expired"]

    @admin.display(description="状态")
    def status_label(self, attempt):
        remaining = axes_settings.AXES_FAILURE_LIMIT - attempt.failures_since_start
        return f"还可尝试 {remaining} 次" if remaining > 0 else "已锁定"

    @admin.display(description="失效时间")
    def expiration_label(self, attempt):
        return attempt.expiration.expires_at if hasattr(attempt, "expiration") else "未设置"

    @admin.action(description="清除已失效的登录尝试")
    def clean_up_expired(self, request, queryset):
        # django-axes' own action reads the time of a login attempt the admin's request lacks
        # (AttributeError, a 500); the attempts expire counted from now.
        request.axes_attempt_time = timezone.now()
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(request, f"已清除 {count} 条失效的登录尝试。")


def chinese_boolean_icon(value):
    from django.templatetags.static import static

    icon = {True: "yes", False: "no", None: "unknown"}[value]
    text = {True: "是", False: "否", None: "未知"}[value]
    return format_html('<img src="{}" alt="{}">', static(f"admin/img/icon-{icon}.svg"), text)


def patch_boolean_icon():
    """The admin's yes/no icons say "True"/"False" to a screen reader (Django writes the alt
    text from the Python value); every admin module looks the function up at call time."""
    from django.contrib.admin.templatetags import admin_list

    admin_list._boolean_icon = chinese_boolean_icon


def register(site):
    for model, model_admin in [
        (User, RegistryUserAdmin),
        (Group, RegistryGroupAdmin),
        (AccessAttempt, ChineseAccessAttemptAdmin),
        (AccessLog, AccessLogAdmin),
        (AccessFailureLog, AccessFailureLogAdmin),
    ]:
        if site.is_registered(model):  # django-axes registers none with AXES_ENABLE_ADMIN off
            site.unregister(model)
            site.register(model, model_admin)
