#!/usr/bin/env python3
"""vault_pty.py LINE CMD... — run CMD on a new pseudo-terminal (its controlling terminal,
so /dev/tty is the pty), wait for a prompt ending in ": " shown with echo off, type LINE
and Enter, and copy everything CMD writes to the terminal to stdout. Exits with CMD's exit
status (124 on a timeout). For the vault's terminal reader in vault_*.sh.

After CMD has printed 'TYPE-MORE', one more Enter is typed (a script run as CMD can read
what was left in the terminal's input)."""
import os
import pty
import select
import sys
import termios
import time

TIMEOUT = 20


def main():
    line, argv = sys.argv[1].encode(), sys.argv[2:]
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(argv[0], argv)
    out = b""
    typed = more = False
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        if not typed and out.endswith(b": "):
            # The prompt shows only once echo is off; check it all the same.
            if not termios.tcgetattr(fd)[3] & termios.ECHO:
                os.write(fd, line + b"\n")
                typed = True
        if typed and not more and b"TYPE-MORE" in out:
            os.write(fd, b"\n")
            more = True
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                data = os.read(fd, 4096)
            except OSError:  # EIO: the other side is closed
                break
            if not data:
                break
            out += data
    else:
        os.kill(pid, 9)
        sys.stdout.buffer.write(out)
        sys.stdout.write("\nvault_pty.py: timed out\n")
        sys.exit(124)
    _, status = os.waitpid(pid, 0)
    sys.stdout.buffer.write(out)
    sys.exit(os.waitstatus_to_exitcode(status))


main()
