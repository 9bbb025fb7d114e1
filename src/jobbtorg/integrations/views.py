"""The gateway's delivery reports: 46elks POSTs (form-encoded) id, status and delivered to the URL given as
`whendelivered`. No login: the secret in the path (JOBBTORG_SMS_46ELKS["CALLBACK_SECRET"]) identifies the
gateway; a wrong one is a 403. The report holds the gateway's id only, never a number or a text."""

from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .sms import callback_secret_matches, sms_delivery_report

REPORTED = ("delivered", "failed")


@csrf_exempt
@require_POST
def sms_delivery(request, secret: str):
    if not callback_secret_matches(secret):
        return HttpResponse(status=403)
    errors = {}
    gateway_id = request.POST.get("id", "").strip()
    status = request.POST.get("status", "").strip()
    if not gateway_id or len(gateway_id) > 64:
        errors["id"] = [_("The message id is missing.")]
    if status not in REPORTED:
        errors["status"] = [_("The status must be delivered or failed.")]
    if errors:
        return JsonResponse(errors, status=400)
    delivery = sms_delivery_report(
        gateway_id=gateway_id, status=status, delivered=request.POST.get("delivered", "")
    )
    if delivery is None:
        return JsonResponse({"id": [_("No message with this id was sent from here.")]}, status=404)
    return HttpResponse(status=204)
