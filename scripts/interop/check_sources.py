"""Inbound sources and direct signed ingest against signers we did not write.

A real `switchboard serve` on loopback gets Stripe, GitHub, Shopify and Standard Webhooks
sources, each with a destination on a recording receiver. Requests signed by the `stripe`
package, by githubkit and by the reference `standardwebhooks` library must be accepted (202)
and forwarded as deliveries that `standardwebhooks` verifies with the destination's own
secret, carrying the `x-switchboard-source-*` headers; tampered, wrongly keyed, stale and
unsigned requests must be refused with 401 and a generic message, and counted on the source.
A repeated Stripe event is not delivered twice; a source replay is; direct ingest on
`/e/{endpoint_id}` signed with Python's hmac is delivered with its correlation id."""
import base64
import datetime
import hashlib
import hmac
import json
import secrets
import sys
import time
import uuid

import stripe
from githubkit.webhooks import sign as github_sign, verify as github_verify
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from harness import Receiver, Switchboard, post_raw

GENERIC_401 = {"error": {"code": "verification_failed", "message": "the request could not be verified"}}


def compact(value):
    """JSON with the keys in the order given (not sorted), so a re-serialization shows."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def verify_delivery(secret, headers, body):
    """The delivery verifies with the destination's secret; tampered copies do not."""
    signed = {k: headers[k] for k in ("webhook-id", "webhook-timestamp", "webhook-signature")}
    Webhook(secret).verify(body, signed)
    try:
        Webhook(secret).verify(body + b" ", signed)
    except WebhookVerificationError:
        pass
    else:
        raise AssertionError("a tampered delivery verified")
    return json.loads(body)


class Harness:
    def __init__(self, switchboard, receiver):
        self.sb = switchboard
        self.receiver = receiver
        self.rejections = {}

    def create_source(self, name, provider, secret=None):
        body = {"name": name, "provider": provider}
        if secret is not None:
            body["signing_secret"] = secret
        source = self.sb.request("POST", "/v1/sources", body, expect=201)
        assert source["id"].startswith("src_"), source
        assert source["provider"] == provider and source["name"] == name, source
        assert source["url"] == f"http://127.0.0.1:{self.sb.port}/in/{source['slug']}", source
        assert source["rejected_count"] == 0 and source["events_received"] == 0, source
        if secret is not None:
            assert "signing_secret" not in source, f"a secret we gave was echoed back: {source}"
        self.rejections[source["id"]] = 0
        return source

    def add_destination(self, source, path):
        endpoint = self.sb.request("POST", f"/v1/sources/{source['id']}/destinations", {
            "name": f"{source['name']}-dest", "url": self.receiver.url(path)}, expect=201)
        assert endpoint["id"].startswith("ep_") and endpoint["secret"].startswith("whsec_"), endpoint
        return endpoint

    def ingest(self, source, body, headers, expect):
        status, _, answer = post_raw(source["url"], body, dict({"content-type": "application/json"}, **headers))
        assert status == expect, f"{source['provider']}: expected {expect}, got {status}: {answer!r}"
        return answer

    def expect_rejected(self, source, body, headers, what):
        before = self.sb.request("GET", f"/v1/sources/{source['id']}", expect=200)
        answer = self.ingest(source, body, headers, expect=401)
        assert answer == GENERIC_401, f"{source['provider']} {what}: the 401 must be generic, got {answer!r}"
        self.rejections[source["id"]] += 1
        after = self.sb.request("GET", f"/v1/sources/{source['id']}", expect=200)
        assert after["rejected_count"] == self.rejections[source["id"]], \
            f"{source['provider']} {what}: rejected_count {after['rejected_count']}, expected {self.rejections[source['id']]}"
        reason = after["last_rejection_reason"]
        assert isinstance(reason, str) and reason, f"{source['provider']} {what}: no last_rejection_reason: {after}"
        assert after["last_rejected_at"], after
        assert reason not in json.dumps(answer), f"the reason leaked to the caller: {answer!r}"
        assert after["events_received"] == before["events_received"], f"{what}: a refused request was counted as received"
        return reason

    def deliveries(self, path):
        with self.receiver.lock:
            return [r for r in self.receiver.requests if r[0] == path]


def check_stripe(h):
    secret = "whsec_test_" + secrets.token_hex(16)
    source = h.create_source("stripe-interop", "stripe", secret)
    destination = h.add_destination(source, "/stripe")
    event_id = "evt_" + secrets.token_hex(12)
    body = compact({"id": event_id, "object": "event", "type": "charge.succeeded", "livemode": False,
                    "data": {"object": {"id": "ch_1", "object": "charge", "amount": 2000, "currency": "eur", "description": "café ✓"}}})
    header = stripe.WebhookSignature.generate_signature_header(body.decode(), secret)
    stripe.WebhookSignature.verify_header(body, header, secret, tolerance=300)
    answer = h.ingest(source, body, {"Stripe-Signature": header}, expect=202)
    assert answer["id"].startswith("evt_") and answer["status"] == "QUEUED", answer
    _, headers, delivered = h.receiver.wait(1, "/stripe")[0]
    message = verify_delivery(destination["secret"], headers, delivered)
    assert message["type"] == "charge.succeeded" and message["id"] == answer["id"], message
    assert message["data"] == json.loads(body), message
    assert b'"data":' + body in delivered, f"data is not the provider's body byte for byte: {delivered[:400]!r}"
    assert headers.get("x-switchboard-source-id") == source["id"], headers
    assert headers.get("x-switchboard-source-stripe-signature") == header, headers
    print("stripe: a stripe-signed event was accepted and delivered, verified by standardwebhooks, with its source headers")

    # Stripe retries with a fresh signature: same event id, answered 2xx, not delivered again.
    again = stripe.WebhookSignature.generate_signature_header(body.decode(), secret, timestamp=int(time.time()) + 1)
    status, _, duplicate = post_raw(source["url"], body, {"content-type": "application/json", "Stripe-Signature": again})
    assert 200 <= status < 300 and duplicate["id"] == answer["id"], (status, duplicate)
    assert status == 200, f"a redelivery should be answered 200, got {status}"

    tampered = body.replace(b"2000", b"9000")
    h.expect_rejected(source, tampered, {"Stripe-Signature": header}, "tampered body")
    wrong = stripe.WebhookSignature.generate_signature_header(body.decode(), "whsec_test_" + secrets.token_hex(16))
    h.expect_rejected(source, body, {"Stripe-Signature": wrong}, "wrong secret")
    stale_body = body.replace(event_id.encode(), b"evt_" + secrets.token_hex(12).encode())
    stale = stripe.WebhookSignature.generate_signature_header(stale_body.decode(), secret, timestamp=int(time.time()) - 600)
    stripe.WebhookSignature.verify_header(stale_body, stale, secret)  # the signature itself is right…
    try:
        stripe.WebhookSignature.verify_header(stale_body, stale, secret, tolerance=300)
        raise AssertionError("the stripe package accepted the stale header")
    except stripe.SignatureVerificationError:
        pass  # …but ten minutes old
    h.expect_rejected(source, stale_body, {"Stripe-Signature": stale}, "stale timestamp")
    h.expect_rejected(source, body, {}, "missing Stripe-Signature")
    time.sleep(1.0)
    assert len(h.deliveries("/stripe")) == 1, f"expected one delivery after a redelivery and refusals, got {len(h.deliveries('/stripe'))}"
    got = h.sb.request("GET", f"/v1/sources/{source['id']}", expect=200)
    assert got["events_received"] == 1 and got["last_received_at"], got
    print(f"stripe: redelivery answered {status} with the original id and not fanned out again; "
          f"tampered/wrong-secret/stale/unsigned → 401, rejected_count {got['rejected_count']}")

    events = h.sb.request("GET", f"/v1/events?source_id={source['id']}", expect=200)["events"]
    assert [e["id"] for e in events] == [answer["id"]], events

    replay = h.sb.request("POST", f"/v1/sources/{source['id']}/events/{answer['id']}/replay", {}, expect=202)
    assert replay["replay_of"] == answer["id"] and replay["event_id"] != answer["id"], replay
    assert replay["queued"] == 1 and len(replay["delivery_ids"]) == 1 and replay["endpoint_ids"] == [destination["id"]], replay
    _, headers, delivered = h.receiver.wait(2, "/stripe")[1]
    message = verify_delivery(destination["secret"], headers, delivered)
    assert headers["webhook-id"] == replay["event_id"] and message["data"] == json.loads(body), (headers, message)
    assert headers.get("x-switchboard-source-id") == source["id"], headers
    print("stripe: source replay → a second, verified delivery of the same provider body")
    return source


def check_github(h):
    secret = "gh-" + secrets.token_urlsafe(20)
    source = h.create_source("github-interop", "github", secret)
    destination = h.add_destination(source, "/github")
    body = compact({"action": "opened", "number": 7, "pull_request": {"id": 1, "title": "Add sources"},
                    "repository": {"full_name": "acme/api"}, "sender": {"login": "octocat"}})
    signature = github_sign(secret, body)
    assert github_verify(secret, body, signature)
    delivery_id = str(uuid.uuid4())
    headers = {"X-Hub-Signature-256": signature, "X-GitHub-Event": "pull_request", "X-GitHub-Delivery": delivery_id,
               "X-GitHub-Hook-ID": "412345678", "User-Agent": "GitHub-Hookshot/abc123"}
    answer = h.ingest(source, body, headers, expect=202)
    _, got, delivered = h.receiver.wait(1, "/github")[0]
    message = verify_delivery(destination["secret"], got, delivered)
    assert message["type"] == "pull_request.opened" and message["data"] == json.loads(body), message
    assert got.get("x-switchboard-source-id") == source["id"], got
    assert got.get("x-switchboard-source-x-github-event") == "pull_request", got
    assert got.get("x-switchboard-source-x-github-delivery") == delivery_id, got
    assert got.get("x-switchboard-source-x-github-hook-id") == "412345678", got
    print("github: a githubkit-signed event was accepted and delivered as pull_request.opened with its source headers")

    fresh = dict(headers, **{"X-GitHub-Delivery": str(uuid.uuid4())})
    h.expect_rejected(source, body.replace(b"opened", b"closed"), fresh, "tampered body")
    h.expect_rejected(source, body, dict(fresh, **{"X-Hub-Signature-256": github_sign("not-the-secret", body)}), "wrong secret")
    h.expect_rejected(source, body, {k: v for k, v in fresh.items() if k != "X-Hub-Signature-256"}, "missing X-Hub-Signature-256")
    assert github_verify(secret, body, signature) and answer["status"] == "QUEUED"

    new_secret = "gh-" + secrets.token_urlsafe(20)
    rotated = h.sb.request("POST", f"/v1/sources/{source['id']}/rotate-secret",
                           {"signing_secret": new_secret, "grace_seconds": 3600}, expect=200)
    assert "signing_secret" not in rotated, rotated
    for key in (new_secret, secret):
        ping = compact({"zen": "Keep it logically awesome.", "hook_id": 412345678, "key": key[:3]})
        h.ingest(source, ping, {"X-Hub-Signature-256": github_sign(key, ping), "X-GitHub-Event": "ping",
                                "X-GitHub-Delivery": str(uuid.uuid4())}, expect=202)
    h.receiver.wait(3, "/github")
    print("github: tampered/wrong-secret/unsigned → 401; after rotate-secret both the new and the old secret are accepted")


def check_shopify(h):
    secret = "shpss_" + secrets.token_hex(16)
    source = h.create_source("shopify-interop", "shopify", secret)
    destination = h.add_destination(source, "/shopify")
    body = compact({"id": 820982911946154508, "email": "jon@example.com", "total_price": "199.00", "line_items": []})
    digest = base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()
    webhook_id = str(uuid.uuid4())
    headers = {"X-Shopify-Hmac-Sha256": digest, "X-Shopify-Topic": "orders/create",
               "X-Shopify-Shop-Domain": "acme.myshopify.com", "X-Shopify-Webhook-Id": webhook_id}
    h.ingest(source, body, headers, expect=202)
    _, got, delivered = h.receiver.wait(1, "/shopify")[0]
    message = verify_delivery(destination["secret"], got, delivered)
    assert message["type"] == "orders.create" and message["data"] == json.loads(body), message
    assert got.get("x-switchboard-source-x-shopify-topic") == "orders/create", got
    assert got.get("x-switchboard-source-x-shopify-shop-domain") == "acme.myshopify.com", got
    assert got.get("x-switchboard-source-x-shopify-webhook-id") == webhook_id, got
    h.expect_rejected(source, body.replace(b"199.00", b"1.00"), headers, "tampered body")
    wrong = base64.b64encode(hmac.new(b"other", body, hashlib.sha256).digest()).decode()
    h.expect_rejected(source, body, dict(headers, **{"X-Shopify-Hmac-Sha256": wrong}), "wrong secret")
    h.expect_rejected(source, body, {k: v for k, v in headers.items() if k != "X-Shopify-Hmac-Sha256"}, "missing header")
    print("shopify: an HMAC-signed order was delivered as orders.create with its source headers; bad ones → 401")


def check_standard_webhooks(h):
    source = h.create_source("stdwh-interop", "standard-webhooks")
    secret = source.get("signing_secret")
    assert secret and secret.startswith("whsec_"), f"a generated secret must be shown on create: {source}"
    destination = h.add_destination(source, "/standard")
    msg_id = "msg_" + secrets.token_hex(10)
    body = compact({"type": "user.created", "timestamp": "2026-11-23T12:00:00Z", "data": {"user_id": "u_1"}})
    now = datetime.datetime.now(tz=datetime.timezone.utc)
    signature = Webhook(secret).sign(msg_id, now, body.decode())
    headers = {"webhook-id": msg_id, "webhook-timestamp": str(int(now.timestamp())), "webhook-signature": signature}
    Webhook(secret).verify(body, headers)
    h.ingest(source, body, headers, expect=202)
    _, got, delivered = h.receiver.wait(1, "/standard")[0]
    message = verify_delivery(destination["secret"], got, delivered)
    assert message["type"] == "user.created" and message["data"] == json.loads(body), message
    assert got.get("x-switchboard-source-id") == source["id"], got
    assert got.get("x-switchboard-source-webhook-id") == msg_id, got
    assert got["webhook-id"] != msg_id, "the delivery must carry Switchboard's own event id"

    other = "msg_" + secrets.token_hex(10)
    fresh = {"webhook-id": other, "webhook-timestamp": headers["webhook-timestamp"],
             "webhook-signature": Webhook(secret).sign(other, now, body.decode())}
    h.expect_rejected(source, body.replace(b"u_1", b"u_2"), fresh, "tampered body")
    wrong = Webhook("whsec_" + base64.b64encode(secrets.token_bytes(32)).decode())
    h.expect_rejected(source, body, dict(fresh, **{"webhook-signature": wrong.sign(other, now, body.decode())}), "wrong secret")
    old = now - datetime.timedelta(minutes=10)
    h.expect_rejected(source, body, dict(fresh, **{"webhook-timestamp": str(int(old.timestamp())),
                                                     "webhook-signature": Webhook(secret).sign(other, old, body.decode())}), "stale timestamp")
    h.expect_rejected(source, body, {k: v for k, v in fresh.items() if k != "webhook-signature"}, "missing webhook-signature")
    print("standard-webhooks: a standardwebhooks-signed message was delivered with x-switchboard-source-webhook-id; bad ones → 401")


def check_direct_ingest(h):
    endpoint = h.sb.request("POST", "/v1/endpoints", {
        "name": "direct", "url": h.receiver.url("/direct"), "event_types": ["invoice.*"]}, expect=201)
    secret = endpoint["secret"]
    url = f"http://127.0.0.1:{h.sb.port}/e/{endpoint['id']}"
    auth = {"Authorization": f"Bearer {h.sb.key}", "content-type": "application/json"}

    def signed(body, ts=None, key=secret):
        ts = int(time.time()) if ts is None else ts
        mac = hmac.new(key.encode(), f"{ts}.".encode() + body, hashlib.sha256).hexdigest()
        return {"X-Switchboard-Timestamp": str(ts), "X-Switchboard-Signature": mac}

    body = compact({"event_type": "invoice.paid", "invoice": "in_1", "amount_due": 4200})
    status, _, answer = post_raw(url, body, dict(auth, **signed(body), **{"X-Switchboard-Correlation-ID": "corr-42"}))
    assert status == 202 and answer["status"] == "QUEUED" and answer["id"].startswith("evt_") and answer.get("message"), (status, answer)
    _, got, delivered = h.receiver.wait(1, "/direct")[0]
    message = verify_delivery(secret, got, delivered)
    assert message["type"] == "invoice.paid" and got["webhook-id"] == answer["id"], message
    assert got.get("x-switchboard-correlation-id") == "corr-42", got

    by_header = compact({"invoice": "in_2"})
    status, _, answer = post_raw(url, by_header, dict(auth, **signed(by_header), **{"X-Switchboard-Event-Type": "invoice.voided"}))
    assert status == 202, (status, answer)
    _, got, delivered = h.receiver.wait(2, "/direct")[1]
    assert verify_delivery(secret, got, delivered)["type"] == "invoice.voided"

    refusals = {
        "signature of another body": signed(compact({"event_type": "invoice.paid", "invoice": "in_9"})),
        "wrong key": signed(body, key="whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()),
        "stale timestamp": signed(body, ts=int(time.time()) - 600),
        "no signature": {},
    }
    for what, headers in refusals.items():
        status, _, answer = post_raw(url, body, dict(auth, **headers))
        assert status == 401, f"direct ingest with {what}: expected 401, got {status}: {answer!r}"
    status, _, _ = post_raw(url, body, dict({"content-type": "application/json"}, **signed(body)))
    assert status == 401, f"direct ingest without an API key: expected 401, got {status}"
    reader = h.sb.run_cli("keys", "create", "--name", "reader", "--scopes", "read", "--quiet").strip()
    status, _, _ = post_raw(url, body, dict(auth, Authorization=f"Bearer {reader}", **signed(body)))
    assert status == 403, f"direct ingest with a read-only key: expected 403, got {status}"
    time.sleep(1.0)
    assert len(h.deliveries("/direct")) == 2, f"refused direct ingests must not be delivered: {len(h.deliveries('/direct'))}"
    print("direct ingest: hmac-signed /e/{endpoint} → 202, delivered with x-switchboard-correlation-id; "
          "bad/stale/missing signature → 401, no key → 401, read key → 403")


def main(binary):
    receiver = Receiver()
    switchboard = Switchboard(binary).start()
    try:
        h = Harness(switchboard, receiver)
        check_stripe(h)
        check_github(h)
        check_shopify(h)
        check_standard_webhooks(h)
        check_direct_ingest(h)
        listed = switchboard.request("GET", "/v1/sources", expect=200)["sources"]
        assert sorted(s["provider"] for s in listed) == ["github", "shopify", "standard-webhooks", "stripe"], listed
        for source in listed:
            assert source["rejected_count"] == h.rejections[source["id"]], source
        counts = {path: len(h.deliveries(path)) for path in ("/stripe", "/github", "/shopify", "/standard", "/direct")}
        assert counts == {"/stripe": 2, "/github": 3, "/shopify": 1, "/standard": 1, "/direct": 2}, counts
        print(f"sources: every source's rejected_count matches the refusals sent; deliveries per destination {counts}")
        code = switchboard.stop()
        assert code == 0, f"serve exited with {code} after SIGTERM"
    finally:
        switchboard.cleanup()
        receiver.close()


if __name__ == "__main__":
    main(sys.argv[1])
