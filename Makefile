# Tend: the two commands are `make run` and `make test`. Everything else is optional.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PY := .venv/bin/python
RASA := .venv/bin/rasa
MODEL := models/tend.tar.gz
STAMP := .venv/.lock-installed
# Rasa's telemetry and error reports would try to reach the internet: off, always.
export RASA_TELEMETRY_ENABLED := false

.PHONY: test-slow help setup run test lint format validate train test-python test-conversations \
        eval eval-writers eval-conversations check flows try shell actions bench prune telegram-webhook lock clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 20

$(STAMP): requirements.lock bin/bootstrap
	@bin/bootstrap

setup: ## Create .venv from the lock file and build the spaCy pipeline (only what is missing)
	@bin/bootstrap

run: setup ## Set up, train if the data changed, start everything, print where to chat
	@$(PY) -m bot.config
	@$(PY) -m bot.cli.run

test: setup ## Every check: lint, data validation, training, pytest, conversation tests
	@$(MAKE) --no-print-directory lint validate train test-python test-conversations
	@echo "All checks passed."

lint: ## ruff lint and format check
	@.venv/bin/ruff check .
	@.venv/bin/ruff format --check .

format: ## Format the code with ruff
	@.venv/bin/ruff format .
	@.venv/bin/ruff check --fix .

validate: ## Rasa's own data validation, warnings are failures
	@$(RASA) data validate --fail-on-warnings --domain domain.yml --data data --config config.yml

train: ## Train the model if the data, domain or config changed
	@$(PY) -m bot.cli.train

test-python: ## pytest: unit and integration tests (reuses the trained model)
	@. bin/test-services && $(PY) -m pytest -q -p no:cacheprovider -m "not slow" --durations=40

test-slow: setup train ## The slow test left out of `make test`: a practitioner's change trained end to end
	@. bin/test-services && $(PY) -m pytest -q -p no:cacheprovider -m slow

test-conversations: ## Rasa test stories in tests/conversations, prediction errors fail
	@$(RASA) test core --stories tests/conversations --model $(MODEL) \
	    --fail-on-prediction-errors --out results/conversations --no-plot

eval: setup train ## Held-out NLU figures and crisis detector figures into results/
	@$(PY) -m bot.cli.evaluate

eval-writers: setup ## Leave one writer out: the crisis readers on voices they never learnt
	@$(PY) -m bot.cli.eval_crisis_writers

eval-conversations: setup train ## Whole conversations through a real stack: is a crisis told in pieces noticed?
	@$(PY) -m bot.cli.eval_conversations

check: setup ## Practitioners: check the flows and explain any problem in plain words
	@$(PY) -m bot.cli.check

flows: setup ## Draw every flow into docs/flows/
	@$(PY) -m bot.cli.flows

try: setup ## Practitioners: train if needed and talk to Tend in the terminal
	@$(PY) -m bot.cli.try_out

shell: setup ## Talk to the trained model in the terminal (rasa shell)
	@$(PY) -m bot.server shell --model $(MODEL) --endpoints endpoints.yml

actions: setup ## Run only the action server
	@$(PY) -m rasa_sdk --actions actions --port $${ACTION_PORT:-5055}

bench: setup train ## Speed and memory figures against the stock Rasa pipeline
	@$(PY) -m bot.cli.bench

prune: setup ## Delete stored data older than RETENTION_DAYS
	@$(PY) -m bot.cli.db prune

telegram-webhook: setup ## Register the Telegram webhook (TELEGRAM_WEBHOOK_URL)
	@$(PY) -m bot.cli.telegram_webhook

lock: ## Regenerate requirements.lock from requirements.in (needs network to PyPI)
	@[ -x .venv/bin/uv ] || bin/bootstrap
	@.venv/bin/uv pip compile requirements.in --python-version 3.10 \
	    --python-platform x86_64-manylinux_2_28 --generate-hashes \
	    --excludes requirements.exclude -o requirements.lock

clean: ## Remove trained models, caches and results (keeps .venv and var/ data)
	rm -rf models .rasa results/* .pytest_cache .ruff_cache
