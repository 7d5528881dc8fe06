#!/usr/bin/env python3
"""firstframe: CPU time and page faults of a terminal program up to its first frame.

Each program runs in a fresh 80x24 pty under `perf stat` (counting starts at the program's
exec, not perf's), with an empty XDG_STATE_HOME and XDG_CONFIG_HOME of its own. The harness
reads the pty and, once the program has written BYTES bytes (its whole first frame), kills it
with SIGKILL: perf then reports the counters from exec to the first frame (and the few
microseconds the harness takes to notice). Programs take turns; medians are printed. Page
faults repeat to within a few from run to run on a busy machine, CPU time does not. The
"frame ms" column includes perf's own start and is only good for comparing runs of one table.

usage: firstframe.py RUNS NAME:BYTES:CMD [NAME:BYTES:CMD ...]
  e.g. firstframe.py 30 "kaigi:2591:target/release/kaigi --file seeds/000_5e00753f0cefcf0c.txt" \
                        "less:1779:less seeds/000_5e00753f0cefcf0c.txt"
(BYTES: the first frame's size, from ../shared/tools/ptyprobe.py's first_frame.bytes.)
"""
import os, pty, select, signal, statistics, sys, tempfile, time, fcntl, termios, struct, shlex


def one(cmd, need):
    out = tempfile.mktemp(prefix="firstframe.stat.")
    tmp = tempfile.mkdtemp(prefix="firstframe.env.")
    argv = ["perf", "stat", "-x,", "-o", out, "-e", "task-clock,page-faults", "--"] + cmd
    env = dict(os.environ, TERM="xterm-256color", XDG_STATE_HOME=tmp + "/s",
               XDG_CONFIG_HOME=tmp + "/c", LANG="C.UTF-8")
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.execvpe(argv[0], argv, env)
    t0 = time.perf_counter()
    got = 0
    first = None
    while got < need:
        r, _, _ = select.select([fd], [], [], 5)
        if not r:
            break
        try:
            b = os.read(fd, 65536)
        except OSError:
            break
        if not b:
            break
        if first is None:
            first = time.perf_counter()
        got += len(b)
    done = time.perf_counter()
    # perf's child is the program: kill it (perf itself then reports and exits).
    try:
        kids = open(f"/proc/{pid}/task/{pid}/children").read().split()
        for k in kids:
            os.kill(int(k), signal.SIGKILL)
    except OSError:
        pass
    while True:
        try:
            r, _, _ = select.select([fd], [], [], 2)
            if not r or not os.read(fd, 65536):
                break
        except OSError:
            break
    os.waitpid(pid, 0)
    os.close(fd)
    stats = {}
    for line in open(out):
        parts = line.strip().split(",")
        if len(parts) > 3 and parts[0] and parts[0][0].isdigit():
            stats[parts[2]] = float(parts[0])
    os.unlink(out)
    os.system(f"rm -rf {shlex.quote(tmp)}")
    return {"first_ms": (first - t0) * 1e3 if first else None,
            "frame_ms": (done - t0) * 1e3, "bytes": got,
            "cpu_ms": stats.get("task-clock"), "faults": stats.get("page-faults")}


def main():
    runs = int(sys.argv[1])
    progs = []
    for spec in sys.argv[2:]:
        name, need, cmd = spec.split(":", 2)
        progs.append((name, int(need), shlex.split(cmd)))
    res = {p[0]: [] for p in progs}
    for _ in range(runs):
        for name, need, cmd in progs:
            res[name].append(one(cmd, need))
    med = statistics.median
    print(f"{'program':18} {'cpu ms':>8} {'faults':>7} {'frame ms':>9} {'(min)':>7} {'bytes':>6}   medians of {runs}, taking turns")
    for name, rs in res.items():
        ok = [r for r in rs if r["cpu_ms"] is not None]
        print(f"{name:18} {med(r['cpu_ms'] for r in ok):8.3f} {med(r['faults'] for r in ok):7.0f} "
              f"{med(r['frame_ms'] for r in rs):9.3f} {min(r['frame_ms'] for r in rs):7.3f} {med(r['bytes'] for r in rs):6.0f}")
    names = list(res)
    if len(names) >= 2:
        a, b = names[0], names[1]
        wins = sum(1 for x, y in zip(res[a], res[b]) if x["frame_ms"] < y["frame_ms"])
        print(f"{a} before {b} in {wins} of {runs} pairs (frame)")


main()
