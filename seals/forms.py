"""The forms of the seals' admin pages; the rules they apply live in the services."""

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError

from devolution.models import Plan

from .models import SealCustodyEvent, SealUsage
from .services import check_own_seal, step_refusal


class CustodyStepForm(forms.Form):
    happened_on = forms.DateField(label="日期", widget=AdminDateWidget)
    person = forms.CharField(label="经办人", max_length=100)
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ApprovalBureauForm(forms.Form):
    plan = forms.ModelChoiceField(label="实施方案", queryset=Plan.objects.all())
    happened_on = forms.DateField(label="刻制日期", widget=AdminDateWidget)
    person = forms.CharField(label="经办人", max_length=100)
    number = forms.CharField(
        label="印章编号", max_length=10, initial="X", help_text="“审批专用章(X)”括号中的编号。"
    )
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SealCustodyEventForm(forms.ModelForm):
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
            "note",
        ]

    def clean_seal(self):
        seal = self.cleaned_data["seal"]
        check_own_seal(seal, self.department)
        return seal
