"""Deliveries captured from a running `switchboard serve` must verify with the reference
Standard Webhooks library (PyPI `standardwebhooks`), and tampered copies must not."""
import sys

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from harness import Receiver, Switchboard


def verify(secret, body, headers):
    Webhook(secret).verify(body, {k: headers[k] for k in ("webhook-id", "webhook-timestamp", "webhook-signature")})


def expect_rejected(secret, body, headers, what):
    try:
        verify(secret, body, headers)
    except WebhookVerificationError:
        return
    raise AssertionError(f"a {what} copy verified")


def main(binary):
    receiver = Receiver()
    switchboard = Switchboard(binary).start()
    try:
        endpoint = switchboard.request("POST", "/v1/endpoints", {
            "name": "interop", "url": receiver.url("/hooks"), "event_types": ["order.*"]}, expect=201)
        secret = endpoint["secret"]
        event = switchboard.request("POST", "/v1/events", {
            "event_type": "order.created", "payload": {"order_id": "ord_1", "total": 149.5, "note": "héllo ✓"}},
            headers={"Idempotency-Key": "interop-1"}, expect=202)
        _, headers, body = receiver.wait(1, "/hooks")[0]
        verify(secret, body, headers)
        assert headers["webhook-id"] == event["id"], headers
        expect_rejected(secret, body.replace(b"149.5", b"999.5"), headers, "tampered body")
        expect_rejected(secret, body, dict(headers, **{"webhook-id": "evt_other"}), "re-labelled")
        expect_rejected("whsec_" + "A" * 43 + "=", body, headers, "wrong-secret")
        print("standardwebhooks: signature verified, tampered copies rejected")
        check_rotation_grace(switchboard, receiver, endpoint)
        code = switchboard.stop()
        assert code == 0, f"serve exited with {code} after SIGTERM"
    finally:
        switchboard.cleanup()
        receiver.close()


def check_rotation_grace(switchboard, receiver, endpoint):
    old_secret = endpoint["secret"]
    rotated = switchboard.request("POST", f"/v1/endpoints/{endpoint['id']}/rotate-secret", {"grace_seconds": 3600}, expect=200)
    new_secret = rotated["secret"]
    before = len(receiver.requests)
    switchboard.request("POST", "/v1/events", {"event_type": "order.updated", "payload": {"n": 2}}, expect=202)
    _, headers, body = receiver.wait(before + 1, "/hooks")[-1]
    assert len(headers["webhook-signature"].split(" ")) == 2, headers["webhook-signature"]
    verify(new_secret, body, headers)
    verify(old_secret, body, headers)
    print("standardwebhooks: during the grace period both the new and the old secret verify")


if __name__ == "__main__":
    main(sys.argv[1])
