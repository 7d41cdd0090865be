#!/usr/bin/env python3
"""A tiny engine speaking ORCA's ExtTool interface, for the tests of irc's `external` kind.

    morse-engine.py BASE_EXT.extinp.tmp

reads the XYZ file named on the input's first line (Å) and writes BASE_EXT.engrad with the
energy (hartree) and gradient (hartree/bohr) of a Morse cluster:
V = sum over pairs of De*((1 - exp(-a*(r - re)))**2 - 1), r in bohr;
or, with IRC_FAKE_ENGINE_MODEL=bend, of a triatomic with two bent minima:
V = K/2 ((r12 - R0)**2 + (r23 - R0)**2) + C ((r13 - M)**2 - W**2)**2 (constants below): the
three distances are independent, so the minima have r12 = r23 = R0 and r13 = M -+ W, and the
saddle between them r13 = M, exactly C W**4 = 0.01 hartree above them.

Faults are switched on by the environment, to test how irc handles them:
  IRC_FAKE_ENGINE=exit|hang|garbage|nan|atoms|short|nofile|noise
  IRC_FAKE_ENGINE_COUNTER=FILE  one line is appended per call
  IRC_FAKE_ENGINE_AFTER=N       the fault starts only after N calls (needs the counter)
  IRC_FAKE_ENGINE_DE, _A, _RE   Morse parameters (default 0.1 hartree, 1.0/bohr, 2.0 bohr)
  IRC_FAKE_ENGINE_TIMES=FILE    one line "start end" (wall-clock seconds) is appended per call,
                                to see whether calls overlap in time
  IRC_FAKE_ENGINE_SLEEP=SECONDS each call also waits this long, as a real engine computes
Standard library only.
"""
import math
import os
import sys
import time

STARTED = time.time()
BOHR = 0.529177210903


def read_input(path):
    with open(path) as handle:
        lines = [line.strip() for line in handle]
    xyz_name, charge, multiplicity, cores, want_gradient = lines[:5]
    with open(xyz_name) as handle:
        xyz = handle.read().splitlines()
    count = int(xyz[0])
    symbols, coordinates = [], []
    for line in xyz[2:2 + count]:
        fields = line.split()
        symbols.append(fields[0])
        coordinates.append([float(value) / BOHR for value in fields[1:4]])
    return symbols, coordinates


def morse(coordinates):
    de = float(os.environ.get("IRC_FAKE_ENGINE_DE", "0.1"))
    a = float(os.environ.get("IRC_FAKE_ENGINE_A", "1.0"))
    re = float(os.environ.get("IRC_FAKE_ENGINE_RE", "2.0"))
    n = len(coordinates)
    energy = 0.0
    gradient = [[0.0, 0.0, 0.0] for _ in range(n)]
    for i in range(n):
        for j in range(i + 1, n):
            d = [coordinates[i][k] - coordinates[j][k] for k in range(3)]
            r = math.sqrt(sum(c * c for c in d))
            e = math.exp(-a * (r - re))
            energy += de * ((1 - e) ** 2 - 1)
            dv_dr = 2 * de * a * e * (1 - e)
            for k in range(3):
                gradient[i][k] += dv_dr * d[k] / r
                gradient[j][k] -= dv_dr * d[k] / r
    return energy, gradient


# The bend model: bonds 1-2 and 2-3, a double well in the 1-3 distance (hartree, bohr).
K, R0, M, W, C = 0.5, 2.0, 3.2, 0.4, 0.390625


def bend(coordinates):
    gradient = [[0.0, 0.0, 0.0] for _ in range(3)]

    def pair(i, j, dv_dr):
        d = [coordinates[i][k] - coordinates[j][k] for k in range(3)]
        r = math.sqrt(sum(c * c for c in d))
        for k in range(3):
            gradient[i][k] += dv_dr(r) * d[k] / r
            gradient[j][k] -= dv_dr(r) * d[k] / r
        return r

    r12 = pair(0, 1, lambda r: K * (r - R0))
    r23 = pair(1, 2, lambda r: K * (r - R0))
    r13 = pair(0, 2, lambda r: 4 * C * ((r - M) ** 2 - W * W) * (r - M))
    energy = K / 2 * ((r12 - R0) ** 2 + (r23 - R0) ** 2) + C * ((r13 - M) ** 2 - W * W) ** 2
    return energy, gradient


def fault():
    mode = os.environ.get("IRC_FAKE_ENGINE", "")
    counter = os.environ.get("IRC_FAKE_ENGINE_COUNTER")
    if counter:
        with open(counter, "a") as handle:
            handle.write("call\n")
        with open(counter) as handle:
            calls = len(handle.read().splitlines())
        if calls <= int(os.environ.get("IRC_FAKE_ENGINE_AFTER", "0")):
            return ""
    return mode


def main():
    base = sys.argv[1][: -len(".extinp.tmp")]
    symbols, coordinates = read_input(sys.argv[1])
    model = os.environ.get("IRC_FAKE_ENGINE_MODEL", "morse")
    energy, gradient = bend(coordinates) if model == "bend" else morse(coordinates)
    mode = fault()
    time.sleep(float(os.environ.get("IRC_FAKE_ENGINE_SLEEP", "0")))
    if mode == "exit":
        print("morse-engine: SCF did not converge", file=sys.stderr)
        sys.exit(3)
    if mode == "hang":
        print("morse-engine: waiting forever, pid %d" % os.getpid(), file=sys.stderr, flush=True)
        time.sleep(600)
    if mode == "noise":
        for index in range(30):
            print(f"morse-engine: noise line {index}", file=sys.stderr)
    if mode == "nofile":
        return
    count = len(symbols) + (1 if mode == "atoms" else 0)
    values = [value for atom in gradient for value in atom]
    if mode == "atoms":
        values += [0.0, 0.0, 0.0]
    if mode == "short":
        values = values[:-1]
    text = "#\n# Number of atoms\n#\n%d\n#\n# The current total energy in Eh\n#\n" % count
    text += "NaN\n" if mode == "nan" else "%.15e\n" % energy
    text += "#\n# The current gradient in Eh/bohr\n#\n"
    if mode == "garbage":
        text += "this is not a number\n"
    text += "".join("%.15e\n" % value for value in values)
    with open(base + ".engrad", "w") as handle:
        handle.write(text)
    times = os.environ.get("IRC_FAKE_ENGINE_TIMES")
    if times:
        # One write of one short line to a file opened for appending: lines never interleave.
        with open(times, "a") as handle:
            handle.write("%.6f %.6f\n" % (STARTED, time.time()))


main()
