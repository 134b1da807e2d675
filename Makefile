# TinyMetrics — build, test and demo entry points. Every target installs what it needs.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

DOTNET      ?= dotnet
CONFIG      ?= Release
ARTIFACTS   := $(CURDIR)/artifacts
BIN         := $(ARTIFACTS)/bin
SIMBIN      := $(ARTIFACTS)/simulator
TOOLS       := $(ARTIFACTS)/tools
DEMO_DIR    ?= $(ARTIFACTS)/demo
DEMO_NODES  ?= 50
DEMO_PODS   ?= 10
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

.PHONY: help deps tools build publish simulator test test-unit demo demo-stop bench bench-e2e clean

help:
	@echo "make demo   - run tinymetrics on a simulated $(DEMO_NODES)-node cluster and show kubectl top"
	@echo "make test   - AOT publish (zero warnings) and every test"
	@echo "make demo-stop - stop the demo's processes"

# The ILCompiler links with clang; a fresh Debian image may lack it (the csproj falls back to clang-14).
deps:
	@command -v $(DOTNET) >/dev/null || { echo "dotnet SDK 10 is required"; exit 1; }
	@if ! command -v clang >/dev/null && ! command -v clang-14 >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang >/dev/null; \
	  else echo "clang is required for Native AOT (apt-get install clang)"; exit 1; fi; fi
	@command -v openssl >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq openssl >/dev/null; fi; }

# helm and kubectl 1.35 for the deploy tests; a kubectl only if the machine has none (scripts/kube-tools.sh).
tools:
	@bash scripts/kube-tools.sh "$(TOOLS)"

build: deps
	$(DOTNET) build TinyMetrics.sln -c $(CONFIG)

# An AOT publish with any warning is a failure: the build treats warnings as errors, and the log is checked too.
publish: deps
	@rm -rf $(BIN)
	$(DOTNET) publish src/TinyMetrics.Server/TinyMetrics.Server.csproj -c $(CONFIG) -o $(BIN) 2>&1 | tee $(ARTIFACTS).publish.log
	@if grep -E ': warning [A-Z]+[0-9]+' $(ARTIFACTS).publish.log; then echo "AOT publish produced warnings"; exit 1; fi
	@ls -l $(BIN)/tinymetrics

simulator: deps
	$(DOTNET) publish src/TinyMetrics.Simulator/TinyMetrics.Simulator.csproj -c $(CONFIG) -o $(SIMBIN) -p:UseAppHost=true 2>&1 | tail -3

test: publish simulator tools
	TINYMETRICS_BIN=$(BIN)/tinymetrics TINYMETRICS_SIMULATOR=$(SIMBIN)/tinymetrics-simulator.dll \
	  TINYMETRICS_TOOLS=$(TOOLS) PATH="$$PATH:$(TOOLS)" \
	  $(DOTNET) test --solution TinyMetrics.sln -c $(CONFIG)

test-unit: deps
	$(DOTNET) test --project tests/TinyMetrics.Core.Tests -c $(CONFIG)
	$(DOTNET) test --project tests/TinyMetrics.Server.Tests -c $(CONFIG)

demo: publish simulator tools
	@PATH="$$PATH:$(TOOLS)" bash scripts/demo.sh "$(BIN)/tinymetrics" "$(SIMBIN)/tinymetrics-simulator.dll" "$(DEMO_DIR)" $(DEMO_NODES) $(DEMO_PODS)

demo-stop:
	@bash scripts/demo.sh --stop "$(DEMO_DIR)"

# BenchmarkDotNet suites (parser, store, render) and the HPA percentile run; figures go to BENCHMARKS.md.
bench: deps
	$(DOTNET) run -c Release --project tests/TinyMetrics.Benchmarks -- --filter '*' --job short
	$(DOTNET) run -c Release --no-build --project tests/TinyMetrics.Benchmarks -- --hpa-percentiles

# End-to-end figures on the simulator: RSS and CPU at a few cluster sizes (15 s resolution, 30 pods/node).
bench-e2e: publish simulator
	@for n in 1 100 500; do WINDOW=60 bash scripts/measure-idle.sh $$n 30 35 --metric-resolution=15s; done

clean:
	rm -rf $(ARTIFACTS) $(ARTIFACTS).publish.log
	$(DOTNET) clean TinyMetrics.sln >/dev/null
