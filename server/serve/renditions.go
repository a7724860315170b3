//go:build !js

package serve

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ferryhq/ferry/server/assets"
	"github.com/ferryhq/ferry/server/media"
)

// renditions adapts media.Renderer to the assets proxy queue.
type renditions struct{ r *media.Renderer }

func (m renditions) Render(ctx context.Context, src, outDir string) (assets.Properties, error) {
	info, err := m.r.Render(ctx, src, outDir, media.DefaultRenditions)
	if errors.Is(err, media.ErrTooManyPixels) {
		return assets.Properties{}, fmt.Errorf("%w: %v", assets.ErrTooLarge, err)
	}
	if err != nil {
		return assets.Properties{}, err
	}
	p := assets.Properties{Width: info.Width, Height: info.Height, CameraMake: info.CameraMake,
		CameraModel: info.CameraModel, LensModel: info.LensModel, ISO: info.ISO,
		ExposureTime: info.ExposureTime, FNumber: info.FNumber, FocalLength: info.FocalLength}
	if !info.TakenAt.IsZero() {
		t := info.TakenAt
		p.TakenAt = &t
	}
	return p, nil
}

// mediaEngine adapts media.FFmpeg to the assets video queue; posters go
// through the same renderer as photos.
type mediaEngine struct {
	f *media.FFmpeg
	r *media.Renderer
}

func (m mediaEngine) Probe(ctx context.Context, src string) (assets.MediaFacts, error) {
	info, err := m.f.Probe(ctx, src)
	if errors.Is(err, media.ErrTooManyPixels) {
		return assets.MediaFacts{}, fmt.Errorf("%w: %v", assets.ErrTooLarge, err)
	}
	if err != nil {
		return assets.MediaFacts{}, err
	}
	p := assets.Properties{Width: info.Width, Height: info.Height, FrameRate: info.FrameRate, Rotation: info.Rotation,
		VideoCodec: info.VideoCodec, AudioCodec: info.AudioCodec, BitRate: info.BitRate,
		AudioChannels: info.AudioChannels, SampleRate: info.SampleRate}
	if !info.CreatedAt.IsZero() {
		t := info.CreatedAt
		p.TakenAt = &t
	}
	return assets.MediaFacts{Properties: p, Duration: info.Duration, FPS: info.FPS, Frames: info.Frames, HasVideo: info.HasVideo()}, nil
}

// info turns facts back into what the engine reads.
func info(f assets.MediaFacts) media.MediaInfo {
	p := f.Properties
	return media.MediaInfo{Duration: f.Duration, FrameRate: p.FrameRate, FPS: f.FPS, Frames: f.Frames, Width: p.Width,
		Height: p.Height, Rotation: p.Rotation, VideoCodec: p.VideoCodec, AudioCodec: p.AudioCodec}
}

func (m mediaEngine) Poster(ctx context.Context, src, outDir string, f assets.MediaFacts) error {
	if err := os.MkdirAll(outDir, 0o700); err != nil {
		return err
	}
	frame := filepath.Join(outDir, ".poster.png")
	defer os.Remove(frame)
	if err := m.f.Poster(ctx, src, frame, info(f)); err != nil {
		return err
	}
	_, err := m.r.Render(ctx, frame, outDir, media.DefaultRenditions)
	return err
}

func (m mediaEngine) Plan(f assets.MediaFacts) []string { return m.f.VideoProxyNames(info(f)) }

func (m mediaEngine) Proxy(ctx context.Context, src, dst, name string, f assets.MediaFacts, progress func(float64)) error {
	return m.f.Proxy(ctx, src, dst, name, info(f), progress)
}

func (m mediaEngine) Sprite(ctx context.Context, src, dst string, f assets.MediaFacts) (int, error) {
	return media.SpriteFrames, m.f.Sprite(ctx, src, dst, info(f))
}

func (m mediaEngine) Mark(ctx context.Context, src, dst string, wm assets.Watermarker) error {
	w, ok := wm.(media.Watermark)
	if !ok {
		return fmt.Errorf("watermarking video: unknown watermark %T", wm)
	}
	return m.f.Watermark(ctx, src, dst, w)
}

// mediaKind sorts files into "video", "audio" or neither.
func mediaKind(mimeType, name string) string {
	switch {
	case media.IsVideo(mimeType, name):
		return "video"
	case media.IsAudio(mimeType, name):
		return "audio"
	}
	return ""
}
