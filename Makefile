# Khuyến công số — the two commands are `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install run test test-postgres test-tools lint format bench bench-national bench-load-ab bench-growth messages clean help backup restore audit

help:
	@echo "make run   — cài đặt, nạp dữ liệu mẫu và chạy ứng dụng tại http://$(HOST):$(PORT)"
	@echo "make test  — cài đặt và chạy toàn bộ kiểm thử"
	@echo "make lint  — ruff + mypy"
	@echo "make bench — đo hiệu năng"
	@echo "make backup — sao lưu CSDL và tệp đính kèm vào var/backups"
	@echo "make restore FILE=var/backups/khuyencong-….tar.gz — khôi phục (thay dữ liệu hiện có)"
	@echo "make audit — tìm lỗ hổng đã công bố trong các gói phụ thuộc đã ghim (cần mạng)"
	@echo "make bench-national [SCALE=1.0] [PAIRED=0.01] [LOAD=1] [ONLY=xuất] [EXPLAIN=docs/plans.md] [KEEP=var/pg] — đo hiệu năng quy mô quốc gia trên PostgreSQL tạm (LOAD=1: thêm đo tải gunicorn + locust: năng lực rồi chạy được chấm)"
	@echo "make bench-load-ab KEEP=var/pg [SCALE=1.0] [VARIANTS=w5,w3] — so các cấu hình máy chủ (CPU ms mỗi yêu cầu)"
	@echo "make bench-growth — so quy mô 0.01 với 1.0 (p95 tăng ≤ 1,5 lần)"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) messages

# Compiled catalogues (.mo) are build products: made here, never committed.
messages: $(STAMP)
	@if command -v msgfmt >/dev/null 2>&1; then \
	  $(BIN)/python manage.py compilemessages --ignore=.venv -v0; \
	else \
	  for po in src/khuyencong/locale*/*/LC_MESSAGES/django.po src/khuyencong/*/locale/*/LC_MESSAGES/django.po; do \
	    [ -f "$$po" ] || continue; \
	    $(BIN)/pybabel compile -q -i $$po -o $${po%.po}.mo; done; \
	fi

run: export DEBUG ?= 1
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: install
	@$(BIN)/python manage.py migrate --no-input -v0
	@$(BIN)/python manage.py load_units -v0
	@$(BIN)/python manage.py load_programmes -v0
	@$(BIN)/python manage.py collectstatic --no-input -v0
	@echo
	@$(BIN)/python manage.py seed_demo
	@echo
	@echo "Khuyến công số: http://$(HOST):$(PORT)/  (Ctrl+C để dừng)"
	@trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py db_worker --queue-name '*' --no-reload & worker=$$!; \
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

# Real clients for the tests: Debian's Chromium (browser tests) and LibreOffice (opens our
# .xlsx/.docx files), gettext (re-extracts the strings to check the English catalogue). Installed
# when missing and we are root; otherwise say what to install.
test-tools:
	@need() { dpkg -s $$2 >/dev/null 2>&1 && return 0; \
	  if [ "$$(id -u)" != 0 ]; then \
	    echo "Thiếu gói cho kiểm thử: chạy 'sudo apt-get install $$2' rồi chạy lại 'make test'." >&2; exit 1; fi; \
	  echo "Cài gói Debian cho kiểm thử: $$2"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$1 $$2 >/dev/null 2>&1 \
	  || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$1 $$2 >/dev/null; }; }; \
	need "" chromium; \
	need --no-install-recommends "libreoffice-calc libreoffice-writer"; \
	need "" "poppler-utils fonts-liberation2 gettext zbar-tools"

# The suite runs in random order (pytest-randomly prints the seed; replay an order with
# PYTEST_ARGS="--randomly-seed=N", in one process with TEST_WORKERS=0) and in parallel
# (pytest-xdist, one worker per CPU, at most 4: measured on 2 busy cores, 2 workers take 15 %
# less time than one for 20 % more CPU, and each worker loads its own copy of the unit tree).
TEST_WORKERS ?= auto
# pytest exits 5 when it collects nothing: count that as a failure.
define run_pytest
@$(1) $(BIN)/python -m pytest -n $(TEST_WORKERS) --maxprocesses=4 $(PYTEST_ARGS); status=$$?; \
if [ $$status -eq 5 ]; then echo "make test: no test was collected" >&2; exit 1; fi; exit $$status
endef

test: install test-tools
	$(call run_pytest,)

# The same suite on a throwaway PostgreSQL (.ci/with-postgres starts and deletes it).
test-postgres: install test-tools
	$(call run_pytest,.ci/with-postgres)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy src/khuyencong

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install
	$(BIN)/python -m khuyencong.bench

# Backups: the database (SQLite backup API, or pg_dump for PostgreSQL) and the media files in
# one archive under var/backups (BACKUP_DIR=… elsewhere); see README, deployment.
BACKUP_DIR ?= var/backups
backup: install
	$(BIN)/python manage.py backup --output $(BACKUP_DIR)

restore: install
	@test -n "$(FILE)" || { echo "Dùng: make restore FILE=var/backups/khuyencong-….tar.gz" >&2; exit 2; }
	$(BIN)/python manage.py restore "$(FILE)" --yes

# National scale on a throwaway PostgreSQL: SCALE=1.0 for the full size (about 10 minutes to
# generate). Targets fail the bench, never the tests.
SCALE ?= 0.1
# LOAD=1 adds the load runs (gunicorn + locust headless, 30 users, LOAD_SECONDS each): the
# capacity with no pause, then the judged run paced to 110 requests/s (bench_load; why in
# docs/bench/method.md), with locust from its own virtualenv (.venv-load), never the tests'.
LOAD ?=
LOAD_SECONDS ?= 60
LOAD_VENV := .venv-load
$(LOAD_VENV)/.installed: pyproject.toml
	test -x $(LOAD_VENV)/bin/python || $(PYTHON) -m venv $(LOAD_VENV)
	$(LOAD_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(LOAD_VENV)/bin/python -m pip install --quiet "$$($(PYTHON) -c 'import tomllib; print(tomllib.load(open("pyproject.toml","rb"))["project"]["optional-dependencies"]["load"][0])')"
	touch $@

# KEEP=DIR keeps the server there, one database per scale seeded once and reused by later runs
# (e.g. KEEP=var/pg ONLY=… EXPLAIN=… after one full run): no seeding again. PYTHONPATH: the
# code measured is this checkout's (a shared virtualenv's editable install may point elsewhere).
KEEP ?=
bench-national: install $(if $(LOAD),$(LOAD_VENV)/.installed)
	PYTHONPATH=$(CURDIR)/src $(if $(KEEP),PG_KEEP=$(KEEP)) .ci/with-postgres \
	  $(BIN)/python -m khuyencong.bench_national --scale $(SCALE) \
	  $(if $(KEEP),--keep) \
	  $(if $(LOAD),--load $(LOAD_VENV)/bin/locust --load-seconds $(LOAD_SECONDS)) \
	  $(if $(PAIRED),--paired $(PAIRED)) \
	  $(if $(ONLY),--only "$(ONLY)") $(if $(EXPLAIN),--explain $(EXPLAIN))

# The A/B of the server settings (workers, gthread, server-side binding, health checks,
# --max-requests; docs/bench/load-2026-12-05.md) on a kept, seeded database: KEEP=var/pg.
AB_ROUNDS ?= 2
bench-load-ab: install $(LOAD_VENV)/.installed
	@test -n "$(KEEP)" || { echo "bench-load-ab: KEEP=DIR (một CSDL đã sinh dữ liệu, xem bench-national KEEP=)" >&2; exit 1; }
	PYTHONPATH=$(CURDIR)/src PG_KEEP=$(KEEP) .ci/with-postgres \
	  $(BIN)/python -m khuyencong.bench_load ab --locust $(LOAD_VENV)/bin/locust \
	  --scale $(SCALE) --rounds $(AB_ROUNDS) --seconds $(LOAD_SECONDS) $(if $(VARIANTS),--variants $(VARIANTS))

# The growth target (no page's p95 more than 1.5× from scale 0.01 to 1.0, same query counts):
# the 1.0 run measures every page of scale 0.01 too, in the same seconds, request by request
# (a child process on the 0.01 database; docs/bench/method.md), and ends with the summary of
# every target and PASS/FAIL (its exit status). LOAD=1 adds the load run. docs/bench/README.md.
bench-growth:
	$(MAKE) bench-national SCALE=1.0 PAIRED=0.01

# Known vulnerabilities in the dependencies installed from the pins (pip-audit over .venv; needs
# the network, so not part of make test). Fails, saying so, when the vulnerability database
# cannot be reached. AUDIT_ARGS='-s osv' asks api.osv.dev instead of PyPI.
audit: install
	$(BIN)/python -m khuyencong.vulnerabilities $(AUDIT_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
