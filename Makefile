# make test: vet, then every test this machine can run. The PostgreSQL suite
# runs when a server answers on 127.0.0.1 (or JTAI_TEST_POSTGRES names one);
# the browser suite runs when chromium is installed. Under CI=true both are
# required: missing means failure, not a skip.
SHELL := /bin/bash
GO ?= go

PG_DEFAULT := postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable
JTAI_TEST_POSTGRES ?= $(shell command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432 && echo '$(PG_DEFAULT)')
export JTAI_TEST_POSTGRES

.PHONY: test vet build bench fuzz assets

test: vet
	set -o pipefail; $(GO) test -count=1 -json ./... | $(GO) run ./internal/testreport

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { echo "gofmt needed on:"; gofmt -l $$(git ls-files '*.go'); exit 1; }

build:
	$(GO) build -o jtai ./cmd/jtai

# Benchmarks print figures; they are not part of test.
bench:
	$(GO) test -run '^$$' -bench . -benchtime 1x ./... >/dev/null
	$(GO) test -run '^$$' -bench . ./crypt ./auth ./web ./calendar

assets:
	bash scripts/vendor-assets.sh
