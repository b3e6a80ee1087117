from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.views.decorators.http import require_POST


@require_POST
@login_required
def session_extend(request):
    """The timeout warning's "stay logged in": the middleware has just touched the session."""
    return JsonResponse({"idle_timeout": request.session_idle_timeout})
