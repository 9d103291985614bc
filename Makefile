# Both targets create (or reuse) .venv by themselves: a fresh machine needs only Python 3.11.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: run test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --upgrade pip
	$(VENV)/bin/python -m pip install -q -e '.[test]'
	touch $(STAMP)

# Byte-compile our sources (only what changed): with PYTHONDONTWRITEBYTECODE set, every `mamoru`
# process would otherwise recompile them, about 0.1 s of CPU per short CLI call.
COMPILE = $(VENV)/bin/python -m compileall -q bot handlers knowledge storage >/dev/null

run: $(STAMP)
	$(COMPILE)
	$(VENV)/bin/mamoru start

test: $(STAMP)
	$(COMPILE)
	$(VENV)/bin/python -m pytest -q

bench: $(STAMP)
	$(VENV)/bin/python benchmarks/ask_latency.py
	$(VENV)/bin/python benchmarks/load_attachments.py

clean:
	rm -rf $(VENV) *.egg-info
