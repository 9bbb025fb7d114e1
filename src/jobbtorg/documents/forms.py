from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import DocumentKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,.odt,application/pdf,image/jpeg,image/png"


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type of document"), choices=DocumentKind.choices)
    document_date = forms.DateField(label=_("Date of the document"), widget=DATE)
    file = forms.FileField(
        label=_("File"),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
        help_text=_("PDF, JPEG, PNG, DOCX or ODT."),
    )


class ShareForm(forms.Form):
    provider = forms.ModelChoiceField(label=_("Share with"), queryset=None, empty_label=None)

    def __init__(self, *args, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
