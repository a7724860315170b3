package media

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"io"
	"math"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Errors of video and audio processing; returned errors wrap them with detail.
var (
	ErrNoFFmpeg = errors.New("ffmpeg not found")
	ErrPlaylist = errors.New("playlists and concat lists are not media files")
	ErrNotMedia = errors.New("not a video or audio file ffmpeg can read")
)

// Demuxers ffmpeg may use on an upload. Anything that opens other files or
// URLs by itself (hls, dash, concat, image2 patterns, tee, ...) is left out:
// ffmpeg refuses a file whose detected format is not on this list before
// reading past its header.
const formatWhitelist = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,mpegts,mpeg,flv,asf,mxf,dv,wav,w64,aiff,flac,mp3,ogg,aac,caf,ac3,eac3,amr,wv,ape"

// inputArgs are the flags every ffmpeg and ffprobe run puts before its
// input: local files and pipes only, known demuxers only.
func inputArgs(src string) []string {
	return []string{"-protocol_whitelist", "file,pipe", "-format_whitelist", formatWhitelist, "-threads", threads, "-i", "file:" + src}
}

// FFmpeg runs Debian's ffmpeg and ffprobe as child processes.
type FFmpeg struct {
	FFmpeg  string // absolute path of ffmpeg
	FFprobe string // absolute path of ffprobe
	nice    string // absolute path of nice, "" to run ffmpeg as is

	// Timeout of one ffmpeg run is Base + Factor × the media's duration.
	TimeoutBase   time.Duration
	TimeoutFactor float64
	// VideoProxies are the heights (short edges) of the video proxies.
	VideoProxies []int
	// MaxPixels refuses videos whose frames are larger (0: 100 MP).
	MaxPixels int64
	// MaxMemory caps each ffmpeg and ffprobe process's address space in
	// bytes (RLIMIT_AS, set as it starts); 0: no cap.
	MaxMemory int64
}

// threads caps ffmpeg's decoding and encoding threads: memory grows with
// them, and the queue runs media.video_workers processes side by side.
const threads = "4"

// FindFFmpeg locates ffmpeg (configured path, else on PATH) and ffprobe
// (configured path, else next to ffmpeg, else on PATH). It fails with
// ErrNoFFmpeg naming what it looked for.
func FindFFmpeg(ffmpeg, ffprobe string) (*FFmpeg, error) {
	look := func(name, configured string) (string, error) {
		if configured != "" {
			name = configured
		}
		p, err := exec.LookPath(name)
		if err != nil {
			return "", fmt.Errorf("%w: %s: %v", ErrNoFFmpeg, name, err)
		}
		return filepath.Abs(p)
	}
	f := &FFmpeg{TimeoutBase: time.Minute, TimeoutFactor: 10, VideoProxies: []int{720}}
	var err error
	if f.FFmpeg, err = look("ffmpeg", ffmpeg); err != nil {
		return nil, err
	}
	if ffprobe == "" {
		if next := filepath.Join(filepath.Dir(f.FFmpeg), "ffprobe"); fileExists(next) {
			ffprobe = next
		}
	}
	if f.FFprobe, err = look("ffprobe", ffprobe); err != nil {
		return nil, err
	}
	if n, err := exec.LookPath("nice"); err == nil {
		f.nice = n
	}
	return f, nil
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// IsVideo reports whether a MIME type or extension is a video Ferry processes.
func IsVideo(mimeType, filename string) bool {
	mt, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(mimeType)), ";")
	// Playlists are taken in as videos so that they are refused with a
	// reason (ErrPlaylist) rather than quietly kept as documents.
	if strings.HasPrefix(mt, "video/") || strings.Contains(mt, "mpegurl") {
		return true
	}
	switch strings.ToLower(filepath.Ext(filename)) {
	case ".m3u8", ".m3u", ".ffconcat", ".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".mts", ".m2ts", ".mpg", ".mpeg", ".wmv", ".flv", ".mxf", ".3gp", ".dv":
		return true
	}
	return false
}

// IsAudio reports whether a MIME type or extension is audio Ferry processes.
func IsAudio(mimeType, filename string) bool {
	mt, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(mimeType)), ";")
	if strings.HasPrefix(mt, "audio/") {
		return true
	}
	switch strings.ToLower(filepath.Ext(filename)) {
	case ".wav", ".aif", ".aiff", ".flac", ".mp3", ".m4a", ".aac", ".ogg", ".oga", ".opus", ".wv", ".caf":
		return true
	}
	return false
}

// MediaInfo is what ffprobe learned of a video or audio file.
type MediaInfo struct {
	Format        string  // ffprobe's format_name, e.g. "mov,mp4,m4a,3gp,3g2,mj2"
	Duration      float64 // seconds
	FrameRate     string  // rational, e.g. "30000/1001"; "" without video
	FPS           float64
	Frames        int64
	Width, Height int // as displayed, after rotation
	Rotation      int // degrees the picture is turned when shown
	VideoCodec    string
	AudioCodec    string
	BitRate       int64
	AudioChannels int
	SampleRate    int
	CreatedAt     time.Time
}

// HasVideo reports whether the file has a picture to show.
func (m MediaInfo) HasVideo() bool { return m.VideoCodec != "" && m.Width > 0 }

type probeJSON struct {
	Streams []struct {
		CodecType    string            `json:"codec_type"`
		CodecName    string            `json:"codec_name"`
		Width        int               `json:"width"`
		Height       int               `json:"height"`
		RFrameRate   string            `json:"r_frame_rate"`
		AvgFrameRate string            `json:"avg_frame_rate"`
		NbFrames     string            `json:"nb_frames"`
		Duration     string            `json:"duration"`
		Channels     int               `json:"channels"`
		SampleRate   string            `json:"sample_rate"`
		Tags         map[string]string `json:"tags"`
		Disposition  map[string]int    `json:"disposition"`
		SideData     []struct {
			Rotation *float64 `json:"rotation"`
		} `json:"side_data_list"`
	} `json:"streams"`
	Format struct {
		FormatName string            `json:"format_name"`
		Duration   string            `json:"duration"`
		BitRate    string            `json:"bit_rate"`
		Tags       map[string]string `json:"tags"`
	} `json:"format"`
}

// sniffPlaylist refuses text playlists before ffmpeg sees them, with a
// clear reason (the format whitelist would refuse them too).
func sniffPlaylist(src string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	if n == 0 {
		return fmt.Errorf("%w: the file is empty", ErrNotMedia)
	}
	h := bytes.TrimLeft(bytes.TrimPrefix(head[:n], []byte("\xef\xbb\xbf")), " \t\r\n")
	for _, magic := range []string{"#EXTM3U", "ffconcat", "#EXT-X-", "[playlist]"} {
		if len(h) >= len(magic) && strings.EqualFold(string(h[:len(magic)]), magic) {
			return fmt.Errorf("%w: refused (%s)", ErrPlaylist, magic)
		}
	}
	if bytes.Contains(h, []byte("<MPD")) || bytes.Contains(h, []byte("<smil")) {
		return fmt.Errorf("%w: refused (XML manifest)", ErrPlaylist)
	}
	return nil
}

// Probe reads a video or audio file's facts with ffprobe, on src only.
func (f *FFmpeg) Probe(ctx context.Context, src string) (MediaInfo, error) {
	if err := sniffPlaylist(src); err != nil {
		return MediaInfo{}, err
	}
	return f.probe(ctx, src)
}

// probe runs ffprobe on src, restricted as every run is.
func (f *FFmpeg) probe(ctx context.Context, src string) (MediaInfo, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	args := append([]string{"-v", "error", "-print_format", "json", "-show_format", "-show_streams"}, inputArgs(src)...)
	var out bytes.Buffer
	stderr := &limitedBuffer{max: 4096}
	cmd := exec.CommandContext(ctx, f.FFprobe, args...)
	cmd.Stdout, cmd.Stderr = &out, stderr
	cmd.WaitDelay = 5 * time.Second
	childProcess(cmd)
	err := cmd.Start()
	if err == nil {
		if err = limitMemory(cmd.Process.Pid, f.MaxMemory); err != nil {
			cmd.Process.Kill()
			cmd.Wait()
			return MediaInfo{}, err
		}
		err = cmd.Wait()
	}
	if err != nil {
		if ctx.Err() != nil {
			return MediaInfo{}, fmt.Errorf("%w: ffprobe took longer than a minute", ErrNotMedia)
		}
		return MediaInfo{}, fmt.Errorf("%w: %s", ErrNotMedia, lastLine(stderr.String(), err))
	}
	var p probeJSON
	if err := json.Unmarshal(out.Bytes(), &p); err != nil {
		return MediaInfo{}, fmt.Errorf("%w: unreadable ffprobe answer: %v", ErrNotMedia, err)
	}
	return f.facts(p)
}

func (f *FFmpeg) facts(p probeJSON) (MediaInfo, error) {
	m := MediaInfo{Format: p.Format.FormatName}
	for _, bad := range []string{"hls", "concat", "dash", "image2", "tee", "lavfi"} {
		if av := strings.Split(m.Format, ","); containsString(av, bad) {
			return m, fmt.Errorf("%w: refused (%s)", ErrPlaylist, bad)
		}
	}
	m.Duration, _ = strconv.ParseFloat(p.Format.Duration, 64)
	m.BitRate, _ = strconv.ParseInt(p.Format.BitRate, 10, 64)
	if t, ok := p.Format.Tags["creation_time"]; ok {
		if ct, err := time.Parse(time.RFC3339Nano, t); err == nil && ct.Year() > 1970 {
			m.CreatedAt = ct.UTC()
		}
	}
	for _, s := range p.Streams {
		switch s.CodecType {
		case "video":
			if m.VideoCodec != "" || s.Disposition["attached_pic"] == 1 || s.Width <= 0 || s.Height <= 0 {
				continue // cover art of a song is no video
			}
			m.VideoCodec, m.Width, m.Height = s.CodecName, s.Width, s.Height
			rate := s.AvgFrameRate
			if rate == "" || rate == "0/0" {
				rate = s.RFrameRate
			}
			if r, ok := new(big.Rat).SetString(rate); ok && r.Sign() > 0 {
				m.FrameRate = r.RatString()
				if !strings.Contains(m.FrameRate, "/") {
					m.FrameRate += "/1"
				}
				m.FPS, _ = r.Float64()
			}
			m.Frames, _ = strconv.ParseInt(s.NbFrames, 10, 64)
			for _, sd := range s.SideData {
				if sd.Rotation != nil {
					m.Rotation = int(math.Round(*sd.Rotation))
				}
			}
			if r, err := strconv.Atoi(s.Tags["rotate"]); err == nil && m.Rotation == 0 {
				m.Rotation = r
			}
			m.Rotation = ((m.Rotation % 360) + 360) % 360
			if m.Rotation == 90 || m.Rotation == 270 {
				m.Width, m.Height = m.Height, m.Width
			}
			if m.Duration == 0 {
				m.Duration, _ = strconv.ParseFloat(s.Duration, 64)
			}
		case "audio":
			if m.AudioCodec != "" {
				continue
			}
			m.AudioCodec, m.AudioChannels = s.CodecName, s.Channels
			m.SampleRate, _ = strconv.Atoi(s.SampleRate)
			if m.Duration == 0 {
				m.Duration, _ = strconv.ParseFloat(s.Duration, 64)
			}
		}
	}
	if m.VideoCodec == "" && m.AudioCodec == "" {
		return m, fmt.Errorf("%w: no video or audio stream (format %s)", ErrNotMedia, m.Format)
	}
	if m.Frames == 0 && m.FPS > 0 {
		m.Frames = int64(math.Round(m.Duration * m.FPS))
	}
	limit := f.MaxPixels
	if limit <= 0 {
		limit = defaultMaxPixels
	}
	if px := int64(m.Width) * int64(m.Height); px > limit {
		return m, fmt.Errorf("%w: frames of %d×%d are %d pixels, the limit is %d", ErrTooManyPixels, m.Width, m.Height, px, limit)
	}
	return m, nil
}

func containsString(list []string, x string) bool {
	for _, y := range list {
		if y == x {
			return true
		}
	}
	return false
}

// Poster writes a representative frame of src to dst as PNG, turned
// upright: ffmpeg's thumbnail filter picks it among a dozen keyframes from
// a tenth of the way in (so not a black opening), decoding only keyframes,
// which takes a fraction of decoding every frame up to there.
func (f *FFmpeg) Poster(ctx context.Context, src, dst string, m MediaInfo) error {
	at := 0.0
	if m.Duration >= 1 {
		at = math.Min(m.Duration*0.1, 30)
	}
	try := func(at float64, keyframes bool, filter string) error {
		args := []string{"-nostdin", "-hide_banner", "-v", "error", "-y"}
		if keyframes {
			args = append(args, "-skip_frame", "nokey")
		}
		args = append(args, "-ss", strconv.FormatFloat(at, 'f', 3, 64))
		args = append(args, inputArgs(src)...)
		// Scale down before the thumbnail filter keeps its frames: a dozen
		// 8K frames would take gigabytes. The PNG is read once and deleted:
		// light compression is faster to write and to read.
		args = append(args, "-map", "0:v:0", "-an", "-sn", "-dn", "-vf",
			"scale='min(2560,iw)':'min(2560,ih)':force_original_aspect_ratio=decrease"+filter,
			"-frames:v", "1", "-update", "1", "-f", "image2", "-c:v", "png", "-compression_level", "1", "file:"+dst)
		return f.run(ctx, args, m.Duration, nil)
	}
	err := try(at, true, ",thumbnail=12")
	if err == nil && !fileExists(dst) && at > 0 {
		err = try(at, false, ",thumbnail=12") // no keyframe after at
	}
	if err == nil && !fileExists(dst) && at > 0 {
		err = try(0, false, "") // the seek went past the last frame
	}
	if err == nil && !fileExists(dst) {
		err = fmt.Errorf("%w: no frame could be decoded", ErrNotMedia)
	}
	return err
}

// VideoProxyNames are the video renditions f makes of m: "video_<height>"
// for each configured height up to the picture's short edge, never
// upscaled (a picture smaller than every height gets the smallest, at its
// own size); "audio" for a file without a picture.
func (f *FFmpeg) VideoProxyNames(m MediaInfo) []string {
	if !m.HasVideo() {
		return []string{"audio"}
	}
	short := min(m.Width, m.Height)
	var out []string
	smallest := 0
	for _, h := range f.VideoProxies {
		if smallest == 0 || h < smallest {
			smallest = h
		}
		if h <= short {
			out = append(out, "video_"+strconv.Itoa(h))
		}
	}
	if len(out) == 0 && smallest > 0 {
		out = append(out, "video_"+strconv.Itoa(smallest))
	}
	return out
}

// proxySize is the size of proxy height h of a w×h0 picture: its short
// edge h (or the picture's own when smaller), even sides for H.264.
func proxySize(w, h0, h int) (int, int) {
	short := min(w, h0)
	if h > short {
		h = short
	}
	s := float64(h) / float64(short)
	even := func(x float64) int { return max(2, int(math.Round(x/2))*2) }
	return even(float64(w) * s), even(float64(h0) * s)
}

// Proxy makes rendition name of src (see VideoProxyNames) at dst: H.264 +
// AAC in MP4, or AAC in M4A for "audio", with the index first (+faststart)
// so browsers start playing at once. progress gets 0..1 as it goes. dst is
// written through a temporary file and appears whole or not at all.
func (f *FFmpeg) Proxy(ctx context.Context, src, dst, name string, m MediaInfo, progress func(float64)) error {
	tmp := filepath.Join(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp")
	defer os.Remove(tmp)
	args, err := proxyArgs(src, tmp, name, m)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	if err := f.run(ctx, args, m.Duration, progress); err != nil {
		return err
	}
	return syncRename(tmp, dst)
}

// ProxyCommand is the command line Proxy runs to write proxy name of src
// to out (niced as Proxy runs it), for running the same thing by hand
// (make bench compares the two).
func (f *FFmpeg) ProxyCommand(src, out, name string, m MediaInfo) ([]string, error) {
	args, err := proxyArgs(src, out, name, m)
	if err != nil {
		return nil, err
	}
	return f.command(args), nil
}

// proxyArgs are ffmpeg's arguments making proxy name of src at out.
func proxyArgs(src, out, name string, m MediaInfo) ([]string, error) {
	args := []string{"-nostdin", "-hide_banner", "-v", "error", "-y"}
	args = append(args, inputArgs(src)...)
	if name == "audio" {
		if m.AudioCodec == "" {
			return nil, fmt.Errorf("%w: no audio stream", ErrNotMedia)
		}
		args = append(args, "-map", "0:a:0", "-vn", "-sn", "-dn", "-c:a", "aac", "-b:a", "192k")
	} else {
		h, err := strconv.Atoi(strings.TrimPrefix(name, "video_"))
		if err != nil || !strings.HasPrefix(name, "video_") || !m.HasVideo() {
			return nil, fmt.Errorf("unknown proxy %q", name)
		}
		w, h := proxySize(m.Width, m.Height, h)
		args = append(args, "-map", "0:v:0", "-map", "0:a:0?", "-sn", "-dn",
			"-vf", fmt.Sprintf("scale=%d:%d,setsar=1,format=yuv420p", w, h),
			"-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-profile:v", "high", "-threads", threads,
			"-c:a", "aac", "-b:a", "128k", "-ac", "2")
	}
	return append(args, "-map_metadata", "-1", "-movflags", "+faststart", "-progress", "pipe:1", "-nostats", "-f", "mp4", "file:"+out), nil
}

// command is the program and arguments that run ffmpeg with args, niced.
func (f *FFmpeg) command(args []string) []string {
	if f.nice != "" {
		return append([]string{f.nice, "-n", "10", f.FFmpeg}, args...)
	}
	return append([]string{f.FFmpeg}, args...)
}

// syncRename makes the file at tmp durable and moves it to dst.
func syncRename(tmp, dst string) error {
	t, err := os.Open(tmp)
	if err != nil {
		return err
	}
	err = t.Sync()
	t.Close()
	if err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}

// Watermark burns wm into the video proxy at src (one Ferry made) and
// writes the marked copy to dst: the mark is drawn as on photos into a
// transparent PNG the size of the proxy's frames, which ffmpeg lays over
// every frame. The sound is copied as it is. dst appears whole or not at
// all.
func (f *FFmpeg) Watermark(ctx context.Context, src, dst string, wm Watermark) error {
	if err := wm.Validate(); err != nil {
		return err
	}
	m, err := f.probe(ctx, src)
	if err != nil {
		return err
	}
	if !m.HasVideo() {
		return fmt.Errorf("%w: no picture to watermark", ErrNotMedia)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	tmp := filepath.Join(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp")
	mark := tmp + ".png"
	defer os.Remove(tmp)
	defer os.Remove(mark)
	var buf bytes.Buffer
	if err := png.Encode(&buf, wm.Overlay(m.Width, m.Height)); err != nil {
		return err
	}
	if err := os.WriteFile(mark, buf.Bytes(), 0o600); err != nil {
		return err
	}
	args := []string{"-nostdin", "-hide_banner", "-v", "error", "-y"}
	args = append(args, inputArgs(src)...)
	// The mark is Ferry's own PNG; it is read under the same restrictions.
	args = append(args, "-protocol_whitelist", "file,pipe", "-format_whitelist", "png_pipe", "-f", "png_pipe", "-i", "file:"+mark,
		"-filter_complex", "[0:v:0][1:v]overlay=0:0:format=auto,format=yuv420p[v]",
		"-map", "[v]", "-map", "0:a:0?", "-sn", "-dn",
		// A second generation: a little more quality than the first keeps
		// the picture outside the mark as the clean proxy shows it.
		"-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-profile:v", "high", "-threads", threads,
		"-c:a", "copy", "-map_metadata", "-1", "-movflags", "+faststart", "-progress", "pipe:1", "-nostats", "-f", "mp4", "file:"+tmp)
	if err := f.run(ctx, args, m.Duration, nil); err != nil {
		return err
	}
	return syncRename(tmp, dst)
}

// run runs ffmpeg niced, killed after its timeout or when ctx ends, and
// reports progress from -progress lines on its stdout.
func (f *FFmpeg) run(ctx context.Context, args []string, duration float64, progress func(float64)) error {
	timeout := f.TimeoutBase + time.Duration(f.TimeoutFactor*duration*float64(time.Second))
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	argv := f.command(args)
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	stderr := &limitedBuffer{max: 4096}
	cmd.Stderr = stderr
	cmd.WaitDelay = 5 * time.Second
	childProcess(cmd)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	if err := limitMemory(cmd.Process.Pid, f.MaxMemory); err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return err
	}
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), "=")
		if k == "out_time_us" && progress != nil && duration > 0 {
			if us, err := strconv.ParseInt(v, 10, 64); err == nil && us >= 0 {
				progress(min(1, float64(us)/1e6/duration))
			}
		}
	}
	err = cmd.Wait()
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		return fmt.Errorf("ffmpeg took longer than %s and was stopped", timeout.Round(time.Second))
	case ctx.Err() != nil:
		return ctx.Err()
	case err != nil:
		return fmt.Errorf("ffmpeg failed: %s", lastLine(stderr.String(), err))
	}
	return nil
}

// lastLine is the last two lines ffmpeg wrote on stderr (the cause and
// the result, e.g. "moov atom not found; input: Invalid data found when
// processing input"), or err.
func lastLine(stderr string, err error) string {
	var keep []string
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	for _, l := range lines[max(0, len(lines)-2):] {
		l = strings.TrimSpace(l)
		// ffmpeg names the input by its path: keep the reason, not the path.
		if i := strings.Index(l, "file:"); i >= 0 {
			if j := strings.Index(l[i:], ": "); j >= 0 {
				l = l[:i] + "input" + l[i+j:]
			}
		}
		// "[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55d0c0a0] moov atom not found"
		if strings.HasPrefix(l, "[") {
			if i := strings.Index(l, "] "); i > 0 {
				l = l[i+2:]
			}
		}
		if l != "" {
			keep = append(keep, l)
		}
	}
	if len(keep) == 0 {
		return err.Error()
	}
	return strings.Join(keep, "; ")
}

// limitedBuffer keeps the last max bytes written to it.
type limitedBuffer struct {
	max int
	b   []byte
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	l.b = append(l.b, p...)
	if len(l.b) > l.max {
		l.b = l.b[len(l.b)-l.max:]
	}
	return len(p), nil
}

func (l *limitedBuffer) String() string { return string(l.b) }

// SpriteFrames is how many frames a sprite sheet holds, side by side,
// each SpriteWidth × SpriteHeight (the picture fitted in, bars around).
const (
	SpriteFrames = 10
	SpriteWidth  = 160
	SpriteHeight = 90
)

// Sprite writes a strip of SpriteFrames frames spread over src (a proxy
// Ferry made: small, upright, H.264) to dst as one JPEG, for scrubbing by
// hovering over a grid's tile. dst appears whole or not at all.
func (f *FFmpeg) Sprite(ctx context.Context, src, dst string, m MediaInfo) error {
	if !m.HasVideo() || m.Duration <= 0 {
		return fmt.Errorf("%w: no picture to take frames of", ErrNotMedia)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return err
	}
	tmp := filepath.Join(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp")
	defer os.Remove(tmp)
	args := []string{"-nostdin", "-hide_banner", "-v", "error", "-y"}
	args = append(args, inputArgs(src)...)
	// fps picks frames evenly over the duration; tile puts them side by
	// side and writes the strip once it has them all (or at the end).
	args = append(args, "-map", "0:v:0", "-an", "-sn", "-dn", "-vf",
		fmt.Sprintf("fps=%d/%.3f,scale=%d:%d:force_original_aspect_ratio=decrease,pad=%d:%d:(ow-iw)/2:(oh-ih)/2,setsar=1,tile=%dx1",
			SpriteFrames, m.Duration, SpriteWidth, SpriteHeight, SpriteWidth, SpriteHeight, SpriteFrames),
		"-frames:v", "1", "-q:v", "5", "-update", "1", "-f", "image2", "-c:v", "mjpeg", "-progress", "pipe:1", "-nostats", "file:"+tmp)
	if err := f.run(ctx, args, m.Duration, nil); err != nil {
		return err
	}
	if !fileExists(tmp) {
		return fmt.Errorf("%w: no frame could be decoded", ErrNotMedia)
	}
	return syncRename(tmp, dst)
}
