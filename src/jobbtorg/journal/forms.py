from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import MAX_BODY, MAX_MESSAGE, EntryKind, NoticeChannel

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EntryForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=EntryKind.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=DATE)
    body = forms.CharField(label=_("Entry"), max_length=MAX_BODY, widget=forms.Textarea(attrs={"rows": 6}))


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=MAX_MESSAGE,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The message stays on the case and cannot be deleted."),
    )


class NoticePreferenceForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Tell me about new messages by"), choices=NoticeChannel.choices, widget=forms.RadioSelect
    )


class EntryFilterForm(forms.Form):
    """The journal's filter (in the URL, next to its sort and page): one type of entry, or all."""

    # Not labelled "Type" like the new entry's field on the same page: two fields of one name confuse.
    kind = forms.ChoiceField(
        label=_("Entries to show"), choices=[("", _("All")), *EntryKind.choices], required=False
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        choices=[("-occurred", _("Newest first")), ("occurred", _("Oldest first"))],
        required=False,
    )
