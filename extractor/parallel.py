"""The process pool behind `extract_many(n_process=N)` and `extractor extract --jobs N`.

Each worker runs the whole `extract` (tokenizer, layers, assembly, validation) and sends back
the record as a few KB of JSON, not the spaCy Doc (tens of KB): the parent only reads, routes
and writes. A worker takes a new chunk of documents together, one layer at a time over the
chunk (`extractor._extract_batch`, 11-15% less CPU); such a chunk has `timeout` seconds per
document in all, and a chunk that overruns or kills its worker is run again one document at a
time, so that the slow or fatal document alone fails. Why a pool of our own rather than `multiprocessing.Pool` or spaCy's `n_process`:

- a document over the time limit is stopped by killing its worker (a regex or a C loop cannot
  be interrupted from inside), reported as a `Failure`, and a fresh worker takes the rest;
- a worker that dies (out of memory, a crash in C) costs one document, not the batch;
- workers die with their parent (Linux `PR_SET_PDEATHSIG`, elsewhere a thread watching the
  parent's pid), so kill -9 of a run leaves no orphan;
- workers ignore Ctrl-C, so the parent alone reports and stops the run, without tracebacks.

Workers are forked on Linux, so they share the parent's loaded pipeline and start in
milliseconds; elsewhere they are spawned and build it once.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from typing import Iterable, Iterator, Sequence

from extractor.models import ProjectRecord

# Documents sent to a worker at once: enough to keep it busy between two parent wake-ups,
# few enough that two workers share the tail of a batch evenly.
DEFAULT_CHUNK = 8
# Results the parent may hold ahead of the oldest unfinished document (per worker), so that a
# slow document does not let the others pile up in memory.
AHEAD_PER_WORKER = 64
# A worker polls its parent this often where the kernel cannot tie its life to the parent's.
PARENT_POLL_SECONDS = 1.0
_PR_SET_PDEATHSIG = 1

Task = tuple[int, str, "str | None"]


@dataclass(frozen=True)
class Failure:
    """A document the pool could not turn into a record, and why ("timed out after 60 s")."""

    error: str


def timed_out_message(seconds: float) -> str:
    """The error a document over the time limit gets: "timed out after 60 s"."""
    return f"timed out after {seconds:g} s"


def _die_with_parent(parent_pid: int) -> None:
    """End this worker when its parent ends, even by kill -9: no orphan keeps running."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent_pid:  # the parent died before the kernel was told
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_POLL_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _worker_main(conn: Connection, rules: tuple[str, ...], parent_pid: int) -> None:
    """A worker's life: take a chunk of documents, send back one record per document, repeat."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked since the fork
    _die_with_parent(parent_pid)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        chunk, together = message
        for number, record in _records(chunk, together, rules):
            conn.send((number, _packed(record)))


def _records(chunk: list[Task], together: bool, rules: tuple[str, ...]) -> Iterator[tuple[int, ProjectRecord]]:
    """(number, record) of each document of a chunk: analysed together (`_extract_batch`) or
    one by one, each record sent as soon as it is made."""
    import extractor
    from extractor.pipeline import get_pipeline

    if together:  # in bounded batches: a chunk of long texts is not held in memory at once
        nlp = get_pipeline(rules)
        numbers = (number for number, _, _ in chunk)
        for batch in extractor.layer_batches((text, doc_id) for _, text, doc_id in chunk):
            records = extractor._extract_batch(nlp, [(text, extractor._as_doc_id(doc_id)) for text, doc_id in batch])
            for record in records:
                yield next(numbers), record
    else:
        for number, text, doc_id in chunk:
            yield number, extractor.extract(text, doc_id=doc_id, rules=rules)


def _packed(record: ProjectRecord) -> str | ProjectRecord:
    """The record as JSON, which the parent reads back 10x faster than a pickle (0.2 vs 2 ms for
    a record of ~70 models); pickled as is where JSON cannot carry it (a lone surrogate)."""
    try:
        return record.model_dump_json()
    except (ValueError, UnicodeError):
        return record


def _unpacked(payload: str | ProjectRecord) -> ProjectRecord:
    return ProjectRecord.model_validate_json(payload) if isinstance(payload, str) else payload


class _Worker:
    """One worker process, the pipe to it, and the documents it holds (oldest first)."""

    def __init__(self, context, rules: tuple[str, ...]) -> None:
        parent_end, child_end = context.Pipe(duplex=True)
        self.process = context.Process(target=_worker_main, args=(child_end, rules, os.getpid()), daemon=True)
        # Ctrl-C stays blocked from the fork until the worker ignores it: no traceback in between.
        masked = hasattr(signal, "pthread_sigmask")
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT}) if masked else None
        try:
            self.process.start()
        finally:
            if masked:
                signal.pthread_sigmask(signal.SIG_SETMASK, previous)
        child_end.close()
        self.conn: Connection = parent_end
        self.held: deque[Task] = deque()
        self.together = False  # the held documents were sent as one batch (see module docstring)
        self.since = time.monotonic()

    def give(self, chunk: list[Task], together: bool) -> None:
        self.held.extend(chunk)
        self.together = together
        self.since = time.monotonic()
        self.conn.send((chunk, together))

    def allowance(self, timeout: float) -> float:
        """Seconds the worker has for what it holds: `timeout` per document of a batch, else
        for the current document (results come back one by one)."""
        return timeout * len(self.held) if self.together else timeout

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()

    def stop(self) -> None:
        """Ask the worker to finish; kill it if it does not within a second."""
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(timeout=1.0)
        self.kill()


def _context():
    return get_context("fork" if sys.platform.startswith("linux") else "spawn")


class _Pool:
    """One `pool_results` run: its workers, the documents read, handed back for another worker
    (`requeued`), and finished but not yet yielded (`done`, by input number)."""

    def __init__(self, pairs: Iterable[tuple[str, str | None]], n_process: int, rules: Sequence[str],
                 timeout: float | None, chunk_size: int) -> None:
        self.context = _context()
        self.rules = tuple(rules)
        self.timeout = timeout
        self.chunk_size = max(1, chunk_size)
        self.numbered = enumerate(pairs)
        self.requeued: deque[Task] = deque()
        self.done: dict[int, ProjectRecord | Failure] = {}
        self.next_out = 0
        self.read_all = False
        self.read_count = 0
        self.ahead = AHEAD_PER_WORKER * max(1, n_process)
        self.workers = [_Worker(self.context, self.rules) for _ in range(max(1, n_process))]

    def next_chunk(self) -> tuple[list[Task], bool]:
        """Documents for an idle worker, and whether it takes them together: those of a killed
        worker first, one by one, then new ones, together."""
        if self.requeued:
            count = min(self.chunk_size, len(self.requeued))
            return [self.requeued.popleft() for _ in range(count)], False
        chunk: list[Task] = []
        while len(chunk) < self.chunk_size:
            if not self.read_all and self.read_count - self.next_out < self.ahead:
                try:
                    number, (text, doc_id) = next(self.numbered)
                except StopIteration:
                    self.read_all = True
                    break
                self.read_count += 1
                chunk.append((number, text, doc_id))
            else:
                break
        return chunk, True

    def replace(self, worker: _Worker, reason: str) -> None:
        """The worker's current document fails with `reason` (a batch is not blamed: its
        documents are run again one by one); a new worker takes its place."""
        worker.kill()
        if worker.held:
            if not worker.together:
                number = worker.held.popleft()[0]
                self.done[number] = Failure(reason)
            self.requeued.extendleft(reversed(worker.held))
            worker.held.clear()
        self.workers[self.workers.index(worker)] = _Worker(self.context, self.rules)

    def feed_idle_workers(self) -> None:
        """Give each idle worker a chunk, while there are documents left."""
        for index, worker in enumerate(self.workers):
            if not worker.held:
                chunk, together = self.next_chunk()
                if chunk:
                    self.give(index, chunk, together)

    def give(self, index: int, chunk: list[Task], together: bool) -> None:
        """Send `chunk` to worker `index`; one that died while idle is replaced (three tries)."""
        worker = self.workers[index]
        for _attempt in range(3):
            try:
                worker.give(chunk, together)
                return
            except OSError:  # it died while idle: nothing of the chunk was started
                worker.held.clear()
                worker.kill()
                worker = self.workers[index] = _Worker(self.context, self.rules)
        raise RuntimeError("worker processes die as they start")

    def collect(self, busy: list[_Worker]) -> None:
        """Wait for results from the busy workers (no longer than the nearest time limit)."""
        wait_for = None
        if self.timeout:
            now = time.monotonic()
            wait_for = max(0.0, min(w.since + w.allowance(self.timeout) - now for w in busy))
        for conn in wait([w.conn for w in busy], timeout=wait_for):
            self.receive(next(w for w in busy if w.conn is conn))

    def receive(self, worker: _Worker) -> None:
        """The results waiting in the worker's pipe; a worker that died is replaced."""
        try:
            while worker.held and worker.conn.poll():
                number, payload = worker.conn.recv()
                worker.held.popleft()
                self.done[number] = _unpacked(payload)
                worker.since = time.monotonic()
        except (EOFError, OSError):
            worker.process.join()
            self.replace(worker, f"worker died (exit code {worker.process.exitcode})")

    def stop_overdue(self) -> None:
        """Workers past the time limit on their current document are killed and replaced."""
        if self.timeout:
            now = time.monotonic()
            for worker in [w for w in self.workers if w.held and now - w.since > w.allowance(self.timeout)]:
                self.replace(worker, timed_out_message(self.timeout))

    def finished(self) -> Iterator[ProjectRecord | Failure]:
        """The results that are next in input order."""
        while self.next_out in self.done:
            yield self.done.pop(self.next_out)
            self.next_out += 1

    def close(self) -> None:
        """Stop the idle workers, kill the busy ones."""
        for worker in self.workers:
            if worker.held:
                worker.kill()
            else:
                worker.stop()


def pool_results(
    pairs: Iterable[tuple[str, str | None]],
    *,
    n_process: int,
    rules: Sequence[str] = (),
    timeout: float | None = None,
    chunk_size: int = DEFAULT_CHUNK,
) -> Iterator[ProjectRecord | Failure]:
    """A record (or a Failure) per (text, doc_id), in input order, from `n_process` workers.

    `timeout` bounds each document's seconds: past it the worker is killed, the document
    becomes `Failure("timed out after N s")` and a new worker takes the documents it held.
    """
    pool = _Pool(pairs, n_process, rules, timeout, chunk_size)
    try:
        while True:
            pool.feed_idle_workers()
            busy = [w for w in pool.workers if w.held]
            if not busy:
                break
            pool.collect(busy)
            pool.stop_overdue()
            yield from pool.finished()
        yield from pool.finished()
    finally:
        pool.close()
