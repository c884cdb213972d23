"""Schemathesis hooks for supportflow (loaded through SCHEMATHESIS_HOOKS by run-schemathesis.ts).

Two things only, neither of which hides a mismatch between the OpenAPI document and the API:

* before_call: a generated reference to a catalog entry (policyId, planId, tier, hardware product) is
  swapped for one that exists, so requests reach the workflows instead of stopping at `unknown_policy`,
  and the customer key opens tickets for its own tenant. Opening a ticket needs a customer on record
  who knows the requester and bought the policy: most generated customer ids and requester domains are
  swapped for the customers run-schemathesis.ts seeds (FUZZ_ORG, FUZZ_TENANT, on FUZZ_DOMAIN), and the
  policy for one they bought that serves the requested channel. A value is swapped only where it was
  already valid for the schema, so a positive case stays positive and a negative one stays negative; a
  quarter of the valid customer ids and requester addresses are kept, so the refusals for a stranger
  (`unknown_customer`, `requester_not_allowed`) are exercised too.
  Most generated Idempotency-Keys also get a suffix of their own, as a client's fresh key would.
* validator_agrees_with_document: positive_data_acceptance is configured to take 422 (the product's
  answer for well-formed requests about things that do not exist: unknown_policy, unknown_plan, ...);
  this check keeps the strict half of it: a schema-valid request refused with `validation_failed` (the
  zod boundary) is a document that promises more than the validator accepts, except on the few fields
  whose validity depends on something the document cannot see (listed in CONTEXTUAL).
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import MutableMapping
from typing import Any

import schemathesis

ROLE = os.environ.get("FUZZ_ROLE", "staff")
TENANT = os.environ.get("FUZZ_TENANT", "")
# The customer staff tickets open for, and the mail domain of both seeded customers (run-schemathesis.ts).
ORG = os.environ.get("FUZZ_ORG", "fuzz-org")
DOMAIN = os.environ.get("FUZZ_DOMAIN", "fuzz.test")

# The seeded customers' contracts (run-schemathesis.ts seeds them in this order; the first decides a
# ticket that names no policy), each with the channels it serves. Presets whose required fields the
# hook fills (000's product, 003 Premium's callback number on the phone): tickets open for real.
POLICIES = ["mailup-standard", "mailup-premium", "smartertools-emergency"]
SERVES = {"mailup-standard": {"email"}, "mailup-premium": {"email", "phone"}, "smartertools-emergency": {"web", "email"}}
EMERGENCY_FIELDS = {"product": "SmarterMail", "productVersion": "100.0.9000"}
PHONE_FIELDS = {"callbackPhone": "+39 02 1234 5678"}
# The document's pattern for an email address (zod's), with its maxLength of 320.
EMAIL = re.compile(
    r"(?:[A-Za-z0-9_'+\-]+\.)*[A-Za-z0-9_'+\-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9][A-Za-z0-9\-]*\.)+[A-Za-z]{2,}"
)
PLANS = ["assurance-standard", "assurance-premium", "assurance-premium-plus", "per-user-support"]
HARDWARE = ["galaxy-mini", "ucx250", "infinity-phone"]
TIERS = ["standard", "premium", "premium-plus"]
SLUG = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")

# Fields whose refusal by the validator is context the document cannot state.
CONTEXTUAL = {
    "query.cursor",  # opaque: only a cursor this API issued decodes
    "body.customerId",  # required for staff, reseller and admin keys only
    "body.id",  # PUT: must equal the id in the path
}

_TRIMMED = set("\t\n\v\f\r \u00a0\u1680\u2028\u2029\u202f\u205f\u3000\ufeff") | {chr(c) for c in range(0x2000, 0x200B)}


def _storable(s: str) -> bool:
    return "\x00" not in s and not any(0xD800 <= ord(c) <= 0xDFFF for c in s)


def _text(value: Any, max_len: int) -> bool:
    """The API's `text(max)`: a string of at most max UTF-16 units, storable, not blank once trimmed."""
    return (
        isinstance(value, str)
        and len(value.encode("utf-16-le")) // 2 <= max_len
        and _storable(value)
        and any(c not in _TRIMMED for c in value)
    )


def _any_text(value: Any, max_len: int) -> bool:
    return isinstance(value, str) and len(value.encode("utf-16-le")) // 2 <= max_len and _storable(value)


def _pick(options: list[str], seed: str) -> str:
    return options[zlib.crc32(seed.encode("utf-8", "surrogatepass")) % len(options)]


def _fields_valid(fields: Any) -> bool:
    return isinstance(fields, dict) and all(_text(k, 100) and _any_text(v, 2000) for k, v in fields.items())


_calls = [0]


def _kept(value: str) -> bool:
    """One valid value in four stays as generated, so the refusal for a stranger is exercised too.

    Counted per call, not hashed from the value: the generator repeats its smallest values ("0") so
    often that a hash kept every one of them and no ticket opened at all.
    """
    _calls[0] += 1
    return _calls[0] % 4 == 0


def _open_ticket(body: dict[str, Any]) -> None:
    policy = body.get("policyId")
    channel = body.get("channel")
    fields = body.get("fields", {})
    if _text(policy, 100):
        served = [p for p in POLICIES if channel not in ("email", "phone", "web") or channel in SERVES[p]]
        chosen = _pick(served, policy)
        body["policyId"] = chosen
        if chosen == "smartertools-emergency" and _fields_valid(fields):
            body["fields"] = {**fields, **EMERGENCY_FIELDS}
        elif chosen == "mailup-premium" and channel == "phone" and _fields_valid(fields):
            body["fields"] = {**fields, **PHONE_FIELDS}
    email = body.get("requesterEmail")
    if isinstance(email, str) and len(email) <= 320 and EMAIL.fullmatch(email) and not _kept(email):
        local = email[: email.rindex("@")]
        body["requesterEmail"] = f"{local}@{DOMAIN}" if len(local) + 1 + len(DOMAIN) <= 320 else f"requester@{DOMAIN}"
    customer = body.get("customerId")
    if ROLE == "customer":
        if _text(customer, 100):
            body["customerId"] = TENANT
        if _text(body.get("resellerId"), 100) and zlib.crc32(body["resellerId"].encode("utf-8", "surrogatepass")) % 4:
            del body["resellerId"]
    elif "customerId" not in body or (_text(customer, 100) and not _kept(customer)):
        body["customerId"] = ORG
        # The seeded customer buys directly: naming a reseller refuses it as unknown_customer.
        if _text(body.get("resellerId"), 100) and not _kept(body["resellerId"]):
            del body["resellerId"]


def _create_subscription(body: dict[str, Any]) -> None:
    plan = body.get("planId")
    if _text(plan, 100):
        body["planId"] = _pick(PLANS, plan)
    hardware = body.get("hardware")
    if isinstance(hardware, dict) and _text(hardware.get("productId"), 100):
        hardware["productId"] = _pick(HARDWARE, hardware["productId"])


def _preview(body: dict[str, Any]) -> None:
    policy = body.get("policyId")
    if isinstance(policy, str) and SLUG.fullmatch(policy):
        body["policyId"] = _pick(POLICIES, policy)


def _tier(body: dict[str, Any]) -> None:
    tier = body.get("tier")
    if _text(tier, 50):
        body["tier"] = _pick(TIERS, tier)


def _map_body(operation: Any, body: Any) -> None:
    if operation is None or not isinstance(body, dict):
        return
    key = (operation.method.lower(), operation.path)
    if key == ("post", "/v1/tickets"):
        _open_ticket(body)
    elif key == ("post", "/v1/subscriptions"):
        _create_subscription(body)
    elif key == ("post", "/v1/sla/preview"):
        _preview(body)
    elif key[0] == "post" and operation.path.endswith(("/upgrade", "/renew")):
        _tier(body)


# The document's Idempotency-Key: printable ASCII, 1 to 255 characters.
IDEMPOTENCY_KEY = re.compile(r"[\x21-\x7e]{1,255}")
_keys = [0]


@schemathesis.hook
def before_call(ctx: Any, case: Any, kwargs: dict[str, Any]) -> None:
    """Maps each request just before it is sent, whichever phase made it: the coverage phase's cases do not
    go through map_* hooks, so with map_body its ticket openings all met `unknown_customer` for "0".

    A client takes a fresh Idempotency-Key for each new request. Generated keys repeat ("0", "A"), and
    every case after the first answered 422 idempotency_key_reused: no ticket opened with a key at all.
    A valid key gets a per-request suffix (still valid); a quarter are kept, so reuse is exercised too."""
    _map_body(case.operation, case.body)
    headers = case.headers
    # A CaseInsensitiveDict (requests'), not a dict.
    if not isinstance(headers, MutableMapping):
        return
    key = headers.get("Idempotency-Key")
    if not isinstance(key, str) or not IDEMPOTENCY_KEY.fullmatch(key):
        return
    # A counter of its own: sharing _kept's, whose calls per request vary, kept every key in some runs.
    _keys[0] += 1
    if _keys[0] % 4:
        headers["Idempotency-Key"] = f"{key[:240]}.{_keys[0]}"


def _is_positive(case: Any) -> bool:
    meta = getattr(case, "meta", None)
    generation = getattr(meta, "generation", None)
    mode = getattr(generation, "mode", None)
    return bool(mode is not None and mode.is_positive)


@schemathesis.check
def validator_agrees_with_document(ctx: Any, response: Any, case: Any) -> bool | None:
    if response.status_code != 422 or not _is_positive(case):
        return None
    try:
        problem = response.json()
    except Exception:  # noqa: BLE001 - a non-JSON 422 is content_type_conformance's to report
        return None
    if not isinstance(problem, dict) or problem.get("code") != "validation_failed":
        return None
    paths = [e.get("path") for e in problem.get("errors") or [] if isinstance(e, dict)]
    refused = [p for p in paths if p not in CONTEXTUAL]
    if refused or not paths:
        raise AssertionError(
            "A request valid for the OpenAPI document was refused by the validator "
            f"(validation_failed on {', '.join(str(p) for p in refused) or 'no field'}): "
            "the document promises more than the zod schema accepts"
        )
    return None
