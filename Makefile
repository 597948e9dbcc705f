# The two commands: `make run` (portal with demo data) and `make test` (the whole suite).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint browser clean serve

$(STAMP): requirements.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 est requis ($(PYTHON) introuvable)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $(STAMP)

run: export DEBUG ?= 1
# Links in e-mails (reset, invitation) point at the address being served: `make run PORT=8100`.
run: export PORTAL_URL ?= http://$(HOST):$(PORT)
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py collectstatic --noinput -v0
	@echo "Portail : http://$(HOST):$(PORT)/ · liens des e-mails : $(PORTAL_URL)"
	$(BIN)/python manage.py db_worker --queue-name default,reading --no-startup-delay & \
	  trap 'kill $$! 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)

# One pytest-xdist worker per core, each with a database, a Redis database and ports of its own;
# a module runs whole on one worker (loadscope): its own servers start once, its tests in order.
# PYTEST_ARGS comes last: `make test PYTEST_ARGS='-n0 connect/dossiers'` runs in one process.
PYTEST_WORKERS ?= auto
test: export TESTING = 1
test: $(STAMP)
	./scripts/ensure-test-tools
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

# mypy's django-stubs plugin loads the settings: TESTING=1 lends them a development key.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	TESTING=1 $(BIN)/mypy connect

clean:
	rm -rf $(VENV) var

# The production stack on this machine (deploy/Procfile): migrate, collectstatic, gunicorn,
# TASK_WORKERS task workers (default 2), the daily jobs' scheduler. Settings from the
# environment, e.g. `set -a; . /etc/connect.env; set +a; make serve` (README "Production").
serve: $(STAMP)
	$(BIN)/python deploy/serve.py
