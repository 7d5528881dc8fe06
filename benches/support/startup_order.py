#!/usr/bin/env python3
"""startup_order: the functions kaigi runs before its first frame, for the linker to put together.

Runs the release build under valgrind's callgrind in an 80x24 pty (answering the
ambiguous-width probe), on the embedded documents and then on a file, with a profile dump
before the first `write` (the first frame is the
first write), takes every instruction address that ran before it, and names the linker's input
section that holds each, from the map the release build writes (`src/build.rs`: `kaigi.map`
in the build's OUT_DIR). It prints those sections' symbols, in the order they first ran. The
release build then links them first, side by side (lld's `--symbol-ordering-file`), so that
the first frame reads a few pages of code instead of pages scattered over the whole binary.

Symbol names hold a hash of the build's settings (the profile, the dependencies' versions, the
compiler), not of the code: the list stays right while the code changes, and is made again
after a change of those (a name the build no longer has is skipped by the linker, so a stale
list costs only the pages it would have saved).

usage: cargo build --release
       python3 benches/support/startup_order.py > data/startup.order
       cargo build --release        # linked in that order
"""
import bisect, fcntl, glob, os, pty, re, select, struct, sys, tempfile, termios, time

def sections(map_path):
    """(start, end, symbol) of every code input section, sorted by start."""
    out = []
    pat = re.compile(r"\(\.text(?:\.unlikely|\.hot|\.startup|\.split)?\.(\S+?)\)\s*$")
    for line in open(map_path, encoding="utf-8", errors="replace"):
        m = pat.search(line)
        if not m:
            continue
        p = line.split()
        start, size = int(p[0], 16), int(p[2], 16)
        if size:
            out.append((start, start + size, m.group(1)))
    out.sort()
    return out


def run_until_first_write(binary, work, args, name):
    out = os.path.join(work, name)
    argv = ["valgrind", "--tool=callgrind", "--dump-before=write", "--dump-instr=yes",
            "--compress-pos=no", "--compress-strings=no", f"--callgrind-out-file={out}",
            binary] + args
    env = dict(os.environ, TERM="xterm-256color", XDG_STATE_HOME=work + "/s",
               XDG_CONFIG_HOME=work + "/c", LANG="C.UTF-8")
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.execvpe(argv[0], argv, env)
    got, deadline = 0, time.time() + 120
    while time.time() < deadline and got < 1000:
        r, _, _ = select.select([fd], [], [], 5)
        if not r:
            continue
        try:
            b = os.read(fd, 65536)
        except OSError:
            break
        if not b:
            break
        got += len(b)
        if b"\x1b[6n" in b:
            os.write(fd, b"\x1b[1;2R")
    time.sleep(0.5)
    os.write(fd, b"q")
    end = time.time() + 60
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 1)
        if not r:
            continue
        try:
            if not os.read(fd, 65536):
                break
        except OSError:
            break
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
    first = out + ".1"
    if not os.path.exists(first):
        sys.exit(f"startup_order: no profile dumped before the first write ({work})")
    return first


def addresses(dump, binary):
    """Instruction addresses of the binary itself that ran, in the order the dump lists them."""
    seen, order, ours = set(), [], False
    for line in open(dump, encoding="utf-8", errors="replace"):
        if line.startswith("ob="):
            ours = os.path.realpath(line[3:].strip()) == os.path.realpath(binary)
            continue
        if line.startswith(("fn=", "fl=", "fi=", "fe=")) or line.startswith("c"):
            # calls= lines are followed by the call's own position line: counted as run too.
            continue
        m = re.match(r"^0x([0-9a-f]+) \d+", line)
        if m and ours:
            a = int(m.group(1), 16)
            if a not in seen:
                seen.add(a)
                order.append(a)
    return order


def main():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "target/release/kaigi")
    maps = sorted(glob.glob(os.path.join(os.path.dirname(binary), "build/kaigi-*/out/kaigi.map")),
                  key=os.path.getmtime)
    if not maps:
        sys.exit("startup_order: no kaigi.map next to the binary: build it with cargo build --release")
    secs = sections(maps[-1])
    starts = [s for s, _, _ in secs]
    work = tempfile.mkdtemp(prefix="startup_order.")
    # Both starts: the embedded documents (`kaigi`) and a file (`kaigi --file`, as the
    # terminal benchmark starts it); what either runs, in the order it first ran.
    seed = os.path.join(root, "seeds/000_5e00753f0cefcf0c.txt")
    runs = [([], "embedded.out"), (["--file", seed], "file.out")]
    ran = []
    for args, name in runs:
        ran += addresses(run_until_first_write(binary, work, args, name), binary)
    named, missed = [], 0
    done = set()
    for a in ran:
        # callgrind gives an instruction's address in the file (as the map does), wherever
        # the binary was loaded.
        link = a
        i = bisect.bisect_right(starts, link) - 1
        if i < 0 or not (secs[i][0] <= link < secs[i][1]):
            missed += 1
            continue
        name = secs[i][2]
        if name not in done:
            done.add(name)
            named.append(name)
    for n in named:
        print(n)
    print(f"startup_order: {len(named)} functions; {missed} addresses outside them", file=sys.stderr)


if __name__ == "__main__":
    main()
