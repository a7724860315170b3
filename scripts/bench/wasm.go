package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"os/exec"
	"sync"

	"github.com/andybalholm/brotli"
)

// wasmGoal is issue 21's budget for the wasm on the wire, in bytes.
const wasmGoal = 2_000_000

// wasmRow compares the wasm make build embeds with the same wasm built with
// go-app as published (make .build/app-published.wasm: the server half of
// go-app, and with it net/http and the TLS stack, left in), both compressed
// here with brotli 11 and gzip -9 as scripts/precompress does, so the
// figures do not depend on the BROTLI_Q the wasm was built with. Sizes do
// not move with the machine's load.
func wasmRow(r *report) {
	gz, err := os.ReadFile("embed/web/app.wasm.gz")
	if err != nil {
		r.line("wasm on the wire: not measured (%v; make build first).", err)
		return
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	must(err)
	ours, err := io.ReadAll(zr)
	must(err)
	if out, err := exec.Command("make", "-s", ".build/app-published.wasm").CombinedOutput(); err != nil {
		r.line("wasm on the wire: the reference did not build (%v: %s).", err, out)
		return
	}
	ref, err := os.ReadFile(".build/app-published.wasm")
	must(err)
	var sizes [2][2]int // [ours, ref][brotli, gzip]
	var wg sync.WaitGroup
	for i, raw := range [][]byte{ours, ref} {
		wg.Go(func() {
			var br, gz bytes.Buffer
			w := brotli.NewWriterLevel(&br, 11)
			w.Write(raw)
			must(w.Close())
			z, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
			z.Write(raw)
			must(z.Close())
			sizes[i] = [2]int{br.Len(), gz.Len()}
		})
	}
	wg.Wait()
	mb := func(n int) float64 { return float64(n) / 1e6 }
	verdict := "met"
	if sizes[0][0] > wasmGoal {
		verdict = "not met"
	}
	r.line("| wasm | brotli 11 | gzip -9 | raw |")
	r.line("|---|---|---|---|")
	r.line("| the app's (make build: go-app without its server half, scripts/wasmgoapp) | %.3f MB | %.2f MB | %.1f MB |", mb(sizes[0][0]), mb(sizes[0][1]), mb(len(ours)))
	r.line("| the same with go-app as published (reference) | %.3f MB | %.2f MB | %.1f MB |", mb(sizes[1][0]), mb(sizes[1][1]), mb(len(ref)))
	r.line("")
	r.line("wasm on the wire: %.3f MB brotli, %.2f× the reference; goal ≤ %.1f MB: %s (`go run ./scripts/bench -only wasm`).",
		mb(sizes[0][0]), float64(sizes[0][0])/float64(sizes[1][0]), mb(wasmGoal), verdict)
}
