"""Dry-run pages: start one, watch its progress, see its masked examples."""

from django.http import HttpResponse


def start(request, revision_pk):  # filled in with the dry run itself
    return HttpResponse(status=404)


def detail(request, pk):
    return HttpResponse(status=404)


def examples(request, pk):
    return HttpResponse(status=404)
