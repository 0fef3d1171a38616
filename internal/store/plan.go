package store

import (
	"context"

	"github.com/aqjurek/tracker/internal/supply"
)

// CreatePlan implements supply.PlanStore: every run of the plan is created
// and gets its stops, or none is. A retry under the same request id gets
// the first call's receipt back.
func (db *DB) CreatePlan(ctx context.Context, op supply.Op, plan *supply.Plan, place func(w *supply.RunWork, stops []supply.Stop) error) (receipt string, err error) {
	err = db.update(ctx, op, func(t *tx) error {
		if prior, found, err := t.replay(); err != nil || found {
			receipt = prior
			return err
		}
		for _, r := range plan.Runs {
			stops := r.Stops
			r.Stops, r.LoadKG = nil, 0
			if err := runs.insert(t, r); err != nil {
				return err
			}
			prev := r.Clone()
			summary, err := work(t, r, supply.EventAssigned, func(w *supply.RunWork) error { return place(w, stops) })
			if err != nil {
				return err
			}
			if err := runs.put(t, r, prev); err != nil {
				return err
			}
			if err := t.event(supply.EventAssigned, r.Name(), summary, runs.scope(r)); err != nil {
				return err
			}
		}
		receipt = plan.Receipt()
		return t.remember(receipt)
	})
	return receipt, err
}
