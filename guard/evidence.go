package guard

import (
	"context"
	"fmt"
	"time"

	"jtai"
	"jtai/authz"
)

// Evidence returns the inspection's evidence records with their notes,
// for the inspection team.
func (s *Service) Evidence(ctx context.Context, sub *authz.Subject, in *jtai.Inspection) ([]*jtai.Evidence, error) {
	g, err := s.permit(ctx, sub, authz.ViewEvidence, inspectionResource(in), jtai.ActEvidenceRead, fmt.Sprintf("inspection/%d/evidence", in.ID))
	if err != nil {
		return nil, err
	}
	return s.store.OpenEvidence(ctx, g)
}

// ChildEvidence returns the evidence records on one selected child, with
// their notes, for the inspection team: they read beside the child's
// joint audit.
func (s *Service) ChildEvidence(ctx context.Context, sub *authz.Subject, in *jtai.Inspection, childID int64) ([]*jtai.Evidence, error) {
	g, err := s.permit(ctx, sub, authz.ViewEvidence, inspectionResource(in), jtai.ActEvidenceRead, fmt.Sprintf("inspection/%d/evidence/child/%d", in.ID, childID))
	if err != nil {
		return nil, err
	}
	return s.store.OpenChildEvidence(ctx, g, childID)
}

// EvidenceTags returns what each of the inspection's evidence records
// bears on, without the notes, for the team's evidence picture.
func (s *Service) EvidenceTags(ctx context.Context, sub *authz.Subject, in *jtai.Inspection) ([]*jtai.Evidence, error) {
	g, err := s.permit(ctx, sub, authz.ViewEvidence, inspectionResource(in), jtai.ActEvidenceRead, fmt.Sprintf("inspection/%d/evidence/picture", in.ID))
	if err != nil {
		return nil, err
	}
	return s.store.OpenEvidenceTags(ctx, g)
}

// EvidenceDraft returns the draft of an evidence record sub keeps on the
// inspection, and when it was saved; empty when there is none.
func (s *Service) EvidenceDraft(ctx context.Context, sub *authz.Subject, in *jtai.Inspection) (string, time.Time, error) {
	g, err := s.permit(ctx, sub, authz.RecordEvidence, inspectionResource(in), jtai.ActEvidenceRead, fmt.Sprintf("inspection/%d/evidence/draft", in.ID))
	if err != nil {
		return "", time.Time{}, err
	}
	return s.store.OpenEvidenceDraft(ctx, g)
}
