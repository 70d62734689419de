# Halo Warga — one task file. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv/bin
PYTEST_ARGS ?=

# Local settings (see .env.example) apply to every target.
ifneq (,$(wildcard .env))
include .env
export
endif

.DEFAULT_GOAL := help
.PHONY: help venv venv-rasa install train run run-scaled test test-fast lint audit format lock bench soak faults eval profiles nlu-review clean translations

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

venv: ## Build .venv (project environment) if requirements/project.txt or pyproject.toml changed
	@PYTHON=$(PYTHON) scripts/ensure-venv.sh project

venv-rasa: ## Build .venv-rasa (Rasa 3.6 engine) if requirements/rasa.txt changed (cached)
	@PYTHON=$(PYTHON) scripts/ensure-venv.sh rasa

install: venv venv-rasa ## Both environments

train: venv-rasa ## Train the model if bot/ or the training data changed (cached by content)
	@scripts/train.sh

# Both stacks look first: a running stack of this checkout or a taken port stops them at
# once, before anything is installed, trained, seeded or rotated (helpdesk/runtime/guard.py).
run: ## Seed the demo database and start every process (Ctrl-C stops them)
	@$(PYTHON) helpdesk/runtime/guard.py embedded
	@$(MAKE) --no-print-directory install train
	@$(VENV)/python -m helpdesk.runtime.stack

test: install train lint audit ## Lint, audit the pins, then the whole test suite (unit, data layer, rasa validate, end-to-end)
	@scripts/ensure-chromium.sh
	@scripts/ensure-nginx.sh
	$(VENV)/python -m pytest $(PYTEST_ARGS)

test-fast: venv ## Tests without the engine (no e2e, no rasa validate)
	$(VENV)/python -m pytest -m "not e2e and not rasa" $(PYTEST_ARGS)

lint: venv ## ruff check, ruff format --check, mypy
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .
	$(VENV)/mypy

audit: venv ## pip-audit over both pinned environments ("skipped: no advisory source" when offline)
	$(VENV)/python scripts/audit_deps.py

format: venv ## Apply ruff fixes and formatting
	$(VENV)/ruff check --fix .
	$(VENV)/ruff format .

lock: venv ## Re-pin requirements/project.txt from the current .venv
	@{ echo "# Pinned project environment (.venv): runtime + dev tools. Regenerate with 'make lock'."; \
	   $(VENV)/pip freeze --exclude-editable; } > requirements/project.txt

run-scaled: ## PostgreSQL + Redis, 2 engines and 2 web processes behind nginx, 2 workers
	@$(PYTHON) helpdesk/runtime/guard.py scaled
	@$(MAKE) --no-print-directory install train
	@scripts/ensure-nginx.sh
	@$(VENV)/python -m helpdesk.runtime.scaled

bench: install train ## Load: N concurrent conversations, web chat vs engine alone -> docs/measurements/bench.md (BENCH_SCALED=1: also the scaled stack)
	@if [ -n "$(BENCH_SCALED)" ]; then scripts/ensure-nginx.sh; fi
	$(VENV)/python -m tests.bench

soak: install train ## 10,000 messages at 20 conversations -> docs/measurements/soak.md (not part of make test)
	$(VENV)/python -m tests.soak

faults: install train ## Faults under load on the scaled stack (an engine killed, PostgreSQL restarted, Telegram down) -> docs/measurements/faults.md
	@scripts/ensure-nginx.sh
	$(VENV)/python -m tests.soak --faults --scaled --messages 2000

eval: install train ## Language identification and NLU reports in docs/measurements/ (langid.md, nlu.md)
	$(VENV)/python scripts/eval_langid.py
	$(VENV)/python scripts/eval_nlu.py

nlu-review: venv ## Merge the teach-the-bot export (EXPORT=file, or URL=... TOKEN=...) into data/nlu/inbox/
	$(VENV)/python scripts/review_nlu_export.py $(if $(EXPORT),--file $(EXPORT),--url $(URL) --token $(TOKEN))

profiles: venv ## Rebuild helpdesk/text/language/data from ../shared/data train splits
	$(VENV)/python scripts/build_language_profiles.py

clean: ## Remove local state (database, logs, models); caches stay
	rm -rf var models/*.tar.gz models/LATEST docs/measurements/tmp

translations: venv ## Extract the console's strings and rebuild its English catalog (.po/.mo)
	$(VENV)/python scripts/console_translations.py
