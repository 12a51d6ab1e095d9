"""Validate HTTP requests against Discord's OpenAPI 3.1 description.

Two documented quirks of the spec are relaxed, precisely and nowhere else:

* an int-parseable decimal string is accepted where the spec says ``integer`` (the spec types
  permission bitfields and similar as integers, discord.py sends them as strings, Discord accepts
  both); bounds, ``enum`` and ``const`` are then checked against the parsed integer;
* a non-negative integer is accepted where the spec says snowflake (``format: snowflake``
  strings); discord.py sends some ids as JSON numbers.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker, validators
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

METHODS = ("get", "put", "post", "patch", "delete")
_INT_STRING = re.compile(r"^-?(0|[1-9][0-9]*)$")
_BASE = Draft202012Validator.VALIDATORS
SPEC_URI = "urn:discord-openapi"


def default_spec_path() -> Path:
    override = os.environ.get("DISCORD_OPENAPI_SPEC")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[2] / ".." / "shared" / "discord-openapi.json"


def _types(schema: Mapping[str, Any]) -> list[str]:
    declared = schema.get("type", [])
    return [declared] if isinstance(declared, str) else list(declared)


def _is_int_string(instance: Any) -> bool:
    return isinstance(instance, str) and _INT_STRING.match(instance) is not None


def _is_plain_int(instance: Any) -> bool:
    return isinstance(instance, int) and not isinstance(instance, bool)


def _type(validator, types, instance, schema):
    if "integer" in _types(schema) and _is_int_string(instance):
        return  # quirk 1: "123" where the spec says integer
    if schema.get("format") == "snowflake" and _is_plain_int(instance) and instance >= 0:
        return  # quirk 2: 123 where the spec says snowflake string
    yield from _BASE["type"](validator, types, instance, schema)


def _numeric(keyword: str):
    """Check a numeric keyword against the parsed value of an int-string in an integer schema."""

    def check(validator, value, instance, schema):
        if _is_int_string(instance) and "integer" in _types(schema):
            instance = int(instance)
        yield from _BASE[keyword](validator, value, instance, schema)

    return check


def _const(validator, const, instance, schema):
    if _is_int_string(instance) and _is_plain_int(const):
        instance = int(instance)
    yield from _BASE["const"](validator, const, instance, schema)


def _enum(validator, enums, instance, schema):
    if _is_int_string(instance) and any(_is_plain_int(e) for e in enums):
        instance = int(instance)
    yield from _BASE["enum"](validator, enums, instance, schema)


def _one_of(validator, one_of, instance, schema):
    """oneOf, except that branches overlapping only because of the relaxations are not ambiguous:
    "123" matches both ``string`` and (relaxed) ``integer`` in the nonce's oneOf."""
    errors = list(_BASE["oneOf"](validator, one_of, instance, schema))
    if errors and sum(validator.evolve(schema=s).is_valid(instance) for s in one_of) > 1:
        strict = [
            Draft202012Validator(s, registry=validator._registry, format_checker=FORMATS) for s in one_of
        ]
        if sum(v.is_valid(instance) for v in strict) <= 1:
            return
    yield from errors


DiscordValidator = validators.extend(
    Draft202012Validator,
    {
        "type": _type,
        "const": _const,
        "enum": _enum,
        "oneOf": _one_of,
        **{
            k: _numeric(k)
            for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf")
        },
    },
)

FORMATS = FormatChecker(formats=())


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(instance: object) -> bool:
    if isinstance(instance, str):
        parsed = dt.datetime.fromisoformat(instance.replace("Z", "+00:00"))
        return parsed.tzinfo is not None
    return True


def _int_range(bits: int):
    def check(instance: object) -> bool:
        if _is_int_string(instance):
            instance = int(instance)  # type: ignore[arg-type]
        if _is_plain_int(instance):
            return -(2 ** (bits - 1)) <= instance < 2 ** (bits - 1)  # type: ignore[operator]
        return True

    return check


FORMATS.checks("int32")(_int_range(32))
FORMATS.checks("int64")(_int_range(64))


def _absolutize_refs(node: Any) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/"):
            node["$ref"] = SPEC_URI + ref
        for value in node.values():
            _absolutize_refs(value)
    elif isinstance(node, list):
        for value in node:
            _absolutize_refs(value)


@dataclass
class Operation:
    template: str
    method: str
    spec: dict[str, Any]
    parameters: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Match:
    operation: Operation | None
    template: str | None
    path_params: dict[str, str]
    errors: list[str]


class DiscordSpec:
    """Routes a request to its spec operation and validates parameters and body."""

    def __init__(self, path: str | os.PathLike[str] | None = None) -> None:
        self.path = Path(path) if path else default_spec_path()
        with open(self.path, encoding="utf-8") as fh:
            self.document: dict[str, Any] = json.load(fh)
        _absolutize_refs(self.document)  # inline schemas can then be validated on their own
        resource = Resource.from_contents(self.document, default_specification=DRAFT202012)
        self._registry = Registry().with_resource(SPEC_URI, resource)
        self._validators: dict[int, Any] = {}
        self._routes: list[tuple[re.Pattern[str], int, str, dict[str, Any]]] = []
        for template, item in self.document["paths"].items():
            pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
            literal_segments = sum(1 for seg in template.split("/") if seg and not seg.startswith("{"))
            self._routes.append((re.compile(f"^{pattern}$"), literal_segments, template, item))
        self._routes.sort(key=lambda r: -r[1])  # the most literal template wins (/users/@me before {user_id})

    # -- schema helpers ---------------------------------------------------------------------------
    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            node: Any = self.document
            for part in schema["$ref"].removeprefix(SPEC_URI + "#/").split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            schema = node
        return schema

    def validator(self, schema: dict[str, Any]):
        key = id(schema)
        if key not in self._validators:
            self._validators[key] = DiscordValidator(schema, registry=self._registry, format_checker=FORMATS)
        return self._validators[key]

    def schema_errors(self, schema: dict[str, Any], instance: Any, where: str) -> list[str]:
        errors: Iterator[ValidationError] = self.validator(schema).iter_errors(instance)
        error = best_match(errors)
        if error is None:
            return []
        location = "".join(f"[{p!r}]" for p in error.absolute_path)
        return [f"{where}{location}: {error.message[:300]}"]

    # -- routing ----------------------------------------------------------------------------------
    def match(self, method: str, path: str) -> Match:
        method = method.lower()
        found_path = False
        for regex, _, template, item in self._routes:
            m = regex.match(path)
            if m is None:
                continue
            found_path = True
            if method in item:
                params = [self.resolve(p) for p in item.get("parameters", [])]
                params += [self.resolve(p) for p in item[method].get("parameters", [])]
                op = Operation(template, method, item[method], params)
                return Match(op, template, m.groupdict(), [])
        reason = "method not allowed by the spec" if found_path else "unknown route (not in the spec)"
        return Match(None, None, {}, [f"{method.upper()} {path}: {reason}"])

    # -- validation -------------------------------------------------------------------------------
    def check_parameters(
        self, op: Operation, path_params: dict[str, str], query: Mapping[str, str]
    ) -> list[str]:
        errors: list[str] = []
        known_query = set()
        for param in op.parameters:
            name, where, schema = param["name"], param["in"], param.get("schema", {})
            if where == "path":
                errors += self.schema_errors(schema, path_params.get(name), f"path parameter {name!r}")
            elif where == "query":
                known_query.add(name)
                if name not in query:
                    if param.get("required"):
                        errors.append(f"missing required query parameter {name!r}")
                    continue
                value = self._coerce_query(query[name], self.resolve(schema))
                errors += self.schema_errors(schema, value, f"query parameter {name!r}")
        errors += [
            f"query parameter {name!r} is not in the spec" for name in query if name not in known_query
        ]
        return errors

    @staticmethod
    def _coerce_query(raw: str, schema: dict[str, Any]) -> Any:
        types = _types(schema)
        if "boolean" in types and raw.lower() in ("true", "false", "1", "0"):
            return raw.lower() in ("true", "1")
        if "number" in types:
            try:
                return float(raw)
            except ValueError:
                return raw
        return raw  # integers stay strings: quirk 1 accepts decimal strings where integer is declared

    def check_body(self, op: Operation, content_type: str | None, body: Any, has_body: bool) -> list[str]:
        request_body = op.spec.get("requestBody")
        if request_body is None:
            return [f"{op.method.upper()} {op.template} takes no request body"] if has_body else []
        request_body = self.resolve(request_body)
        if not has_body:
            return ["missing required request body"] if request_body.get("required") else []
        content = request_body.get("content", {})
        if content_type not in content:
            return [f"content type {content_type!r} not accepted (spec allows {sorted(content)})"]
        return self.schema_errors(content[content_type].get("schema", {}), body, "body")
