# make run: set up, build, start foliod on the bundled sample.  make test: every suite.
SWIFT_BUILD ?= swift build
BIN := .build/debug
RELEASE_BIN := .build/release

# --version prints the commit: Package.swift turns this into a C define (see Sources/CFolioBuildInfo).
FOLIO_GIT_COMMIT ?= $(shell git rev-parse --short=12 HEAD 2>/dev/null)$(shell git diff --quiet HEAD 2>/dev/null || echo -dirty)
export FOLIO_GIT_COMMIT

# The suites that drive the folio/foliod binaries; `make test` runs them again on release builds.
CLI_SUITES := FolioIntegrationTests\.(CLITests|CLIInputTests|CLIVersionTests)

.PHONY: setup build release run test test-swift test-release-cli test-c test-python check-protos clean

.setup-done: scripts/setup.sh
	scripts/setup.sh
	touch $@

setup: .setup-done

build: setup
	$(SWIFT_BUILD) --product foliod
	$(SWIFT_BUILD) --product folio

# One product per invocation: SwiftPM builds only the last --product given.
release: setup
	$(SWIFT_BUILD) -c release --product foliod
	$(SWIFT_BUILD) -c release --product folio

run: build
	@echo "foliod is starting on the bundled sample; in another terminal try:"
	@echo "    $(BIN)/folio search 錦州港"
	@echo "    $(BIN)/folio list"
	$(BIN)/foliod

test: setup test-swift test-release-cli test-c test-python

test-swift:
	swift build --build-tests
	swift test --skip-build

# A fault only the optimizer exposes fails here, not in the hands of users.
test-release-cli: release
	swift build --build-tests
	FOLIO_TEST_BIN_DIR=$(RELEASE_BIN) swift test --skip-build --filter '$(CLI_SUITES)'

test-c: build
	$(MAKE) -C Clients/c test FOLIOD=$(CURDIR)/$(BIN)/foliod

test-python: build
	$(MAKE) -C Clients/python test FOLIOD=$(CURDIR)/$(BIN)/foliod

check-protos: setup
	scripts/gen-protos.sh --check

clean:
	rm -rf .build .setup-done
