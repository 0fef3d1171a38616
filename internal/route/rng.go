package route

import "math"

// rng is SplitMix64: a few instructions per number, and its whole state
// is one word, so a worker's stream depends on nothing but its seed.
type rng struct{ s uint64 }

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// float is uniform in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

// intn is uniform in [0, n); the bias of the modulo is below 1e-15 for
// the sizes used here.
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// geometric draws how many trials pass before an event of probability p,
// so blinks cost one draw per blink rather than one per position.
func (r *rng) geometric(p float64) int {
	u := 1 - r.float() // in (0, 1]
	return int(math.Log(u) / math.Log1p(-p))
}
