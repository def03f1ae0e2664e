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


def _vm_hwm_kib() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main(job_id: int) -> dict[str, object]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "khuyencong.settings")
    import django

    django.setup()
    from khuyencong.core.exports import run_export_job

    start, cpu = time.perf_counter(), time.process_time()
    job = run_export_job(job_id)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    # VmHWM: this process's own peak. ru_maxrss would also count the parent's memory copied at
    # fork (Linux keeps it across exec): the bench that starts us holds the whole seed's RSS.
    peak_kib = _vm_hwm_kib() or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
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
