package supply

import (
	"slices"
	"time"
)

// donorID is who a donor is. Donors have no identity of their own in the
// ledger: each gift carries a name and a contact, so a name with a contact
// is one donor, and the same name with another contact is someone else.
type donorID struct{ name, contact string }

func (d Donor) id() donorID { return donorID{d.DisplayName, d.Contact} }

// agreedToBeNamed returns who of the gifts' donors agreed to be named
// publicly for at least one of them: consent given once stands for the
// donor, whatever their other gifts say.
func agreedToBeNamed[T any](gifts []T, donor func(T) Donor) map[donorID]bool {
	agreed := map[donorID]bool{}
	for _, g := range gifts {
		if d := donor(g); d.PublicNaming {
			agreed[d.id()] = true
		}
	}
	return agreed
}

// DonorGift is the donor of one standing donation, money or goods (neither
// reversed nor reversing), and when it was received.
type DonorGift struct {
	Donor       Donor
	ReceiveTime time.Time
}

// PublicDonors is what the public may know of the donors of the gifts:
// the names of those who agreed to be named for any gift, in the order of
// their first gift, each name once (however many who agreed share it), and
// how many others there are, each counted once. One who is named is never
// among the others. Contacts are never in what it returns.
func PublicDonors(gifts []DonorGift) (named []string, unnamed int) {
	gifts = slices.Clone(gifts)
	slices.SortStableFunc(gifts, func(a, b DonorGift) int { return a.ReceiveTime.Compare(b.ReceiveTime) })
	agreed := agreedToBeNamed(gifts, func(g DonorGift) Donor { return g.Donor })
	seen := map[donorID]bool{}
	for _, g := range gifts {
		id := g.Donor.id()
		if seen[id] {
			continue
		}
		seen[id] = true
		switch {
		case !agreed[id]:
			unnamed++
		case !slices.Contains(named, g.Donor.DisplayName):
			named = append(named, g.Donor.DisplayName)
		}
	}
	return named, unnamed
}
