# Two commands for users: `make publish` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: publish test lint clean docs

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "stdkit 需要 Python 3.11 或更高版本 (Python >= 3.11 required)")'
	@$(PYTHON) -m venv $(VENV) || { echo "无法创建虚拟环境：请先安装 python3-venv（apt-get install python3-venv）"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

# The in-force edition (standard/), the municipal draft (editions/db3715t-draft/) and the
# revision diff between them. `build all` includes the Word editions (_build/docx/,
# _build/editions/db3715t-draft/docx/); the diff writes redline.docx and comparison.docx.
DRAFT := editions/db3715t-draft
publish: $(STAMP)
	$(BIN)/stdkit build all --roster rosters/sample.csv
	$(BIN)/stdkit build all --source $(DRAFT) --out _build/$(DRAFT)
	$(BIN)/stdkit diff standard $(DRAFT) --out _build --new-html _build/$(DRAFT)/html
	$(BIN)/stdkit comments table --source $(DRAFT) --out _build/$(DRAFT)
	$(BIN)/stdkit explanation --source $(DRAFT) --out _build/$(DRAFT)
	$(MAKE) --no-print-directory docs

# The toolkit's own documentation (使用说明, 起草规则检查) into _build/docs/.
docs: $(STAMP)
	$(BIN)/stdkit rules --format markdown --output docs/rules.md
	$(BIN)/python -m sphinx -b html -q -W -E docs _build/docs

# pytest exits 5 when it collects no tests; that is not a failure of the suite.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n auto --dist loadfile; rc=$$?; if [ $$rc -eq 5 ]; then echo "没有收集到测试 (no tests collected)"; exit 0; fi; exit $$rc

clean:
	rm -rf _build

# Benchmarks (not part of `make test`): benchmarks/run.py writes benchmarks/RESULTS.md.
# Quick run: make bench BENCH_ARGS="--sizes 100,1000 --repeat 3"
BENCH_STAMP := $(VENV)/.bench-installed
.PHONY: bench
$(BENCH_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)
