# The two commands a newcomer needs: `make demo` and `make test` (both run `make setup` first).
# Set-up is idempotent: apt packages only when missing, the virtualenv only when pyproject.toml changed.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Debian packages the project needs at run time and in its tests. Keep this list and
# docs/dependencies.md in step.
APT_PACKAGES := python3 python3-venv python3-dev gcc make git sqlite3 ca-certificates \
  pcscd vsmartcard-vpcd libpcsclite-dev swig pcsc-tools libzbar0 \
  mosquitto mosquitto-clients espeak-ng \
  libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-noto-cjk \
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-xkb1 libxkbcommon-x11-0 \
  libxcb-shape0 libxcb-randr0 libxcb-xinerama0

.PHONY: setup apt venv i18n test lint check unit bench demo clean

setup: apt venv i18n

apt:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "apt: installing $$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing; \
	fi

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

# The touchscreen's translations: ui/i18n/*.ts → .qm (pyside6-lrelease ships with PySide6-Essentials).
i18n: venv
	$(BIN)/python -m ui.i18n compile

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest -m 'not bench' $(PYTEST_ARGS)

unit: setup
	$(BIN)/pytest tests/unit -m 'not bench' $(PYTEST_ARGS)

bench: setup
	@$(BIN)/pytest tests/bench -m bench -q -p no:cacheprovider -s $(PYTEST_ARGS) | grep '^bench ' ; test $${PIPESTATUS[0]} -eq 0

demo: setup
	$(BIN)/lxt-demo --fresh --stack

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build *.egg-info
