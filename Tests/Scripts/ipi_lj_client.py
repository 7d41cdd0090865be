#!/usr/bin/env python3
"""A minimal i-PI client: a Lennard-Jones cluster in atomic units (python3 stdlib only).

Connects to an i-PI server (unix:NAME -> /tmp/ipi_NAME, or inet:HOST:PORT), answers the
protocol strictly and checks what it receives (an INIT of bead 0 with a one-byte string,
an inverse cell that is the inverse of the cell, an atom count that matches the positions).
Anything unexpected ends it with exit status 2 and a message on stderr.

    E = sum_{i<j} 4 epsilon [(sigma/r)^12 - (sigma/r)^6]   (hartree, bohr)

--fault makes it misbehave on evaluation number --after + 1 (1-based), to test the
server's handling of bad clients:
  drop         close the connection after reading POSDATA
  garbage      answer the STATUS after POSDATA with a 12-byte non-header
  nan          return a NaN energy
  nan-forces   return an infinite force component
  wrong-count  return forces for one atom fewer
  hang         stop answering after POSDATA (until --lifetime ends the process)
  truncate     send FORCEREADY, the energy and count, part of the forces, then close
--constant answers every geometry with zero energy and forces at once (overhead timing).
--delay SECONDS sleeps that long in every evaluation (a slow engine, independent of load).
--timeline prints "evaluation START END" (time.monotonic, seconds, the system-wide
CLOCK_MONOTONIC on Linux) for every evaluation, from POSDATA received to FORCEREADY sent
(taken just before sending),
so that a test can see whether two clients computed at the same time.

On EXIT it prints "EXIT after K evaluations" and exits 0; if the server closes the
connection without EXIT it exits 3. --lifetime bounds the whole process (default 60 s).
"""
import argparse
import json
import math
import signal
import socket
import struct
import sys
import time

HEADER = 12
GARBAGE = b"HELLO\x00\x01WORLD"


def header(name):
    return name.encode("ascii").ljust(HEADER, b" ")


def fail(message):
    sys.stderr.write("ipi_lj_client: " + message + "\n")
    sys.exit(2)


def connect(address, wait):
    deadline = time.monotonic() + wait
    while True:
        try:
            if address.startswith("unix:"):
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.connect("/tmp/ipi_" + address[len("unix:"):])
            elif address.startswith("inet:"):
                host, _, port = address[len("inet:"):].rpartition(":")
                sock = socket.create_connection((host.strip("[]"), int(port)))
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            else:
                fail("unknown address " + address)
            return sock
        except (FileNotFoundError, ConnectionRefusedError):
            if time.monotonic() > deadline:
                fail("no server at " + address)
            time.sleep(0.01)


def receive(sock, count):
    data = bytearray()
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            sys.exit(3)
        data += chunk
    return bytes(data)


def lennard_jones(positions, epsilon, sigma):
    n = len(positions) // 3
    energy = 0.0
    forces = [0.0] * (3 * n)
    virial = [0.0] * 9
    for i in range(n):
        for j in range(i + 1, n):
            d = [positions[3 * i + k] - positions[3 * j + k] for k in range(3)]
            r = math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2])
            s6 = (sigma / r) ** 6
            energy += 4.0 * epsilon * (s6 * s6 - s6)
            de_dr = 4.0 * epsilon * (-12.0 * s6 * s6 + 6.0 * s6) / r
            pair = [-de_dr * d[k] / r for k in range(3)]  # the force on i from j
            for k in range(3):
                forces[3 * i + k] += pair[k]
                forces[3 * j + k] -= pair[k]
                for m in range(3):
                    virial[3 * k + m] += d[k] * pair[m]
    return energy, forces, virial


def receive_positions(sock):
    body = receive(sock, 9 * 8 * 2 + 4)
    cell = struct.unpack("<9d", body[:72])
    inverse = struct.unpack("<9d", body[72:144])
    (n,) = struct.unpack("<i", body[144:148])
    for row in range(3):
        for col in range(3):
            product = sum(cell[3 * row + k] * inverse[3 * k + col] for k in range(3))
            if abs(product - (1.0 if row == col else 0.0)) > 1e-12:
                fail("the inverse cell is not the inverse of the cell")
    if n <= 0:
        fail("POSDATA with %d atoms" % n)
    return list(struct.unpack("<%dd" % (3 * n), receive(sock, 24 * n)))


def force_reply(energy, forces, virial, extra):
    n = len(forces) // 3
    return (header("FORCEREADY") + struct.pack("<di", energy, n) + struct.pack("<%dd" % (3 * n), *forces)
            + struct.pack("<9d", *virial) + struct.pack("<i", len(extra)) + extra)


def serve(sock, options):
    state = "NEEDINIT" if options.need_init else "READY"
    done = 0
    result = None
    faulty = lambda kind: options.fault == kind and done == options.after
    while True:
        message = receive(sock, HEADER).decode("ascii", "replace").strip()
        if message == "STATUS":
            if state == "HAVEDATA" and faulty("garbage"):
                sock.sendall(GARBAGE)
            else:
                sock.sendall(header(state))
        elif message == "INIT":
            bead, length = struct.unpack("<ii", receive(sock, 8))
            init = receive(sock, length)
            if bead != 0 or init != b"\x00":
                fail("INIT with bead %d and string %r" % (bead, init))
            state = "READY"
        elif message == "POSDATA" and state == "READY":
            positions = receive_positions(sock)
            started = time.monotonic()
            if faulty("drop"):
                sock.close()
                sys.exit(0)
            if faulty("hang"):
                time.sleep(options.lifetime)
            if options.delay > 0:
                time.sleep(options.delay)
            if options.constant:
                result = (0.0, [0.0] * len(positions), [0.0] * 9)
            else:
                result = lennard_jones(positions, options.epsilon, options.sigma)
            state = "HAVEDATA"
        elif message == "GETFORCE" and state == "HAVEDATA":
            energy, forces, virial = result
            if faulty("nan"):
                energy = float("nan")
            if faulty("nan-forces"):
                forces = forces[:-1] + [float("inf")]
            if faulty("wrong-count"):
                forces = forces[:-3]
            extra = json.dumps({"evaluation": done + 1}).encode()
            reply = force_reply(energy, forces, virial, extra)
            if faulty("truncate"):
                sock.sendall(reply[:HEADER + 12 + 8])
                sock.close()
                sys.exit(0)
            finished = time.monotonic()  # before the reply leaves: the server may go on at once
            sock.sendall(reply)
            if options.timeline:
                print("evaluation %.6f %.6f" % (started, finished), flush=True)
            done += 1
            state = "READY"
        elif message == "EXIT":
            print("EXIT after %d evaluations" % done, flush=True)
            sock.close()
            return
        else:
            fail("unexpected message %r in state %s" % (message, state))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("address")
    parser.add_argument("--epsilon", type=float, default=1.0, help="hartree")
    parser.add_argument("--sigma", type=float, default=1.0, help="bohr")
    parser.add_argument("--fault", default="none",
                        choices=["none", "drop", "garbage", "nan", "nan-forces", "wrong-count", "hang", "truncate"])
    parser.add_argument("--after", type=int, default=0, help="evaluations to answer correctly first")
    parser.add_argument("--ready", dest="need_init", action="store_false", help="start READY, not NEEDINIT")
    parser.add_argument("--constant", action="store_true")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds per evaluation")
    parser.add_argument("--timeline", action="store_true")
    parser.add_argument("--connect-wait", type=float, default=10.0)
    parser.add_argument("--lifetime", type=float, default=60.0)
    options = parser.parse_args()
    # A parent may have left signals blocked (a child inherits the mask): unblock the two
    # that end this process, so that --lifetime and a plain kill always work.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGALRM, signal.SIGTERM})
    signal.signal(signal.SIGALRM, lambda *_: sys.exit(4))
    signal.setitimer(signal.ITIMER_REAL, options.lifetime)
    serve(connect(options.address, options.connect_wait), options)


if __name__ == "__main__":
    main()
