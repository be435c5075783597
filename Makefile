# otp-pool: the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

.PHONY: help deps build test demo bench-kafka bench-e2e bench-engine faults release clean

help:
	@echo "make demo         run the pool on the embedded cluster, simulator and a private PostgreSQL"
	@echo "make test         build and run every test (starts and stops a private PostgreSQL)"
	@echo "make bench-kafka  Swift Kafka layer vs raw librdkafka in C (release build)"
	@echo "make bench-e2e    end-to-end benchmark: broker, simulator, workers, PostgreSQL (ARGS='--activations 20000 --json')"
	@echo "make bench-engine the activation engine alone, in memory: its CPU per activation (ARGS='--activations 20000 --json')"
	@echo "make faults       fault suite, 10,000 activations per scenario (ARGS='--scenario kill'); make test runs a short one"
	@echo "make build        debug build; make release: release build"

deps:
	@scripts/deps.sh

build: deps
	swift build

release: deps
	swift build -c release --product otppool
	swift build -c release --product kafka-bench-c

test:
	@scripts/test.sh

demo:
	@scripts/demo.sh

bench-kafka: release
	.build/release/otppool bench kafka --messages $${MESSAGES:-1000000} --size $${SIZE:-300} --log-level warning

bench-e2e:
	@scripts/bench-e2e.sh $(ARGS)

bench-engine: deps
	swift build -c release --product otppool
	.build/release/otppool bench engine $(ARGS)

faults:
	@scripts/faults.sh $(ARGS)

clean:
	scripts/pg.sh stop || true
	rm -rf .build
