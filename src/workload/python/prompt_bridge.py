"""Runs a user's Python prompt generator for the TypeScript load runner (src/workload/python-bridge.ts).

    python3 prompt_bridge.py <module_dir> <module_name> <class_name> [<kwargs as JSON>]

Builds the generator as the old Locust runner did: `Class()()` (a no-argument constructor, then a call
that returns an iterator), or `Class(**kwargs)()` when keyword arguments are given (PROMPT_KWARGS /
workload.options). Each item is written to stdout as one JSON line. When the iterator is exhausted it
is built again (the data wraps around, as the runner's TypeScript generators do). The runner reads
lines on demand: a full pipe blocks this process, which bounds the read-ahead.

stdout carries only that protocol: whatever the user's code prints goes to stderr. On an error the
last line is {"error": {"kind", "message", "traceback"}} and the exit code is 1.
"""

import importlib
import json
import os
import sys
import traceback


def plain(value):
    """JSON for what generators commonly yield besides plain types (numpy, tuples, bytes)."""
    for attr in ("tolist", "item"):
        method = getattr(value, attr, None)
        if callable(method):
            return method()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, (bytes, bytearray)):
        return value.decode("utf-8", "replace")
    return str(value)


def main():
    if len(sys.argv) < 4:
        sys.stderr.write(__doc__)
        return 2
    module_dir, module_name, class_name = sys.argv[1:4]
    kwargs = json.loads(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[4] else {}
    # The protocol keeps its own copy of stdout; fd 1 and sys.stdout then point at stderr, so a
    # print() in the user's module (or in a library it calls) cannot break the stream.
    out = os.fdopen(os.dup(1), "wb", buffering=0)
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    def fail(kind, message, tb=""):
        line = json.dumps({"error": {"kind": kind, "message": message, "traceback": tb}})
        out.write(line.encode("utf-8") + b"\n")
        return 1

    sys.path.insert(0, module_dir)
    try:
        module = importlib.import_module(module_name)
    except Exception as error:  # noqa: BLE001 - any import failure is reported as such
        return fail("import", f"{type(error).__name__}: {error}", traceback.format_exc())
    factory = getattr(module, class_name, None)
    if factory is None:
        names = [n for n in dir(module) if not n.startswith("_") and callable(getattr(module, n))]
        return fail("missing", f"{module_name} has no {class_name}; it defines: {', '.join(names) or 'nothing callable'}")

    def build():
        return iter((factory(**kwargs) if kwargs else factory())())

    # One write per item: an item must not wait in a buffer while the generator works on the next.
    try:
        items = build()
        count = 0
        while True:
            try:
                item = next(items)
            except StopIteration:
                if count == 0:
                    return fail("empty", f"{class_name}() yielded no items")
                items, count = build(), 0
                continue
            out.write(json.dumps(item, default=plain, ensure_ascii=False).encode("utf-8") + b"\n")
            count += 1
    except BrokenPipeError:
        return 0  # the runner is done reading
    except Exception as error:  # noqa: BLE001 - the user's exception, reported with its traceback
        return fail("raised", f"{type(error).__name__}: {error}", traceback.format_exc())


if __name__ == "__main__":
    sys.exit(main())
