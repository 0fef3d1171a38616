package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/aqjurek/tracker/internal/supply"
)

var purchases = &table[*supply.Purchase]{
	name:      "purchases",
	label:     "purchase",
	keys:      []string{"id"},
	columns:   []string{"supplier", "currency", "amount_minor", "receipt_reference", "depot_id", "purchase_time", "notes"},
	keyValues: func(p *supply.Purchase) []any { return []any{p.ID} },
	values: func(p *supply.Purchase) []any {
		return []any{p.Supplier, p.Amount.Currency, p.Amount.Minor, p.ReceiptReference, p.DepotID, formatTime(p.PurchaseTime), p.Notes}
	},
	scan: func(scan func(dest ...any) error) (*supply.Purchase, error) {
		p := &supply.Purchase{}
		var bought string
		if err := scan(&p.ID, &p.Supplier, &p.Amount.Currency, &p.Amount.Minor, &p.ReceiptReference, &p.DepotID, &bought, &p.Notes); err != nil {
			return p, err
		}
		var err error
		p.PurchaseTime, err = parseTime(bought)
		return p, err
	},
	instead:  "a purchase stays in the ledger",
	describe: func(p *supply.Purchase) string { return p.Describe() },
	children: "lines",
	load:     loadPurchaseDetails,
	write: func(t *tx, p, _ *supply.Purchase) error {
		if err := writeGoodsLines(t, "purchase_lines", "purchase_id", p.ID, p.Lines); err != nil {
			return err
		}
		for i, a := range p.Allocations {
			if _, err := t.exec("INSERT INTO allocations (purchase_id, position, donation_id, amount_minor) VALUES (?, ?, ?, ?)",
				p.ID, i, a.DonationID, a.Minor); err != nil {
				return err
			}
		}
		return nil
	},
	same: func(a, b *supply.Purchase) bool { return true }, // lines and allocations are never rewritten
}

// loadPurchaseDetails fills in the purchases' lines and allocations.
func loadPurchaseDetails(q reader, items []*supply.Purchase) error {
	byID := make(map[string]*supply.Purchase, len(items))
	ids := make([]any, len(items))
	for i, p := range items {
		byID[p.ID] = p
		p.Lines, p.Allocations = nil, nil
		ids[i] = p.ID
	}
	lines, err := loadGoodsLines(q, "purchase_lines", "purchase_id", ids)
	if err != nil {
		return err
	}
	for id, l := range lines {
		byID[id].Lines = l
	}
	rows, err := q.query(`SELECT purchase_id, donation_id, amount_minor FROM allocations
		WHERE purchase_id IN (?`+strings.Repeat(", ?", len(ids)-1)+`) ORDER BY purchase_id, position`, ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var a supply.Allocation
		if err := rows.Scan(&id, &a.DonationID, &a.Minor); err != nil {
			return err
		}
		byID[id].Allocations = append(byID[id].Allocations, a)
	}
	return rows.Err()
}

// moneyLeft selects the money donations purchases may still spend: neither
// reversed nor reversing, and holding more than their allocations.
var moneyLeft = []string{
	"kind = 'MONEY'", "reverses_id IS NULL", "reversed_by_id IS NULL",
	"amount_minor > (SELECT COALESCE(SUM(a.amount_minor), 0) FROM allocations a WHERE a.donation_id = donations.id)",
}

// GetPurchase implements supply.PurchaseStore.
func (db *DB) GetPurchase(ctx context.Context, id string) (*supply.Purchase, error) {
	return purchases.get(db.reads(ctx), supply.Name(supply.PurchasePattern, id), id)
}

// purchaseOrderColumns maps the orderable fields to their columns.
var purchaseOrderColumns = map[string]string{
	"purchase_time": "purchase_time",
	"create_time":   "create_time",
}

// ListPurchases implements supply.PurchaseStore.
func (db *DB) ListPurchases(ctx context.Context, q supply.PurchaseQuery) ([]*supply.Purchase, supply.Cursor, error) {
	var where []string
	var args []any
	if q.Currency != "" {
		where, args = append(where, "currency = ?"), append(args, q.Currency)
	}
	if q.DepotID != "" {
		where, args = append(where, "depot_id = ?"), append(args, q.DepotID)
	}
	if q.DonationID != "" {
		where = append(where, "id IN (SELECT purchase_id FROM allocations WHERE donation_id = ?)")
		args = append(args, q.DonationID)
	}
	if !q.From.IsZero() {
		where, args = append(where, "purchase_time >= ?"), append(args, formatTime(q.From))
	}
	if !q.To.IsZero() {
		where, args = append(where, "purchase_time < ?"), append(args, formatTime(q.To))
	}
	order, err := orderColumns("purchases", q.Order, purchaseOrderColumns)
	if err != nil {
		return nil, nil, err
	}
	return purchases.list(db.reads(ctx), where, args, order, q.Page)
}

// orderColumns turns a list's order into columns, ending in the id in the
// direction of the first key, so newest first stays newest first within
// one time.
func orderColumns(list string, fields []supply.OrderField, columns map[string]string) ([]column, error) {
	order := make([]column, 0, len(fields)+1)
	for _, f := range fields {
		expr, ok := columns[f.Field]
		if !ok {
			return nil, fmt.Errorf("list %s: cannot order by %q", list, f.Field)
		}
		order = append(order, column{expr: expr, desc: f.Desc})
	}
	return append(order, column{expr: "id", desc: len(order) > 0 && order[0].desc}), nil
}
