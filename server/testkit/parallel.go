package testkit

import "sync"

// Parallel runs n calls of f at once and counts the statuses they answer.
func Parallel(n int, f func(i int) int) map[int]int {
	var mu sync.Mutex
	var wg sync.WaitGroup
	out := map[int]int{}
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			<-start
			st := f(i)
			mu.Lock()
			out[st]++
			mu.Unlock()
		}(i)
	}
	close(start)
	wg.Wait()
	return out
}
