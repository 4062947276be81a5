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

    def dismiss_admin_key(self, data_dir=None, timeout=60):
        """Waits for the first start's admin key panel and dismisses it with Enter. With
        `data_dir`, also checks that the key shown is the one kept in <data-dir>/admin.key,
        readable by its owner only."""
        screen = self.wait_for(lambda s: "it is not shown again" in s, "the first start's admin key panel", timeout=timeout)
        if data_dir is not None:
            import os
            import stat
            path = os.path.join(data_dir, "admin.key")
            mode = stat.S_IMODE(os.stat(path).st_mode)
            assert mode == 0o600, f"{path} is mode {oct(mode)}, not 0600"
            with open(path) as handle:
                key = handle.read().strip()
            assert key.startswith("sbk_") and key in screen, f"the panel does not show the key kept in {path}:\n{screen}"
        self.keys("Enter")
        self.wait_for(lambda s: "it is not shown again" not in s, "the admin key panel to close", timeout=10)

    def quit_stopping_dispatcher(self):
        """`q` in an embedded console with deliveries queued: it asks before stopping the
        dispatcher; answer y then Enter (after the dialog's 300 ms) and wait for the exit."""
        self.keys("q")
        screen = self.wait_for(lambda s: "Quit and stop the dispatcher" in s or "EXITED=" in s, "the quit question or the exit")
        if "EXITED=" not in screen:
            time.sleep(0.4)
            self.keys("y")
            self.keys("Enter")
        return self.wait_for(lambda s: "EXITED=" in s, "the console to exit after q", timeout=30)

    def resize(self, width, height):
        subprocess.run(["tmux", "resize-window", "-t", self.name, "-x", str(width), "-y", str(height)], check=True)
        time.sleep(0.5)

    def close(self):
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)
