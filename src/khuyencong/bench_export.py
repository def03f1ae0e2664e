"""One background list export run in a process of its own, as the task worker runs it, for
``bench_national`` (``python -m khuyencong.bench_export JOB_ID``): prints its time, rows, file
size, CPU time (what a loaded machine does not change) and the process's peak resident memory
(the worker's whole RSS, Django included) as JSON. Never imported by the tests."""

from __future__ import annotations

import json
import os
import resource
import sys
import time


def main(job_id: int) -> dict[str, object]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")
    import django

    django.setup()
    from khuyencong.core.exports import run_export_job

    start, cpu = time.perf_counter(), time.process_time()
    job = run_export_job(job_id)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return {
        "state": job.state,
        "seconds": seconds,
        "cpu_seconds": cpu,  # this process's CPU: the wall time on an idle machine, roughly
        "rows": job.written_rows,
        "bytes": job.file.size if job.file else 0,
        "peak_mb": peak_kib / 1024,
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]))))
