"""GET /api/hcpcs/v3/search: the search API of NLM's Clinical Tables for HCPCS
(clinicaltables.nlm.nih.gov/api/hcpcs/v3/search), so that apps built on it and on its
autocompleter (autocomplete-lhc) can use a self-hosted, offline server. Backed by `search`:
the same ranking and forgiving input.

Parameters as NLM's: terms (required), maxList or count (results, default 7, at most 500),
offset, q (`field:value` constraints on is_noc and obsolete, joined by AND), sf (search fields:
accepted and checked, the search always looks at the code and both descriptions), df (display
fields), ef (extra fields, each `field` or `field:alias`), cf (the code field). The answer:
`[total, codes, extra data or null, display strings]`. A bad parameter is a 400 with a one-line
message."""

from __future__ import annotations

import datetime
from collections.abc import Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from hcpcs_graphql.db.filters import CodeFilter, StatusFilter
from hcpcs_graphql.db.rows import CodeRow
from hcpcs_graphql.domain.noc import is_noc
from hcpcs_graphql.domain.status import Status, status_on
from hcpcs_graphql.services import listing
from hcpcs_graphql.services.context import make_context
from hcpcs_graphql.services.errors import ClientError
from hcpcs_graphql.services.pagination import MAX_PAGE_SIZE, Page

DEFAULT_COUNT = 7
MAX_COUNT = 500
MAX_OFFSET = 7500
"""count + offset, at most (NLM's limit)."""

Value = str | bool | None


def _day(value: datetime.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _fields(today: datetime.date) -> dict[str, Callable[[CodeRow], Value]]:
    return {
        "code": lambda row: row.code,
        "display": lambda row: row.long_description,
        "short_desc": lambda row: row.short_description,
        "long_desc": lambda row: row.long_description,
        "add_dt": lambda row: _day(row.add_dt),
        "act_eff_dt": lambda row: _day(row.act_eff_dt),
        "term_dt": lambda row: _day(row.term_dt),
        "obsolete": lambda row: status_on(row.add_dt, row.term_dt, today) is Status.DISCONTINUED,
        "is_noc": lambda row: is_noc(row.code),
    }


FIELD_NAMES = tuple(_fields(datetime.date.min))
_BOOLEANS = {"true": True, "false": False}


class ParameterError(ValueError):
    pass


def _names(request: Request, parameter: str, default: str) -> list[str]:
    found = [name.strip() for name in request.query_params.get(parameter, default).split(",")]
    for name in found:
        if name.partition(":")[0] not in FIELD_NAMES:
            raise ParameterError(
                f"{parameter}: no field {name!r}; the fields are {', '.join(FIELD_NAMES)}"
            )
    return found


def _number(request: Request, parameter: str, default: int, largest: int) -> int:
    text = request.query_params.get(parameter)
    if text is None:
        return default
    if not text.isdigit() or int(text) > largest:
        raise ParameterError(f"{parameter}: a whole number from 0 to {largest}, not {text!r}")
    return int(text)


def _constraint(q: str, today: datetime.date) -> CodeFilter | None:
    """The filter of q: `is_noc:true`, `obsolete:false`, joined by AND."""
    found = []
    for part in (part.strip() for part in q.split(" AND ") if part.strip()):
        name, _, value = part.partition(":")
        flag = _BOOLEANS.get(value.strip().lower())
        if name.strip() not in ("is_noc", "obsolete") or flag is None:
            raise ParameterError(f"q: {part!r} is not is_noc:true|false or obsolete:true|false")
        if name.strip() == "is_noc":
            found.append(CodeFilter(not_otherwise_classified=flag))
        else:
            status = StatusFilter(on=today, eq=Status.DISCONTINUED)
            found.append(
                CodeFilter(status=status) if flag else CodeFilter(not_=CodeFilter(status=status))
            )
    return CodeFilter(and_=tuple(found)) if found else None


CORS = {"access-control-allow-origin": "*"}
"""As NLM's API: pages of any origin may ask (the data is public and read-only)."""


async def search(request: Request) -> Response:
    try:
        return await _search(request)
    except (ParameterError, ClientError) as error:
        return JSONResponse({"error": str(error)}, status_code=400, headers=CORS)


async def _search(request: Request) -> Response:
    state = request.app.state
    context = make_context(state.connection, state.catalog)
    fields = _fields(context.today)
    terms = request.query_params.get("terms", "").strip()
    if not terms:
        raise ParameterError("terms: the text to search for is required")
    count = _number(
        request, "count", _number(request, "maxList", DEFAULT_COUNT, MAX_COUNT), MAX_COUNT
    )
    offset = _number(request, "offset", 0, MAX_OFFSET - count)
    _names(request, "sf", "code,short_desc,long_desc")
    display = _names(request, "df", "code,display")
    extra = _names(request, "ef", "") if request.query_params.get("ef") else []
    [code_field] = _names(request, "cf", "code")[:1]
    code_filter = _constraint(request.query_params.get("q", ""), context.today)
    rows: list[CodeRow] = []
    total = 0
    while True:
        at = offset + len(rows)
        source = await listing.search(
            context,
            text=terms,
            code_filter=code_filter,
            release=None,
            page=Page.at(at, min(MAX_PAGE_SIZE, count - len(rows))),
        )
        page = await source.fetch_page(context)
        rows += [hit.row for hit in page.hits]
        total = await source.total(context)
        if len(rows) >= count or not page.has_next:
            break
    extra_data = (
        {
            alias or name: [fields[name](row) for row in rows]
            for name, _, alias in (field.partition(":") for field in extra)
        }
        if extra
        else None
    )
    return JSONResponse(
        [
            total,
            [fields[code_field](row) for row in rows],
            extra_data,
            [[fields[name](row) for name in display] for row in rows],
        ],
        headers=CORS,
    )
