"""Time ``tooling.diff.diff_editions`` on two clause-index.json files, in this fresh process.

Run by benchmarks/run.py: ``python benchmarks/diff_probe.py OLD.json NEW.json``. Prints one
JSON object: load_s (reading both editions), diff_s (the diff call alone), records, counts
and this process's peak memory.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def main(old_path: str, new_path: str) -> None:
    from tooling.diff.match import diff_editions
    from tooling.model import Edition

    start = time.perf_counter()
    old = Edition.loads(Path(old_path).read_text("utf-8"))
    new = Edition.loads(Path(new_path).read_text("utf-8"))
    loaded = time.perf_counter()
    diff = diff_editions(old, new)
    done = time.perf_counter()
    counts = diff.counts() if hasattr(diff, "counts") else {}
    print(json.dumps({
        "load_s": loaded - start,
        "diff_s": done - loaded,
        "records": len(getattr(diff, "records", ())),
        "counts": counts,
        "maxrss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main(*sys.argv[1:3])
