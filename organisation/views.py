from django.conf import settings
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from .oidc import end_session_url, oidc_configured


@require_POST
@login_required
def session_extend(request):
    """The timeout warning's "stay logged in": the middleware has just touched the session."""
    return JsonResponse({"idle_timeout": request.session_idle_timeout})


class LoginView(auth_views.LoginView):
    """The login page: the organisation's sign-in first when configured, then passwords."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = oidc_configured()
        context["oidc_provider_name"] = settings.OIDC_PROVIDER_NAME
        context["local_login"] = settings.LOCAL_LOGIN != "off"
        return context

    def post(self, request, *args, **kwargs):
        if settings.LOCAL_LOGIN == "off":
            return HttpResponseNotAllowed(["GET"])
        return super().post(request, *args, **kwargs)


@require_POST
def logout(request):
    """End the product's session and, when the IdP can, the IdP's session as well."""
    idp_logout = end_session_url(request)
    auth.logout(request)
    return redirect(idp_logout or settings.LOGOUT_REDIRECT_URL)
