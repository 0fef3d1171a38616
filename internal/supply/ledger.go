package supply

import (
	"fmt"
	"time"
)

// The ledger's changes that reach beyond one record: a purchase spends
// donations and stocks lots; a write-off takes goods out of a lot.

// CreatePurchase records a prepared purchase (see Purchase.PrepareNew),
// paid by Fund from the donations it names or the oldest with money left,
// read and spent inside the change, so two purchases made at once never
// spend the same money twice; its goods are stocked at its depot. Invalid
// when its depot or a named donation does not exist. A retry under the
// same request id returns the purchase the first call recorded.
func CreatePurchase(tx Tx, p *Purchase) (*Purchase, error) {
	if prior, found, err := tx.Replay(); err != nil || found {
		if err != nil {
			return nil, err
		}
		var id string
		if err := ParseName("purchase", prior, PurchasePattern, &id); err != nil {
			return nil, err
		}
		return tx.Purchase(id)
	}
	depot, err := depotTakesGoods(tx, p.DepotID, "purchase.depot")
	if err != nil {
		return nil, err
	}
	from, err := fundingFor(tx, p)
	if err != nil {
		return nil, err
	}
	if err := p.Fund(from); err != nil {
		return nil, err
	}
	if err := tx.CreatePurchase(p); err != nil {
		return nil, err
	}
	if err := tx.Event(EventCreated, p.Name(), "purchase "+p.Describe()+" created", Scope{}); err != nil {
		return nil, err
	}
	if err := receiveLots(tx, depot, p.Lines, "", p.ID, p.PurchaseTime); err != nil {
		return nil, err
	}
	return p, tx.Remember(p.Name())
}

// depotTakesGoods returns the depot goods are received at, refusing one
// that does not exist or is archived, in field.
func depotTakesGoods(tx Tx, depotID, field string) (*Depot, error) {
	name := Name(DepotPattern, depotID)
	d, err := tx.Depot(depotID)
	if isNotFound(err) {
		return nil, InvalidField(field, "depot %s does not exist", name)
	}
	if err != nil {
		return nil, err
	}
	if d.Archived {
		return nil, InvalidField(field, "depot %s is archived", name)
	}
	return d, nil
}

// fundingFor reads the donations that may pay for p: those it names, in
// its order, or else the money donations of its currency with money left,
// oldest received first.
func fundingFor(tx Tx, p *Purchase) ([]*Donation, error) {
	if len(p.FundingIDs) == 0 {
		return tx.MoneyLeft(p.Amount.Currency)
	}
	from := make([]*Donation, len(p.FundingIDs))
	for i, id := range p.FundingIDs {
		d, err := tx.Donation(id)
		if isNotFound(err) {
			return nil, InvalidField(fmt.Sprintf("purchase.funding_donations[%d]", i), "donation %s does not exist",
				Name(DonationPattern, id))
		}
		if err != nil {
			return nil, err
		}
		from[i] = d
	}
	return from, nil
}

// receiveLots stocks the goods a donation or purchase received at a depot,
// each lot with its event.
func receiveLots(tx Tx, depot *Depot, lines []GoodsLine, donationID, purchaseID string, received time.Time) error {
	for _, l := range ReceiveLots(depot, lines, donationID, purchaseID, received) {
		if err := tx.CreateLot(l); err != nil {
			return err
		}
		if err := tx.Event(EventCreated, l.Name(), "lot "+l.Describe()+" created", Scope{}); err != nil {
			return err
		}
	}
	return nil
}

// WriteOffLot writes quantity of a lot off (see Lot.WriteOff), if etag
// (when set) matches, and records it for the reports. A retry under the
// same request id returns the lot as it is.
func WriteOffLot(tx Tx, depotID, id, etag string, quantity Quantity, reason string) (*Lot, error) {
	if _, found, err := tx.Replay(); err != nil || found {
		if err != nil {
			return nil, err
		}
		return tx.Lot(depotID, id)
	}
	l, err := tx.Lot(depotID, id)
	if err != nil {
		return nil, err
	}
	if err := CheckEtag(l.Name(), etag, &l.Meta); err != nil {
		return nil, err
	}
	prev := l.Clone()
	if err := l.WriteOff(quantity, reason); err != nil {
		return nil, err
	}
	if err := tx.AddWriteOff(depotID, id, quantity, reason); err != nil {
		return nil, err
	}
	changed, err := tx.PutLot(l, prev)
	if err != nil {
		return nil, err
	}
	if len(changed) > 0 {
		summary := fmt.Sprintf("lot %s: %s written off (%s); %s on hand", l.Name(), Amount(quantity, l.Unit, l.Description), reason,
			Amount(l.OnHand(), l.Unit, ""))
		if err := tx.Event(EventUpdated, l.Name(), summary, Scope{}); err != nil {
			return nil, err
		}
	}
	return l, tx.Remember(l.Name())
}

// Describe names the lot for the event log: what, where and from whom.
func (l *Lot) Describe() string {
	return fmt.Sprintf("of %s at %s from %s", Amount(l.Received, l.Unit, l.Description), Name(DepotPattern, l.DepotID), l.Source())
}

// CreateDonation records a prepared donation (see Donation.PrepareNew);
// goods are stocked at their depot in the same change. Invalid when the
// depot of goods does not exist or is archived. A retry under the same
// request id returns the donation the first call recorded.
func CreateDonation(tx Tx, d *Donation) (*Donation, error) {
	if prior, found, err := tx.Replay(); err != nil || found {
		if err != nil {
			return nil, err
		}
		return donationNamed(tx, prior)
	}
	var depot *Depot
	if d.Kind == GoodsDonation {
		var err error
		if depot, err = depotTakesGoods(tx, d.DepotID, "donation.goods.depot"); err != nil {
			return nil, err
		}
	}
	if err := createDonation(tx, d); err != nil {
		return nil, err
	}
	if depot != nil {
		if err := receiveLots(tx, depot, d.Lines, d.ID, "", d.ReceiveTime); err != nil {
			return nil, err
		}
	}
	return d, tx.Remember(d.Name())
}

func createDonation(tx Tx, d *Donation) error {
	if err := tx.CreateDonation(d); err != nil {
		return err
	}
	return tx.Event(EventCreated, d.Name(), "donation "+d.Describe()+" created", Scope{})
}

// donationNamed reads the donation a replayed call produced.
func donationNamed(tx Tx, name string) (*Donation, error) {
	var id string
	if err := ParseName("donation", name, DonationPattern, &id); err != nil {
		return nil, err
	}
	return tx.Donation(id)
}

// ReverseDonation corrects the ledger: it records the entry Donation.Reverse
// makes of the donation, with reversalID, takes back what its lots still
// hold, and marks the donation reversed, in one change, if etag (when set)
// matches. It returns the reversing entry, or the first call's under a
// repeated request id.
func ReverseDonation(tx Tx, id, etag, reversalID, reason string) (*Donation, error) {
	if prior, found, err := tx.Replay(); err != nil || found {
		if err != nil {
			return nil, err
		}
		return donationNamed(tx, prior)
	}
	d, err := tx.Donation(id)
	if err != nil {
		return nil, err
	}
	if err := CheckEtag(d.Name(), etag, &d.Meta); err != nil {
		return nil, err
	}
	prev := d.Clone()
	stock, err := tx.DonationLots(id)
	if err != nil {
		return nil, err
	}
	d.GoodsUsed = LotsUsed(stock)
	reversal, err := d.Reverse(reversalID, reason)
	if err != nil {
		return nil, err
	}
	before := make([]*Lot, len(stock))
	for i, l := range stock {
		before[i] = l.Clone()
	}
	ReverseLots(stock)
	for i, l := range stock {
		if _, err := tx.PutLot(l, before[i]); err != nil {
			return nil, err
		}
		if err := tx.Event(EventUpdated, l.Name(), fmt.Sprintf("lot %s: %s taken back, its donation reversed by %s",
			l.Name(), Amount(l.Reversed, l.Unit, l.Description), reversal.Name()), Scope{}); err != nil {
			return nil, err
		}
	}
	if err := createDonation(tx, reversal); err != nil {
		return nil, err
	}
	if _, err := tx.PutDonation(d, prev); err != nil {
		return nil, err
	}
	if err := tx.Event(EventUpdated, d.Name(), fmt.Sprintf("donation %s reversed by %s: %s", d.Describe(), reversal.Name(), reason), Scope{}); err != nil {
		return nil, err
	}
	return reversal, tx.Remember(reversal.Name())
}
