#!/usr/bin/env python3
"""A small TCP proxy for fault tests, switched between modes with signals.

Usage:

    scripts/tcp-proxy.py --listen 127.0.0.1:PORT --target HOST:PORT [--delay-ms 300]

Every accepted connection is forwarded to the target, both directions, until the two sides have closed (a
half-close is passed on with a FIN, a reset with a reset). Once listening, the proxy prints exactly one line
to stdout and flushes it:

    tcp-proxy listening on 127.0.0.1:PORT -> HOST:PORT

PORT 0 in --listen picks a free port; the line shows the actual one. The signal handlers are installed
before that line is printed, so a caller may send signals as soon as it has read it.

Modes, changed at runtime by signals; each change prints one line to stderr:

    SIGUSR1   cut     every open connection is reset on both sides (SO_LINGER 0, then abort, so the peers
                      see a RST rather than a FIN); while cut, new connections are accepted and reset at
                      once, so clients fail fast instead of hanging.      stderr: "tcp-proxy: cut"
    SIGUSR2   slow    every forwarded chunk, both directions, is written --delay-ms after it was read
                      (latency, not throughput: chunks are queued, order is kept per direction);
                      existing connections keep working.                 stderr: "tcp-proxy: slow 300 ms"
    SIGHUP    normal  neither cut nor slow; chunks still waiting out a delay are written at once.
                                                                          stderr: "tcp-proxy: normal"
    SIGTERM, SIGINT   stop listening, reset every open connection and exit 0.

A connection whose target cannot be reached (refused, or no answer within 10 s) is reset and reported on
stderr (at most one such line a second). Errors in one connection never affect the others.

Example (PostgreSQL behind the proxy, then a cut):

    scripts/tcp-proxy.py --listen 127.0.0.1:0 --target 127.0.0.1:54329 &
    psql "postgresql://postgres@127.0.0.1:PORT/otppool" -c 'select 1'
    kill -USR1 $!

Python 3.11+, standard library only.
"""

import argparse
import asyncio
import signal
import socket
import struct
import sys
import time

CHUNK = 64 * 1024          # bytes read at a time
QUEUE_CHUNKS = 64          # chunks buffered per direction (backpressure beyond that)
CONNECT_TIMEOUT = 10.0     # seconds to reach the target
SHUTDOWN_GRACE = 2.0       # seconds to let connection tasks finish on SIGTERM

NORMAL, SLOW, CUT = "normal", "slow", "cut"


def parse_address(text: str, what: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or int(port) > 65535:
        raise argparse.ArgumentTypeError(f"{what} must be HOST:PORT, got {text!r}")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host, int(port)


def reset(transport) -> None:
    """Close a transport so that the peer sees a RST (SO_LINGER with a zero timeout, then abort)."""
    if transport is None:
        return
    sock = transport.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    transport.abort()


class Log:
    """Writes lines to stderr; never raises. Error lines are limited to one a second so that a pipe nobody
    reads cannot fill up and block the event loop."""

    def __init__(self) -> None:
        self.last_error = 0.0
        self.suppressed = 0

    def line(self, text: str) -> None:
        try:
            sys.stderr.write(f"tcp-proxy: {text}\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            pass

    def error(self, text: str) -> None:
        now = time.monotonic()
        if now - self.last_error < 1.0:
            self.suppressed += 1
            return
        if self.suppressed:
            text = f"{text} ({self.suppressed} similar messages suppressed)"
            self.suppressed = 0
        self.last_error = now
        self.line(text)


class Connection:
    def __init__(self, client) -> None:
        self.client = client          # StreamWriter towards the client
        self.upstream = None          # StreamWriter towards the target, once connected
        self.task = asyncio.current_task()

    def writers(self):
        return [w for w in (self.client, self.upstream) if w is not None]

    def reset(self) -> None:
        for w in self.writers():
            reset(w.transport)
        self.task.cancel()


class Proxy:
    def __init__(self, target: tuple[str, int], delay_ms: int, log: Log) -> None:
        self.target = target
        self.delay = delay_ms / 1000.0
        self.delay_ms = delay_ms
        self.log = log
        self.mode = NORMAL
        self.changed = asyncio.Event()   # set (and replaced) on every mode change
        self.connections: set[Connection] = set()
        self.stopping = asyncio.Event()

    # ---- modes -------------------------------------------------------------------------------------------

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        old, self.changed = self.changed, asyncio.Event()
        old.set()
        self.log.line(f"slow {self.delay_ms} ms" if mode == SLOW else mode)
        if mode == CUT:
            for conn in list(self.connections):
                conn.reset()

    def stop(self) -> None:
        self.stopping.set()

    # ---- connections -------------------------------------------------------------------------------------

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        # Must return normally (not cancelled, no exception): asyncio's done-callback for this task
        # would otherwise report it.
        if self.mode == CUT or self.stopping.is_set():
            reset(writer.transport)
            return
        conn = Connection(writer)
        self.connections.add(conn)
        pumps: list[asyncio.Task] = []
        graceful = False
        try:
            try:
                up_reader, up_writer = await asyncio.wait_for(
                    asyncio.open_connection(*self.target), CONNECT_TIMEOUT)
            except OSError as e:       # includes TimeoutError and name resolution errors
                reason = str(e) or f"no answer within {CONNECT_TIMEOUT:g} s"
                self.log.error(f"cannot connect to {self.target[0]}:{self.target[1]}: {reason}")
                return
            conn.upstream = up_writer
            if self.mode == CUT:
                return
            pumps = [asyncio.create_task(self.pipe(reader, up_writer)),
                     asyncio.create_task(self.pipe(up_reader, writer))]
            await asyncio.gather(*pumps)
            graceful = True
        except asyncio.CancelledError:
            pass
        except (OSError, EOFError):
            pass        # a reset or a broken pipe on one side: reset the other (below)
        except Exception as e:  # noqa: BLE001 - one connection must never stop the others
            self.log.error(f"connection error: {type(e).__name__}: {e}")
        finally:
            for p in pumps:
                p.cancel()
            self.connections.discard(conn)
            for w in conn.writers():
                if graceful:
                    w.transport.close()
                else:
                    reset(w.transport)

    async def pipe(self, src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
        """Copies src to dst until EOF on src, then half-closes dst. The reader and the writer run
        separately, joined by a bounded queue, so that in slow mode each chunk is delayed once rather than
        the delays adding up; a full queue stops the reading (backpressure)."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue = asyncio.Queue(maxsize=QUEUE_CHUNKS)
        writing = asyncio.create_task(self.drain_queue(queue, dst))
        me = asyncio.current_task()

        def writer_done(task: asyncio.Task) -> None:
            # A failed write (peer reset, broken pipe) must end this direction even while the reader is
            # blocked waiting for data; the connection is then reset on both sides.
            if not task.cancelled() and task.exception() is not None:
                me.cancel()

        writing.add_done_callback(writer_done)
        try:
            while True:
                data = await src.read(CHUNK)
                await queue.put((loop.time(), data))
                if not data:
                    break
            await writing
        finally:
            writing.cancel()

    async def drain_queue(self, queue: asyncio.Queue, dst: asyncio.StreamWriter) -> None:
        while True:
            read_at, data = await queue.get()
            await self.wait_until(read_at + self.delay)
            if not data:
                if dst.can_write_eof() and not dst.transport.is_closing():
                    try:
                        dst.write_eof()
                    except OSError:
                        pass
                return
            dst.write(data)
            await dst.drain()

    async def wait_until(self, due: float) -> None:
        """In slow mode, sleeps until `due`; returns early when the mode changes away from slow."""
        loop = asyncio.get_running_loop()
        while self.mode == SLOW:
            remaining = due - loop.time()
            if remaining <= 0:
                return
            changed = self.changed
            try:
                await asyncio.wait_for(changed.wait(), remaining)
            except TimeoutError:
                return

    # ---- main --------------------------------------------------------------------------------------------

    async def run(self, listen: tuple[str, int], target_text: str) -> int:
        loop = asyncio.get_running_loop()
        loop.set_exception_handler(
            lambda _loop, ctx: self.log.error(
                f"{ctx.get('message', 'error')}: {ctx.get('exception', '')}"))
        server = await asyncio.start_server(self.handle, listen[0], listen[1],
                                            reuse_address=True, backlog=256)
        loop.add_signal_handler(signal.SIGUSR1, self.set_mode, CUT)
        loop.add_signal_handler(signal.SIGUSR2, self.set_mode, SLOW)
        loop.add_signal_handler(signal.SIGHUP, self.set_mode, NORMAL)
        loop.add_signal_handler(signal.SIGTERM, self.stop)
        loop.add_signal_handler(signal.SIGINT, self.stop)
        port = server.sockets[0].getsockname()[1]
        host = listen[0] if ":" not in listen[0] else f"[{listen[0]}]"
        sys.stdout.write(f"tcp-proxy listening on {host}:{port} -> {target_text}\n")
        sys.stdout.flush()

        await self.stopping.wait()
        server.close()
        tasks = [c.task for c in self.connections]
        for conn in list(self.connections):
            conn.reset()
        if tasks:
            await asyncio.wait(tasks, timeout=SHUTDOWN_GRACE)
        try:
            await asyncio.wait_for(server.wait_closed(), SHUTDOWN_GRACE)
        except TimeoutError:
            pass
        return 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description="TCP proxy for fault tests: SIGUSR1 cut, SIGUSR2 slow, SIGHUP normal, SIGTERM exit.")
    parser.add_argument("--listen", required=True, metavar="HOST:PORT",
                        help="address to listen on; port 0 picks a free port")
    parser.add_argument("--target", required=True, metavar="HOST:PORT", help="address to forward to")
    parser.add_argument("--delay-ms", type=int, default=300, metavar="MS",
                        help="delay per forwarded chunk in slow mode (default 300)")
    args = parser.parse_args()
    try:
        listen = parse_address(args.listen, "--listen")
        target = parse_address(args.target, "--target")
    except argparse.ArgumentTypeError as e:
        parser.error(str(e))
    if args.delay_ms < 0:
        parser.error("--delay-ms must be >= 0")

    # A parent may start us with signals blocked (a Swift program spawning from a libdispatch thread does):
    # the blocked mask survives exec, and the control signals would never arrive.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    for number in (signal.SIGUSR1, signal.SIGUSR2, signal.SIGHUP, signal.SIGTERM, signal.SIGINT):
        signal.signal(number, signal.SIG_DFL)

    async def run() -> int:
        return await Proxy(target, args.delay_ms, Log()).run(listen, args.target)

    try:
        return asyncio.run(run())
    except OSError as e:       # e.g. the listen address is in use
        print(f"tcp-proxy: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
