# make run: set up, build, start foliod on the bundled sample.  make test: every suite.
# make fuzz FUZZ_SECONDS=N: every libFuzzer target for N seconds (Fuzz/run.sh); fails on any crash.
SWIFT_BUILD ?= swift build
FUZZ_SECONDS ?= 30
BIN := .build/debug

.PHONY: setup build run test test-swift test-c test-python check-protos fuzz clean

.setup-done: scripts/setup.sh
	scripts/setup.sh
	touch $@

setup: .setup-done

build: setup
	$(SWIFT_BUILD) --product foliod
	$(SWIFT_BUILD) --product folio

run: build
	@echo "foliod is starting on the bundled sample; in another terminal try:"
	@echo "    $(BIN)/folio search 錦州港"
	@echo "    $(BIN)/folio list"
	$(BIN)/foliod

test: setup test-swift test-c test-python

test-swift:
	swift build --build-tests
	swift test --skip-build

test-c: build
	$(MAKE) -C Clients/c test FOLIOD=$(CURDIR)/$(BIN)/foliod

test-python: build
	$(MAKE) -C Clients/python test FOLIOD=$(CURDIR)/$(BIN)/foliod

fuzz: setup
	Fuzz/run.sh --seconds $(FUZZ_SECONDS)

check-protos: setup
	scripts/gen-protos.sh --check

clean:
	rm -rf .build .build-fuzz .setup-done
