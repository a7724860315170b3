# Ferry: `make run` builds and serves on the embedded defaults; `make test` runs every test.
GO        ?= go
VERSION   ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X github.com/ferryhq/ferry/server/cli.Version=$(VERSION)
# The wasm is compressed once per change of its sources: brotli 11 makes it
# 13 % smaller than 9 (2.29 vs 2.62 MB) for about 2 minutes of build time
# here; BROTLI_Q=5 make build when iterating.
BROTLI_Q  ?= 11
# No inlining in Ferry's own packages of the wasm: go-app's builder chains
# inline into very large render functions (14.0 → 13.4 MB raw, 2.29 → 2.20 MB
# brotli), and rendering a page is not where the browser spends its time.
WASM_GCFLAGS ?= github.com/ferryhq/ferry/...=-l
WASM_SRC  := $(shell find app wasm model client -name '*.go' 2>/dev/null) go.mod go.sum scripts/wasmgoapp/main.go
# The wasm is built with a copy of go-app whose server half (the only files
# that import net/http) is left out of the wasm: net/http would link the TLS
# stack, 0.35 MB brotli (scripts/wasmgoapp says why and what changes). The
# copy and the go.mod that uses it are written to .build/wasm/ each build.
WASM_MOD  := .build/wasm/wasm.mod

# Stylesheets and scripts are served brotli or gzip encoded from copies
# made here, beside the originals (git-ignored).
WEB_TEXT := $(wildcard embed/web/*.css embed/web/*.js)
embed/web/%.br: embed/web/%
	$(GO) run ./scripts/precompress -keep $< 11

.PHONY: run build wasm release check test test-short test-deps test-e2e-stress test-s3 fuzz bench soak clean

run: build
	./ferry serve

# CGO_ENABLED=0 as in make release: the binary the tests run is the kind
# released (static), and the two builds share the build cache.
build: embed/web/app.wasm.gz $(WEB_TEXT:=.br)
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o ferry .

wasm: embed/web/app.wasm.gz


WASM_BUILD = GOOS=js GOARCH=wasm $(GO) build -trimpath -gcflags='$(WASM_GCFLAGS)' -ldflags '-s -w'
embed/web/app.wasm.gz: $(WASM_SRC)
	GO=$(GO) $(GO) run ./scripts/wasmgoapp $(dir $(WASM_MOD))
	$(WASM_BUILD) -modfile $(WASM_MOD) -o embed/web/app.wasm ./wasm
	$(GO) run ./scripts/precompress embed/web/app.wasm $(BROTLI_Q)

# The same wasm with go-app as published: the reference of make bench's
# wasm row (scripts/bench/wasm.go).
.build/app-published.wasm: $(WASM_SRC)
	$(WASM_BUILD) -o $@ ./wasm

# Reproducible, version-stamped binaries and SHA256SUMS in dist/ (see
# scripts/release.sh); RELEASE_TARGETS="linux/amd64" builds fewer.
RELEASE_TARGETS ?= linux/amd64 linux/arm64 darwin/arm64 windows/amd64
release: embed/web/app.wasm.gz $(WEB_TEXT:=.br)
	GO=$(GO) VERSION=$(VERSION) RELEASE_TARGETS="$(RELEASE_TARGETS)" DIST=dist ./scripts/release.sh

test-deps:
	./scripts/install-test-deps.sh

# gofmt, go vet for the server and the wasm, and a tidy go.mod; .ci/run runs
# it before make test.
check:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
		if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./app/... ./wasm/...
	$(GO) mod tidy -diff

# The browser tests run on their own after the rest: sharing two cores with
# the other packages' tests made their timing flaky.
test: build test-deps
	FERRY_BIN=$(CURDIR)/ferry $(GO) test -count=1 -timeout 40m $$($(GO) list ./... | grep -v /server/e2e)
	FERRY_BIN=$(CURDIR)/ferry $(GO) test -count=1 -timeout 40m ./server/e2e
	$(MAKE) test-s3
	$(MAKE) fuzz

# The byte paths again with every test server's bytes in a MinIO bucket
# (FERRY_TEST_STORAGE=s3, the switch in server/testkit): share (with ZIP), review
# and upload links, versions, attachments, resumed uploads, video.
S3_TESTS := TestShareLinkGalleryAndDownloads|TestShareLinkVersionsAndMembership|TestReviewLinkReviewer|TestReviewLinkCurrentVersionOnly|TestUploadLinkJourney|TestVersionsAndAttachments|TestUploadResumeAndDownload|TestVideoUploads|TestVideoRestartResumes
test-s3: build test-deps
	FERRY_TEST_STORAGE=s3 FERRY_BIN=$(CURDIR)/ferry $(GO) test -count=1 -timeout 40m -run '^($(S3_TESTS))$$' ./server/api ./server/uploads

# The browser tests E2E_COUNT times in a row while a busy loop keeps one core
# busy, as on a loaded CI machine; the loop is stopped however the tests end.
E2E_COUNT ?= 3
test-e2e-stress: build test-deps
	sh -c 'while :; do :; done' & hog=$$!; trap 'kill $$hog' EXIT; \
	FERRY_BIN=$(CURDIR)/ferry $(GO) test -count=$(E2E_COUNT) -timeout 120m ./server/e2e

# A short fuzzing budget per target (the seeds also run in every go test);
# FUZZ_TIME=10m make fuzz for a long run.
FUZZ_TIME ?= 8s
FUZZ_TARGETS := ./server/links/share:FuzzZipPath ./server/api:FuzzContentDisposition ./server/api:FuzzPublicLinks \
	./server/api:FuzzCreateBodies ./server/media:FuzzProbe
fuzz:
	@log=$$(mktemp); for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; fn=$${t##*:}; \
		echo "fuzz $$fn ($$pkg, $(FUZZ_TIME))"; \
		if ! $(GO) test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZ_TIME) $$pkg > $$log 2>&1; then \
			if grep -q 'context deadline exceeded' $$log && ! grep -q 'Failing input written' $$log; then \
				echo "  (go's fuzzer stopped on its own deadline without a failing input; once more)"; \
				$(GO) test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZ_TIME) $$pkg > $$log 2>&1 || { grep -v 'level=' $$log | tail -40; rm -f $$log; exit 1; }; \
			else grep -v 'level=' $$log | tail -40; rm -f $$log; exit 1; fi; fi; \
		grep -v 'level=' $$log | tail -1; \
	done; rm -f $$log

# The reliability tests' long variants (FERRY_SOAK=1: 15 kills during 50
# uploads, 200 racing clients) with the disk-full and concurrency tests
# beside them, then 5 minutes of fuzzing per target: about half an hour.
SOAK_TESTS := TestKillDuringUploads|TestShareLinkPasswordAndUses|TestUploadLinkLimits|TestUploadOnAFullDisk|TestConcurrent
soak: build test-deps
	FERRY_SOAK=1 FERRY_BIN=$(CURDIR)/ferry $(GO) test -count=1 -timeout 60m -run '$(SOAK_TESTS)' ./server/...
	FUZZ_TIME=5m $(MAKE) fuzz

test-short: build
	FERRY_BIN=$(CURDIR)/ferry $(GO) test -short -count=1 ./...

bench: build test-deps
	./scripts/bench.sh

clean:
	rm -f ferry embed/web/app.wasm embed/web/app.wasm.gz embed/web/app.wasm.br
	rm -rf dist .build
