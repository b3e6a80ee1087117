"""Reference pages the benchmark measures every page against (only with BENCHMARK_VIEWS=1).

R0 is the floor of the server itself: Django's middleware and a fixed string. R1 is the floor
of a page: a logged-in request (session, user, the permission scope the navigation reads),
one primary-key query and the base template.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from kunskapsstyrning.models import Case


def r0(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
def r1(request, pk):
    case = get_object_or_404(Case, pk=pk)
    return render(request, "base.html", {"case": case})
