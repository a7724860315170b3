package media

import (
	"context"
	"image"
	"image/color"
	"io"
)

// defaultMaxDecodeBytes is the decode budget of a Renderer without one.
const defaultMaxDecodeBytes = 512 << 20

// decodeBytes is what decoding the image at r's start takes in memory,
// from its header alone: width × height × bytes per pixel of the colour
// model the decoder produces (a 16-bit RGBA PNG takes 8 per pixel, so a
// 760 KiB file of 9999×9999 pixels decodes into 800 MB).
func decodeBytes(r io.ReadSeeker) (int64, image.Config, error) {
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return 0, image.Config{}, err
	}
	cfg, _, err := decodeConfig(r)
	if err != nil {
		return 0, cfg, decodeError(err)
	}
	return DecodedBytes(cfg), cfg, nil
}

// DecodedBytes is what decoding an image of header cfg takes in memory:
// width × height × bytes per pixel of the colour model the standard
// decoders produce for it.
func DecodedBytes(cfg image.Config) int64 {
	return int64(cfg.Width) * int64(cfg.Height) * bytesPerPixel(cfg.ColorModel)
}

// bytesPerPixel of the image types the standard decoders return for m;
// unknown models count as the widest (16-bit RGBA).
func bytesPerPixel(m color.Model) int64 {
	switch m {
	case color.GrayModel, color.AlphaModel:
		return 1
	case color.Gray16Model, color.Alpha16Model:
		return 2
	case color.YCbCrModel, color.NYCbCrAModel:
		return 4 // 4:4:4 at worst, with alpha for NYCbCrA
	case color.RGBAModel, color.NRGBAModel, color.CMYKModel:
		return 4
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	}
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	return 8
}

// budget returns the renderer's decode budget in bytes.
func (r *Renderer) budget() int64 {
	if r.MaxDecodeBytes > 0 {
		return r.MaxDecodeBytes
	}
	return defaultMaxDecodeBytes
}

// takeBytes waits until n bytes of the decode budget are free and books
// them; the caller gives them back with giveBytes.
func (r *Renderer) takeBytes(ctx context.Context, n int64) error {
	for {
		r.mu.Lock()
		if r.inUse+n <= r.budget() {
			r.inUse += n
			r.mu.Unlock()
			return nil
		}
		if r.freed == nil {
			r.freed = make(chan struct{})
		}
		freed := r.freed
		r.mu.Unlock()
		select {
		case <-freed:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (r *Renderer) giveBytes(n int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.inUse -= n
	if r.freed != nil {
		close(r.freed)
		r.freed = nil
	}
}
