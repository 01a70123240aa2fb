"""Forms of the volunteer's contacts and the office's review of monthly reports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from stodperson.concurrency import VersionField
from stodperson.forms import DateInput, Form, ModelForm

from .contact_services import contact_date_error, receipt_missing
from .contacts import SupportContact
from .models import Assignment

# What a receipt's first bytes are, whatever its name says (a renamed file is refused).
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", SupportContact.ReceiptType.PDF),
    (b"\xff\xd8\xff", SupportContact.ReceiptType.JPEG),
    (b"\x89PNG\r\n\x1a\n", SupportContact.ReceiptType.PNG),
)


def receipt_type_of(upload: UploadedFile) -> str | None:
    """The receipt's type from its content (PDF, JPEG, PNG), or None."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    return next((kind for magic, kind in _MAGIC if head.startswith(magic)), None)


class ContactForm(ModelForm):
    upload = forms.FileField(
        label=_("Receipt"),
        required=False,
        help_text=_("A photo (JPEG or PNG) or a PDF of the receipt, at most %(size)s."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    remove_receipt = forms.BooleanField(label=_("Remove the saved receipt"), required=False)

    class Meta:
        model = SupportContact
        fields = ["on", "kind", "duration_minutes", "place", "kilometres", "expenses", "note"]
        widgets = {
            "on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 2}),
            "duration_minutes": forms.NumberInput(attrs={"min": 1, "inputmode": "numeric"}),
            "kilometres": forms.NumberInput(attrs={"min": 0, "step": "0.1"}),
            "expenses": forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
        }
        help_texts = {
            "note": _(
                "Write only what the office needs, for example what the contact was about. "
                "Do not write anything about the patient's health."
            ),
            "place": _("For example the ward, the court or by phone."),
        }

    def __init__(self, *args: Any, assignment: Assignment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        self.receipt_type = ""
        self.fields["upload"].help_text = str(self.fields["upload"].help_text) % {
            "size": filesizeformat(settings.RECEIPT_MAX_BYTES)
        }
        if not self.instance.receipt:
            del self.fields["remove_receipt"]

    def clean_on(self) -> Any:
        on = self.cleaned_data["on"]
        error = contact_date_error(self.assignment, on)
        if error:
            raise forms.ValidationError(error, code="date")
        return on

    def clean_duration_minutes(self) -> Any:
        minutes = self.cleaned_data["duration_minutes"]
        if minutes is not None and minutes < 1:
            raise forms.ValidationError(_("Give the duration in minutes, at least 1."))
        return minutes

    def clean_upload(self) -> UploadedFile | None:
        upload: UploadedFile | None = self.cleaned_data.get("upload")
        if not upload:
            return None
        if upload.size is None or upload.size == 0:
            raise forms.ValidationError(_("The file is empty. Choose the receipt again."))
        if upload.size > settings.RECEIPT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is too large: at most %(size)s.")
                % {"size": filesizeformat(settings.RECEIPT_MAX_BYTES)}
            )
        kind = receipt_type_of(upload)
        if kind is None:
            raise forms.ValidationError(
                _("The receipt must be a photo (JPEG or PNG) or a PDF."), code="type"
            )
        self.receipt_type = kind
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        expenses = data.get("expenses")
        if expenses is not None and "upload" not in self.errors:
            has_receipt = bool(data.get("upload")) or (
                bool(self.instance.receipt) and not data.get("remove_receipt")
            )
            if receipt_missing(self.assignment, expenses, has_receipt):
                self.add_error("upload", _("Attach a receipt for the expenses."))
        return data


class SubmitReportForm(Form):
    """Hand in a month; the version of its report when the page was opened ("" if none)."""

    version = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)


class ReviewForm(Form):
    APPROVE = "approve"
    RETURN = "return"

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(APPROVE, _("Approve")), (RETURN, _("Return for correction"))],
        widget=forms.HiddenInput,
    )
    comment = forms.CharField(
        label=_("What should be corrected"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when you return the report. The volunteer sees the comment."),
    )
    version = VersionField()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == self.RETURN and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Write what the volunteer should correct."))
        return data
