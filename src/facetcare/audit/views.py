from django.http import HttpResponse
from django.shortcuts import render

from facetcare.audit.forms import AccessLogSearchForm
from facetcare.audit.selectors import search_access_log
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
