"""`switchboard receive --secret` must accept what the reference Standard Webhooks library
(PyPI `standardwebhooks`) signs with that secret, answer 401 to a tampered, stale or
wrongly keyed request and print the reason, and without --secret answer --status."""
import datetime
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

from standardwebhooks.webhooks import Webhook

from harness import free_port, post_raw

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
OTHER_SECRET = "whsec_" + "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUE="


class Receive:
    """A `switchboard receive` process on a free loopback port, its output in a file."""

    def __init__(self, binary, *arguments):
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="receive-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [binary, "receive", "--port", str(self.port), *arguments], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 15
        while "Receiving webhooks" not in self.output():
            assert self.process.poll() is None, f"switchboard receive exited:\n{self.output()}"
            assert time.time() < deadline, f"switchboard receive did not start within 15 s:\n{self.output()}"
            time.sleep(0.05)

    def output(self):
        with open(self.log.name, encoding="utf-8") as handle:
            return handle.read()

    def post(self, body, headers):
        return post_raw(f"http://127.0.0.1:{self.port}/hooks", body, headers)

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=10)
        text = self.output()
        os.unlink(self.log.name)
        return text


def signed(secret, message_id, body, when):
    signature = Webhook(secret).sign(message_id, when, body.decode())
    return {"content-type": "application/json", "webhook-id": message_id,
            "webhook-timestamp": str(int(when.timestamp())), "webhook-signature": signature}


def main(binary):
    now = datetime.datetime.now(tz=datetime.timezone.utc)
    body = b'{"type":"order.created","data":{"total":149.5}}'

    verifying = Receive(binary, "--secret", SECRET)
    try:
        status, _, answer = verifying.post(body, signed(SECRET, "msg_good", body, now))
        assert status == 200, (status, answer)
        status, _, answer = verifying.post(body.replace(b"149.5", b"1"), signed(SECRET, "msg_tampered", body, now))
        assert status == 401 and "no v1 signature matches" in answer["error"], (status, answer)
        status, _, answer = verifying.post(body, signed(OTHER_SECRET, "msg_other_key", body, now))
        assert status == 401, (status, answer)
        stale = now - datetime.timedelta(minutes=10)
        status, _, answer = verifying.post(body, signed(SECRET, "msg_stale", body, stale))
        assert status == 401 and "away from now" in answer["error"], (status, answer)
        rotated = signed(SECRET, "msg_rotated", body, now)
        rotated["webhook-signature"] = signed(OTHER_SECRET, "msg_rotated", body, now)["webhook-signature"] + " " + rotated["webhook-signature"]
        status, _, answer = verifying.post(body, rotated)
        assert status == 200, ("one matching v1 entry among several must verify", status, answer)
    finally:
        output = verifying.stop()
    assert len(re.findall(r"signature +verified \(v1", output)) == 2, output
    assert output.count("FAILED:") == 3, output
    assert "Stopped after 5 request(s)." in output, output
    assert SECRET not in output, "the secret was printed"

    plain = Receive(binary, "--status", "503")
    try:
        status, _, _ = plain.post(body, {"content-type": "application/json"})
        assert status == 503, status
    finally:
        output = plain.stop()
    assert "Not verifying signatures" in output and "→ 503" in output, output

    print("switchboard receive: 2 standardwebhooks-signed requests verified, tampered/other-key/stale answered 401 "
          "with the reason printed, --status honoured, the secret never printed")


if __name__ == "__main__":
    main(sys.argv[1])
