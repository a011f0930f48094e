# Sportello: `make run` starts the assistant, `make test` runs every check.
# Both create .venv (Python 3.10) and install the pinned dependencies on first use.

VENV := .venv
PY := $(VENV)/bin/python
export PYTHONPATH := $(CURDIR)
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: run test validate check setup train chat bench lock clean

run: setup                ## train if the data changed, start everything, open the web chat
	$(PY) -m bot run

test: validate check      ## validate the data, check the code, run every test
	@scripts/install-test-deps.sh
	$(PY) -m pytest

validate: setup           ## what trainers run after editing data/: Rasa's checks and ours
	$(VENV)/bin/rasa data validate --domain domain.yml --data data --config config.yml
	$(PY) -m bot lint

check: setup              ## ruff and mypy on the code
	$(VENV)/bin/ruff check bot actions tests benchmarks
	$(VENV)/bin/ruff format --check bot actions tests benchmarks
	$(VENV)/bin/mypy

setup:
	@scripts/bootstrap.sh

train: setup
	$(PY) -m bot train

chat: setup               ## chat in the terminal (needs `make run` in another terminal)
	$(PY) -m bot chat

bench: setup              ## every benchmark in benchmarks/ (about 30 minutes)
	$(PY) benchmarks/langid.py
	$(PY) benchmarks/nlu_cv.py
	$(PY) benchmarks/gateway.py
	$(PY) benchmarks/telegram.py
	$(PY) benchmarks/escalation.py
	$(PY) benchmarks/guard.py
	$(PY) benchmarks/public_intents.py

lock: setup               ## re-pin requirements.lock after editing requirements.in
	$(PY) -m pip install -r requirements.in
	{ echo "# Every package pinned, generated from requirements.in with Python 3.10.13 (make lock)."; \
	  $(PY) -m pip freeze --all | grep -vE '^(pip|setuptools|wheel)=='; } > requirements.lock

clean:
	rm -rf models var results .pytest_cache
