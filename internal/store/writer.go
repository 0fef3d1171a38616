package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/aqjurek/tracker/internal/supply"
)

// maxBatch is how many changes one commit carries at most.
const maxBatch = 128

// tx is one change's view of the write transaction, with the time and the
// operation it serves.
//
// A change's statements run under the transaction's context, never a
// caller's: in SQLite, interrupting a statement inside a transaction rolls
// the whole transaction back, and with it the other changes of its group,
// whose callers did not give up. So tx takes no context: exec, query and
// queryRow are the only ways to run a statement in a change, and the
// transaction itself is reached by the writer alone (a test holds every
// other file to that).
type tx struct {
	sqlTx *sql.Tx
	// ctx is the change's caller's context without its cancellation.
	ctx context.Context
	now time.Time
	op  operation
	// unscoped marks the view of a change that reaches every record,
	// whatever its actor reaches (see Tx.Unscoped).
	unscoped bool
}

// reach is the scope of the change's actor, which its reads keep to.
func (t *tx) reach() supply.Scope {
	if t.unscoped {
		return supply.Scope{}
	}
	return t.op.Actor.Scope()
}

func (t *tx) exec(query string, args ...any) (sql.Result, error) {
	return t.sqlTx.ExecContext(t.ctx, query, args...)
}

func (t *tx) query(query string, args ...any) (*sql.Rows, error) {
	return t.sqlTx.QueryContext(t.ctx, query, args...)
}

func (t *tx) queryRow(query string, args ...any) *sql.Row {
	return t.sqlTx.QueryRowContext(t.ctx, query, args...)
}

// job is one change waiting for the writer.
type job struct {
	ctx  context.Context
	op   supply.Op
	fn   func(*tx) error
	done chan error
}

var errClosed = errors.New("the database is closed")

// update runs fn as one change and returns once it is committed, so a change
// and its event row are stored together or not at all.
//
// Changes are committed in groups: the writer takes every change waiting,
// up to maxBatch, runs each in its own savepoint inside one transaction, and
// commits once. A change that fails rolls back to its savepoint alone; each
// is acknowledged only after the commit that holds it. Under load one fsync
// then carries many changes instead of one.
func (db *DB) update(ctx context.Context, op supply.Op, fn func(*tx) error) error {
	j := &job{ctx: ctx, op: op, fn: fn, done: make(chan error, 1)}
	select {
	case db.jobs <- j:
	case <-db.closed:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-j.done:
		return err
	case <-ctx.Done():
		// The writer skips a change whose caller has gone before it runs;
		// one already running finishes (a retry with its request id is safe).
		return ctx.Err()
	}
}

// write is the one writer: it commits the waiting changes in groups until
// the database closes.
func (db *DB) write() {
	defer close(db.writerDone)
	for {
		var batch []*job
		select {
		case j := <-db.jobs:
			batch = append(batch, j)
		case <-db.closed:
			return
		}
	collect:
		for len(batch) < maxBatch {
			select {
			case j := <-db.jobs:
				batch = append(batch, j)
			default:
				break collect
			}
		}
		db.commit(batch)
	}
}

// retries is how many times a group whose transaction PostgreSQL rolled
// back (a serialization failure or a deadlock, which its lock on the log
// should leave only to operators' own statements) is run again.
const retries = 5

// commit runs a group of changes in one transaction, running the whole group
// again when the engine rolled the transaction back for a reason a retry
// cures: nothing of it was stored, so nothing is done twice.
func (db *DB) commit(batch []*job) {
	for attempt := 0; ; attempt++ {
		done, err := db.tryCommit(batch)
		if err != nil && retryable(err) && attempt < retries {
			time.Sleep(time.Duration(attempt+1) * 10 * time.Millisecond)
			continue
		}
		for _, j := range done {
			j.done <- translate(err)
		}
		if err == nil && len(done) > 0 {
			db.notify()
		}
		return
	}
}

// tryCommit runs a group of changes in one transaction. It answers the
// changes that failed alone (and those whose callers left) and returns the
// others, to be answered with err: nil once committed.
func (db *DB) tryCommit(batch []*job) (done []*job, err error) {
	// The transaction's context is not any caller's: in SQLite, interrupting
	// a statement inside a transaction rolls the whole transaction back,
	// other callers' changes with it.
	ctx := context.Background()
	t, err := db.writeDB.BeginTx(ctx, nil)
	if err != nil {
		return batch, err
	}
	if db.engine.lockWrites != "" {
		if _, err := t.Exec(db.engine.lockWrites); err != nil {
			t.Rollback()
			return batch, err
		}
	}
	// Every job gets exactly one answer: done holds those waiting for the
	// commit; the others were answered as they ran, unless the whole group
	// is to run again.
	var answers []func()
	answer := func(j *job, err error) { answers = append(answers, func() { j.done <- err }) }
	abort := func(rest []*job, err error) ([]*job, error) {
		t.Rollback()
		if retryable(err) {
			return batch, err
		}
		for _, a := range answers {
			a()
		}
		for _, r := range rest {
			r.done <- supply.Errorf(supply.Unavailable, "the database could not take the change; retry")
		}
		return done, err
	}
	for i, j := range batch {
		if err := j.ctx.Err(); err != nil {
			answer(j, err)
			continue
		}
		if _, err := t.Exec("SAVEPOINT change"); err != nil {
			return abort(batch[i:], err)
		}
		err := run(j, &tx{sqlTx: t, ctx: context.WithoutCancel(j.ctx), now: cmp.Or(j.op.Time.UTC().Truncate(time.Microsecond), db.now()), op: operation{j.op}})
		if err != nil {
			if retryable(err) {
				return abort(nil, err)
			}
			if _, rerr := t.Exec("ROLLBACK TO change"); rerr != nil {
				answer(j, translate(err))
				return abort(db.rest(batch, j), rerr)
			}
			answer(j, translate(err))
		} else {
			done = append(done, j)
		}
		if _, err := t.Exec("RELEASE change"); err != nil {
			return abort(db.rest(batch, j), err)
		}
	}
	if len(done) > 0 && db.engine.announce != nil {
		if err := db.engine.announce(ctx, t, db.channel); err != nil {
			return abort(nil, err)
		}
	}
	if err := t.Commit(); err != nil {
		if retryable(err) {
			return batch, err
		}
		for _, a := range answers {
			a()
		}
		return done, err
	}
	for _, a := range answers {
		a()
	}
	return done, nil
}

// run runs one change. A panic in it (a bug) fails that change alone, with
// its stack for the log, instead of taking the writer and the server down.
func run(j *job, t *tx) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic in a change: %v\n%s", p, debug.Stack())
		}
	}()
	return j.fn(t)
}

// rest returns the changes of a batch after j, which never ran.
func (db *DB) rest(batch []*job, j *job) []*job {
	for i, b := range batch {
		if b == j {
			return batch[i+1:]
		}
	}
	return nil
}
