"""A synthetic national data set (dữ liệu tổng hợp quy mô quốc gia) for benchmarks.

``manage.py seed_national --scale S`` writes, deterministically from a seed, what five years of
the national system would hold at scale ``S`` (1.0: 300,000 establishments, 100,000
registrations, 60,000 projects with their sign-offs, transitions, snapshots, money, history and
activity rows). The rows are what the services would have written — the same state tables
(``projects.workflow``, ``planning.workflow``), the same payloads and log lines — but inserted in
bulk (``tables``: PostgreSQL ``COPY``, SQLite ``executemany``) instead of one service call at a
time. Never part of ``make run``; the benchmarks (``make bench-national``) use it.
"""
