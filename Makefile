# The two commands of the README, and a few more.
.PHONY: run test build bench

run:    ## build (release) and serve on http://127.0.0.1:3000 with SQLite
	scripts/run.sh

test:   ## fmt, clippy, unit, integration (SQLite + PostgreSQL), CLI and browser tests
	scripts/test.sh

build:  ## release build only
	scripts/build.sh release

bench:  ## the benchmarks of SPEC §9 (release build; not part of test)
	scripts/bench.sh
