"""Runs the README's "Forward Stripe webhooks to your laptop" walkthrough verbatim.

The ```sh blocks between <!-- walkthrough:stripe --> and <!-- /walkthrough:stripe --> are
joined into one bash script under `set -euo pipefail` and run from the repository's root,
with free ports in SB_PORT / RECEIVER_PORT (the README defaults them to 8080 / 9000); its
`mktemp -d` gives a fresh data directory. (TMPDIR is left alone: SwiftPM keeps lock files
there, and the first block runs `swift build` beside other builds.) The check asserts that `switchboard receive` printed the delivered, verified event, that the
tampered request got 401 and was counted, and that the replay reached the receiver. Every
process the walkthrough starts in the background is killed when the check ends, however
it ends."""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from harness import free_port

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
BEGIN, END = "<!-- walkthrough:stripe -->", "<!-- /walkthrough:stripe -->"
TIMEOUT = 600  # the first block runs `swift build`, which may wait for another build's lock


def walkthrough_script():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as readme:
        text = readme.read()
    assert text.count(BEGIN) == 1 and text.count(END) == 1, f"README.md must contain {BEGIN} … {END} once"
    section = text[text.index(BEGIN):text.index(END)]
    blocks = re.findall(r"^```sh\n(.*?)^```$", section, flags=re.S | re.M)
    assert len(blocks) >= 6, f"expected the walkthrough's sh blocks, found {len(blocks)}"
    return "set -euo pipefail\n" + "\n".join(blocks), len(blocks)


def missing_tools():
    return [tool for tool in ("bash", "curl", "jq", "openssl", "swift") if shutil.which(tool) is None]


def data_directories(temp, before):
    """Directories the walkthrough's `mktemp -d` made: new since `before`, holding its files."""
    found = []
    for name in set(os.listdir(temp)) - before:
        path = os.path.join(temp, name)
        if name.startswith("tmp.") and os.path.isdir(path) and \
                any(os.path.exists(os.path.join(path, f)) for f in ("serve.log", "receive.log", "switchboard.sqlite")):
            found.append(path)
    return found


def kill_group(process):
    """SIGTERM to the walkthrough's whole process group (bash and its background jobs), then SIGKILL."""
    for sig, grace in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        deadline = time.time() + grace
        while time.time() < deadline:
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)


def main(binary):
    missing = missing_tools()
    assert not missing, f"the walkthrough needs {', '.join(missing)} (.ci/run installs them)"
    script, count = walkthrough_script()
    temp = tempfile.gettempdir()
    before = set(os.listdir(temp))
    sb_port, receiver_port = free_port(), free_port()
    while receiver_port == sb_port:
        receiver_port = free_port()
    env = dict(os.environ, SB_PORT=str(sb_port), RECEIVER_PORT=str(receiver_port))
    process = subprocess.Popen(["bash", "-c", script], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        try:
            output, _ = process.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            kill_group(process)
            output, _ = process.communicate()
            raise AssertionError(f"the walkthrough did not finish within {TIMEOUT}s:\n{output.decode(errors='replace')[-4000:]}")
        text = output.decode(errors="replace")
        show = f"\n--- walkthrough output ---\n{text[-6000:]}"
        assert process.returncode == 0, f"the walkthrough failed with exit code {process.returncode}{show}"

        built = subprocess.run(["swift", "build", "--show-bin-path"], cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert os.path.samefile(os.path.join(built.stdout.strip(), "switchboard"), binary), \
            f"the walkthrough ran {built.stdout.strip()}/switchboard, the checks were given {binary}"

        assert re.search(rf"^http://127\.0\.0\.1:{sb_port}/in/\S+$", text, flags=re.M), f"no source URL printed{show}"
        assert '"status":"QUEUED"' in text, f"the signed event was not accepted{show}"
        receipt = re.search(r"^── #1 .*POST /stripe\s+→ 200.*?(?=^── #|\Z)", text, flags=re.M | re.S)
        assert receipt, f"switchboard receive printed no delivery on /stripe{show}"
        block = receipt.group(0)
        for expected in ("payment_intent.succeeded", "x-switchboard-source-id", "src_",
                         "x-switchboard-source-stripe-signature", "verified (v1", '"evt_test_walkthrough"', '"amount": 2000'):
            assert expected in block, f"the receiver's block lacks {expected!r}:\n{block}{show}"
        assert re.search(r'"code":\s*"verification_failed".*HTTP 401$', text, flags=re.M), f"the tampered request did not get 401{show}"
        assert re.search(r'"rejected_count":\s*1\b', text), f"the source did not count the refusal{show}"
        assert re.search(r'"replay_of":\s*"evt_', text), f"the replay was not accepted{show}"
        assert re.search(r"^2$", text, flags=re.M), f"the receiver did not get the replayed copy (expected 2 deliveries){show}"
        left = data_directories(temp, before)
        assert not left, f"the walkthrough's clean-up left its data directory behind: {left}"
        print(f"README walkthrough: {count} blocks ran verbatim; the receiver printed the verified Stripe event, "
              "the tampered request got 401 and was counted, the replay arrived")
    finally:
        kill_group(process)  # also when bash is done: its background jobs live on in its process group
        for directory in data_directories(temp, before):
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main(os.path.abspath(sys.argv[1]))
