package main

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestComposeFileRunsTwoServersOnPostgreSQL reads scripts/compose (Docker
// is not here to run it) and checks what the setup relies on.
func TestComposeFileRunsTwoServersOnPostgreSQL(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "scripts", "compose")
	text, err := os.ReadFile(filepath.Join(dir, "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	type service struct {
		Image       string `yaml:"image"`
		Build       struct{ Context, Dockerfile string }
		Environment map[string]string `yaml:"environment"`
		Volumes     []string          `yaml:"volumes"`
		Ports       []string          `yaml:"ports"`
		DependsOn   map[string]struct {
			Condition string `yaml:"condition"`
		} `yaml:"depends_on"`
		Healthcheck struct {
			Test []string `yaml:"test"`
		} `yaml:"healthcheck"`
	}
	var compose struct {
		Services map[string]service `yaml:"services"`
		Volumes  map[string]any     `yaml:"volumes"`
	}
	// Compose fills in ${VARIABLE} and ${VARIABLE:?error} from the
	// environment or .env, as here.
	variables := map[string]string{"AQJUREK_DB_PASSWORD": "pa55word"}
	text = regexp.MustCompile(`\$\{(\w+)(:?[-?][^}]*)?\}`).ReplaceAllFunc(text, func(v []byte) []byte {
		name := regexp.MustCompile(`\w+`).Find(v)
		value, ok := variables[string(name)]
		if !ok {
			t.Errorf("compose.yaml uses %s, which the README does not say to set", name)
		}
		return []byte(value)
	})
	if err := yaml.Unmarshal(text, &compose); err != nil {
		t.Fatalf("compose.yaml: %v", err)
	}
	pg, ok := compose.Services["postgres"]
	if !ok || pg.Image != "postgres:15" {
		t.Fatalf("no postgres:15 service: %+v", compose.Services)
	}
	if len(pg.Volumes) != 1 || !strings.HasSuffix(pg.Volumes[0], ":/var/lib/postgresql/data") {
		t.Errorf("postgres keeps its data on %v, want a named volume at /var/lib/postgresql/data", pg.Volumes)
	} else if volume, _, _ := strings.Cut(pg.Volumes[0], ":"); !hasKey(compose.Volumes, volume) {
		t.Errorf("volume %s is not declared under volumes: %v", volume, compose.Volumes)
	}
	if len(pg.Healthcheck.Test) == 0 || !strings.Contains(strings.Join(pg.Healthcheck.Test, " "), "pg_isready") {
		t.Errorf("postgres healthcheck %v", pg.Healthcheck.Test)
	}

	// The environment names flags serve has.
	var help bytes.Buffer
	realMain(context.Background(), []string{"serve", "-h"}, &bytes.Buffer{}, &help)
	published := map[string]bool{}
	servers := 0
	for name, s := range compose.Services {
		if name == "postgres" {
			continue
		}
		servers++
		if s.Build.Dockerfile != "Dockerfile" || s.Build.Context != "../.." {
			t.Errorf("%s builds %+v, want the repository's Dockerfile from its root", name, s.Build)
		} else if _, err := os.Stat(filepath.Join(dir, s.Build.Context, s.Build.Dockerfile)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if s.DependsOn["postgres"].Condition != "service_healthy" {
			t.Errorf("%s starts before postgres is healthy: %+v", name, s.DependsOn)
		}
		db, err := url.Parse(s.Environment["AQJUREK_DB"])
		if err != nil {
			t.Fatalf("%s: AQJUREK_DB: %v", name, err)
		}
		if db.Scheme != "postgres" || db.Host != "postgres:5432" || db.Path != "/aqjurek" || db.User.Username() != pg.Environment["POSTGRES_USER"] {
			t.Errorf("%s: AQJUREK_DB %q, want the postgres service's database", name, s.Environment["AQJUREK_DB"])
		}
		if p, _ := db.User.Password(); p != pg.Environment["POSTGRES_PASSWORD"] || p != variables["AQJUREK_DB_PASSWORD"] {
			t.Errorf("%s connects with password %q, postgres has %q", name, p, pg.Environment["POSTGRES_PASSWORD"])
		}
		for variable, want := range map[string]string{"AQJUREK_GRPC_ADDR": "0.0.0.0:9090", "AQJUREK_HTTP_ADDR": "0.0.0.0:8080"} {
			if s.Environment[variable] != want {
				t.Errorf("%s: %s=%q, want %s: serve listens on 127.0.0.1 unless told", name, variable, s.Environment[variable], want)
			}
		}
		for variable := range s.Environment {
			flag := "-" + strings.ReplaceAll(strings.ToLower(strings.TrimPrefix(variable, "AQJUREK_")), "_", "-") + " "
			if !strings.Contains(help.String(), flag) {
				t.Errorf("%s sets %s, but serve has no flag %s", name, variable, flag)
			}
		}
		var container []string
		for _, p := range s.Ports {
			host, inside, _ := strings.Cut(p, ":")
			if published[host] {
				t.Errorf("host port %s published twice", host)
			}
			published[host] = true
			container = append(container, inside)
		}
		if strings.Join(container, " ") != "8080 9090" {
			t.Errorf("%s publishes %v, want the REST gateway's 8080 and gRPC's 9090", name, s.Ports)
		}
	}
	if servers != 2 {
		t.Errorf("%d Aq Júrek servers, want two sharing the database", servers)
	}
}

func hasKey(m map[string]any, key string) bool {
	_, ok := m[key]
	return ok
}
