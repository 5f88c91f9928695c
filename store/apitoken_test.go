package store_test

import (
	"slices"
	"testing"
	"time"

	"jtai"
	"jtai/store/storetest"
)

// A token keeps its scopes and expiry; one without a name, a scope or an
// expiry within a year is refused and nothing is stored.
func TestAPITokenScopesAndExpiry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, dialect string) {
		db := storetest.Open(t, dialect, storetest.MasterKey(t))
		f := seed(t, db)
		now := time.Now().Truncate(time.Microsecond)
		for _, bad := range []*jtai.APIToken{
			{Name: "", Scopes: []jtai.Scope{jtai.ScopeRead}, ExpiresAt: now.Add(jtai.TokenLifetime)},
			{Name: "x", ExpiresAt: now.Add(jtai.TokenLifetime)},
			{Name: "x", Scopes: []jtai.Scope{"everything"}, ExpiresAt: now.Add(jtai.TokenLifetime)},
			{Name: "x", Scopes: []jtai.Scope{jtai.ScopeRead}},
			{Name: "x", Scopes: []jtai.Scope{jtai.ScopeRead}, ExpiresAt: now.Add(jtai.TokenMaxLifetime + time.Hour)},
		} {
			bad.UserID, bad.TokenHash, bad.CreatedAt = f.lead.ID, "h-bad", now
			wantKind(t, db.CreateAPIToken(ctx, bad), jtai.EINVALID)
		}
		if toks, _ := db.ListAPITokens(ctx, f.lead.ID); len(toks) != 0 {
			t.Fatalf("refused tokens stored: %d", len(toks))
		}
		tok := &jtai.APIToken{UserID: f.lead.ID, Name: "records", TokenHash: "h1", CreatedBy: "Lead", CreatedAt: now,
			ExpiresAt: now.Add(jtai.TokenLifetime), Scopes: []jtai.Scope{jtai.ScopeRead, jtai.ScopeUploadLists}}
		must(t, db.CreateAPIToken(ctx, tok))
		got, err := db.FindAPIToken(ctx, "h1")
		must(t, err)
		if !got.ExpiresAt.Equal(tok.ExpiresAt) || !slices.Equal(got.Scopes, tok.Scopes) {
			t.Errorf("stored token: expires %v scopes %v", got.ExpiresAt, got.Scopes)
		}
		if !got.Usable(now) || got.Usable(tok.ExpiresAt) || !got.Allows(jtai.ScopeUploadLists) || got.Allows(jtai.ScopeUploadDocuments) {
			t.Errorf("usable/allows wrong for %+v", got)
		}
	})
}
