// Command precompress writes FILE.gz (gzip -9) and FILE.br (brotli) beside a
// built file and removes the original, so the binary embeds only the
// compressed forms and the server never compresses per request.
package main

import (
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/andybalholm/brotli"
)

func main() {
	// -keep leaves the original beside its copies (stylesheets and scripts:
	// a client without gzip or brotli gets it).
	args := os.Args[1:]
	keep := len(args) > 0 && args[0] == "-keep"
	if keep {
		args = args[1:]
	}
	if len(args) < 1 {
		fmt.Fprintln(os.Stderr, "usage: precompress [-keep] FILE [brotli-quality]")
		os.Exit(2)
	}
	path := args[0]
	quality := 9
	if len(args) > 1 {
		q, err := strconv.Atoi(args[1])
		if err != nil {
			fail(err)
		}
		quality = q
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		fail(err)
	}
	write(path+".gz", func(w io.Writer) io.WriteCloser {
		z, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
		return z
	}, raw)
	write(path+".br", func(w io.Writer) io.WriteCloser { return brotli.NewWriterLevel(w, quality) }, raw)
	if keep {
		return
	}
	if err := os.Remove(path); err != nil {
		fail(err)
	}
}

func write(name string, wrap func(io.Writer) io.WriteCloser, raw []byte) {
	f, err := os.Create(name + ".tmp")
	if err != nil {
		fail(err)
	}
	z := wrap(f)
	if _, err := z.Write(raw); err != nil {
		fail(err)
	}
	if err := z.Close(); err != nil {
		fail(err)
	}
	if err := f.Close(); err != nil {
		fail(err)
	}
	if err := os.Rename(name+".tmp", name); err != nil {
		fail(err)
	}
	st, _ := os.Stat(name)
	fmt.Printf("%s: %d bytes (%.1f%% of %d)\n", name, st.Size(), 100*float64(st.Size())/float64(len(raw)), len(raw))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "precompress:", err)
	os.Exit(1)
}
