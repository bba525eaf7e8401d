# make run: set up, build, start foliod on the bundled sample.  make test: every suite.
# make fuzz FUZZ_SECONDS=N: every libFuzzer target for N seconds (Fuzz/run.sh); fails on any crash.
# make install PREFIX=/usr/local: release binaries, data files, systemd units, config, completions, man pages.
SWIFT_BUILD ?= swift build
FUZZ_SECONDS ?= 30
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


.PHONY: setup build release run test test-swift test-install test-c test-python \
	install test-robustness test-fixtures check-data check-protos fuzz clean

.setup-done: scripts/setup.sh
	scripts/setup.sh
	touch $@

setup: .setup-done

build: setup
	$(SWIFT_BUILD) --product foliod
	$(SWIFT_BUILD) --product folio

# What users install (the robustness and release CLI suites run against these).
# One product per invocation: SwiftPM builds only the last --product given.
release: setup
	$(SWIFT_BUILD) -c release --product foliod
	$(SWIFT_BUILD) -c release --product folio

run: build
	@echo "foliod is starting on the bundled sample; in another terminal try:"
	@echo "    $(BIN)/folio search 錦州港"
	@echo "    $(BIN)/folio list"
	$(BIN)/foliod

test: setup test-swift test-install test-c test-python test-robustness test-fixtures check-data

# The suites that start foliod and run folio as programs run the release binaries, what users get:
# a fault only the optimizer exposes fails here, not in the hands of users.
test-swift: release
	swift build --build-tests
	FOLIO_TEST_BIN_DIR=$(RELEASE_BIN) scripts/swift-test.sh

# Installs into a temporary prefix and runs the installed binaries with the build folder moved away.
test-install: release
	scripts/test-install.sh

test-c: build
	$(MAKE) -C Clients/c test FOLIOD=$(CURDIR)/$(BIN)/foliod

test-python: build
	$(MAKE) -C Clients/python test FOLIOD=$(CURDIR)/$(BIN)/foliod

# Hostile peers and input against the release foliod (STALL_SECONDS=60 for the long run).
test-robustness: release
	$(MAKE) -C Clients/python gen
	PYTHONPATH=$(CURDIR)/Clients/python FOLIOD=$(CURDIR)/$(RELEASE_BIN)/foliod FOLIO=$(CURDIR)/$(RELEASE_BIN)/folio \
		python3 -m pytest -q -ra -s -p no:cacheprovider Tests/Robustness

# the PDF test bed is whole and its gold matches its texts (Tests/Tools/pdfbed/README.md)
test-fixtures:
	python3 Tests/Tools/pdfbed/check_bed.py

# the learnt tables are what their generators make from the training days (scripts/README.md);
# skipped without the shared corpus
check-data:
	scripts/check-data.sh

fuzz: setup
	Fuzz/run.sh --seconds $(FUZZ_SECONDS)

install: release
	scripts/install.sh "$(DESTDIR)" "$(BINDIR)" "$(DATADIR)" "$(MANDIR)" "$(LIBDIR)" "$(SYSCONFDIR)" "$(UNITDIR)"

check-protos: setup
	scripts/gen-protos.sh --check

clean:
	rm -rf .build .build-fuzz .setup-done
