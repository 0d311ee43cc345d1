"""Request and response bodies of the policy check API."""

from typing import Any

from ninja import Field, Schema


class PolicyCheckIn(Schema):
    pack: str = Field(max_length=80, description="Pack id, e.g. uk_nice_ng59_clinic")
    facts: dict[str, Any] = Field(description="Patient facts, history and request")
    id: str | None = Field(default=None, max_length=80, description="Your label for the case")


class SourceOut(Schema):
    id: str
    title: str
    url: str


class RuleResultOut(Schema):
    id: str
    outcome: str
    decision: str | None
    message: str
    source: list[str]
    sources: list[SourceOut]
    facts_used: dict[str, Any]
    description: str
    severity: str
    confidence: str
    action: str | None


class PackOut(Schema):
    id: str
    version: str
    title: str
    origin: str


class PolicyDecisionOut(Schema):
    id: str | None
    decision: str
    deciding_rules: list[str]
    rules: list[RuleResultOut]
    pack: PackOut


class PolicyErrorOut(Schema):
    error: str
    detail: str
    fields: dict[str, str] | None = None
