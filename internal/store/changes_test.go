package store

import (
	"context"

	"github.com/aqjurek/tracker/internal/supply"
)

// The store's tests make changes the way the API does: the domain's rule
// inside Update. These helpers keep each call to one line.

func createRequest(ctx context.Context, db *DB, r *supply.DeliveryRequest, op supply.Op) (*supply.DeliveryRequest, error) {
	var out *supply.DeliveryRequest
	err := db.Update(ctx, op, func(c supply.Tx) (err error) {
		out, err = supply.CreateDeliveryRequest(c, r)
		return err
	})
	if err != nil {
		// A caller that gave up returns while the change may still run:
		// out is then the writer's, not to be read.
		return nil, err
	}
	return out, nil
}

// updateRequest revises a request to what apply makes of it; an error of
// apply's refuses the change.
func updateRequest(ctx context.Context, db *DB, id string, op supply.Op, apply func(*supply.DeliveryRequest) error) (*supply.DeliveryRequest, error) {
	var out *supply.DeliveryRequest
	err := db.Update(ctx, op, func(c supply.Tx) (err error) {
		var refused error
		out, err = supply.UpdateDeliveryRequest(c, id, "", func(current *supply.DeliveryRequest, _ *supply.Violations) *supply.DeliveryRequest {
			refused = apply(current)
			return current
		})
		if refused != nil {
			return refused
		}
		return err
	})
	if err != nil {
		// A caller that gave up returns while the change may still run:
		// out is then the writer's, not to be read.
		return nil, err
	}
	return out, nil
}

func cancelRequest(ctx context.Context, db *DB, id, reason string, op supply.Op) (*supply.DeliveryRequest, error) {
	var out *supply.DeliveryRequest
	err := db.Update(ctx, op, func(c supply.Tx) (err error) {
		out, err = supply.CancelDeliveryRequest(c, id, "", reason)
		return err
	})
	if err != nil {
		// A caller that gave up returns while the change may still run:
		// out is then the writer's, not to be read.
		return nil, err
	}
	return out, nil
}

func storeRun(ctx context.Context, db *DB, r *supply.Run, op supply.Op) (*supply.Run, error) {
	var out *supply.Run
	err := db.Update(ctx, op, func(c supply.Tx) (err error) {
		out, err = supply.CreateRun(c, r)
		return err
	})
	if err != nil {
		// A caller that gave up returns while the change may still run:
		// out is then the writer's, not to be read.
		return nil, err
	}
	return out, nil
}

func changeRun(ctx context.Context, db *DB, id string, op supply.Op, kind supply.EventKind, step func(w *supply.RunWork) error) (*supply.Run, error) {
	var out *supply.Run
	err := db.Update(ctx, op, func(c supply.Tx) (err error) {
		out, err = supply.ChangeRun(c, id, "", kind, step)
		return err
	})
	if err != nil {
		// A caller that gave up returns while the change may still run:
		// out is then the writer's, not to be read.
		return nil, err
	}
	return out, nil
}

func deleteHospital(ctx context.Context, db *DB, id, etag string, op supply.Op) error {
	return db.Update(ctx, op, func(c supply.Tx) error { return supply.DeleteHospital(c, id, etag) })
}

func deleteWard(ctx context.Context, db *DB, hospitalID, id, etag string, op supply.Op) error {
	return db.Update(ctx, op, func(c supply.Tx) error { return supply.DeleteWard(c, hospitalID, id, etag) })
}

func createDonation(ctx context.Context, db *DB, d *supply.Donation, op supply.Op) (*supply.Donation, error) {
	var out *supply.Donation
	err := db.Update(ctx, op, func(c supply.Tx) (err error) {
		out, err = supply.CreateDonation(c, d)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func createPurchase(ctx context.Context, db *DB, p *supply.Purchase, op supply.Op) (*supply.Purchase, error) {
	var out *supply.Purchase
	err := db.Update(ctx, op, func(c supply.Tx) (err error) {
		out, err = supply.CreatePurchase(c, p)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func writeOffLot(ctx context.Context, db *DB, depotID, id string, quantity supply.Quantity, reason string, op supply.Op) (*supply.Lot, error) {
	var out *supply.Lot
	err := db.Update(ctx, op, func(c supply.Tx) (err error) {
		out, err = supply.WriteOffLot(c, depotID, id, "", quantity, reason)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func updateHospital(ctx context.Context, db *DB, id, etag string, op supply.Op, apply func(*supply.Hospital) error) (*supply.Hospital, error) {
	var out *supply.Hospital
	err := db.Update(ctx, op, func(c supply.Tx) (err error) {
		out, err = supply.UpdateHospital(c, id, etag, apply)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func updateWard(ctx context.Context, db *DB, hospitalID, id, etag string, op supply.Op, apply func(*supply.Ward) error) (*supply.Ward, error) {
	var out *supply.Ward
	err := db.Update(ctx, op, func(c supply.Tx) (err error) {
		out, err = supply.UpdateWard(c, hospitalID, id, etag, apply)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func createWard(ctx context.Context, db *DB, w *supply.Ward, op supply.Op) (*supply.Ward, error) {
	var out *supply.Ward
	err := db.Update(ctx, op, func(c supply.Tx) (err error) {
		out, err = supply.CreateWard(c, w)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
