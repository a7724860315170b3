# Ferry: `make run` builds and serves on the embedded defaults; `make test` runs every test.
GO        ?= go
VERSION   ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -s -w -X github.com/ferryhq/ferry/server/cli.Version=$(VERSION)
BROTLI_Q  ?= 9
WASM_SRC  := $(shell find app wasm -name '*.go' 2>/dev/null) go.mod go.sum

.PHONY: run build wasm test test-short test-deps bench soak clean

run: build
	./ferry serve

build: embed/web/app.wasm.gz
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o ferry .

wasm: embed/web/app.wasm.gz

embed/web/app.wasm.gz: $(WASM_SRC)
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags '-s -w' -o embed/web/app.wasm ./wasm
	$(GO) run ./scripts/precompress embed/web/app.wasm $(BROTLI_Q)

test-deps:
	./scripts/install-test-deps.sh

test: build test-deps
	FERRY_BIN=$(CURDIR)/ferry $(GO) test -count=1 -timeout 40m ./...

test-short: build
	FERRY_BIN=$(CURDIR)/ferry $(GO) test -short -count=1 ./...

bench: build test-deps
	./scripts/bench.sh

clean:
	rm -f ferry embed/web/app.wasm embed/web/app.wasm.gz embed/web/app.wasm.br
