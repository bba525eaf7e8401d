# make run: set up, build, start foliod on the bundled sample.  make test: every suite.
# make install PREFIX=/usr/local: release binaries, data files, systemd units, config, completions, man pages.
SWIFT_BUILD ?= swift build
BIN := .build/debug
RELEASE_BIN := .build/release

# --version prints the commit: Package.swift turns this into a C define (see Sources/CFolioBuildInfo).
FOLIO_GIT_COMMIT ?= $(shell git rev-parse --short=12 HEAD 2>/dev/null)$(shell git diff --quiet HEAD 2>/dev/null || echo -dirty)
export FOLIO_GIT_COMMIT

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
LIBDIR ?= $(PREFIX)/lib
# The config file belongs in /etc for the system prefixes, under the prefix otherwise.
ifneq ($(filter /usr /usr/local,$(PREFIX)),)
SYSCONFDIR ?= /etc
else
SYSCONFDIR ?= $(PREFIX)/etc
endif
UNITDIR ?= $(LIBDIR)/systemd/system

# The suites that drive the folio/foliod binaries; `make test` runs them again on release builds.
CLI_SUITES := FolioIntegrationTests\.(CLITests|CLIInputTests|CLIVersionTests|ExportTests)

.PHONY: setup build release run test test-swift test-release-cli test-install test-c test-python \
	install check-protos clean

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

test: setup test-swift test-release-cli test-install test-c test-python

test-swift:
	swift build --build-tests
	swift test --skip-build

# A fault only the optimizer exposes fails here, not in the hands of users.
test-release-cli: release
	swift build --build-tests
	FOLIO_TEST_BIN_DIR=$(RELEASE_BIN) swift test --skip-build --filter '$(CLI_SUITES)'

# Installs into a temporary prefix and runs the installed binaries with the build folder moved away.
test-install: release
	scripts/test-install.sh

test-c: build
	$(MAKE) -C Clients/c test FOLIOD=$(CURDIR)/$(BIN)/foliod

test-python: build
	$(MAKE) -C Clients/python test FOLIOD=$(CURDIR)/$(BIN)/foliod

install: release
	scripts/install.sh "$(DESTDIR)" "$(BINDIR)" "$(DATADIR)" "$(MANDIR)" "$(LIBDIR)" "$(SYSCONFDIR)" "$(UNITDIR)"

check-protos: setup
	scripts/gen-protos.sh --check

clean:
	rm -rf .build .setup-done
