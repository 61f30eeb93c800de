# planflow: `make run` serves the app on SQLite, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install run test bench clean translations

install: $(VENV)/.installed

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,postgres]'
	touch $@

# The demo plan is dated 2022: the app runs as of the morning the demo stops at, unless PLANFLOW_NOW says
# otherwise (PLANFLOW_NOW= make run: real time).
DEMO_NOW := 2022-10-01T08:00+07:00

run: install
	$(BIN)/planflow seed --demo --as-of $(DEMO_NOW)
	PLANFLOW_NOW=$${PLANFLOW_NOW-$(DEMO_NOW)} PLANFLOW_INSECURE_COOKIES=$${PLANFLOW_INSECURE_COOKIES:-1} \
		$(BIN)/planflow serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Extract the words people read again, merge them into the catalogues, compile them. New messages need
# their Vietnamese in engine/translations/vi/LC_MESSAGES/messages.po (tests/api/test_languages.py checks).
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k t -k N_ --no-location --sort-output --project planflow \
		-o engine/translations/messages.pot .
	$(BIN)/pybabel update -i engine/translations/messages.pot -d engine/translations --no-fuzzy-matching --width 100
	$(BIN)/pybabel compile -d engine/translations

bench: install
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/launch.py
	$(BIN)/python bench/audit.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
