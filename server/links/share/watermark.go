package share

import (
	"bytes"
	"errors"
	"image"
	"image/png"

	"github.com/ferryhq/ferry/model"
	"github.com/ferryhq/ferry/server/assets"

	"github.com/ferryhq/ferry/server/errs"
	"github.com/ferryhq/ferry/server/media"
	"github.com/ferryhq/ferry/server/store"
)

const watermarkKey = store.PrefixSetting + "watermark"

// WatermarkSettings is model.WatermarkSettings, the JSON document.
type WatermarkSettings = model.WatermarkSettings

// LoadWatermark returns the site watermark; ok is false when none is set
// (no text and no logo).
func LoadWatermark(st *store.Store) (media.Watermark, bool, error) {
	var w media.Watermark
	err := st.View(func(tx *store.Tx) error { return tx.Get(watermarkKey, &w) })
	if errors.Is(err, store.ErrNotFound) {
		return w, false, nil
	}
	return w, err == nil && (w.Text != "" || len(w.Logo) > 0), err
}

// Watermark returns the settings view.
func (s *Service) WatermarkSettings() (WatermarkSettings, error) {
	w, ok, err := LoadWatermark(s.Store)
	if err != nil {
		return WatermarkSettings{}, err
	}
	pos := w.Position
	if pos == "" {
		pos = "center"
	}
	op, sc := w.Opacity, w.Scale
	if op == 0 {
		op = 0.5
	}
	if sc == 0 {
		sc = 0.25
	}
	return WatermarkSettings{Text: w.Text, Position: pos, Opacity: op, Scale: sc, HasLogo: len(w.Logo) > 0, Configured: ok}, nil
}

// SetWatermark saves text, position, opacity and scale, keeping the logo.
func (s *Service) SetWatermark(in WatermarkSettings) (WatermarkSettings, error) {
	text, err := assets.CleanText("text", in.Text, 200, true)
	if err != nil {
		return WatermarkSettings{}, err
	}
	err = s.Store.Update(func(tx *store.Tx) error {
		var w media.Watermark
		if err := tx.Get(watermarkKey, &w); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		w.Text, w.Position, w.Opacity, w.Scale = text, in.Position, in.Opacity, in.Scale
		if err := w.Validate(); err != nil {
			return errs.Invalidf("%s", err.Error())
		}
		return tx.Put(watermarkKey, w)
	})
	if err != nil {
		return WatermarkSettings{}, err
	}
	return s.WatermarkSettings()
}

// SetWatermarkLogo stores a PNG logo (nil removes it).
func (s *Service) SetWatermarkLogo(logo []byte) (WatermarkSettings, error) {
	if logo != nil {
		cfg, format, err := image.DecodeConfig(bytes.NewReader(logo))
		if err != nil || format != "png" {
			return WatermarkSettings{}, errs.New(errs.Unsupported, "not_png", "the logo must be a PNG image")
		}
		if cfg.Width > 4096 || cfg.Height > 4096 {
			return WatermarkSettings{}, errs.Invalidf("the logo is %dx%d; at most 4096 px a side", cfg.Width, cfg.Height)
		}
		if _, err := png.Decode(bytes.NewReader(logo)); err != nil {
			return WatermarkSettings{}, errs.Invalidf("the logo is not a readable PNG: %v", err)
		}
	}
	err := s.Store.Update(func(tx *store.Tx) error {
		var w media.Watermark
		if err := tx.Get(watermarkKey, &w); err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		w.Logo = logo
		if err := w.Validate(); err != nil {
			return errs.Invalidf("%s", err.Error())
		}
		return tx.Put(watermarkKey, w)
	})
	if err != nil {
		return WatermarkSettings{}, err
	}
	return s.WatermarkSettings()
}

// RenditionKey is the blob key of rendition name (not "original") of file
// a as visitors of l get it, and the tag of its ETag. On a link that shows
// the watermark it is the marked copy: photos are marked on first request;
// a video's marked proxy is made through the video queue and answered with
// errs.Unavailable (503, Retry-After) until it exists. The clean video
// proxy never leaves through such a link, not even while no watermark is
// set in Settings (photos then show as they are, as before).
func (s *Service) RenditionKey(l Link, a assets.Asset, name string) (key, tag string, err error) {
	key, tag = assets.ProxyKey(a.ID, name), a.ID+"-"+name
	if !l.Watermark {
		return key, tag, nil
	}
	w, ok := s.WatermarkFor(l, a)
	switch {
	case name == "audio":
		return key, tag, nil // no picture to mark: it plays as it is
	case name == assets.Sprite:
		return "", "", errs.New(errs.NotFound, "no_rendition", "a link that shows the watermark has no frame strips")
	case assets.Playable(name) && !ok:
		return "", "", errs.New(errs.Forbidden, "download_not_allowed",
			"this link shows a watermark, but none is set in Settings → Watermark; its videos play only watermarked")
	case !ok:
		return key, tag, nil
	case assets.Playable(name):
		key, err = s.Assets.WatermarkedVideo(a.ID, name, w)
	default:
		key, err = s.Assets.WatermarkedProxy(a.ID, name, w)
	}
	return key, tag + "-wm-" + w.Key(), err
}

// WatermarkFor is the watermark a link's renditions carry, if any.
func (s *Service) WatermarkFor(l Link, a assets.Asset) (media.Watermark, bool) {
	if !l.Watermark {
		return media.Watermark{}, false
	}
	w, ok, err := LoadWatermark(s.Store)
	if err != nil || !ok {
		return media.Watermark{}, false
	}
	return w, true
}
