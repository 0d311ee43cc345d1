from typing import cast

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from facetcare.audit.csv_export import csv_lines
from facetcare.audit.forms import AccessLogSearchForm
from facetcare.audit.selectors import iter_access_log_for_export, search_access_log
from facetcare.errors import InvalidInput
from facetcare.web.access import HtmxHttpRequest, add_domain_error, staff_page
from facetcare.web.roles import Role

PAGE_SIZE = 200


@staff_page(Role.MANAGER)
def access_log(request: HtmxHttpRequest) -> HttpResponse:
    """Managers search who read or changed which patient's record, and when."""
    form = AccessLogSearchForm(request.GET or None)
    entries, status = [], 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        filters = form.filters() if form.is_bound else {}
        try:
            entries = list(search_access_log(acting_user=request.user, **filters)[:PAGE_SIZE])
        except InvalidInput as error:
            add_domain_error(form, error)
            status = 400
    template = (
        "audit/partials/access_log_results.html" if request.htmx else "audit/pages/access_log.html"
    )
    context = {"form": form, "entries": entries, "page_size": PAGE_SIZE}
    return render(request, template, context, status=status)


@staff_page(Role.MANAGER)
def access_log_csv(request: HtmxHttpRequest) -> HttpResponse:
    """The entries matching the search's filters, oldest first, as a streamed CSV file."""
    form = AccessLogSearchForm(request.GET)
    try:
        if not form.is_valid():
            raise InvalidInput(form.errors.as_text(), field="filters")
        entries = iter_access_log_for_export(acting_user=request.user, **form.filters())
    except InvalidInput as error:
        return HttpResponse(error.detail, status=400, content_type="text/plain; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    response = StreamingHttpResponse(csv_lines(entries), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="access-log-{stamp}.csv"'
    # staff_page is typed for HttpResponse; Django serves a streamed one the same way.
    return cast(HttpResponse, response)
