package media

import (
	"cmp"
	"context"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"

	"github.com/disintegration/imaging"
)

const (
	defaultMaxPixels = 100_000_000
	defaultQuality   = 85
)

// Renderer makes renditions with bounded concurrency; use it through a pointer.
type Renderer struct {
	MaxPixels int64 // refuse images above this many pixels (default 100 MP)
	Workers   int   // concurrent decodes (default runtime.NumCPU())
	Quality   int   // JPEG quality (default 85)
	// MaxDecodeBytes bounds the memory of the decoded images of all
	// workers together (default 512 MiB): an image needing more than all
	// of it is refused (ErrTooManyPixels); others wait for their share.
	MaxDecodeBytes int64

	once sync.Once
	sem  chan struct{} // one slot per worker, sized on first use

	mu    sync.Mutex
	inUse int64         // bytes of the budget booked by running decodes
	freed chan struct{} // closed when bytes are given back

	// busy, when set by tests, is called with +1 when a render takes a worker
	// slot and -1 when it gives it back.
	busy func(delta int)
}

// Render decodes src once, applies EXIF orientation, and writes one JPEG per
// rendition to outDir/<name>.jpg atomically, each resized from the next larger
// one and never upscaled. It returns what Probe learned.
func (r *Renderer) Render(ctx context.Context, src, outDir string, renditions []Rendition) (Info, error) {
	r.once.Do(r.init)
	for _, rd := range renditions {
		if !validName(rd.Name) || rd.LongEdge < 1 {
			return Info{}, fmt.Errorf("rendition %q of %d px: want a name of letters, digits, - or _ and a positive size", rd.Name, rd.LongEdge)
		}
	}
	f, err := os.Open(src)
	if err != nil {
		return Info{}, err
	}
	defer f.Close()
	info, err := Probe(f)
	if err != nil {
		return Info{}, err
	}
	// The header alone decides: a decompression bomb is refused before any
	// pixel memory is allocated.
	limit := r.MaxPixels
	if limit <= 0 {
		limit = defaultMaxPixels
	}
	if px := int64(info.Width) * int64(info.Height); px > limit {
		return info, fmt.Errorf("%w: %d×%d is %d pixels, the limit is %d", ErrTooManyPixels, info.Width, info.Height, px, limit)
	}

	need, _, err := decodeBytes(f)
	if err != nil {
		return info, err
	}
	if need > r.budget() {
		return info, fmt.Errorf("%w: %d×%d decodes into %d MiB, more than the decode budget of %d MiB (media.max_decode_bytes)",
			ErrTooManyPixels, info.Width, info.Height, need>>20, r.budget()>>20)
	}
	if err := r.takeBytes(ctx, need); err != nil {
		return info, err
	}
	defer r.giveBytes(need)
	select {
	case r.sem <- struct{}{}:
	case <-ctx.Done():
		return info, ctx.Err()
	}
	defer func() { <-r.sem }()
	if r.busy != nil {
		r.busy(+1)
		defer r.busy(-1)
	}

	img, err := decode(f)
	if err != nil {
		return info, err
	}
	if err := os.MkdirAll(outDir, 0o700); err != nil {
		return info, err
	}
	quality := cmp.Or(r.Quality, defaultQuality)
	// Sizes come from the decoded pixels, which can differ from the header's
	// (a GIF's first frame may be smaller than its screen).
	srcW, srcH := img.Bounds().Dx(), img.Bounds().Dy()
	if info.Orientation >= 5 {
		srcW, srcH = srcH, srcW
	}
	// Cascade from the largest: each resize starts from a smaller image.
	order := slices.Clone(renditions)
	slices.SortStableFunc(order, func(a, b Rendition) int { return cmp.Compare(b.LongEdge, a.LongEdge) })
	for i, rd := range order {
		if err := ctx.Err(); err != nil {
			return info, err
		}
		w, h := fitSize(srcW, srcH, rd.LongEdge)
		if i == 0 {
			// Resize before turning upright: rotating the smaller image is cheaper.
			if info.Orientation >= 5 {
				w, h = h, w
			}
			img = orient(resize(img, w, h), info.Orientation)
		} else {
			img = resize(img, w, h)
		}
		if err := writeJPEG(filepath.Join(outDir, rd.Name+".jpg"), img, quality); err != nil {
			return info, err
		}
	}
	return info, nil
}

func (r *Renderer) init() {
	n := r.Workers
	if n <= 0 {
		n = runtime.NumCPU()
	}
	r.sem = make(chan struct{}, n)
}

// validName keeps rendition names safe to use as file names.
func validName(name string) bool {
	if name == "" || len(name) > 64 {
		return false
	}
	for _, c := range name {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// decode reads the image at r's start. Decoders can panic on hostile input,
// so a panic is reported as corrupt data like any decoding error.
func decode(r io.ReadSeeker) (img image.Image, err error) {
	defer func() {
		if p := recover(); p != nil {
			img, err = nil, fmt.Errorf("%w: decoder panic: %v", ErrCorrupt, p)
		}
	}()
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	img, err = decodeImage(r)
	if err != nil {
		return nil, decodeError(err)
	}
	return img, nil
}

// fitSize scales w×h so the long edge is at most edge, keeping the aspect.
// Sizes come from the original dimensions, so cascaded steps do not drift.
func fitSize(w, h, edge int) (int, int) {
	long := max(w, h)
	if long <= edge {
		return w, h
	}
	s := float64(edge) / float64(long)
	return max(1, int(math.Round(float64(w)*s))), max(1, int(math.Round(float64(h)*s)))
}

func resize(img image.Image, w, h int) image.Image {
	if b := img.Bounds(); b.Dx() == w && b.Dy() == h {
		return img
	}
	// Whole factors of 2 by box first (shrink), then CatmullRom for the
	// rest: as sharp, and its cost no longer grows with the factor.
	if img = shrink(img, w, h); img.Bounds().Dx() == w && img.Bounds().Dy() == h {
		return img
	}
	return imaging.Resize(img, w, h, imaging.CatmullRom)
}

// orient turns an image stored with EXIF orientation o upright.
func orient(img image.Image, o int) image.Image {
	switch o {
	case 2:
		return imaging.FlipH(img)
	case 3:
		return imaging.Rotate180(img)
	case 4:
		return imaging.FlipV(img)
	case 5:
		return imaging.Transpose(img)
	case 6:
		return imaging.Rotate270(img) // counter-clockwise, i.e. a quarter turn clockwise
	case 7:
		return imaging.Transverse(img)
	case 8:
		return imaging.Rotate90(img)
	}
	return img
}

// writeJPEG writes img to dst through a temporary file in the same directory,
// so readers see the old file or the whole new one, never a partial JPEG.
func writeJPEG(dst string, img image.Image, quality int) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = jpeg.Encode(tmp, forJPEG(img), &jpeg.Options{Quality: quality}); err != nil {
		return err
	}
	// Sync before rename: after a crash an empty file under the final name
	// would be served as a broken proxy forever.
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

// forJPEG lays transparent pixels over white (JPEG has no alpha) and returns
// an *image.RGBA, which image/jpeg encodes several times faster than the
// *image.NRGBA imaging produces. It reuses an *image.NRGBA's pixels, so pass
// only images the caller owns.
func forJPEG(img image.Image) image.Image {
	switch img.(type) {
	case *image.YCbCr, *image.Gray: // fast paths already, and opaque
		return img
	}
	n, ok := img.(*image.NRGBA)
	if !ok {
		n = imaging.Clone(img)
	}
	w := n.Rect.Dx() * 4
	for y := 0; y < n.Rect.Dy(); y++ {
		row := n.Pix[y*n.Stride : y*n.Stride+w]
		for i := 0; i < w; i += 4 {
			a := uint32(row[i+3])
			if a == 255 {
				continue
			}
			for c := i; c < i+3; c++ {
				row[c] = uint8((uint32(row[c])*a + 255*(255-a) + 127) / 255)
			}
			row[i+3] = 255
		}
	}
	// With every alpha at 255, NRGBA and RGBA pixels are the same bytes.
	return &image.RGBA{Pix: n.Pix, Stride: n.Stride, Rect: n.Rect}
}
