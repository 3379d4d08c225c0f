"""memadmin's URLs plus `/bench/bare/`: the floor every page's cost is measured against.

Only the benchmarks' settings (tests/benchmarks/settings.py) route here, so the bare view
is never a public URL.
"""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path
from django.views.decorators.http import require_GET

from memadmin import urls as memadmin_urls

BARE_TEMPLATE = engines["django"].from_string(
    "<!doctype html><title>bare</title><p>{{ user.get_username }}</p>"
)


@require_GET
def bare(request: HttpRequest) -> HttpResponse:
    """The same middleware and the same `render(request, …)` path, with nothing to show."""
    return HttpResponse(BARE_TEMPLATE.render({}, request))


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *memadmin_urls.urlpatterns]
handler400 = memadmin_urls.handler400
handler403 = memadmin_urls.handler403
handler404 = memadmin_urls.handler404
handler500 = memadmin_urls.handler500
