# Two commands, on a fresh machine with only Python 3.11+:
#   make lab    start the course (JupyterLab on learner/, the lessons with exercises unsolved)
#   make test   run the whole test suite
#   make lite   build the browser edition (JupyterLite) into build/lite/; make lite-serve serves it
# Both create or refresh a local virtual environment in .venv first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: lab test lint clean lite lite-serve

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Jupyter refuses to run as root (containers, some VMs) unless told it may.
ROOT_FLAG := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root,)

# The learner edition: notebooks/ with the exercises unsolved; a lesson already there is kept.
# news_url=None: no "get notified about news" prompt (the course runs offline).
lab: $(STAMP)
	$(BIN)/ecslab student --source notebooks --out learner --trust
	$(BIN)/jupyter lab $(ROOT_FLAG) --LabApp.news_url=None learner/

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	bash scripts/ensure-browser
	PYTHON=$(PYTHON) bash scripts/ensure-clients
	$(BIN)/python -m pytest

# The browser edition: a static site, pinned downloads cached under build/lite-cache/.
lite: $(STAMP)
	$(BIN)/python scripts/build-lite

lite-serve: $(STAMP)
	$(BIN)/python scripts/build-lite --serve

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info
