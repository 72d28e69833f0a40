# Two commands on a fresh machine:  make run  (the bot or, without DISCORD_TOKEN, the console)
#                                   make test (lint + the whole test suite)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: run test lint docs bench screenshots clean

run: $(VENV)/.installed
	$(BIN)/kfor-bot

test: $(VENV)/.installed-test
	bash scripts/system-deps.sh
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet
	bash scripts/types-and-tests.sh $(BIN)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

# The documentation site in site/ (MkDocs Material); `$(BIN)/mkdocs serve` to read it as you edit.
docs: $(VENV)/.installed-test
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict

bench: $(VENV)/.installed-test
	$(BIN)/python bench/run_all.py

# The README's pictures, from SimCord and headless Chromium (apt-get install -y chromium).
screenshots: $(VENV)/.installed-preview
	$(BIN)/python scripts/screenshots.py

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	touch $@

# Bytecode compiled at install, as pip does for an installed package: an editable install gets none
# where PYTHONDONTWRITEBYTECODE is set, and every start would compile the bot again (≈ 50 ms).
$(VENV)/.installed: pyproject.toml $(VENV)/.created
	$(BIN)/pip install -q -e .
	$(BIN)/python -m compileall -q bot
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.created
	$(BIN)/pip install -q -e ".[test]"
	$(BIN)/python -m compileall -q bot
	touch $(VENV)/.installed $@

$(VENV)/.installed-preview: pyproject.toml $(VENV)/.installed-test
	$(BIN)/pip install -q -e ".[test,preview]"
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis site
