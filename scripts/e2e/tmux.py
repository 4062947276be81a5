"""Drive a real terminal program in a detached tmux session: type keys, read the screen."""
import shlex
import subprocess
import time


class TmuxSession:
    def __init__(self, name, command, width=120, height=40, env=None):
        self.name = name
        exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in (env or {}).items())
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True)
        subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", str(width), "-y", str(height),
                        f"env {exports} {command}; echo EXITED=$?; sleep 30"], check=True)

    def keys(self, *keys):
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)
        time.sleep(0.3)

    def paste(self, text):
        """Pastes `text` as a terminal does: bracketed (ESC[200~ ... ESC[201~) when the program
        asked for it with ESC[?2004h, as tmux's paste-buffer -p sends it."""
        buffer = f"{self.name}-paste"
        subprocess.run(["tmux", "set-buffer", "-b", buffer, "--", text], check=True)
        subprocess.run(["tmux", "paste-buffer", "-p", "-d", "-b", buffer, "-t", self.name], check=True)
        time.sleep(0.3)

    def screen(self, ansi=False):
        args = ["tmux", "capture-pane", "-p", "-t", self.name] + (["-e"] if ansi else [])
        return subprocess.run(args, check=True, capture_output=True, text=True).stdout

    def wait_for(self, predicate, what, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            text = self.screen()
            if predicate(text):
                return text
            time.sleep(0.25)
        raise AssertionError(f"screen never showed {what} within {timeout}s; last screen:\n{self.screen()}")

    def resize(self, width, height):
        subprocess.run(["tmux", "resize-window", "-t", self.name, "-x", str(width), "-y", str(height)], check=True)
        time.sleep(0.5)

    def close(self):
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)
