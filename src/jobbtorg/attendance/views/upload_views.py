"""Attendance by CSV upload (all or nothing, a report per line) and the template file to start from."""

import datetime

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from jobbtorg.utils.views import rule_required
from jobbtorg.utils.workdays import is_working_day

from .. import perms
from ..csv_import import attendance_csv_import
from ..forms import UploadForm

HEADER = "personnummer;datum;status;orsak;insats"
# Skatteverket's published test number: never a real person.
EXAMPLE_NUMBER = "19121212-1212"


@rule_required(perms.can_report_attendance)
def upload(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = attendance_csv_import(by=request.user, content=upload.read(), file_name=upload.name or "")
    return render(request, "attendance/upload.html", {"form": form, "result": result})


def _last_working_day() -> datetime.date:
    day = timezone.localdate() - datetime.timedelta(days=1)
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


@rule_required(perms.can_report_attendance)
def upload_template(request):
    """A CSV with the header and one example line (a test identity number, not a real person)."""
    body = f"{HEADER}\n{EXAMPLE_NUMBER};{_last_working_day().isoformat()};absent_valid;sick;\n"
    response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="narvaro-mall.csv"'
    return response
