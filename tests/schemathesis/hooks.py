"""Schemathesis hooks for `scripts/schemathesis.sh`.

The OpenAPI document describes every parameter and body field the server checks (formats,
limits, enums, each text field's rule as a pattern). A few rules cannot be written in
OpenAPI; a "schema-valid request rejected" finding (ST202) is dropped only when every
field error in the answer is one of these, for that operation. Any other field in the
answer, or any other finding, still fails the run.
"""

import schemathesis

# (operation, field): why the document cannot say it.
UNDESCRIBABLE = {
    # A cursor is opaque: only a page's own `next_cursor`, for the same filters and order,
    # is valid.
    ("GET /api/v1/cases", "cursor"),
    ("GET /api/v1/documents", "cursor"),
    ("GET /api/v1/announcements", "cursor"),
    ("GET /api/v1/staff/cases", "cursor"),
    # A query must hold a letter or a digit to search for (what counts is the search
    # index's own word splitting); only such a rejection can meet a query of the right shape.
    ("GET /api/v1/cases", "q"),
    ("GET /api/v1/documents", "q"),
    ("GET /api/v1/announcements", "q"),
    # A custom period needs both days, in order and at most a year apart; the days are
    # only for `custom`. OpenAPI cannot relate query parameters to one another.
    ("GET /api/v1/stats", "from"),
    ("GET /api/v1/stats", "to"),
    ("GET /api/v1/cases", "from"),
    ("GET /api/v1/cases", "to"),
    # Photos are ids an upload returned, and coordinates come in pairs.
    ("POST /api/v1/cases", "photos"),
    ("POST /api/v1/cases", "latitude"),
    ("POST /api/v1/cases", "longitude"),
    # The file must be a decodable JPEG, PNG or WebP image, which no generator writes.
    ("POST /api/v1/uploads", "file"),
}


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Keeps every failure except a rejection that names only undescribable fields."""
    if failure.code != "ST202" or context.operation is None:
        return True
    try:
        fields = response.json().get("fields") or {}
    except Exception:
        return True
    label = context.operation.label
    return not fields or not all((label, field) in UNDESCRIBABLE for field in fields)
