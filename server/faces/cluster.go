package faces

import "math/rand/v2"

// SameThreshold is the distance under which two descriptors are taken as
// the same person (dlib's 0.6, tightened as FACES.md measured).
const SameThreshold = 0.55

// clusterSeed fixes Chinese whispers' random order so the same faces always
// give the same clusters.
const clusterSeed = 24

// Cluster groups descriptors by person with Chinese whispers, dlib's method:
// faces closer than SameThreshold are linked; every face starts as its own
// label and repeatedly takes the label most common among its links, in a
// seeded random order. It returns a cluster number per descriptor, numbered
// from 0 in order of first appearance.
func Cluster(ds []Descriptor) []int {
	n := len(ds)
	adj := make([][]int32, n)
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if Distance(&ds[i], &ds[j]) < SameThreshold {
				adj[i] = append(adj[i], int32(j))
				adj[j] = append(adj[j], int32(i))
			}
		}
	}
	return chineseWhispers(adj)
}

func chineseWhispers(adj [][]int32) []int {
	n := len(adj)
	labels := make([]int, n)
	for i := range labels {
		labels[i] = i
	}
	rng := rand.New(rand.NewPCG(clusterSeed, clusterSeed))
	votes := map[int]int{}
	const iterations = 100
	for range iterations * n {
		i := rng.IntN(n)
		if len(adj[i]) == 0 {
			continue
		}
		clear(votes)
		// A face votes for its own label too, as dlib's graph keeps the
		// self edge of each face.
		votes[labels[i]]++
		best, bestVotes := labels[i], 1
		for _, j := range adj[i] {
			l := labels[j]
			votes[l]++
			if v := votes[l]; v > bestVotes || (v == bestVotes && l < best) {
				best, bestVotes = l, v
			}
		}
		labels[i] = best
	}
	renum := map[int]int{}
	out := make([]int, n)
	for i, l := range labels {
		id, ok := renum[l]
		if !ok {
			id = len(renum)
			renum[l] = id
		}
		out[i] = id
	}
	return out
}
