package supply

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestPublicDonorsNameWhoAgreedOnceAndCountEveryOtherDonorOnce(t *testing.T) {
	day := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	gift := func(hours int, name, contact string, public bool) DonorGift {
		return DonorGift{Donor: Donor{DisplayName: name, Contact: contact, PublicNaming: public}, ReceiveTime: day.Add(time.Duration(hours) * time.Hour)}
	}
	for _, tc := range []struct {
		name    string
		gifts   []DonorGift
		named   []string
		unnamed int
	}{
		{"none", nil, nil, 0},
		{
			// Two people who share a name are two donors: the one who
			// agreed is named, the other is counted.
			"the same name with two contacts is two donors",
			[]DonorGift{gift(0, "Aigerim S.", "+7 701 000 0001", true), gift(1, "Aigerim S.", "+7 701 000 0002", false)},
			[]string{"Aigerim S."}, 1,
		},
		{
			// A list of names says a name once, however many who agreed
			// share it.
			"both of one name named",
			[]DonorGift{gift(0, "Aigerim S.", "+7 701 000 0001", true), gift(1, "Aigerim S.", "+7 701 000 0002", true)},
			[]string{"Aigerim S."}, 0,
		},
		{
			// Consent given for one gift stands for the donor, whichever
			// gift came first: they are named once and not counted.
			"named once and unnamed once is named",
			[]DonorGift{gift(0, "Тимур О.", "timur@example.org", false), gift(1, "Тимур О.", "timur@example.org", true),
				gift(2, "Тимур О.", "timur@example.org", false)},
			[]string{"Тимур О."}, 0,
		},
		{
			"an unnamed donor who gave thrice is one",
			[]DonorGift{gift(0, "Cash box", "", false), gift(1, "Cash box", "", false), gift(2, "Cash box", "", false)},
			nil, 1,
		},
		{
			// The named come in the order of their first gift, however
			// the gifts are handed in.
			"in the order of the first gift",
			[]DonorGift{gift(5, "Fund", "fund@example.org", true), gift(3, "Қазақ Әйелдері", "", true),
				gift(4, "Quiet", "quiet@example.org", false), gift(1, "Fund", "fund@example.org", false)},
			[]string{"Fund", "Қазақ Әйелдері"}, 1,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := append([]DonorGift(nil), tc.gifts...)
			named, unnamed := PublicDonors(tc.gifts)
			if diff := cmp.Diff(tc.named, named); diff != "" || unnamed != tc.unnamed {
				t.Errorf("named (-want +got):\n%s\nand %d unnamed, want %d", diff, unnamed, tc.unnamed)
			}
			if diff := cmp.Diff(before, tc.gifts); diff != "" {
				t.Errorf("PublicDonors changed the caller's gifts (-before +after):\n%s", diff)
			}
		})
	}
}
