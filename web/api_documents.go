package web

import (
	"fmt"
	"net/http"

	"jtai"
	"jtai/authz"
)

// apiUploadDocument stores a new version of one agency's strategic
// document, with the same checks as the documents page: the theme's item,
// an agency the caller may upload for, the content's kind and size.
func (s *Server) apiUploadDocument(c *Context) error {
	if err := s.needScope(c, jtai.ScopeUploadDocuments); err != nil {
		return err
	}
	in, err := s.inspection(c, authz.UploadDocument)
	if err != nil {
		return err
	}
	v, err := s.documentsView(c, in)
	if err != nil {
		return err
	}
	if isMultipart(c.R) {
		if _, err := c.multipart(jtai.MaxDocumentBytes+1<<20, fmt.Sprintf("The upload could not be read; the file may be larger than %d MB", jtai.MaxDocumentBytes>>20)); err != nil {
			return err
		}
	}
	item := c.R.PathValue("document")
	if !v.hasItem(item) {
		return jtai.Errorf(jtai.ENOTFOUND, "The theme asks for no document %q", item)
	}
	var form map[string][]string
	if c.upload != nil {
		form = c.upload.Value
	}
	up, err := v.readUpload(c, form)
	if err != nil {
		return err
	}
	agencyID, name, content, kind, errs := up.agencyID, up.name, up.content, up.kind, up.errs
	if len(errs) > 0 {
		if err := s.logAccess(c, jtai.ActDocumentUpload, fmt.Sprintf("inspection/%d/documents", in.ID), "rejected"); err != nil {
			return err
		}
		return &apiProblems{err: &jtai.Error{Kind: jtai.EINVALID, Message: errs[0].Message}, fields: errs}
	}
	d := &jtai.Document{InspectionID: in.ID, AgencyID: agencyID, Item: item, Name: name, Kind: kind, UploadedBy: c.User.Name}
	if err := s.cfg.Store.AddDocumentVersion(c.R.Context(), d, content, s.actor(c)); err != nil {
		return err
	}
	return writeJSON(c.W, http.StatusCreated, d)
}
