"""A view of the add-on, rendered."""

from plone import api


def render(name, context, request):
    """The HTML of the view ``name`` of ``context``."""
    return api.content.get_view(name=name, context=context, request=request)()
