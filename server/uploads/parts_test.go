package uploads

import "testing"

// Layout must cut as a Frame.io client will: it sends parts of
// ceil(size / len(upload_urls)) bytes, the last one the rest, so every
// URL must get at least one byte and no byte may be left without a URL.
func TestPartsLayout(t *testing.T) {
	tests := []struct {
		size, max int64
		count     int
		part      int64
	}{
		{0, 100, 0, 0},
		{1, 100, 1, 1},
		{100, 100, 1, 100},
		{101, 100, 2, 51},
		{150 << 10, 64 << 10, 3, 51200},
		{1 << 30, 128 << 20, 8, 128 << 20},
		{1<<30 + 1, 128 << 20, 9, 119304648},
		{50 << 30, 1024, MaxParts, 5368710},
	}
	for _, tt := range tests {
		p := &Parts{PartSize: tt.max}
		count, part := p.Layout(tt.size)
		if count != tt.count || part != tt.part {
			t.Errorf("Layout(%d) with parts up to %d = %d × %d, want %d × %d", tt.size, tt.max, count, part, tt.count, tt.part)
		}
	}
	for size := int64(1); size < 3000; size += 7 {
		for _, max := range []int64{1, 2, 3, 10, 64, 1000, 4096} {
			count, part := (&Parts{PartSize: max}).Layout(size)
			sdk := (size + int64(count) - 1) / int64(count) // the client's chunk size
			last := size - part*int64(count-1)
			if sdk != part || last <= 0 || last > part || count > MaxParts || part > max && count < MaxParts {
				t.Fatalf("size %d, max %d: %d parts of %d (client cuts %d), last %d", size, max, count, part, sdk, last)
			}
		}
	}
}
