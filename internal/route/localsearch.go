package route

// localSearch is filled in later.
func (w *worker) localSearch(s *solution) {}
