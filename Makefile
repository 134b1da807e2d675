# TinyMetrics — build, test and demo entry points. Every target installs what it needs.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

DOTNET      ?= dotnet
CONFIG      ?= Release
ARTIFACTS   := $(CURDIR)/artifacts
BIN         := $(ARTIFACTS)/bin
SIMBIN      := $(ARTIFACTS)/simulator
# The host's runtime identifier; `make publish RID=linux-arm64` cross-compiles on an x64 host (and the reverse).
HOST_RID    := linux-$(subst aarch64,arm64,$(subst x86_64,x64,$(shell uname -m)))
RID         ?= $(HOST_RID)
IMAGE       ?= tinymetrics:dev
PLATFORMS   ?= linux/amd64,linux/arm64
TOOLS       := $(ARTIFACTS)/tools
DEMO_DIR    ?= $(ARTIFACTS)/demo
DEMO_NODES  ?= 50
DEMO_PODS   ?= 10
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

.PHONY: help deps deps-cross deps-platforms deps-prometheus tools build publish publish-arm64 simulator image test test-unit demo demo-stop bench bench-check bench-e2e bench-scale bench-start bench-load outage soak fuzz fuzz-long clean

help:
	@echo "make demo   - run tinymetrics on a simulated $(DEMO_NODES)-node cluster and show kubectl top"
	@echo "make test   - AOT publish for the host and linux-arm64 (zero warnings) and every test"
	@echo "make publish RID=linux-arm64 - cross-compile the AOT binary into artifacts/bin/linux-arm64/"
	@echo "make image  - the linux/amd64 + linux/arm64 image (docker buildx; IMAGE=name:tag IMAGE_FLAGS=--push)"
	@echo "make demo-stop - stop the demo's processes"
	@echo "make fuzz   - the parser, selector, flag and quantity property tests at FUZZ_ITER iterations each"
	@echo "make soak - 30-minute soak at 2,000 nodes with churn and kubelet faults, figures for RELIABILITY.md"
	@echo "make fuzz-long - every property test for FUZZ_SECONDS each, one at a time (29 x 20 s, about 10 minutes)"
	@echo "make bench-scale - 1,000 / 5,000 / 10,000 nodes x 30 pods: CPU, RSS per node, cycle time, HPA and list latency (SCALE_NODES)"
	@echo "make outage - 2,000-node mass kubelet outages (hung, refused, one byte a second), figures for RELIABILITY.md"

# The ILCompiler links with clang; a fresh Debian image may lack it (the csproj falls back to clang-14).
# The tests make real certificates with the openssl command line. Without root, a missing one is named, not skipped.
deps:
	@command -v $(DOTNET) >/dev/null || { echo "dotnet SDK 10 is required"; exit 1; }
	@if ! command -v clang >/dev/null && ! command -v clang-14 >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang >/dev/null; \
	  else echo "clang is required for Native AOT (apt-get install clang)"; exit 1; fi; fi
	@if ! command -v openssl >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null; \
	  else echo "openssl is required: the tests make their certificates with it (as root: apt-get install openssl)"; exit 1; fi; fi

# Installs those of the Debian packages $(1) that are missing, as root via apt-get (arm64 ones through multiarch), or names them and fails.
define apt-ensure
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || printf '%s ' $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing $$missing"; \
	    case "$$missing" in *:arm64*) dpkg --add-architecture arm64;; esac; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing Debian packages: $$missing (as root: dpkg --add-architecture arm64; apt-get install them)"; exit 1; fi; fi
endef

# The aarch64 cross toolchain: clang links through its binutils and libc, its objcopy strips (TinyMetrics.Server.csproj).
CROSS_PACKAGES := gcc-aarch64-linux-gnu libc6-dev-arm64-cross
# qemu-user runs the arm64 binary, which loads arm64 OpenSSL; the runtime-rootfs test copies distroless/cc-debian12's packages.
PLATFORM_PACKAGES := qemu-user libssl3:arm64 \
  base-files netbase tzdata media-types ca-certificates libc6 libssl3 libgomp1 libstdc++6 libgcc-s1 gcc-12-base

deps-cross: deps
	$(call apt-ensure,$(CROSS_PACKAGES))

deps-platforms: deps
	$(call apt-ensure,$(PLATFORM_PACKAGES))

# prometheus and promtool: PromtoolTests checks the exposition, PrometheusScrapeTests scrapes the binary.
deps-prometheus: deps
	$(call apt-ensure,prometheus)

# helm, kubectl 1.35, kubectl 1.27 unless the machine has it, and a kubectl only if the machine has none (scripts/kube-tools.sh).
tools:
	@bash scripts/kube-tools.sh "$(TOOLS)"

build: deps
	$(DOTNET) build TinyMetrics.sln -c $(CONFIG)

# An AOT publish with any warning is a failure: the build treats warnings as errors, and the log is checked too.
# The host's binary is also linked at artifacts/bin/tinymetrics, where the tests and scripts take it.
publish: deps $(if $(filter $(HOST_RID),$(RID)),,deps-cross)
	@rm -rf $(BIN)/$(RID) && mkdir -p $(BIN)/$(RID)
	$(DOTNET) publish src/TinyMetrics.Server/TinyMetrics.Server.csproj -c $(CONFIG) -r $(RID) -o $(BIN)/$(RID) 2>&1 | tee $(ARTIFACTS)/publish-$(RID).log
	@if grep -E ': warning [A-Z]+[0-9]+' $(ARTIFACTS)/publish-$(RID).log; then echo "AOT publish ($(RID)) produced warnings"; exit 1; fi
	@if [ "$(RID)" = "$(HOST_RID)" ]; then ln -f $(BIN)/$(RID)/tinymetrics $(BIN)/tinymetrics; fi
	@ls -l $(BIN)/$(RID)/tinymetrics

publish-arm64:
	@$(MAKE) --no-print-directory publish RID=linux-arm64

simulator: deps
	$(DOTNET) publish src/TinyMetrics.Simulator/TinyMetrics.Simulator.csproj -c $(CONFIG) -o $(SIMBIN) -p:UseAppHost=true 2>&1 | tail -3

# The E2E Platform tests run the arm64 binary under qemu-user and the host's in the image's runtime file set.
test: bench-check publish publish-arm64 simulator tools deps-platforms deps-prometheus
	TINYMETRICS_BIN=$(BIN)/tinymetrics TINYMETRICS_BIN_ARM64=$(BIN)/linux-arm64/tinymetrics \
	  TINYMETRICS_SIMULATOR=$(SIMBIN)/tinymetrics-simulator.dll \
	  TINYMETRICS_TOOLS=$(TOOLS) PATH="$$PATH:$(TOOLS)" \
	  $(DOTNET) test --solution TinyMetrics.sln -c $(CONFIG)

test-unit: deps deps-prometheus
	$(DOTNET) test --project tests/TinyMetrics.Core.Tests -c $(CONFIG)
	$(DOTNET) test --project tests/TinyMetrics.Server.Tests -c $(CONFIG)

# Both platforms from Dockerfile.distroless, cross-compiled in the build stage; needs an engine that can pull the base images.
image:
	@command -v docker >/dev/null || { echo "make image needs docker with buildx"; exit 1; }
	docker buildx build --platform $(PLATFORMS) -f Dockerfile.distroless -t $(IMAGE) $(IMAGE_FLAGS) .

demo: publish simulator tools
	@PATH="$$PATH:$(TOOLS)" bash scripts/demo.sh "$(BIN)/tinymetrics" "$(SIMBIN)/tinymetrics-simulator.dll" "$(DEMO_DIR)" $(DEMO_NODES) $(DEMO_PODS)

demo-stop:
	@bash scripts/demo.sh --stop "$(DEMO_DIR)"

# BenchmarkDotNet suites (parser, store, render) and the HPA percentile run; figures go to BENCHMARKS.md.
bench: deps
	$(DOTNET) run -c Release --project tests/TinyMetrics.Benchmarks -- --filter '*' --job short
	$(DOTNET) run -c Release --no-build --project tests/TinyMetrics.Benchmarks -- --hpa-percentiles

# Allocation budgets of the hot paths (BENCHMARKS.md): fails when one is exceeded. The canary run adds a path
# that allocates on purpose and must fail (exit 1), so a measurement that sees nothing cannot pass unnoticed.
bench-check: deps
	$(DOTNET) build tests/TinyMetrics.Benchmarks -c Release
	$(DOTNET) run -c Release --no-build --project tests/TinyMetrics.Benchmarks -- --check
	@if $(DOTNET) run -c Release --no-build --project tests/TinyMetrics.Benchmarks -- --check --canary; then \
	  echo "bench-check: the canary's allocation went unseen"; exit 1; else echo "bench-check: canary caught"; fi

# End-to-end figures on the simulator: RSS and CPU at a few cluster sizes (15 s resolution, 30 pods/node).
bench-e2e: publish simulator
	@for n in 1 100 500; do WINDOW=60 bash scripts/measure-idle.sh $$n 30 35 --metric-resolution=15s; done

# The realistic shape at 1,000, 5,000 and 10,000 nodes × 30 pods, 15 s resolution (SCALE_NODES, SCALE_WINDOW): CPU and RSS per
# node, RSS growth per added node, cycle time, HPA-shaped and full-list latency, the simulator's CPU apart (BENCHMARKS.md).
bench-scale: publish simulator
	$(DOTNET) build tests/TinyMetrics.Benchmarks -c Release 2>&1 | tail -2
	@bash scripts/bench-scale.sh

# Time from start to the first complete answer (every node and pod served) at 15 s and 60 s resolution, median of 3 runs.
bench-start: publish simulator
	@bash scripts/time-to-complete.sh $(or $(START_NODES),50) 30 $(or $(START_RUNS),3) 15s 60s

# 1,000 concurrent HPA- and kubectl-shaped clients (HTTP/1.1 and HTTP/2) against the AOT binary and the simulator during scrape
# cycles, with --max-requests-inflight not set and set: p50/p99/max and 429 counts, medians of LOAD_RUNS runs (BENCHMARKS.md).
bench-load: publish simulator
	$(DOTNET) run -c Release --project tests/TinyMetrics.Benchmarks -- --load --bin $(BIN)/tinymetrics --simulator $(SIMBIN)/tinymetrics-simulator.dll \
	  --nodes $(or $(LOAD_NODES),50) --clients $(or $(LOAD_CLIENTS),1000) --seconds $(or $(LOAD_SECONDS),20) --runs $(or $(LOAD_RUNS),3) \
	  --max-requests-inflight $(or $(LOAD_INFLIGHT),100)

# Mass kubelet outages at 2,000 nodes (RELIABILITY.md): 1,200 hung + 200 refused, then every kubelet one byte a second.
outage: publish simulator tools
	PATH="$(ARTIFACTS)/tools:$$PATH" bash scripts/mass-outage.sh 2000 1200 200 0
	PATH="$(ARTIFACTS)/tools:$$PATH" bash scripts/mass-outage.sh 2000 0 0 2000

# The soak (RELIABILITY.md): SoakTests for SOAK_MINUTES at SOAK_NODES × SOAK_PODS at upstream's 15 s / 10 s, with churn
# and kubelet faults; every answer checked, process figures sampled each minute into $(ARTIFACTS)/soak-report.md.
SOAK_MINUTES ?= 30
SOAK_NODES ?= 2000
SOAK_PODS ?= 10
soak: publish simulator tools
	TINYMETRICS_BIN=$(BIN)/tinymetrics TINYMETRICS_SIMULATOR=$(SIMBIN)/tinymetrics-simulator.dll \
	  TINYMETRICS_TOOLS=$(TOOLS) PATH="$$PATH:$(TOOLS)" \
	  TINYMETRICS_SOAK_MINUTES=$(SOAK_MINUTES) TINYMETRICS_SOAK_NODES=$(SOAK_NODES) TINYMETRICS_SOAK_PODS=$(SOAK_PODS) \
	  TINYMETRICS_SOAK_RESOLUTION=15s TINYMETRICS_SOAK_TIMEOUT=10s TINYMETRICS_SOAK_REPORT=$(ARTIFACTS)/soak-report.md \
	  $(DOTNET) test --project tests/TinyMetrics.E2E -c $(CONFIG) -- --treenode-filter "/*/*/SoakTests/*" --output Detailed
	@cat $(ARTIFACTS)/soak-report.md

# The property tests with CsCheck_Iter iterations each instead of the normal run's 3,000 (RELIABILITY.md).
FUZZ_ITER ?= 300000
fuzz:
	CsCheck_Iter=$(FUZZ_ITER) $(DOTNET) test --project tests/TinyMetrics.Core.Tests -c Release -- --treenode-filter "/*/*/*FuzzTests/*"

# The long run (RELIABILITY.md): each property runs for FUZZ_SECONDS instead of counting iterations, one test at a
# time so the figures do not depend on how many share the cores; CsCheck's per-property counts go to FUZZ_LOG.
FUZZ_SECONDS ?= 20
FUZZ_LOG ?= $(ARTIFACTS)/fuzz-long.log
fuzz-long: deps
	@mkdir -p $(ARTIFACTS) && rm -f $(FUZZ_LOG)
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_LOG=$(FUZZ_LOG) $(DOTNET) test --project tests/TinyMetrics.Core.Tests -c Release -- \
	  --treenode-filter "/*/*/*FuzzTests/*" --maximum-parallel-tests 1
	@cat $(FUZZ_LOG)

clean:
	rm -rf $(ARTIFACTS)
	$(DOTNET) clean TinyMetrics.sln >/dev/null
