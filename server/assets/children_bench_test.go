package assets_test

import (
	"fmt"
	"testing"
)

// BenchmarkChildren1000 lists a folder of 1 000 children (all decoded and sorted).
func BenchmarkChildren1000(b *testing.B) {
	s, _ := newServiceB(b)
	p, _ := s.CreateProject(owner, "P")
	for i := 0; i < 1000; i++ {
		if _, err := s.CreateFolder(owner, p.RootAssetID, fmt.Sprintf("f%04d", i)); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if kids, err := s.Children(owner, p.RootAssetID); err != nil || len(kids) != 1000 {
			b.Fatal(err)
		}
	}
}

// BenchmarkChildrenPage100Of1000 reads one page of 100 from a folder of 1 000.
func BenchmarkChildrenPage100Of1000(b *testing.B) {
	s, _ := newServiceB(b)
	p, _ := s.CreateProject(owner, "P")
	for i := 0; i < 1000; i++ {
		if _, err := s.CreateFolder(owner, p.RootAssetID, fmt.Sprintf("f%04d", i)); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if kids, total, err := s.ChildrenPage(owner, p.RootAssetID, 500, 100); err != nil || len(kids) != 100 || total != 1000 {
			b.Fatal(err)
		}
	}
}

// BenchmarkChildrenPage50Of10000 reads page 50 (items 4 901–5 000) of a
// folder of 10 000 files, as `make bench` does through the API.
func BenchmarkChildrenPage50Of10000(b *testing.B) {
	s, _ := newServiceB(b)
	p, _ := s.CreateProject(owner, "P")
	for i := 0; i < 10000; i++ {
		if _, err := s.CreateFolder(owner, p.RootAssetID, fmt.Sprintf("IMG_%06d", i)); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if kids, total, err := s.ChildrenPage(owner, p.RootAssetID, 4900, 100); err != nil || len(kids) != 100 || total != 10000 {
			b.Fatal(err)
		}
	}
}
