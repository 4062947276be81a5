"""End-to-end: Ctrl-Z suspends the console to the shell (the terminal restored, the job
stopped) and `fg` brings it back, redrawn, in a real interactive shell inside tmux."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "interop"))
from harness import free_port  # noqa: E402
from tmux import TmuxSession  # noqa: E402


def main(binary):
    data = tempfile.mkdtemp(prefix="switchboard-e2e-suspend-")
    session = TmuxSession("sbe2esusp", "bash --norc --noprofile -i", env={"TERM": "xterm-256color", "LANG": "C.UTF-8", "PS1": "SHELL$ "})
    try:
        session.wait_for(lambda s: "SHELL$" in s, "the shell prompt")
        session.keys(f"{binary} demo --port {free_port()} --data-dir {data} --rate 2", "Enter")
        session.dismiss_admin_key()
        session.wait_for(lambda s: "1 Endpoints" in s and "2 Events" in s, "the console", timeout=60)
        session.keys("C-z")
        screen = session.wait_for(lambda s: "Stopped" in s and "SHELL$" in s, "the shell after Ctrl-Z")
        assert "1 Endpoints" not in screen.split("Stopped")[-1], f"the console still drew after Ctrl-Z:\n{screen}"
        print("console: Ctrl-Z gave the terminal back to the shell and stopped the job")
        session.keys("fg", "Enter")
        session.wait_for(lambda s: "1 Endpoints" in s and "2 Events" in s and "SHELL$" not in s, "the console redrawn after fg", timeout=20)
        session.keys("j")
        print("console: fg brought it back, redrawn, and it takes keys")
        session.keys("C-c")
        session.wait_for(lambda s: s.rstrip().endswith("SHELL$"), "the shell after quitting", timeout=30)
    finally:
        session.close()


if __name__ == "__main__":
    main(sys.argv[1])
