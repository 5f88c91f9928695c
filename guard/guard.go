// Package guard is the one way to personal data: children's records, the
// answers of joint audits, the content of documents and the inspection
// team's evidence. Each method takes
// the signed-in subject and does a fixed action: it asks the policy
// (authz), which mints a grant carrying the access-log entry, and hands the
// grant to the store, whose opening reads write the entry before they
// return anything. A refusal is logged here and is "not found" to the
// caller, whether the thing exists or not.
//
// Web pages, the API and console commands call this package; none of them
// may call authz.Permit or a store's Open* method themselves (the bypass
// test in this package fails the suite if any does).
package guard

import (
	"context"
	"fmt"
	"time"

	"jtai"
	"jtai/authz"
)

// Store is what the guarded service needs of storage: the access log for
// refusals, the facts the policy decides on (which agencies a child's
// audit covers), and the opening reads, each of which takes a grant.
type Store interface {
	Append(ctx context.Context, entries ...*jtai.AccessEntry) error
	AuditAgencies(ctx context.Context, inspectionID, childID int64) ([]int64, error)

	OpenChild(ctx context.Context, g authz.Grant, childID int64) (*jtai.Child, error)
	OpenChildren(ctx context.Context, g authz.Grant, ids []int64) ([]*jtai.Child, error)
	OpenChildNames(ctx context.Context, g authz.Grant, ids []int64) ([]string, error)
	OpenChildByLAChildID(ctx context.Context, g authz.Grant, laChildID string) (*jtai.Child, error)
	OpenChildPage(ctx context.Context, g authz.Grant, offset, limit int) ([]*jtai.Child, error)
	OpenAllChildren(ctx context.Context, g authz.Grant) ([]*jtai.Child, error)
	OpenChildAudit(ctx context.Context, g authz.Grant, childID int64, keys []jtai.AuditPartKey) (string, []*jtai.AuditPart, error)
	OpenDocument(ctx context.Context, g authz.Grant, d *jtai.Document) ([]byte, error)
	OpenScreening(ctx context.Context, g authz.Grant) (*jtai.StoredScreening, error)
	OpenEvidence(ctx context.Context, g authz.Grant) ([]*jtai.Evidence, error)
	OpenChildEvidence(ctx context.Context, g authz.Grant, childID int64) ([]*jtai.Evidence, error)
	OpenEvidenceTags(ctx context.Context, g authz.Grant) ([]*jtai.Evidence, error)
	OpenEvidenceDraft(ctx context.Context, g authz.Grant) (string, time.Time, error)
}

// Service is the guarded service.
type Service struct {
	store Store
}

// New returns the guarded service over st.
func New(st Store) *Service { return &Service{store: st} }

// errNotFound is every refusal as the caller sees it.
func errNotFound() error { return jtai.Errorf(jtai.ENOTFOUND, "Page not found") }

// permit asks the policy; a refusal is logged (resource and the action
// asked for) and becomes "not found".
func (s *Service) permit(ctx context.Context, sub *authz.Subject, a authz.Action, r authz.Resource, logAction, resource string) (authz.Grant, error) {
	g, err := authz.Permit(sub, a, r, logAction, resource)
	if err == nil {
		return g, nil
	}
	if jtai.IsKind(err, jtai.EUNAUTHORIZED) {
		return g, err
	}
	if lerr := s.store.Append(ctx, sub.Refusal(resource+" ("+string(a)+")")); lerr != nil {
		return g, fmt.Errorf("log a refusal: %w", lerr)
	}
	return g, errNotFound()
}

// inspectionResource is where an inspection sits, for the policy.
func inspectionResource(in *jtai.Inspection) authz.Resource {
	return authz.Resource{AreaID: in.AreaID, InspectionID: in.ID}
}

// ChildrenPage returns one page of an inspection's children (page counts
// from 1), for the children list.
func (s *Service) ChildrenPage(ctx context.Context, sub *authz.Subject, in *jtai.Inspection, page, perPage int) ([]*jtai.Child, error) {
	g, err := s.permit(ctx, sub, authz.ListChildren, inspectionResource(in), jtai.ActList, fmt.Sprintf("inspection/%d/children?page=%d", in.ID, page))
	if err != nil {
		return nil, err
	}
	return s.store.OpenChildPage(ctx, g, (page-1)*perPage, perPage)
}

// AllChildren returns every child of an inspection, to do a to them:
// authz.ScreenChildren to screen them, authz.SelectChildren to select
// from them. what names the purpose in the access log ("screening").
func (s *Service) AllChildren(ctx context.Context, sub *authz.Subject, in *jtai.Inspection, a authz.Action, what string) ([]*jtai.Child, error) {
	if a != authz.ScreenChildren && a != authz.SelectChildren && a != authz.ListChildren {
		return nil, fmt.Errorf("guard: %s does not read every child", a)
	}
	g, err := s.permit(ctx, sub, a, inspectionResource(in), jtai.ActList, fmt.Sprintf("inspection/%d/%s", in.ID, what))
	if err != nil {
		return nil, err
	}
	return s.store.OpenAllChildren(ctx, g)
}

// Screening returns the inspection's kept screening (every child's
// outcome and reasons, and the inspectors' decisions), to do a with it:
// authz.ScreenChildren to show it, authz.SelectChildren to select from
// it. what names the purpose in the access log. ENOTFOUND when none is
// kept.
func (s *Service) Screening(ctx context.Context, sub *authz.Subject, in *jtai.Inspection, a authz.Action, what string) (*jtai.StoredScreening, error) {
	if a != authz.ScreenChildren && a != authz.SelectChildren {
		return nil, fmt.Errorf("guard: %s does not read the screening", a)
	}
	g, err := s.permit(ctx, sub, a, inspectionResource(in), jtai.ActList, fmt.Sprintf("inspection/%d/%s", in.ID, what))
	if err != nil {
		return nil, err
	}
	return s.store.OpenScreening(ctx, g)
}

// childResource is where a child sits: an agency auditor reaches a child
// only through its agency's part of the child's joint audit.
func (s *Service) childResource(ctx context.Context, in *jtai.Inspection, childID int64) (authz.Resource, error) {
	agencies, err := s.store.AuditAgencies(ctx, in.ID, childID)
	if err != nil {
		return authz.Resource{}, err
	}
	r := inspectionResource(in)
	r.AuditAgencies = agencies
	return r, nil
}

// Child returns one child's record.
func (s *Service) Child(ctx context.Context, sub *authz.Subject, in *jtai.Inspection, childID int64) (*jtai.Child, error) {
	r, err := s.childResource(ctx, in, childID)
	if err != nil {
		return nil, err
	}
	g, err := s.permit(ctx, sub, authz.ViewChild, r, jtai.ActView, fmt.Sprintf("inspection/%d/child/%d", in.ID, childID))
	if err != nil {
		return nil, err
	}
	return s.store.OpenChild(ctx, g, childID)
}

// Children returns children of an inspection by id, in that order, to do
// a to them (authz.SelectChildren: to make their joint audits).
func (s *Service) Children(ctx context.Context, sub *authz.Subject, in *jtai.Inspection, a authz.Action, ids []int64, what string) ([]*jtai.Child, error) {
	g, err := s.permit(ctx, sub, a, inspectionResource(in), jtai.ActList, fmt.Sprintf("inspection/%d/%s", in.ID, what))
	if err != nil {
		return nil, err
	}
	return s.store.OpenChildren(ctx, g, ids)
}

// ChildToSelect finds a child by the local authority's identifier, for
// an inspector adding the child to the selection by hand. The identifier
// is not written to the log: it names the child.
func (s *Service) ChildToSelect(ctx context.Context, sub *authz.Subject, in *jtai.Inspection, laChildID string) (*jtai.Child, error) {
	g, err := s.permit(ctx, sub, authz.SelectChildren, inspectionResource(in), jtai.ActView, fmt.Sprintf("inspection/%d/child (by local authority ID, to select)", in.ID))
	if err != nil {
		return nil, err
	}
	return s.store.OpenChildByLAChildID(ctx, g, laChildID)
}
