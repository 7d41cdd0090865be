#!/usr/bin/env python3
"""Random option combinations against the built `irc` (issue 10's sweep, repeatable).

usage: Tests/Fuzz/option-sweep.py IRC_BINARY RUNS [SEED]

Each run picks a command, a built-in surface and a few options with ordinary, extreme or
malformed values, runs it in a scratch folder with a time limit and a 1 GB address-space
cap, and checks what issue 10 demands: an exit code in {0, 1, 2, 64}, never a signal,
never a hang, no stray temporary file. Prints a summary line and every violation with
its command line; exits 1 when there is any.
"""
import os
import random
import resource
import subprocess
import sys
import tempfile

NUMBERS = ["0", "-1", "1e-9", "4.9e-324", "1e308", "-1e308", "nan", "inf", "1e151",
           "0.01", "0.5", "3", "x", "", "1,2", "1e-300", "-0"]
INTEGERS = ["0", "1", "2", "-5", "3037000500", "1000000000000", "99999999999999999999",
            "10", "100", "101", "abc", "1.5"]
POINTS = ["-0.8,0.6", "0,0", "1e308,1e308", "nan,0", "1", "1,2,3", "-0.5,1.4", "x,y",
          "100,100", "0.6,0.02"]
SURFACES = ["muller-brown", "leps", "leps-harmonic", "cbm", "anapot", "wolfe-quapp",
            "curved-double-well", "rosenbrock", "h3-leps", "lj7", "nonexistent"]
COMMANDS = {
    "trace": [("--step", NUMBERS), ("--gtol", NUMBERS), ("--max-steps", INTEGERS),
              ("--method", ["euler", "rk4", "adaptive", "surrogate", "eulerpc", "bogus"]),
              ("--path-tol", NUMBERS), ("--from", POINTS), ("--saddle", ["S1", "TS", "Q"]),
              ("--gradient-scale", NUMBERS), ("--hessian", ["exact", "updated", "no"])],
    "saddle": [("--from", POINTS), ("--gtol", NUMBERS), ("--mode", INTEGERS),
               ("--method", ["prfo", "dimer", "x"]), ("--gradient-scale", NUMBERS)],
    "neb": [("--from", ["MA", "MB", "MC", "M1", "0,0"] + POINTS),
            ("--to", ["MA", "MB", "MC", "M2"] + POINTS), ("--images", INTEGERS)],
    "map": [("--grid", INTEGERS), ("--range", ["-1,-1,1,1", "0,0,0,0", "-1e308,-1,1e308,1",
                                                "1,1,-1,-1", "a,b,c,d"])],
    "plot": [("--grid", INTEGERS), ("--energy-max", NUMBERS),
             ("--range", ["-1.5,-0.5,1.2,2", "0,0,1e-12,1e-12", "1,2"])],
    "validate": [("--gradient-scale", NUMBERS)],
}
OUTPUTS = {"trace": ["--xyz", "--csv", "--svg"], "neb": ["--xyz", "--csv", "--svg"],
           "saddle": ["--svg"], "map": ["--svg"], "plot": ["--svg"]}


def limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def one_run(binary, rng, folder):
    command = rng.choice(list(COMMANDS))
    args = [command]
    if rng.random() < 0.9:
        args.append(rng.choice(SURFACES))
    for option, values in rng.sample(COMMANDS[command], rng.randint(0, min(3, len(COMMANDS[command])))):
        args += [option, rng.choice(values)]
    for option in OUTPUTS.get(command, []):
        if rng.random() < 0.5 or (command == "plot" and option == "--svg"):
            args += [option, "out" + option.replace("--", ".")]
    if rng.random() < 0.3:
        args.append("--json")
    try:
        done = subprocess.run([binary] + args, cwd=folder, capture_output=True, timeout=60,
                              preexec_fn=limit_memory)
    except subprocess.TimeoutExpired:
        return args, "hang (over 60 s)"
    if done.returncode < 0:
        return args, f"signal {-done.returncode}"
    if done.returncode not in (0, 1, 2, 64):
        return args, f"exit {done.returncode}: {done.stderr[-300:]!r}"
    stray = [name for name in os.listdir(folder) if "tmp" in name]
    if stray:
        return args, f"stray files {stray}"
    for name in os.listdir(folder):
        os.remove(os.path.join(folder, name))
    return args, None


def main():
    binary, runs = sys.argv[1], int(sys.argv[2])
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    rng = random.Random(seed)
    codes, problems = {}, []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(runs):
            args, problem = one_run(os.path.abspath(binary), rng, folder)
            if problem:
                problems.append((args, problem))
            codes[problem is None] = codes.get(problem is None, 0) + 1
    print(f"option sweep: {runs} runs, seed {seed}, {len(problems)} violations")
    for args, problem in problems:
        print("  irc " + " ".join(args) + ": " + problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
