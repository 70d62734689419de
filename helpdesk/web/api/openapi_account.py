"""OpenAPI paths of the accountability routes: calendar, surveys and reports."""

from __future__ import annotations

from typing import Any

_JSON = "application/json"
_ERROR = {"$ref": "#/components/schemas/Error"}
_DATE = {"type": "string", "format": "date"}


def _q(name: str, schema: dict[str, Any], required: bool = True, **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema, **extra}


def _ok(description: str, schema: dict[str, Any], status: str = "200") -> dict[str, Any]:
    return {status: {"description": description, "content": {_JSON: {"schema": schema}}}}


def _err(*statuses: str) -> dict[str, Any]:
    return {s: {"description": "Error", "content": {_JSON: {"schema": _ERROR}}} for s in statuses}


_OVERRIDE = {
    "type": "object",
    "properties": {
        "date": _DATE,
        "is_holiday": {"type": "boolean"},
        "name": {"type": "string"},
        "created_by": {"type": "string"},
    },
}

_RANGE = [_q("from", _DATE, example="2026-10-01"), _q("to", _DATE, example="2026-12-31")]
_IKM = {
    "type": "object",
    "properties": {
        "ikm": {"type": "number", "description": "25-100; 0 when there are no respondents"},
        "mutu": {"enum": ["A", "B", "C", "D"]},
        "kinerja": {"type": ["string", "null"]},
        "respondents": {"type": "integer"},
        "population": {"type": "integer"},
        "min_sample": {"type": "integer"},
        "sample_sufficient": {"type": "boolean"},
        "elements": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "code": {"type": "string"},
                    "nrr": {"type": "number"},
                    "respondents": {"type": "integer"},
                },
            },
        },
    },
}

# A year as the report routes take it: four digits, 0001 to 9999 (datetime has no year 0)
_YEAR = "([0-9]{3}[1-9]|[0-9]{2}[1-9]0|[0-9][1-9]00|[1-9]000)"
_MONTH = _q("month", {"type": "string", "pattern": f"^{_YEAR}-(0[1-9]|1[0-2])$"})
_QUARTER = _q("quarter", {"type": "string", "pattern": f"^{_YEAR}-Q[1-4]$"})
_UNIT = _q("unit", {"type": "string", "pattern": "^([a-z][a-z0-9_]{0,31})?$"}, required=False)

PATHS: dict[str, Any] = {
    "/reports/conversations.csv": {
        "get": {
            "summary": "One row per conversation created in the range (UTF-8 with BOM; cells "
            "starting with = + - @ are prefixed with ')",
            "parameters": [*_RANGE, _UNIT],
            "responses": {
                "200": {
                    "description": "CSV",
                    "content": {"text/csv": {"schema": {"type": "string"}}},
                },
                **_err("401", "403", "422"),
            },
        }
    },
    "/reports/monthly.pdf": {
        "get": {
            "summary": "The month's report with charts (fonts embedded)",
            "parameters": [
                _MONTH,
                _UNIT,
            ],
            "responses": {
                "200": {
                    "description": "PDF",
                    "content": {
                        "application/pdf": {"schema": {"type": "string", "format": "binary"}}
                    },
                },
                **_err("401", "403", "422"),
            },
        }
    },
    "/reports/quarterly.pdf": {
        "get": {
            "summary": "The quarter's report: the monthly document over the quarter, plus "
            "complaints (verified / finished in time), data requests and the fallback rate",
            "parameters": [
                _QUARTER,
                _UNIT,
            ],
            "responses": {
                "200": {
                    "description": "PDF",
                    "content": {
                        "application/pdf": {"schema": {"type": "string", "format": "binary"}}
                    },
                },
                **_err("401", "403", "422"),
            },
        }
    },
    "/reports/quarterly-complaints.csv": {
        "get": {
            "summary": "The quarter's complaints, one row each with their deadlines (no identity)",
            "parameters": [
                _QUARTER,
                _UNIT,
            ],
            "responses": {
                "200": {
                    "description": "CSV",
                    "content": {"text/csv": {"schema": {"type": "string"}}},
                },
                **_err("401", "403", "422"),
            },
        }
    },
    "/reports/figures": {
        "get": {
            "summary": "The dashboard's figures for a date range as JSON",
            "parameters": [*_RANGE, _UNIT],
            "responses": {**_ok("Figures", {"type": "object"}), **_err("401", "403", "422")},
        }
    },
    "/conversations/{conversation_id}/waiting": {
        "post": {
            "summary": "The agent waits for the citizen: the SLA clock pauses until they write",
            "parameters": [
                {
                    "name": "conversation_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer"},
                }
            ],
            "responses": {
                **_ok("The conversation", {"$ref": "#/components/schemas/Conversation"}),
                **_err("401", "403", "404", "409"),
            },
        }
    },
    "/reports/ikm": {
        "get": {
            "summary": "IKM (Permenpan-RB 14/2017) of the SKM surveys completed in a date range",
            "parameters": [
                *_RANGE,
                _q("unit", {"type": "string"}, required=False),
                _q("service", {"type": "string"}, required=False),
            ],
            "responses": {**_ok("The index", _IKM), **_err("401", "403", "422")},
        }
    },
    "/calendar/workdays": {
        "get": {
            "summary": "The date N working days after a date (weekends, holidays, cuti bersama "
            "and local overrides skipped)",
            "parameters": [
                _q("from", _DATE, example="2026-03-17"),
                _q("n", {"type": "integer", "minimum": -3650, "maximum": 3650}),
            ],
            "responses": {
                **_ok(
                    "The date",
                    {
                        "type": "object",
                        "properties": {
                            "from": _DATE,
                            "n": {"type": "integer"},
                            "date": _DATE,
                        },
                    },
                ),
                **_err("401", "422"),
            },
        }
    },
    "/calendar/days-off": {
        "get": {
            "summary": "Days off of a year: national holidays, cuti bersama, local overrides",
            "parameters": [
                _q("year", {"type": "integer", "minimum": 1990, "maximum": 2100}, example=2026)
            ],
            "responses": {
                **_ok(
                    "Days off",
                    {
                        "type": "object",
                        "properties": {
                            "year": {"type": "integer"},
                            "items": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {"date": _DATE, "name": {"type": "string"}},
                                },
                            },
                        },
                    },
                ),
                **_err("401", "422"),
            },
        }
    },
    "/calendar/overrides": {
        "get": {
            "summary": "Local overrides of the national calendar",
            "responses": {
                **_ok(
                    "Overrides",
                    {
                        "type": "object",
                        "properties": {"items": {"type": "array", "items": _OVERRIDE}},
                    },
                ),
                **_err("401", "403"),
            },
        },
        "post": {
            "summary": "Make a date a local day off (is_holiday true) or a working day (false)",
            "requestBody": {
                "required": True,
                "content": {
                    _JSON: {
                        "schema": {
                            "type": "object",
                            "required": ["date", "name"],
                            "properties": {
                                "date": _DATE,
                                "name": {
                                    "type": "string",
                                    "minLength": 1,
                                    "maxLength": 120,
                                    "pattern": "[^\\s\\x1c-\\x1f\\x85]",
                                },
                                "is_holiday": {"type": "boolean", "default": True},
                            },
                        }
                    }
                },
            },
            "responses": {**_ok("Stored", _OVERRIDE, "201"), **_err("401", "403", "422")},
        },
    },
    "/calendar/overrides/{day}": {
        "delete": {
            "summary": "Drop a local override",
            "parameters": [{"name": "day", "in": "path", "required": True, "schema": _DATE}],
            "responses": {"204": {"description": "Removed"}, **_err("401", "403", "404", "422")},
        }
    },
}
