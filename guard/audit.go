package guard

import (
	"context"
	"fmt"

	"jtai"
	"jtai/authz"
)

// AuditResource is where a child's joint audit sits, for the policy: the
// agencies with a part in it, from the parts as they stand.
func AuditResource(in *jtai.Inspection, parts []*jtai.AuditPart) authz.Resource {
	r := inspectionResource(in)
	for _, p := range parts {
		if p.AgencyID != 0 && !containsID(r.AuditAgencies, p.AgencyID) {
			r.AuditAgencies = append(r.AuditAgencies, p.AgencyID)
		}
	}
	return r
}

// PartResource is r narrowed to one part of the child's audit, whose whole
// audit is submitted or not.
func PartResource(r authz.Resource, p *jtai.AuditPart, auditSubmitted bool) authz.Resource {
	r.Part = &authz.Part{AgencyID: p.AgencyID, Submitted: p.Status == jtai.AuditSubmitted, AuditSubmitted: auditSubmitted}
	return r
}

func containsID(ids []int64, id int64) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}

// AuditChildNames returns, of the tracked children (with the parts of
// each), those whose audit sub may see, in order, and their names: the
// joint audits overview.
func (s *Service) AuditChildNames(ctx context.Context, sub *authz.Subject, in *jtai.Inspection, children []int64, parts map[int64][]*jtai.AuditPart) ([]int64, []string, error) {
	var ids []int64
	var g authz.Grant
	for _, id := range children {
		r := AuditResource(in, parts[id])
		if authz.Can(sub, authz.ViewAudit, r) != nil {
			continue
		}
		if len(ids) == 0 {
			var err error
			if g, err = s.permit(ctx, sub, authz.ViewAudit, r, jtai.ActList, fmt.Sprintf("inspection/%d/audits", in.ID)); err != nil {
				return nil, nil, err
			}
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		return nil, nil, nil
	}
	names, err := s.store.OpenChildNames(ctx, g, ids)
	return ids, names, err
}

// ChildAudit opens a child's joint audit for sub: the child's name, and
// the answers of those of parts that sub may read and that have been
// started. auditSubmitted says whether every part of the child's audit is
// submitted. The view of the child and each part read are logged, together,
// before anything is returned.
func (s *Service) ChildAudit(ctx context.Context, sub *authz.Subject, in *jtai.Inspection, childID int64, all, parts []*jtai.AuditPart, auditSubmitted bool) (string, []*jtai.AuditPart, error) {
	r := AuditResource(in, all)
	base := fmt.Sprintf("inspection/%d/audit/child/%d", in.ID, childID)
	g, err := s.permit(ctx, sub, authz.ViewAudit, r, jtai.ActView, fmt.Sprintf("inspection/%d/child/%d", in.ID, childID))
	if err != nil {
		return "", nil, err
	}
	var keys []jtai.AuditPartKey
	for _, p := range parts {
		if p.Status == jtai.AuditNotStarted || authz.Can(sub, authz.ReadAuditAnswers, PartResource(r, p, auditSubmitted)) != nil {
			continue
		}
		pg, err := authz.Permit(sub, authz.ReadAuditAnswers, PartResource(r, p, auditSubmitted), jtai.ActAuditRead, fmt.Sprintf("%s/part/%s/agency/%d", base, p.PartID, p.AgencyID))
		if err != nil {
			return "", nil, err
		}
		g = g.With(pg)
		keys = append(keys, p.AuditPartKey)
	}
	return s.store.OpenChildAudit(ctx, g, childID, keys)
}

// Document returns a strategic document's content.
func (s *Service) Document(ctx context.Context, sub *authz.Subject, in *jtai.Inspection, d *jtai.Document) ([]byte, error) {
	r := inspectionResource(in)
	r.Document = &authz.Document{AgencyID: d.AgencyID}
	g, err := s.permit(ctx, sub, authz.ViewDocument, r, jtai.ActDocumentRead, fmt.Sprintf("inspection/%d/documents/%d", in.ID, d.ID))
	if err != nil {
		return nil, err
	}
	return s.store.OpenDocument(ctx, g, d)
}
