#!/usr/bin/env python3
"""A tiny engine speaking ORCA's ExtTool interface, for the tests of irc's `external` kind.

    morse-engine.py BASE_EXT.extinp.tmp

reads the XYZ file named on the input's first line (Å) and writes BASE_EXT.engrad with the
energy (hartree) and gradient (hartree/bohr) of a Morse cluster:
V = sum over pairs of De*((1 - exp(-a*(r - re)))**2 - 1), r in bohr.

Faults are switched on by the environment, to test how irc handles them:
  IRC_FAKE_ENGINE=exit|hang|garbage|nan|atoms|short|nofile|noise
  IRC_FAKE_ENGINE_COUNTER=FILE  one line is appended per call
  IRC_FAKE_ENGINE_AFTER=N       the fault starts only after N calls (needs the counter)
  IRC_FAKE_ENGINE_DE, _A, _RE   Morse parameters (default 0.1 hartree, 1.0/bohr, 2.0 bohr)
Standard library only.
"""
import math
import os
import sys
import time

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
    energy, gradient = morse(coordinates)
    mode = fault()
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


main()
