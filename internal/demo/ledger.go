package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/aqjurek/tracker/internal/supply"
)

// The demo's ledger: a fortnight of money and goods given, and of goods
// bought at the bazaar with the money, before and among the day's runs, so
// the runs take their load from lots and every drop is traced to its
// donors. Names and figures are made up; amounts are in whole units.

// gift is a donation of the demo's fortnight. ago is how long before the
// demo's now it was received; a gift of goods names its depot.
type gift struct {
	id       string
	ago      time.Duration
	donor    supply.Donor
	currency string
	units    int64
	channel  supply.Channel
	ref      string
	depot    string
	lines    []goodsLine
	notes    string
}

// goodsLine is a line of goods given or bought; bestBefore counts days
// from the demo's today in Almaty (0 is today, negative already past), and
// keeps is for goods without a best-before day.
type goodsLine struct {
	category    supply.Category
	description string
	quantity    float64
	unit        supply.Unit
	bestBefore  int
	keeps       bool
}

const day = 24 * time.Hour

func person(name, contact string, public bool) supply.Donor {
	return supply.Donor{DisplayName: name, Contact: contact, PublicNaming: public}
}

var gifts = []gift{
	// Before the first runs: a fund's transfer, and the stock both depots
	// opened with.
	{id: "transfer-qamqor-fund", ago: 14*day + 8*time.Hour, donor: person("Қоғамдық қор «Қамқор»", "info@qamqor.example.kz", true),
		currency: "KZT", units: 200000, channel: supply.BankTransfer, ref: "п/п № 58",
		notes: "For fruit and juice for the wards; no receipts needed beyond the ledger."},
	{id: "goods-magnum-water-tea", ago: 14*day + 5*time.Hour, donor: person("Magnum Cash & Carry, Rayymbek Ave", "+7 727 555 0303", true),
		depot: "green-bazaar", lines: []goodsLine{
			{supply.Water, "still water, 5 l bottles", 100, supply.Piece, 0, true},
			{supply.Other, "green tea and sugar", 25, supply.Box, 0, true},
		}},
	{id: "kitchen-opening-stock", ago: 14*day + 6*time.Hour, donor: person("Residents of the Auezov district", "kitchen chat +7 702 555 4040", true),
		depot: "auezov-kitchen", lines: []goodsLine{
			{supply.Juice, "orange juice, 3 l jars", 150, supply.Liter, 25, false},
			{supply.Water, "still water, 5 l bottles", 80, supply.Piece, 0, true},
			{supply.Fruit, "apples and pears", 60, supply.Kilogram, -6, false},
			{supply.Vegetables, "carrots and cabbage", 30, supply.Kilogram, -7, false},
		}, notes: "Collected in the courtyards for the kitchen's first week."},
	// The kitchen's meals: Кафе «Жайлау» cooks every other evening for
	// the next two days' runs.
	{id: "kitchen-zhailau-first", ago: 14*day + 3*time.Hour, donor: person("Кафе «Жайлау»", "+7 727 555 6161", true),
		depot: "auezov-kitchen", lines: []goodsLine{{supply.Meals, "plov, soup and manty", 150, supply.Portion, -12, false}}},
	{id: "kitchen-zhailau-d12", ago: 12*day + 3*time.Hour, donor: person("Кафе «Жайлау»", "+7 727 555 6161", true),
		depot: "auezov-kitchen", lines: []goodsLine{{supply.Meals, "plov, soup and manty", 160, supply.Portion, -10, false}}},
	{id: "kitchen-zhailau-d10", ago: 10*day + 3*time.Hour, donor: person("Кафе «Жайлау»", "+7 727 555 6161", true),
		depot: "auezov-kitchen", lines: []goodsLine{{supply.Meals, "plov, soup and manty", 120, supply.Portion, -8, false}}},
	{id: "kitchen-zhailau-d8", ago: 8*day + 3*time.Hour, donor: person("Кафе «Жайлау»", "+7 727 555 6161", true),
		depot: "auezov-kitchen", lines: []goodsLine{{supply.Meals, "plov, soup and manty", 110, supply.Portion, -6, false}}},
	{id: "kitchen-fruit-market", ago: 8*day + 5*time.Hour, donor: person("Алтын Орда market traders", "+7 705 555 1919", false),
		depot: "auezov-kitchen", lines: []goodsLine{{supply.Fruit, "apples and pears", 40, supply.Kilogram, -2, false}}},
	{id: "kitchen-zhailau-d6", ago: 6*day + 3*time.Hour, donor: person("Кафе «Жайлау»", "+7 727 555 6161", true),
		depot: "auezov-kitchen", lines: []goodsLine{{supply.Meals, "plov, soup and manty", 180, supply.Portion, -4, false}}},
	{id: "kaspi-omarova", ago: 6*day + 5*time.Hour, donor: person("Жанна Омарова", "+7 707 555 3131", true),
		currency: "KZT", units: 25000, channel: supply.KaspiGold, ref: "KG 6612 4408"},
	{id: "kitchen-zhailau-d4", ago: 4*day + 3*time.Hour, donor: person("Кафе «Жайлау»", "+7 727 555 6161", true),
		depot: "auezov-kitchen", lines: []goodsLine{{supply.Meals, "plov, soup and manty", 190, supply.Portion, -2, false}}},
	{id: "kitchen-zhailau-d2", ago: 2*day + 3*time.Hour, donor: person("Кафе «Жайлау»", "+7 727 555 6161", true),
		depot: "auezov-kitchen", lines: []goodsLine{{supply.Meals, "plov, soup and manty", 80, supply.Portion, 0, false}}},
	{id: "kaspi-nurlanova", ago: 14*day - 3*time.Hour, donor: person("Дана Нурланова", "+7 701 555 1203", true),
		currency: "KZT", units: 15000, channel: supply.KaspiGold, ref: "KG 4471 0392",
		notes: "«Для врачей в красной зоне»."},
	{id: "transfer-almaty-stroy", ago: 13*day + 5*time.Hour, donor: person("ТОО «Алматы Строй Сервис»", "buh@almatystroy.kz", true),
		currency: "KZT", units: 250000, channel: supply.BankTransfer, ref: "п/п № 412 от банка «Центр Кредит»",
		notes: "The firm's staff collected it; they ask for a receipt for their accounts."},
	{id: "goods-zhetysu-apples", ago: 12*day + 2*time.Hour, donor: person("Supermarket «Жетысу» on Abay Ave", "+7 727 555 0412", true),
		depot: "green-bazaar", lines: []goodsLine{
			{supply.Fruit, "apples (Апорт), 25 crates", 450, supply.Kilogram, 20, false},
		}},
	{id: "kitchen-farmer-iskakov", ago: 12*day - 4*time.Hour, donor: person("Болат Искаков, фермер из Талгара", "+7 705 555 7781", false),
		depot: "auezov-kitchen", lines: []goodsLine{
			{supply.Vegetables, "морковь, капуста, картофель", 400, supply.Kilogram, 6, false},
		}, notes: "Does not want his name on the public page."},
	{id: "cash-bazaar-box", ago: 11*day + 6*time.Hour, donor: person("Cash box at the bazaar stall", "", false),
		currency: "KZT", units: 8500, channel: supply.Cash, ref: "Box opened by Asel B. and Timur O."},
	{id: "kaspi-sadykov", ago: 11 * day, donor: person("Ерлан Садыков", "+7 777 555 3310", false),
		currency: "KZT", units: 5000, channel: supply.KaspiGold, ref: "KG 5530 1187"},
	{id: "kaspi-sadykov-again", ago: 11*day - 10*time.Minute, donor: person("Ерлан Садыков", "+7 777 555 3310", false),
		currency: "KZT", units: 5000, channel: supply.KaspiGold, ref: "KG 5530 1187"},
	{id: "wire-mitchell", ago: 10*day + 3*time.Hour, donor: person("Sarah Mitchell", "s.mitchell@example.org", true),
		currency: "USD", units: 200, channel: supply.BankTransfer, ref: "SWIFT 20200412-77",
		notes: "From the parents of an international school; spend it on the night shifts."},
	{id: "kitchen-dostyk-fruit", ago: 9*day + 4*time.Hour, donor: person("Супермаркет «Достық»", "+7 727 555 2020", true),
		depot: "auezov-kitchen", lines: []goodsLine{
			{supply.Fruit, "яблоки и груши, 18 ящиков", 320, supply.Kilogram, 12, false},
			{supply.Fruit, "апельсины и мандарины", 120, supply.Kilogram, 1, false},
		}},
	{id: "kaspi-zhumabaeva", ago: 9 * day, donor: person("Асель Жумабаева", "+7 747 555 6401", true),
		currency: "KZT", units: 20000, channel: supply.KaspiGold, ref: "KG 6140 0025"},
	{id: "transfer-bereke", ago: 8*day + 2*time.Hour, donor: person("ИП «Береке»", "+7 727 555 8899", false),
		currency: "KZT", units: 100000, channel: supply.BankTransfer, ref: "п/п № 77"},
	{id: "paypal-k", ago: 7*day + 9*time.Hour, donor: person("Daniel K.", "daniel.k@example.com", false),
		currency: "USD", units: 50, channel: supply.OtherChannel, ref: "PayPal 3XK41907"},
	{id: "kitchen-shyryn-juice", ago: 5*day + 6*time.Hour, donor: person("ТОО «Алматы Шырын»", "sales@shyryn.example.kz", true),
		depot: "auezov-kitchen", lines: []goodsLine{
			{supply.Juice, "orange juice, 3 l jars", 240, supply.Liter, 60, false},
			{supply.Juice, "apple juice, 1 l packs", 360, supply.Piece, 90, false},
		}},
	{id: "cash-gulmira", ago: 5*day + 2*time.Hour, donor: person("Гульмира апай", "+7 701 555 0909", true),
		currency: "KZT", units: 3000, channel: supply.Cash, ref: "Handed to Madina A. at the kitchen"},
	{id: "goods-tau-su-water", ago: 4*day + 5*time.Hour, donor: person("ТОО «Тау Су»", "+7 727 555 3434", true),
		depot: "green-bazaar", lines: []goodsLine{
			{supply.Water, "still water, 5 l bottles", 240, supply.Piece, 0, true},
		}},
	{id: "kitchen-nurly-tau", ago: 3*day + 7*time.Hour, donor: person("Residents of ЖК «Нурлы Тау»", "chat admin +7 702 555 1188", true),
		depot: "auezov-kitchen", lines: []goodsLine{
			{supply.Water, "still water, 5 l bottles", 220, supply.Piece, 0, true},
			{supply.Other, "green tea and sugar", 30, supply.Box, 0, true},
			{supply.Other, "baursaks (бауырсақ), home-made", 20, supply.Box, 2, false},
		}},
	{id: "kaspi-kim", ago: 3 * day, donor: person("Марат Ким", "+7 705 555 2727", true),
		currency: "KZT", units: 12000, channel: supply.KaspiGold, ref: "KG 7215 9930"},
	{id: "transfer-alatau-logistic", ago: 2*day + 6*time.Hour, donor: person("Сотрудники «Алатау Логистик»", "hr@alataulog.example.kz", true),
		currency: "KZT", units: 150000, channel: supply.BankTransfer, ref: "п/п № 1290"},
	{id: "goods-bereke-juice", ago: 2*day + 3*time.Hour, donor: person("Магазин «Береке» на Толе би", "+7 727 555 8899", false),
		depot: "green-bazaar", lines: []goodsLine{
			{supply.Juice, "apple juice, 1 l packs", 360, supply.Piece, 120, false},
		}},
	{id: "kaspi-aigul", ago: day + 8*time.Hour, donor: person("Айгуль Т.", "+7 777 555 4141", false),
		currency: "KZT", units: 7500, channel: supply.KaspiGold, ref: "KG 8830 0071"},
	{id: "kitchen-zhailau-meals", ago: 20 * time.Hour, donor: person("Кафе «Жайлау»", "+7 727 555 6161", true),
		depot: "auezov-kitchen", lines: []goodsLine{
			{supply.Meals, "plov with beef (палау)", 260, supply.Portion, 1, false},
			{supply.Meals, "chicken soup with bread", 200, supply.Portion, 1, false},
		}, notes: "The café cooks for the kitchen every evening; keep cold."},
	{id: "goods-dostar-meals", ago: 18 * time.Hour, donor: person("Кафе «Достар»", "+7 727 555 4545", false),
		depot: "green-bazaar", lines: []goodsLine{
			{supply.Meals, "manty (мәнті) and plov", 320, supply.Portion, 1, false},
		}},
	{id: "goods-bakers-baursak", ago: 16 * time.Hour, donor: person("Пекарня «Жеті Нан»", "+7 701 555 7007", true),
		depot: "green-bazaar", lines: []goodsLine{
			{supply.Other, "baursaks (бауырсақ)", 30, supply.Box, 1, false},
		}},
	{id: "kitchen-cooks-meals", ago: 10 * time.Hour, donor: person("Volunteer cooks of the Auezov kitchen", "", true),
		depot: "auezov-kitchen", lines: []goodsLine{
			{supply.Meals, "manty (мәнті)", 240, supply.Portion, 0, false},
			{supply.Vegetables, "cucumbers and tomatoes, washed", 120, supply.Kilogram, 2, false},
		}},
}

// reversal is a gift entered twice and corrected by a reversing entry.
var reversal = struct {
	id, reversalID, reason string
	ago                    time.Duration
}{"kaspi-sadykov-again", "kaspi-sadykov-again-reversed", "Entered twice: the same Kaspi transfer as donations/kaspi-sadykov", 11*day - 2*time.Hour}

// buy is a purchase at the bazaar paid from the money given: from the
// donations it names, or else the oldest with money left.
type buy struct {
	id       string
	ago      time.Duration
	supplier string
	units    int64
	receipt  string
	funding  []string
	lines    []goodsLine
	notes    string
}

var buys = []buy{
	{id: "bazaar-first-fruit-juice", ago: 14*day + 1*time.Hour, supplier: "Зелёный базар, фруктовый ряд, ИП Ахметов", units: 99500, receipt: "чек № 000377",
		funding: []string{"transfer-qamqor-fund"},
		lines: []goodsLine{
			{supply.Fruit, "apples (Апорт)", 80, supply.Kilogram, -5, false},
			{supply.Juice, "apple juice, 1 l packs", 150, supply.Piece, 120, false},
		}, notes: "The first week's fruit and juice, paid from the fund's transfer."},
	{id: "bazaar-fruit-week-two", ago: 6*day + 2*time.Hour, supplier: "Зелёный базар, ряд 4, ИП Ли", units: 45000, receipt: "чек № 2518",
		lines: []goodsLine{{supply.Fruit, "apples and bananas", 90, supply.Kilogram, 2, false}}},
	{id: "bazaar-apples", ago: 13*day + 2*time.Hour, supplier: "Зелёный базар, фруктовый ряд, ИП Ахметов", units: 60000, receipt: "чек № 000412",
		lines: []goodsLine{{supply.Fruit, "apples (Апорт)", 200, supply.Kilogram, 9, false}}},
	{id: "bazaar-vegetables", ago: 10*day + 1*time.Hour, supplier: "Зелёный базар, овощной ряд, Мадина Ж.", units: 48000, receipt: "чек № 1187",
		lines: []goodsLine{
			{supply.Vegetables, "tomatoes", 40, supply.Kilogram, -4, false},
			{supply.Vegetables, "cucumbers", 40, supply.Kilogram, 2, false},
		}},
	{id: "bazaar-citrus", ago: 7*day + 3*time.Hour, supplier: "Зелёный базар, ряд 4, ИП Ли", units: 90000, receipt: "чек № 2290",
		lines: []goodsLine{
			{supply.Fruit, "bananas", 90, supply.Kilogram, 1, false},
			{supply.Fruit, "oranges and mandarins", 110, supply.Kilogram, 3, false},
		}, notes: "Bananas bought ripe: use first."},
	{id: "bazaar-juice-water", ago: 5 * day, supplier: "ТОО «Оптовик», Райымбека 239", units: 130000, receipt: "счёт-фактура № 0516",
		funding: []string{"transfer-bereke", "transfer-almaty-stroy"},
		lines: []goodsLine{
			{supply.Juice, "apple juice, 1 l packs", 200, supply.Piece, 150, false},
			{supply.Water, "still water, 5 l bottles", 150, supply.Piece, 0, true},
		}, notes: "Paid from the two transfers, as ИП «Береке» asked."},
	{id: "bazaar-greens", ago: 2 * day, supplier: "Зелёный базар, овощной ряд, Мадина Ж.", units: 60000, receipt: "чек № 3021",
		lines: []goodsLine{{supply.Vegetables, "cucumbers and tomatoes", 150, supply.Kilogram, 4, false}}},
	{id: "bazaar-juice-tea", ago: day + 4*time.Hour, supplier: "Зелёный базар, бакалея, ИП Сейтова", units: 115000, receipt: "чек № 3377",
		lines: []goodsLine{
			{supply.Juice, "orange juice", 150, supply.Liter, 30, false},
			{supply.Other, "green tea and sugar", 20, supply.Box, 0, true},
		}},
}

// spoiled is the lot written off: the tomatoes bought at the bazaar went
// soft before any run took them.
var spoiled = struct {
	source, description, reason string
	ago                         time.Duration
}{"bazaar-vegetables", "tomatoes", "Spoiled: went soft in the heat before a run could take them", 4 * day}

// ledgerActions plays the fortnight's ledger: gifts, the reversal, the
// purchases and the write-off, each at its time.
func ledgerActions(ctx context.Context, store supply.Store, now time.Time) []action {
	today := now.In(supply.City)
	bestBefore := func(l goodsLine) time.Time {
		if l.keeps {
			return time.Time{}
		}
		d := today.AddDate(0, 0, l.bestBefore)
		return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	}
	lines := func(ls []goodsLine) []supply.GoodsLine {
		out := make([]supply.GoodsLine, len(ls))
		for i, l := range ls {
			out[i] = supply.GoodsLine{Category: l.category, Description: l.description, Unit: l.unit,
				Quantity: supply.Quantity(l.quantity * supply.QuantityScale), BestBefore: bestBefore(l)}
		}
		return out
	}
	var actions []action
	for _, g := range gifts {
		at := now.Add(-g.ago)
		actions = append(actions, action{at, func(op supply.Op) error {
			d := &supply.Donation{ID: g.id, Donor: g.donor, ReceiveTime: at, Notes: g.notes}
			if g.depot != "" {
				d.Kind, d.DepotID, d.Lines = supply.GoodsDonation, g.depot, lines(g.lines)
			} else {
				d.Kind, d.Channel, d.PaymentReference = supply.MoneyDonation, g.channel, g.ref
				d.Amount = supply.Money{Currency: g.currency, Minor: g.units * 100}
			}
			if err := d.PrepareNew(at, supply.NewViolations("donation")); err != nil {
				return fmt.Errorf("donation %s: %w", g.id, err)
			}
			return store.Update(ctx, op, func(tx supply.Tx) error {
				_, err := supply.CreateDonation(tx, d)
				return err
			})
		}})
	}
	actions = append(actions, action{now.Add(-reversal.ago), func(op supply.Op) error {
		return store.Update(ctx, op, func(tx supply.Tx) error {
			_, err := supply.ReverseDonation(tx, reversal.id, "", reversal.reversalID, reversal.reason)
			return err
		})
	}})
	for _, b := range buys {
		at := now.Add(-b.ago)
		actions = append(actions, action{at, func(op supply.Op) error {
			p := &supply.Purchase{ID: b.id, Supplier: b.supplier, Amount: supply.Money{Currency: "KZT", Minor: b.units * 100},
				ReceiptReference: b.receipt, DepotID: "green-bazaar", Lines: lines(b.lines), PurchaseTime: at,
				FundingIDs: b.funding, Notes: b.notes}
			if err := p.PrepareNew(at, supply.NewViolations("purchase")); err != nil {
				return fmt.Errorf("purchase %s: %w", b.id, err)
			}
			if err := store.Update(ctx, op, func(tx supply.Tx) error {
				_, err := supply.CreatePurchase(tx, p)
				return err
			}); err != nil {
				return fmt.Errorf("purchase %s: %w", b.id, err)
			}
			return nil
		}})
	}
	actions = append(actions, action{now.Add(-spoiled.ago), func(op supply.Op) error {
		lots, _, err := store.ListLots(ctx, supply.LotQuery{DepotID: "green-bazaar", OnHandOnly: true, Page: supply.Page{Size: 1000}})
		if err != nil {
			return err
		}
		for _, l := range lots {
			if l.PurchaseID == spoiled.source && l.Description == spoiled.description {
				return store.Update(ctx, op, func(tx supply.Tx) error {
					_, err := supply.WriteOffLot(tx, l.DepotID, l.ID, "", l.OnHand(), spoiled.reason)
					return err
				})
			}
		}
		return fmt.Errorf("no lot of %s from purchases/%s to write off", spoiled.description, spoiled.source)
	}})
	return actions
}
