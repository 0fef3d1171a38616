package store

import (
	"context"
	"database/sql"
	"errors"
	"reflect"
	"slices"
	"strings"

	"github.com/aqjurek/tracker/internal/supply"
)

// querier is what the read pool and a read transaction offer.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// reader is where the code every resource shares reads: a change's write
// transaction (*tx), or the read pool under a caller's context (pool). It
// takes no context, so a read inside a change can only run under the
// transaction's. Its reach is the scope of the actor it reads for, which
// table.get and table.list apply to every read.
type reader interface {
	query(query string, args ...any) (*sql.Rows, error)
	queryRow(query string, args ...any) *sql.Row
	reach() supply.Scope
}

// pool is the read pool under one caller's context. A read there shares no
// transaction with anyone, so it stops when its caller gives up.
type pool struct {
	ctx   context.Context
	db    *sql.DB
	scope supply.Scope
}

// reads returns the read pool under ctx, reaching what the actor ctx
// carries reaches.
func (db *DB) reads(ctx context.Context) pool {
	return pool{ctx: ctx, db: db.read, scope: supply.ActorFrom(ctx).Scope()}
}

func (p pool) reach() supply.Scope { return p.scope }

func (p pool) query(query string, args ...any) (*sql.Rows, error) {
	return p.db.QueryContext(p.ctx, query, args...)
}

func (p pool) queryRow(query string, args ...any) *sql.Row {
	return p.db.QueryRowContext(p.ctx, query, args...)
}

// record is what every stored resource is.
type record[T any] interface {
	Metadata() *supply.Meta
	Name() string
	Clone() T
}

// table says how one kind of resource is stored; its methods hold the
// create, get, list, update and delete logic every resource shares.
type table[T record[T]] struct {
	name  string // the SQL table
	label string // the resource in messages, e.g. "hospital"
	// keys are the primary key columns; columns are the others, without
	// create_time, update_time and revision, which every table has.
	keys, columns []string
	keyValues     func(T) []any
	values        func(T) []any
	// scan reads keys and columns, in that order, through scan.
	scan func(scan func(dest ...any) error) (T, error)
	// describe names the resource for the event log, e.g. `"ICU" of hospitals/gkb7`.
	describe func(T) string
	// hospital and volunteer are who a resource belongs to, for scoping events.
	hospital  func(T) string
	volunteer func(T) string

	// children, when set, name rows in other tables: load fills them in,
	// write stores them in place of prev's (the zero T when the resource is
	// new and has none yet), same compares them.
	children string
	load     func(r reader, items []T) error
	write    func(t *tx, item, prev T) error
	same     func(a, b T) bool
	// scoped, when set, is the condition on rows that keeps a read within
	// a scope: the one place the store applies an actor's reach. It
	// returns "" when the scope does not narrow the table.
	scoped func(s supply.Scope) (where string, args []any)
	// instead says what to do rather than delete a resource in use.
	instead string
}

func (tb *table[T]) selectSQL() string {
	return "SELECT " + strings.Join(tb.keys, ", ") + ", " + strings.Join(tb.columns, ", ") +
		", create_time, update_time, revision FROM " + tb.name
}

func (tb *table[T]) whereKeys() string {
	parts := make([]string, len(tb.keys))
	for i, k := range tb.keys {
		parts[i] = k + " = ?"
	}
	return strings.Join(parts, " AND ")
}

// scanRow scans one row of selectSQL, then extra.
func (tb *table[T]) scanRow(scan func(dest ...any) error, extra ...any) (T, error) {
	var created, updated string
	var revision int64
	item, err := tb.scan(func(dest ...any) error {
		return scan(append(append(dest, &created, &updated, &revision), extra...)...)
	})
	if err != nil {
		return item, err
	}
	m := item.Metadata()
	if m.CreateTime, err = parseTime(created); err != nil {
		return item, err
	}
	if m.UpdateTime, err = parseTime(updated); err != nil {
		return item, err
	}
	m.Etag = etag(created, revision)
	return item, nil
}

// within returns the condition keeping a read within the reader's reach,
// and its arguments; "" when it reaches the whole table.
func (tb *table[T]) within(r reader) (string, []any) {
	if tb.scoped == nil {
		return "", nil
	}
	return tb.scoped(r.reach())
}

// get reads one resource; name is its resource name, for the NotFound
// message. A resource out of the reader's reach is not found.
func (tb *table[T]) get(r reader, name string, keys ...any) (T, error) {
	query := tb.selectSQL() + " WHERE " + tb.whereKeys()
	if cond, args := tb.within(r); cond != "" {
		query += " AND " + cond
		keys = append(slices.Clip(keys), args...)
	}
	row := r.queryRow(query, keys...)
	item, err := tb.scanRow(row.Scan)
	if errors.Is(err, sql.ErrNoRows) {
		return item, supply.NotFoundf(name)
	}
	if err != nil {
		return item, err
	}
	if tb.load != nil {
		err = tb.load(r, []T{item})
	}
	return item, err
}

// list reads one page of resources matching where, in order, within the
// reader's reach; the order must end in a unique key. It returns the cursor
// of the next page, or nil.
func (tb *table[T]) list(r reader, where []string, args []any, order []column, page supply.Page) ([]T, supply.Cursor, error) {
	if cond, condArgs := tb.within(r); cond != "" {
		where = append(slices.Clip(where), cond)
		args = append(slices.Clip(args), condArgs...)
	}
	query, args, err := tb.listSQL(where, args, order, page)
	if err != nil {
		return nil, nil, err
	}
	rows, err := r.query(query, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var items []T
	var cursor supply.Cursor
	more := false
	for rows.Next() {
		if len(items) == page.Size {
			more = true // the extra row only says there is a next page
			break
		}
		key := make([]any, len(order))
		dest := make([]any, len(order))
		for i := range key {
			dest[i] = &key[i]
		}
		item, err := tb.scanRow(rows.Scan, dest...)
		if err != nil {
			return nil, nil, err
		}
		items = append(items, item)
		cursor = key
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	rows.Close()
	if !more {
		cursor = nil
	}
	if tb.load != nil && len(items) > 0 {
		if err := tb.load(r, items); err != nil {
			return nil, nil, err
		}
	}
	return items, cursor, nil
}

// listSQL is the query of one page: the rows matching where, after the
// page's cursor, in order, one more than the page holds, with the sort key
// of each row after its columns.
func (tb *table[T]) listSQL(where []string, args []any, order []column, page supply.Page) (string, []any, error) {
	after, afterArgs, err := keyset(order, page.After)
	if err != nil {
		return "", nil, err
	}
	if after != "" {
		where = append(where, after)
		args = append(args, afterArgs...)
	}
	query := tb.selectSQL()
	if len(where) > 0 {
		query += " WHERE " + strings.Join(where, " AND ")
	}
	exprs := make([]string, len(order))
	for i, c := range order {
		exprs[i] = c.expr
	}
	query = strings.Replace(query, " FROM ", ", "+strings.Join(exprs, ", ")+" FROM ", 1)
	query += " ORDER BY " + orderSQL(order) + " LIMIT ?"
	return query, append(args, page.Size+1), nil
}

// create stores a new resource with its event. A retry under the same
// request id returns the resource the first call created.
func (tb *table[T]) create(ctx context.Context, db *DB, item T, op supply.Op) (T, error) {
	var result T
	err := db.update(ctx, op, func(t *tx) error {
		if prior, found, err := t.replay(); err != nil || found {
			if err == nil {
				result, err = tb.getByName(t, prior)
			}
			return err
		}
		if err := tb.insert(t, item); err != nil {
			return err
		}
		if err := t.remember(item.Name()); err != nil {
			return err
		}
		result = item
		return nil
	})
	if err != nil {
		// A caller that gave up returns while the change may still run:
		// result is then the writer's, not to be read.
		var none T
		return none, err
	}
	return result, nil
}

// insert writes a new resource inside t, with its children and the event
// of its creation.
func (tb *table[T]) insert(t *tx, item T) error {
	if err := tb.insertRow(t, item); err != nil {
		return err
	}
	return t.event(supply.EventCreated, item.Name(), tb.label+" "+tb.describe(item)+" created", tb.scope(item))
}

// insertRow writes a new resource inside t, with its children: the
// engine's part of a create, which checks nothing and logs nothing. Its
// times and etag are set.
func (tb *table[T]) insertRow(t *tx, item T) error {
	m := item.Metadata()
	m.CreateTime, m.UpdateTime = t.now, t.now
	cols := append(append([]string{}, tb.keys...), tb.columns...)
	cols = append(cols, "create_time", "update_time", "revision")
	args := append(tb.keyValues(item), tb.values(item)...)
	args = append(args, formatTime(t.now), formatTime(t.now), 1)
	_, err := t.exec("INSERT INTO "+tb.name+" ("+strings.Join(cols, ", ")+") VALUES (?"+
		strings.Repeat(", ?", len(cols)-1)+")", args...)
	if err := translate(err); err != nil {
		var de *supply.Error
		if errors.As(err, &de) && de.Code == supply.AlreadyExists {
			return supply.Errorf(supply.AlreadyExists, "%s already exists", item.Name())
		}
		return err
	}
	if tb.write != nil {
		var none T
		if err := tb.write(t, item, none); err != nil {
			return err
		}
	}
	// What was written is what a read would return: no need to read it.
	item.Metadata().Etag = etag(formatTime(t.now), 1)
	return nil
}

// remove deletes a resource's row inside t: the engine's part of a
// delete. The foreign keys are the safety net under the domain's checks:
// a row other records still name is refused, saying what to do instead.
func (tb *table[T]) remove(t *tx, item T) error {
	if err := reaches(t, tb, item); err != nil {
		return err
	}
	if _, err := t.exec("DELETE FROM "+tb.name+" WHERE "+tb.whereKeys(), tb.keyValues(item)...); err != nil {
		if err := translate(err); err != nil {
			var de *supply.Error
			if errors.As(err, &de) && de.Code == supply.FailedPrecondition {
				return supply.Errorf(supply.FailedPrecondition, "%s is still in use and cannot be deleted; %s", item.Name(), tb.instead)
			}
		}
		return err
	}
	return nil
}

// getByName reads a resource by its name, for replays that know only the name.
func (tb *table[T]) getByName(r reader, name string) (T, error) {
	segments := strings.Split(name, "/")
	var keys []any
	for i := 1; i < len(segments); i += 2 {
		keys = append(keys, segments[i])
	}
	return tb.get(r, name, keys...)
}

// put writes a changed resource's row, and its children when they differ
// from prev's, and moves its revision on; item's update time and etag
// follow.
func (tb *table[T]) put(t *tx, item, prev T) error {
	sets := make([]string, len(tb.columns))
	for i, c := range tb.columns {
		sets[i] = c + " = ?"
	}
	args := append(tb.values(item), formatTime(t.now))
	args = append(args, tb.keyValues(item)...)
	var revision int64
	if err := t.queryRow("UPDATE "+tb.name+" SET "+strings.Join(sets, ", ")+
		", update_time = ?, revision = revision + 1 WHERE "+tb.whereKeys()+" RETURNING revision", args...).Scan(&revision); err != nil {
		return err
	}
	// The resource now reads as item with these: no need to read it back.
	m := item.Metadata()
	m.UpdateTime = t.now
	m.Etag = etag(formatTime(m.CreateTime), revision)
	if tb.same != nil && !tb.same(prev, item) {
		return tb.write(t, item, prev)
	}
	return nil
}

// changed names what differs between two versions of a resource: its
// columns, and its children by their name.
func (tb *table[T]) changed(before, after T) []string {
	names := changedColumns(tb.columns, tb.values(before), tb.values(after))
	if tb.same != nil && !tb.same(before, after) {
		names = append(names, tb.children)
	}
	return names
}

// scope says whom a resource's events concern.
func (tb *table[T]) scope(item T) scope {
	var s scope
	if tb.hospital != nil {
		s.hospitalID = tb.hospital(item)
	}
	if tb.volunteer != nil {
		s.volunteerID = tb.volunteer(item)
	}
	return s
}

func changedColumns(columns []string, before, after []any) []string {
	var changed []string
	for i, c := range columns {
		if !reflect.DeepEqual(before[i], after[i]) {
			changed = append(changed, c)
		}
	}
	return changed
}
