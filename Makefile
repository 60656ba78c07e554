# Nines: the two commands of the README, and the steps they are made of.
#   make reports   build nines, check and analyse every bundled model (writes reports/)
#   make test      run the whole test suite
# Each installs what it needs first (GSL and pkg-config from Debian), and says so.

SWIFT ?= swift
NINES := .build/release/nines
MODELS := $(sort $(wildcard models/*.yaml))
LICENSE_PLATES := models/license-plate-basic.yaml models/license-plate-ha.yaml models/license-plate-ft.yaml
SWEEP := --vary components.db.standby=cold,warm,hot --vary components.db.failover.coverage=0.9,0.99,0.999 \
	--vary "components.db.cost={monthly: 190, standby: 20, warm: 120}"
DR := models/dr-one-region.yaml models/dr-pilot-light.yaml models/dr-active-active.yaml
STAGING := --vary causes.bad-deploy-both.mtbf=60d,1y,5y \
	--vary "causes.config-push.hits=[app-east, db-east],[app-east, app-west, db-east, db-west]"
DNS := --vary "components.api.depends_on={any: [east, west]},{any: [east, west], failover: {detect: 90s, switchover: 60s, coverage: 0.99, manual: 30m}},{any: [east, west], failover: {detect: 90s, switchover: 300s, coverage: 0.99, manual: 30m}}"
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build reports test fuzz clean

deps:
	@if pkg-config --exists gsl 2>/dev/null && [ -f /usr/include/gsl/gsl_linalg.h ] && [ -f /usr/include/suitesparse/umfpack.h ]; then \
	  echo "deps: GSL $$(pkg-config --modversion gsl), SuiteSparse (UMFPACK) and pkg-config are installed"; \
	else \
	  echo "deps: installing libgsl-dev, libsuitesparse-dev and pkg-config with apt-get (GSL: linear algebra and random numbers; UMFPACK: sparse LU)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libgsl-dev libsuitesparse-dev pkg-config >/dev/null && \
	  echo "deps: installed GSL $$(pkg-config --modversion gsl) and SuiteSparse"; \
	fi

build: deps
	@echo "build: swift build -c release (the first build fetches and compiles the dependencies: about 2 minutes)"
	@$(SWIFT) build -c release --product nines

# The commands below are the reports' only source; a test (ReportsAreCurrentTests) runs the
# same ones and fails when a committed file differs from what the code generates now.
reports: build
	@echo "reports: checking every bundled model: $(NINES) validate models/*.yaml"
	@mkdir -p reports
	@$(NINES) validate $(MODELS) > reports/validation.txt || { cat reports/validation.txt; exit 65; }
	@echo "reports: a review report per bundled model, both engines (Monte Carlo: seed 1, at most 200,000 years each), and their comparison"
	@$(NINES) report $(MODELS) --out reports > /dev/null
	@echo "reports: comparing the three license-plate designs (basic, highly available, fault tolerant)"
	@$(NINES) compare $(LICENSE_PLATES) > reports/compare.txt
	@$(NINES) compare $(LICENSE_PLATES) --format markdown > reports/compare.md
	@$(NINES) compare $(LICENSE_PLATES) --format csv > reports/compare.csv
	@$(NINES) compare $(LICENSE_PLATES) --format json > reports/compare.json
	@echo "reports: sweeping the standby kind and the failover coverage of db-standby-warm (a stopped standby at \$$20/mo, a smaller warm one at \$$120/mo)"
	@$(NINES) sweep models/db-standby-warm.yaml $(SWEEP) > reports/sweep.txt
	@$(NINES) sweep models/db-standby-warm.yaml $(SWEEP) --format csv > reports/sweep.csv
	@echo "reports: what staging deploys region by region buys the fault-tolerant design, and a configuration push that reaches one region or both"
	@$(NINES) sweep models/license-plate-ft.yaml $(STAGING) > reports/staging.txt
	@echo "reports: what the fault-tolerant design's DNS switch costs: health checks of 30 s x 3 failures, then a 60 s or 300 s TTL, simulated (its joint chain is beyond the Markov engine)"
	@$(NINES) sweep models/license-plate-ft.yaml --engine montecarlo $(DNS) > reports/ft-dns.txt
	@echo "reports: disaster recovery: one region, a pilot light failed over by hand in an hour, active-active behind health-checked DNS"
	@$(NINES) compare $(DR) > reports/dr-compare.txt
	@$(NINES) compare $(DR) --format markdown > reports/dr-compare.md
	@echo "reports: where the license-plate designs' downtime comes from: single points of failure, minimal cut sets, importance"
	@$(NINES) spof $(LICENSE_PLATES) --format markdown > reports/spof.md
	@$(NINES) spof $(LICENSE_PLATES) --format csv > reports/spof.csv
	@echo "reports: losing each zone and the region of the highly available design"
	@$(NINES) whatif models/license-plate-ha.yaml --each-domain --format markdown > reports/whatif.md
	@echo "reports: the sensitivity of the highly available design (tornado chart) and the price of its next nine"
	@$(NINES) sensitivity models/license-plate-ha.yaml --svg reports/tornado.svg --format markdown > reports/sensitivity.md
	@echo "reports: its regional outage rate known only as a range, propagated by 100 samples"
	@$(NINES) analyze models/license-plate-ha.yaml --uncertainty 100 --format markdown > reports/uncertainty.md
	@cat reports/compare.txt
	@echo "reports: wrote reports/index.md (start there): a report per model (NAME.md with its SVG charts), comparison.md, results.csv and results.json, compare.{txt,md,csv,json}, sweep.{txt,csv}, staging.txt, ft-dns.txt, dr-compare.{txt,md}, spof.{md,csv}, whatif.md, sensitivity.md with tornado.svg, uncertainty.md, validation.txt"

test: deps
	@echo "test: swift test -c release (Swift Testing, optimised: the simulations run at full speed; the first build takes a few minutes)"
	@$(SWIFT) test -c release --disable-xctest

# The long fuzz run (not part of `make test`): 100,000 hostile inputs through the built
# binary, each in its own process; it prints its exit counts, slowest input and largest process.
fuzz: deps
	@echo "fuzz: 100,000 inputs through nines, two processes at a time (about an hour on two cores)"
	@NINES_FUZZ_COUNT=$${NINES_FUZZ_COUNT:-100000} $(SWIFT) test -c release --disable-xctest --filter FuzzTests

clean:
	@$(SWIFT) package clean
