# planflow: `make run` serves the app on SQLite, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install assets run test bench clean translations lock audit

install: $(VENV)/.installed

# The pages' JavaScript and CSS, pinned in package-lock.json, from the npm registry into web/static/vendor:
# nothing is fetched at run time.
VENDOR := web/static/vendor
assets: $(VENDOR)/.built

$(VENDOR)/.built: package.json package-lock.json
	@command -v npm >/dev/null || { echo "make assets needs npm (Debian: apt-get install npm)"; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/bpmn-js $(VENDOR)/swagger-ui $(VENDOR)/axe-core $(VENDOR)/pdfjs
	cp node_modules/bpmn-js/dist/bpmn-navigated-viewer.production.min.js $(VENDOR)/bpmn-js/
	cp node_modules/bpmn-js/dist/assets/diagram-js.css node_modules/bpmn-js/dist/assets/bpmn-js.css $(VENDOR)/bpmn-js/
	cp -r node_modules/bpmn-js/dist/assets/bpmn-font $(VENDOR)/bpmn-js/
	cp node_modules/swagger-ui-dist/swagger-ui.css node_modules/swagger-ui-dist/swagger-ui-bundle.js $(VENDOR)/swagger-ui/
	cp node_modules/axe-core/axe.min.js $(VENDOR)/axe-core/
	cp node_modules/pdfjs-dist/build/pdf.min.mjs node_modules/pdfjs-dist/build/pdf.worker.min.mjs $(VENDOR)/pdfjs/
	touch $@

# Every dependency, the tests' too, at the release and with the hashes of requirements-test.lock (made by
# `make lock` from setup.cfg); then planflow itself, from this checkout. Deployments install
# requirements.lock: the same releases without the tests' tools.
$(VENV)/.installed: setup.cfg pyproject.toml requirements-test.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-test.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

# After changing the requirements of setup.cfg: pin them again, with their hashes, from the package index
# (the deployments' lock takes the releases of the tests' lock).
LOCK := $(BIN)/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe --no-emit-index-url \
	--no-emit-find-links
lock: install
	$(BIN)/python -m pip install --quiet pip-tools
	$(LOCK) --extra test --extra postgres -o requirements-test.lock setup.cfg
	$(LOCK) --extra postgres -c requirements-test.lock -o requirements.lock setup.cfg

# Known vulnerabilities of the locked releases fail it; where no vulnerability service answers, it says
# plainly which packages were not audited and does not fail (the script's exit 3).
audit: install
	$(BIN)/python -m pip install --quiet pip-audit
	$(BIN)/python deploy/audit_dependencies.py || [ $$? -eq 3 ]

# The demo plays two eras: plan 249 of Quảng Ngãi in 2022, and Lâm Đồng (as it is since the 2025 reform) with its
# plan of 2026. The app runs as of the morning the demo stops at, unless PLANFLOW_NOW says otherwise
# (PLANFLOW_NOW= make run: real time).
DEMO_NOW := 2026-10-01T08:00+07:00

run: install assets
	$(BIN)/planflow seed --demo --as-of $(DEMO_NOW)
	PLANFLOW_NOW=$${PLANFLOW_NOW-$(DEMO_NOW)} PLANFLOW_INSECURE_COOKIES=$${PLANFLOW_INSECURE_COOKIES:-1} \
		$(BIN)/planflow serve --host $(HOST) --port $(PORT)

# The tests run in parallel, one process a core (TEST_JOBS=0: in this process), a module's tests together.
TEST_JOBS ?= auto

test: install assets
	$(BIN)/python -m pytest -n $(TEST_JOBS) --dist loadscope $(PYTEST_ARGS)

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
	$(BIN)/python bench/worklist.py
	command -v wrk >/dev/null && $(BIN)/python bench/http_completions.py || echo "bench/http_completions.py needs wrk (apt-get install wrk) and PostgreSQL"
	$(BIN)/python bench/draft.py
	$(BIN)/python bench/cli_start.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache
