# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
# `make test` is the quick loop (lint + the tests not marked slow); `make test-all`
# adds the slow ones (real processes and watchers, browsers, the Nu checker) and the
# wheel check: CI runs it.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test test-all check lint wheel-check bench clean browser-deps

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

run: $(STAMP)
	$(VENV)/bin/pacsite build .
	@echo "Open $(CURDIR)/public/index.html in your browser (or serve public/ with any web server)."

test: $(STAMP) lint
	$(PY) -m pytest -q

test-all: $(STAMP) lint
	$(PY) -m pytest -q --slow
	$(MAKE) --no-print-directory wheel-check

lint: $(STAMP)
	$(VENV)/bin/ruff check pacsite tests benchmarks tools
	$(VENV)/bin/mypy pacsite tools

check: $(STAMP)
	$(VENV)/bin/pacsite check .

# The theme and the starter plans must ship inside the wheel: build it, install it in a
# fresh venv outside the checkout, build the example plan, and init and build each starter.
wheel-check: $(STAMP)
	rm -rf build/wheel-check && mkdir -p build/wheel-check
	$(PY) -m build --wheel --outdir build/wheel-check/dist . >build/wheel-check/build.log 2>&1 || (cat build/wheel-check/build.log; exit 1)
	$(PYTHON) -m venv build/wheel-check/venv
	build/wheel-check/venv/bin/pip install --quiet build/wheel-check/dist/*.whl
	cd build/wheel-check && cp -r $(CURDIR)/content $(CURDIR)/pacsite.yaml . && venv/bin/pacsite build . -o site
	test -f build/wheel-check/site/index.html && test -f build/wheel-check/site/assets/style.css && test -f build/wheel-check/site/budget/index.html
	cd build/wheel-check && for l in fr en; do venv/bin/pacsite init start-$$l --lang $$l && venv/bin/pacsite build start-$$l --strict \
	  && diff -r $(CURDIR)/pacsite/starters/$$l/content start-$$l/content && test -f start-$$l/public/index.html || exit 1; done
	@echo "wheel-check: the installed wheel built the example with its bundled theme, and its starter plans (init)"

# The browser checks need Debian's chromium and playwright-core (never a browser
# download); without them those tests are skipped. CI runs this first.
# Chromium (browser checks), Java (Nu Html Checker), nginx (sub-path crawl),
# poppler-utils (pdftotext for the print check), and the npm packages. vnu-jar's
# install script downloads a Java runtime: --ignore-scripts, Debian's Java runs it.
browser-deps:
	missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v nginx >/dev/null || test -x /usr/sbin/nginx || missing="$$missing nginx-light"; \
	command -v pdftotext >/dev/null || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi
	cd tests/browser && npm install --no-package-lock --no-audit --no-fund --silent --ignore-scripts

bench: $(STAMP)
	$(PY) benchmarks/bench.py
	$(PY) benchmarks/bench_history.py
	$(PY) benchmarks/bench_serve.py
	$(PY) benchmarks/bench_floor.py --sizes $${BENCH_SIZES:-150,1500,15000}

clean:
	rm -rf build dist public .pytest_cache *.egg-info
