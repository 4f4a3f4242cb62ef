# product_serial_tracking: the two commands a user types are `make run` and `make test`.
# Everything they need (Debian packages, PostgreSQL, the Python environment, the
# Odoo 18.0 source) is set up by tools/bootstrap.sh on first use.
PORT ?= 8069
DB ?= serial_demo
TAGS ?=
SHELL := /bin/bash

.PHONY: run test lint bench pot bootstrap clean-db

bootstrap:
	@bash tools/bootstrap.sh >/dev/null

## Start Odoo with the addon on database $(DB) (demo data) at http://localhost:$(PORT)
run:
	@bash tools/run.sh "$(DB)" "$(PORT)"

## Fresh test database, install with --test-enable, pytest-odoo, closing line "N passed, N failed"
test:
	@bash tools/test.sh $(if $(TAGS),--tags "$(TAGS)")

lint:  ## make lint FIX=1 rewrites what ruff and prettier can
	@bash tools/lint.sh

bench:
	@SCALE="$(SCALE)" bash tools/bench.sh

## Drop the demo database so that the next `make run` builds it anew
clean-db:
	@source "$$(bash tools/bootstrap.sh)" && PGPASSWORD=$$PGPASSWORD dropdb -h $$PGHOST -p $$PGPORT -U $$PGUSER --if-exists --force "$(DB)"

## Regenerate i18n/product_serial_tracking.pot
pot:
	@bash tools/export_pot.sh

.PHONY: replica replica-stop
## A streaming read replica of the PostgreSQL cluster on 127.0.0.1:5433 (REPLICA_PORT=...), left
## running, then the proof that every enquiry path is served by it (bench/replica_check.py)
replica:
	@bash tools/replica.sh start
	@env_file="$$(bash tools/bootstrap.sh)" && source "$$env_file" && "$$VENV/bin/python" bench/replica_check.py "$$env_file"

## Stop the replica of `make replica` and remove its data
replica-stop:
	@bash tools/replica.sh stop
