from django.http import HttpRequest

from pilotage.web.workspaces.services import memberships_of


def workspaces(request: HttpRequest) -> dict:
    """The signed-in user's workspaces, for the workspace switcher in every page's header."""
    if not request.user.is_authenticated:
        return {}
    return {
        "my_memberships": memberships_of(request.user),
        "current_workspace": getattr(request, "workspace", None),
    }
