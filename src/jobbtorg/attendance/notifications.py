"""E-mails that tell a caseworker something is waiting in Jobbtorg. They carry no personal data — no name,
no identity number, no address — only a link: the facts are read after logging in (and the read is logged)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _


def notice_email_on_commit(notice) -> None:
    notice_id = notice.pk
    transaction.on_commit(lambda: notice_email_send(notice_id))


def notice_email_send(notice_id) -> None:
    from .models import Notice

    notice = Notice.objects.select_related("referral__caseworker").filter(pk=notice_id).first()
    if notice is None or notice.referral.caseworker is None or not notice.referral.caseworker.email:
        return
    link = settings.JOBBTORG_BASE_URL.rstrip("/") + reverse("attendance:notices")
    send_mail(
        _("Jobbtorg: new notice in your inbox"),
        _("A new notice (%(kind)s) about a person in your district is waiting in Jobbtorg.\n\n%(link)s")
        % {"kind": notice.get_kind_display(), "link": link},
        None,
        [notice.referral.caseworker.email],
        fail_silently=True,
    )
