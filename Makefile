# make run: set up, build, start foliod on the bundled sample.  make test: every suite.
# make fuzz FUZZ_SECONDS=N: every libFuzzer target for N seconds (Fuzz/run.sh); fails on any crash.
SWIFT_BUILD ?= swift build
FUZZ_SECONDS ?= 30
BIN := .build/debug
RELEASE_BIN := .build/release

.PHONY: setup build release run test test-swift test-c test-python test-robustness test-fixtures check-protos fuzz clean

.setup-done: scripts/setup.sh
	scripts/setup.sh
	touch $@

setup: .setup-done

build: setup
	$(SWIFT_BUILD) --product foliod
	$(SWIFT_BUILD) --product folio

# What users install: the robustness suite runs against these.
release: setup
	$(SWIFT_BUILD) -c release --product foliod
	$(SWIFT_BUILD) -c release --product folio

run: build
	@echo "foliod is starting on the bundled sample; in another terminal try:"
	@echo "    $(BIN)/folio search 錦州港"
	@echo "    $(BIN)/folio list"
	$(BIN)/foliod

test: setup test-swift test-c test-python test-robustness test-fixtures

test-swift:
	swift build --build-tests
	swift test --skip-build

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

fuzz: setup
	Fuzz/run.sh --seconds $(FUZZ_SECONDS)

check-protos: setup
	scripts/gen-protos.sh --check

clean:
	rm -rf .build .build-fuzz .setup-done
