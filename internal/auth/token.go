// Package auth authenticates callers by bearer token and authorizes each
// method by role, in one place for gRPC and REST alike (the gateway calls
// the gRPC server). It knows no transport: the server reads a call's token
// and client address and turns auth's domain errors into statuses.
// Scoping to a hospital or a driver is done by the services, which know
// what each resource belongs to.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aqjurek/tracker/internal/supply"
)

// Token is a stored bearer token: who it is for and what it may do. The
// secret itself is never stored, only its hash.
type Token struct {
	ID          string
	Name        string
	Role        string
	HospitalID  string
	VolunteerID string
	// Demo marks the tokens `serve --demo` issues; they are replaced at
	// every demo start.
	Demo       bool
	SecretHash []byte
	CreateTime time.Time
	LastUsed   time.Time
	RevokeTime time.Time
}

// Actor is who a token acts as.
func (t *Token) Actor() supply.Actor {
	return supply.Actor{Name: t.Name, Role: t.Role, HospitalID: t.HospitalID, VolunteerID: t.VolunteerID, TokenID: t.ID}
}

// Scope names what the token is limited to: its hospital for staff, its
// volunteer for a driver, or "" when it is not limited.
func (t *Token) Scope() string {
	switch {
	case t.HospitalID != "":
		return supply.Name(supply.HospitalPattern, t.HospitalID)
	case t.VolunteerID != "":
		return supply.Name(supply.VolunteerPattern, t.VolunteerID)
	}
	return ""
}

// Store keeps tokens.
type Store interface {
	CreateToken(ctx context.Context, t *Token) error
	// GetToken returns a token by id, revoked or not, or a NotFound error.
	GetToken(ctx context.Context, id string) (*Token, error)
	ListTokens(ctx context.Context) ([]*Token, error)
	// RevokeToken revokes a token; NotFound when there is none.
	RevokeToken(ctx context.Context, id string, at time.Time) error
	// TouchToken records that a token was used.
	TouchToken(ctx context.Context, id string, at time.Time) error
	// RevokeDemoTokens revokes every token the demo issued.
	RevokeDemoTokens(ctx context.Context, at time.Time) error
}

// prefix starts every token, so a leaked one is easy to recognise.
const prefix = "aqj"

var encoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// Issue makes a new token for the actor's role and scope. It returns the
// token to store and the bearer string, which is shown once and never kept.
func Issue(name, role, hospitalID, volunteerID string, now time.Time) (*Token, string, error) {
	v := supply.NewViolations("")
	switch role {
	case supply.RoleAdmin, supply.RoleCoordinator:
		if hospitalID != "" || volunteerID != "" {
			v.Add("role", "a %s token is not bound to a hospital or a volunteer", role)
		}
	case supply.RoleStaff:
		if hospitalID == "" || volunteerID != "" {
			v.Add("hospital", "a staff token needs --hospital, and no --volunteer")
		}
	case supply.RoleDriver:
		if volunteerID == "" || hospitalID != "" {
			v.Add("volunteer", "a driver token needs --volunteer, and no --hospital")
		}
	default:
		v.Add("role", "role must be one of %s", strings.Join(supply.Roles, ", "))
	}
	if strings.TrimSpace(name) == "" || len([]rune(name)) > 200 {
		v.Add("name", "name must name the person or device, in at most 200 characters")
	}
	supply.CheckName(v, "name", name)
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	idBytes, secret := make([]byte, 5), make([]byte, 20) // 40-bit id, 160-bit secret
	if _, err := rand.Read(idBytes); err != nil {
		return nil, "", err
	}
	if _, err := rand.Read(secret); err != nil {
		return nil, "", err
	}
	id := encoding.EncodeToString(idBytes)
	secretText := encoding.EncodeToString(secret)
	hash := sha256.Sum256([]byte(secretText))
	t := &Token{ID: id, Name: name, Role: role, HospitalID: hospitalID, VolunteerID: volunteerID, SecretHash: hash[:], CreateTime: now}
	return t, fmt.Sprintf("%s_%s_%s", prefix, id, secretText), nil
}

// errInvalid is the one answer to any bad token, so a caller learns
// nothing about which part was wrong.
var errInvalid = supply.Errorf(supply.Unauthenticated, "missing or invalid bearer token")

// Verify checks a bearer string against the store and returns its token.
func Verify(ctx context.Context, store Store, bearer string) (*Token, error) {
	parts := strings.Split(bearer, "_")
	if len(parts) != 3 || parts[0] != prefix || parts[1] == "" || parts[2] == "" {
		return nil, errInvalid
	}
	t, err := store.GetToken(ctx, parts[1])
	if err != nil {
		var de *supply.Error
		if errors.As(err, &de) && de.Code == supply.NotFound {
			return nil, errInvalid
		}
		return nil, err
	}
	hash := sha256.Sum256([]byte(parts[2]))
	if subtle.ConstantTimeCompare(hash[:], t.SecretHash) != 1 || !t.RevokeTime.IsZero() {
		return nil, errInvalid
	}
	return t, nil
}
