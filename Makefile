# The two commands of the README: `make run` and `make test`. Both install what is missing first.
BUILD_DIR ?= build
JOBS ?= $(shell nproc)

.PHONY: all deps test-deps build run test screenshots bench format tidy clean

all: build

deps:
	@scripts/install-deps.sh

test-deps:
	@scripts/install-deps.sh --test

build: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# Serves http://localhost:8080 with an SQLite database under var/ until Ctrl-C.
run: build
	@mkdir -p var
	./$(BUILD_DIR)/idpd serve

# Every suite: unit, storage conformance on SQLite and a throwaway MariaDB, integration, socket.
test: test-deps build
	@scripts/test.sh $(BUILD_DIR)

# Every page in zh-CN and English at desktop and phone widths, in a real browser:
# var/screenshots/<lang>-<width>-<page>.png (tests/e2e/screenshots.mjs).
screenshots: test-deps build
	@IDPD_BINARY=$(abspath $(BUILD_DIR))/idpd node tests/e2e/screenshots.mjs

# idpd side by side with node-oidc-provider on one core each; writes bench/results/<date>.md.
# BENCH_DURATION=3s make bench for a quick look (bench/README.md).
bench: build
	@scripts/install-deps.sh --bench
	@BUILD_DIR=$(BUILD_DIR) bench/run.sh

format:
	@clang-format -i $$(git ls-files '*.cpp' '*.h')

tidy: build
	@scripts/install-deps.sh --tidy
	@scripts/tidy.sh $(BUILD_DIR)

clean:
	rm -rf $(BUILD_DIR)
