package store

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestOnlyTheWriterReachesTheTransaction holds the package to what tx
// promises: a change runs its statements through tx's exec, query and
// queryRow, under the transaction's context, and never reaches the
// *sql.Tx itself, where it could pass its caller's context. It reads the
// package's source, not a database, so it runs once for both engines.
func TestOnlyTheWriterReachesTheTransaction(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		if name == "writer.go" || strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "sqlTx" {
				t.Errorf("%s: a change runs its statements through tx's exec, query and queryRow, not its sqlTx", fset.Position(sel.Pos()))
			}
			return true
		})
	}
}
