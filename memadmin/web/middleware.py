"""Refusing text no field can hold, before any view sees it."""

import contextlib

from django.http.request import RawPostDataException
from django.shortcuts import render

from memadmin.traitgroups.hostile_text import NUL, REFUSED_NUL

FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


class RefuseNulCharactersMiddleware:
    """A NUL in a query string or form field is a 400, on every URL.

    PostgreSQL cannot store or even compare text holding NUL, so a search, a comment or a
    draft carrying one would fail deep inside a query; refusing it here keeps the answer
    the same on SQLite and PostgreSQL. (JSON bodies are checked where they are parsed.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if any(NUL in arg for arg in view_args if isinstance(arg, str)) or any(
            NUL in value for value in view_kwargs.values() if isinstance(value, str)
        ):
            return _refused(request)
        fields = [request.GET]
        if request.method == "POST" and request.content_type in FORMS:
            # Read the body first: parsing a multipart stream otherwise consumes it, and a
            # view that reads the body itself (the API) would find nothing left. If CSRF
            # checking already parsed the stream, the body is gone whatever we do.
            with contextlib.suppress(RawPostDataException):
                request.body  # noqa: B018
            fields.append(request.POST)
        for querydict in fields:
            for key, values in querydict.lists():
                if NUL in key or any(NUL in value for value in values):
                    return _refused(request)
        return None


def _refused(request):
    return render(request, "400.html", {"message": REFUSED_NUL}, status=400)
