"""Checking answers against botocore's output shapes, as boto3 received them.

A :class:`ShapeRecorder` hooks botocore's ``after-call`` event on a session: for every
successful call it checks the parsed answer (each enum value is one of the model's, required
members are there) and the raw body (no member outside the shape: JSON for the JSON protocols,
XML elements for the query protocol). EC2's XML is checked parsed only (its element names
follow rules of their own).
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from botocore.model import OperationModel, Shape


@dataclass
class ShapeRecorder:
    """Records every answer's departures from its output shape (see the module docstring)."""

    answers: Counter[str] = field(default_factory=Counter)
    checks: int = 0
    problems: list[str] = field(default_factory=list)

    def attach(self, botocore_session: Any) -> None:
        botocore_session.register("after-call", self._after_call)

    def _after_call(
        self, http_response: Any, parsed: dict, model: OperationModel, **_: Any
    ) -> None:
        if http_response.status_code >= 300 or model.output_shape is None:
            return
        service = model.service_model.service_name
        where = f"{service}.{model.name}"
        self.answers[where] += 1
        self._parsed(model.output_shape, parsed, where)
        protocol = model.service_model.protocol
        body = http_response.content
        if not body:
            return
        if protocol in ("json", "rest-json"):
            self._raw_json(model.output_shape, json.loads(body), where)
        elif protocol == "query":
            root = ElementTree.fromstring(body)
            wrapper = model.output_shape.serialization.get("resultWrapper")
            result = next((c for c in root if _tag(c) == wrapper), None) if wrapper else root
            if wrapper and result is None:
                self._problem(f"{where}: no <{wrapper}> in the raw answer")
            elif result is not None:
                self._raw_xml(model.output_shape, result, where)

    def _problem(self, text: str) -> None:
        self.problems.append(text)

    def _parsed(self, shape: Shape, value: Any, path: str) -> None:
        if value is None:
            return
        kind = shape.type_name
        if kind == "structure" and isinstance(value, dict):
            for name in shape.required_members:
                self.checks += 1
                if value.get(name) is None:
                    self._problem(f"{path}: required member {name} ({shape.name}) missing")
            for name, member in shape.members.items():
                if name in value:
                    self._parsed(member, value[name], f"{path}.{name}")
        elif kind == "list" and isinstance(value, list):
            for index, item in enumerate(value):
                self._parsed(shape.member, item, f"{path}[{index}]")
        elif kind == "map" and isinstance(value, dict):
            for key, item in value.items():
                self._parsed(shape.value, item, f"{path}[{key!r}]")
        elif kind == "string" and shape.enum:
            self.checks += 1
            if value not in shape.enum:
                self._problem(f"{path}: {value!r} is not one of {shape.name}'s values")

    def _raw_json(self, shape: Shape, value: Any, path: str) -> None:
        kind = shape.type_name
        if kind == "structure" and isinstance(value, dict):
            members = {m.serialization.get("name", n): m for n, m in shape.members.items()}
            for key, item in value.items():
                self.checks += 1
                if key not in members:
                    self._problem(f"{path}.{key}: not a member of {shape.name} (raw answer)")
                elif item is not None:
                    self._raw_json(members[key], item, f"{path}.{key}")
        elif kind == "list" and isinstance(value, list):
            for index, item in enumerate(value):
                self._raw_json(shape.member, item, f"{path}[{index}]")
        elif kind == "map" and isinstance(value, dict):
            for key, item in value.items():
                self._raw_json(shape.value, item, f"{path}[{key!r}]")

    def _raw_xml(self, shape: Shape, element: Any, path: str) -> None:
        kind = shape.type_name
        if kind == "structure":
            members = {m.serialization.get("name", n): m for n, m in shape.members.items()}
            for child in element:
                self.checks += 1
                tag = _tag(child)
                if tag not in members:
                    self._problem(f"{path}.{tag}: not a member of {shape.name} (raw answer)")
                else:
                    self._raw_xml(members[tag], child, f"{path}.{tag}")
        elif kind == "list":
            item_name = shape.member.serialization.get("name", "member")
            for index, child in enumerate(element):
                if _tag(child) != item_name:
                    self._problem(f"{path}[{index}]: <{_tag(child)}> where <{item_name}> belongs")
                self._raw_xml(shape.member, child, f"{path}[{index}]")
        elif kind == "map":
            for index, entry in enumerate(element):
                value = next((c for c in entry if _tag(c) == "value"), None)
                if value is not None:
                    self._raw_xml(shape.value, value, f"{path}[{index}]")


def _tag(element: Any) -> str:
    return str(element.tag).rsplit("}", 1)[-1]
