package faces

import (
	"bytes"
	"encoding/xml"
	"image"
	"io"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestJohnsClusters(t *testing.T) {
	js := johns(t)
	ds := make([]Descriptor, len(js))
	for i := range js {
		ds[i] = js[i].desc
	}
	labels := Cluster(ds)
	people := map[int]map[string]bool{}
	for i, l := range labels {
		if people[l] == nil {
			people[l] = map[string]bool{}
		}
		people[l][js[i].person] = true
	}
	if len(people) != 5 {
		t.Errorf("%d clusters, want 5", len(people))
	}
	for l, p := range people {
		if len(p) != 1 {
			t.Errorf("cluster %d mixes %v", l, p)
		}
	}
}

// baldGuys is who is where in bald_guys.jpg (1986×1545): the centre of
// each of the 24 faces, read off the picture, and which of the four actors
// it is (Vin Diesel, Jason Statham, Dwayne Johnson, Bruce Willis).
var baldGuys = []struct {
	x, y  float64
	actor string
}{
	{145, 145, "Diesel"}, {395, 97, "Statham"}, {395, 282, "Diesel"}, {645, 161, "Diesel"}, {959, 153, "Statham"},
	{1588, 242, "Johnson"}, {1878, 467, "Johnson"}, {145, 451, "Diesel"}, {387, 500, "Statham"}, {653, 500, "Diesel"},
	{959, 451, "Statham"}, {145, 758, "Statham"}, {500, 903, "Statham"}, {854, 903, "Willis"}, {1153, 806, "Willis"},
	{1185, 1112, "Willis"}, {1701, 758, "Johnson"}, {121, 1048, "Willis"}, {177, 1322, "Diesel"}, {467, 1306, "Willis"},
	{838, 1274, "Willis"}, {1169, 1354, "Johnson"}, {1507, 1386, "Johnson"}, {1862, 1370, "Johnson"},
}

// TestBaldGuysClusters: at least 20 of the collage's 24 faces are found and
// grouped in exactly four clusters, each one actor and each actor one cluster.
func TestBaldGuysClusters(t *testing.T) {
	img := decodeFile(t, filepath.Join(dlibExamples(t), "faces", "bald_guys.jpg"))
	fs := testEngine(t).Analyze(img)
	if len(fs) < 20 {
		t.Fatalf("bald_guys.jpg: %d faces, want ≥ 20", len(fs))
	}
	ds := make([]Descriptor, len(fs))
	for i := range fs {
		ds[i] = fs[i].Descriptor
	}
	labels := Cluster(ds)
	actors := map[int]map[string]int{} // cluster → actor → faces
	clusterOf := map[string]map[int]bool{}
	for i, l := range labels {
		cx, cy := fs[i].Box.X+fs[i].Box.W/2, fs[i].Box.Y+fs[i].Box.H/2
		who, best := "", 150.0 // the faces' centres are further apart than this
		for _, g := range baldGuys {
			if d := math.Hypot(g.x-cx, g.y-cy); d < best {
				who, best = g.actor, d
			}
		}
		if who == "" {
			t.Errorf("face at %.0f,%.0f is none of the annotated faces", cx, cy)
			continue
		}
		if actors[l] == nil {
			actors[l] = map[string]int{}
		}
		if clusterOf[who] == nil {
			clusterOf[who] = map[int]bool{}
		}
		actors[l][who]++
		clusterOf[who][l] = true
	}
	t.Logf("%d faces, clusters %v", len(fs), actors)
	if len(actors) != 4 {
		t.Errorf("%d clusters, want exactly 4 (one per actor)", len(actors))
	}
	for l, who := range actors {
		if len(who) != 1 {
			t.Errorf("cluster %d mixes actors: %v", l, who)
		}
	}
	for who, ls := range clusterOf {
		if len(ls) != 1 {
			t.Errorf("%s is split over %d clusters", who, len(ls))
		}
	}
	if len(clusterOf) != 4 {
		t.Errorf("faces of %d actors found, want all 4: %v", len(clusterOf), clusterOf)
	}
}

// vocDataset is dlib's imglab XML of annotated face boxes.
type vocDataset struct {
	Images []struct {
		File  string `xml:"file,attr"`
		Boxes []struct {
			Top    float64 `xml:"top,attr"`
			Left   float64 `xml:"left,attr"`
			Width  float64 `xml:"width,attr"`
			Height float64 `xml:"height,attr"`
			Ignore int     `xml:"ignore,attr"`
		} `xml:"box"`
	} `xml:"images>image"`
}

// TestDetectorOnVOCFaces measures the detector on the annotated faces,
// with the whole picture's pass alone and with the small-face tiles.
func TestDetectorOnVOCFaces(t *testing.T) {
	e := testEngine(t)
	if err := e.ready(); err != nil {
		t.Fatal(err)
	}
	for _, tiles := range []bool{false, true} {
		t.Run(map[bool]string{false: "one-pass", true: "tiles"}[tiles], func(t *testing.T) {
			start := time.Now()
			recall, precision := vocScore(t, func(img image.Image) []Detection {
				return e.det.detect(toRGBA(img), DetectThreshold, tiles, detInputSize)
			})
			t.Logf("tiles=%v: recall %.2f, precision %.2f, %.2f s for the 9 photos", tiles, recall, precision, time.Since(start).Seconds())
			if recall < 0.85 || precision < 0.85 {
				t.Errorf("recall %.2f precision %.2f, want both ≥ 0.85 at IoU ≥ 0.3", recall, precision)
			}
		})
	}
}

// vocScore runs detect over dlib's 9 annotated Pascal VOC photos and
// answers recall and precision at IoU ≥ 0.3.
func vocScore(t *testing.T, detect func(image.Image) []Detection) (recall, precision float64) {
	dir := filepath.Join(dlibExamples(t), "faces")
	truth, found, hits, matched := 0, 0, 0, 0
	for _, name := range []string{"training.xml", "testing.xml"} {
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		var ds vocDataset
		dec := xml.NewDecoder(bytes.NewReader(raw))
		// The files declare ISO-8859-1 but hold only ASCII.
		dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
		if err := dec.Decode(&ds); err != nil {
			t.Fatal(err)
		}
		for _, im := range ds.Images {
			dets := detect(decodeFile(t, filepath.Join(dir, im.File)))
			found += len(dets)
			used := make([]bool, len(dets))
			for _, b := range im.Boxes {
				if b.Ignore != 0 {
					continue
				}
				truth++
				want := Box{b.Left, b.Top, b.Width, b.Height}
				for i, d := range dets {
					if !used[i] && iou(want, d.Box) >= 0.3 {
						used[i] = true
						hits++
						break
					}
				}
			}
			for _, u := range used {
				if u {
					matched++
				}
			}
		}
	}
	t.Logf("%d annotated faces, %d detections", truth, found)
	if truth != 43 {
		t.Errorf("%d annotated faces, want 43", truth)
	}
	return float64(hits) / float64(truth), float64(matched) / float64(found)
}

func TestDetectorFindsNoFaceInDogs(t *testing.T) {
	img := decodeFile(t, filepath.Join(dlibExamples(t), "faces", "dogs.jpg"))
	if dets := testEngine(t).Detect(img, DetectThreshold); len(dets) != 0 {
		t.Errorf("dogs.jpg: %d faces found, want 0: %v", len(dets), dets)
	}
}
