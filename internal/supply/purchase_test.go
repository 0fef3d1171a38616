package supply

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFundPaysOldestFirstAndSaysWhatIsShort(t *testing.T) {
	kzt := func(id string, minor, spent int64) *Donation {
		return &Donation{ID: id, Kind: MoneyDonation, Amount: Money{Currency: "KZT", Minor: minor}, Spent: spent}
	}
	from := []*Donation{kzt("old", 1_000_000, 400_000), kzt("empty", 500_000, 500_000), kzt("new", 2_000_000, 0)}
	p := &Purchase{Amount: Money{Currency: "KZT", Minor: 1_500_000}}
	if err := p.Fund(from); err != nil {
		t.Fatal(err)
	}
	want := []Allocation{{DonationID: "old", Minor: 600_000}, {DonationID: "new", Minor: 900_000}}
	if diff := cmp.Diff(want, p.Allocations); diff != "" {
		t.Errorf("allocations (-want +got):\n%s", diff)
	}
	if from[0].Left() != 0 || from[2].Left() != 1_100_000 {
		t.Errorf("left after paying: %d, %d", from[0].Left(), from[2].Left())
	}

	short := &Purchase{Amount: Money{Currency: "KZT", Minor: 1_500_000}}
	err := short.Fund([]*Donation{kzt("a", 1_200_000, 0)})
	if err == nil || err.Error() != "KZT 12,000.00 available, purchase is KZT 15,000.00" {
		t.Errorf("short purchase: %v", err)
	}
	named := &Purchase{Amount: Money{Currency: "USD", Minor: 100}, FundingIDs: []string{"a"}}
	if err := named.Fund([]*Donation{kzt("a", 1_200_000, 0)}); err == nil || err.(*Error).Violations[0].Field != "purchase.funding_donations[0]" {
		t.Errorf("a named donation in another currency: %v", err)
	}
}

func TestAmountReadsAsPeopleWriteIt(t *testing.T) {
	for _, c := range []struct {
		q    Quantity
		u    Unit
		what string
		want string
	}{
		{5000, Kilogram, "apples", "5 kg of apples"},
		{2500, Liter, "", "2.5 l"},
		{12000, Portion, "plov", "12 portions of plov"},
	} {
		if got := Amount(c.q, c.u, c.what); got != c.want {
			t.Errorf("Amount(%d, %s, %q) = %q, want %q", c.q, c.u, c.what, got, c.want)
		}
	}
}
