"""The forms of the seals' admin pages; the rules they apply live in the services."""

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError

from devolution.models import Department, Plan

from .models import SealCustodyEvent, SealStatus, SealUsage
from .services import check_own_seal, step_refusal, steps_recorded_by


class CustodyStepForm(forms.Form):
    happened_on = forms.DateField(label="日期", widget=AdminDateWidget)
    person = forms.CharField(label="经办人", max_length=100)
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class BureauSealForm(forms.Form):
    plan = forms.ModelChoiceField(label="实施方案", queryset=Plan.objects.all())
    happened_on = forms.DateField(label="刻制日期", widget=AdminDateWidget)
    person = forms.CharField(label="经办人", max_length=100)
    number = forms.CharField(
        label="印章编号", max_length=10, help_text="市行政审批局审批专用章括号中的实际编号，如 4。"
    )
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ApprovalTransferForm(forms.Form):
    city_departments = forms.ModelMultipleChoiceField(
        label="审批权划转的市直部门",
        queryset=Department.objects.filter(
            level=Department.Level.CITY, is_approval_bureau=False, approval_transfer__isnull=True
        ),
        widget=forms.CheckboxSelectMultiple,
        help_text="只选审批权已划转市行政审批局的部门；未选的部门继续使用本部门审批专用章。",
    )
    happened_on = forms.DateField(label="划转日期", widget=AdminDateWidget)
    person = forms.CharField(label="经办人", max_length=100)
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SealCustodyEventForm(forms.ModelForm):
    department = None  # set per request: the department the clerk is tied to

    class Meta:
        model = SealCustodyEvent
        fields = ["seal", "step", "happened_on", "person", "note"]

    def clean(self):
        data = super().clean()
        seal, step, on = data.get("seal"), data.get("step"), data.get("happened_on")
        if seal and step and on:
            refusal = step_refusal(seal, step, on)
            if refusal:
                raise ValidationError(refusal)
        if step in SealStatus.values and step not in steps_recorded_by(self.department):
            raise ValidationError(
                f"“{SealStatus(step).label}”由另一方登记，本部门不能登记这一环节。"
            )
        return data


class SealUsageForm(forms.ModelForm):
    department = None  # set per request: the department the clerk is tied to

    class Meta:
        model = SealUsage
        fields = [
            "seal",
            "item",
            "stamped_on",
            "document_reference",
            "applicant",
            "stamped_by",
            "route",
            "forwarded_by",
            "forwarded_on",
            "note",
        ]

    def clean_seal(self):
        seal = self.cleaned_data["seal"]
        check_own_seal(seal, self.department)
        return seal
