"""A background job's page: its status ("queued / running / done / failed (reason)"), polled by HTMX while it
is not finished, its summary and its result file. Only the person who started it (`perms.can_view_job`)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from jobbtorg.utils.views import deny_unless

from .models import BackgroundJob
from .perms import can_view_job

POLL_SECONDS = 2


def _job(request, pk) -> BackgroundJob:
    job = get_object_or_404(BackgroundJob.objects.visible_to(request.user), pk=pk)
    deny_unless(can_view_job(request.user, job))
    return job


@require_safe
@login_required
def job_list(request):
    jobs = BackgroundJob.objects.visible_to(request.user)[:50]
    return render(request, "background/jobs.html", {"jobs": jobs})


@never_cache
@require_safe
@login_required
def job_detail(request, pk):
    job = _job(request, pk)
    template = "background/_status.html" if request.htmx else "background/job.html"
    return render(request, template, {"job": job, "poll_seconds": POLL_SECONDS})


@never_cache
@require_safe
@login_required
def job_status(request, pk):
    """The status fragment the job page polls; it stops polling once the job has finished."""
    job = _job(request, pk)
    return render(request, "background/_status.html", {"job": job, "poll_seconds": POLL_SECONDS})


@require_safe
@login_required
def job_download(request, pk):
    job = _job(request, pk)
    if not job.result_file:
        raise Http404
    return FileResponse(job.result_file.open("rb"), as_attachment=True, filename=job.result_name or None)
