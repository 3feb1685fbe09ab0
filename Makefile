# The two commands of the README, and a few more.
.PHONY: run test bench build

run:    ## build (release) and serve on http://127.0.0.1:3000 with SQLite
	scripts/run.sh

test:   ## fmt, clippy, unit, integration (SQLite + PostgreSQL), CLI and browser tests
	scripts/test.sh

bench:  ## benchmarks of SPEC §9
	scripts/bench.sh

build:  ## release build only
	scripts/build.sh release
