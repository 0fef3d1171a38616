package store

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/aqjurek/tracker/internal/supply"
)

// dateLayout stores a day, such as a best-before date.
const dateLayout = "2006-01-02"

func formatOptionalDate(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(dateLayout)
}

func parseOptionalDate(s sql.NullString) (time.Time, error) {
	if !s.Valid {
		return time.Time{}, nil
	}
	return time.Parse(dateLayout, s.String)
}

var donations = &table[*supply.Donation]{
	name:  "donations",
	label: "donation",
	keys:  []string{"id"},
	columns: []string{"donor_name", "donor_contact", "donor_public", "receive_time", "kind", "currency", "amount_minor",
		"channel", "payment_reference", "depot_id", "notes", "reverses_id", "reversed_by_id", "reverse_reason"},
	keyValues: func(d *supply.Donation) []any { return []any{d.ID} },
	values: func(d *supply.Donation) []any {
		var currency, amount, channel any
		if d.Kind == supply.MoneyDonation {
			currency, amount, channel = d.Amount.Currency, d.Amount.Minor, string(d.Channel)
		}
		return []any{d.Donor.DisplayName, d.Donor.Contact, boolInt(d.Donor.PublicNaming), formatTime(d.ReceiveTime), string(d.Kind),
			currency, amount, channel, d.PaymentReference, nullString(d.DepotID), d.Notes,
			nullString(d.ReversesID), nullString(d.ReversedByID), d.ReverseReason}
	},
	scan: func(scan func(dest ...any) error) (*supply.Donation, error) {
		d := &supply.Donation{}
		var received string
		var currency, channel, depot, reverses, reversedBy sql.NullString
		var amount sql.NullInt64
		if err := scan(&d.ID, &d.Donor.DisplayName, &d.Donor.Contact, &d.Donor.PublicNaming, &received, &d.Kind,
			&currency, &amount, &channel, &d.PaymentReference, &depot, &d.Notes, &reverses, &reversedBy, &d.ReverseReason); err != nil {
			return d, err
		}
		d.Amount = supply.Money{Currency: currency.String, Minor: amount.Int64}
		d.Channel = supply.Channel(channel.String)
		d.DepotID, d.ReversesID, d.ReversedByID = depot.String, reverses.String, reversedBy.String
		var err error
		d.ReceiveTime, err = parseTime(received)
		return d, err
	},
	instead:  "reverse it instead",
	describe: func(d *supply.Donation) string { return d.Describe() },
	children: "lines",
	load:     loadDonationDetails,
	write: func(t *tx, d, _ *supply.Donation) error {
		return writeGoodsLines(t, "donation_lines", "donation_id", d.ID, d.Lines)
	},
	same: func(a, b *supply.Donation) bool { return true }, // lines are never rewritten
}

// loadDonationDetails fills in the donations' goods lines, and how much
// purchases spent of each money donation.
func loadDonationDetails(q reader, items []*supply.Donation) error {
	byID := make(map[string]*supply.Donation, len(items))
	ids := make([]any, len(items))
	for i, d := range items {
		byID[d.ID] = d
		d.Lines, d.Spent = nil, 0
		ids[i] = d.ID
	}
	lines, err := loadGoodsLines(q, "donation_lines", "donation_id", ids)
	if err != nil {
		return err
	}
	for id, l := range lines {
		byID[id].Lines = l
	}
	rows, err := q.query(`SELECT donation_id, SUM(amount_minor) FROM allocations
		WHERE donation_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) GROUP BY donation_id`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var spent int64
		if err := rows.Scan(&id, &spent); err != nil {
			return err
		}
		byID[id].Spent = spent
	}
	return rows.Err()
}

// loadGoodsLines reads the goods lines of the owners with ids from table,
// whose owner column is key, in order.
func loadGoodsLines(q reader, table, key string, ids []any) (map[string][]supply.GoodsLine, error) {
	rows, err := q.query(`SELECT `+key+`, category, description, quantity, unit, best_before
		FROM `+table+` WHERE `+key+` IN (?`+strings.Repeat(", ?", len(ids)-1)+`) ORDER BY `+key+`, position`, ids...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]supply.GoodsLine{}
	for rows.Next() {
		var id string
		var l supply.GoodsLine
		var best sql.NullString
		if err := rows.Scan(&id, &l.Category, &l.Description, &l.Quantity, &l.Unit, &best); err != nil {
			return nil, err
		}
		if l.BestBefore, err = parseOptionalDate(best); err != nil {
			return nil, err
		}
		out[id] = append(out[id], l)
	}
	return out, rows.Err()
}

// writeGoodsLines stores a new owner's goods lines in table, whose owner
// column is key.
func writeGoodsLines(t *tx, table, key, id string, lines []supply.GoodsLine) error {
	for i, l := range lines {
		if _, err := t.exec(`INSERT INTO `+table+` (`+key+`, position, category, description, quantity, unit, best_before)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, id, i, string(l.Category), l.Description, int64(l.Quantity), string(l.Unit),
			formatOptionalDate(l.BestBefore)); err != nil {
			return err
		}
	}
	return nil
}

// GetDonation implements supply.DonationStore.
func (db *DB) GetDonation(ctx context.Context, id string) (*supply.Donation, error) {
	return donations.get(db.reads(ctx), supply.Name(supply.DonationPattern, id), id)
}

// donationOrderColumns maps the orderable fields to their columns.
var donationOrderColumns = map[string]string{
	"receive_time": "receive_time",
	"create_time":  "create_time",
}

// ListDonations implements supply.DonationStore.
func (db *DB) ListDonations(ctx context.Context, q supply.DonationQuery) ([]*supply.Donation, supply.Cursor, error) {
	var where []string
	var args []any
	if q.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, string(q.Kind))
	}
	if q.Currency != "" {
		where, args = append(where, "currency = ?"), append(args, q.Currency)
	}
	if q.DepotID != "" {
		where, args = append(where, "depot_id = ?"), append(args, q.DepotID)
	}
	if !q.From.IsZero() {
		where, args = append(where, "receive_time >= ?"), append(args, formatTime(q.From))
	}
	if !q.To.IsZero() {
		where, args = append(where, "receive_time < ?"), append(args, formatTime(q.To))
	}
	if q.MoneyLeft {
		where = append(where, moneyLeft...)
	}
	order, err := orderColumns("donations", q.Order, donationOrderColumns)
	if err != nil {
		return nil, nil, err
	}
	return donations.list(db.reads(ctx), where, args, order, q.Page)
}
