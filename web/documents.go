package web

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"

	"jtai"
	"jtai/authz"
	"jtai/theme"
	"jtai/web/upload"
)

// documentsView is the inspection's strategic documents: for each item the
// theme asks for, each agency's current version.
type documentsView struct {
	Inspection *jtai.Inspection
	Items      []documentItem
	Agencies   []*jtai.Agency // the agencies the viewer may upload for
	CanUpload  bool
	MaxMB      int
	Uploaded   *jtai.Document // the version just stored, for the banner
}

type documentItem struct {
	theme.Document
	Rows []documentRow
}

type documentRow struct {
	Agency   *jtai.Agency
	Current  *jtai.Document // nil: not supplied yet
	Versions int
}

// Size writes a byte count for people: "12 KB", "3.4 MB".
func (documentsView) Size(n int64) string { return fileSize(n) }

func fileSize(n int64) string {
	switch {
	case n < 1<<10:
		return strconv.FormatInt(n, 10) + " bytes"
	case n < 1<<20:
		return strconv.FormatInt((n+1<<9)>>10, 10) + " KB"
	}
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
}

// visibleAgencies are the agencies whose documents the viewer may see: an
// agency auditor sees its own agency's only.
func (s *Server) visibleAgencies(c *Context, in *jtai.Inspection) ([]*jtai.Agency, error) {
	all, err := s.cfg.Store.ListAgencies(c.R.Context(), in.AreaID)
	if err != nil {
		return nil, err
	}
	var out []*jtai.Agency
	for _, a := range all {
		if authz.Can(c.Subject, authz.ViewDocument, authz.Resource{AreaID: in.AreaID, InspectionID: in.ID, Document: &authz.Document{AgencyID: a.ID}}) == nil {
			out = append(out, a)
		}
	}
	return out, nil
}

func (s *Server) documentsView(c *Context, in *jtai.Inspection) (*documentsView, error) {
	th, err := s.inspectionTheme(in)
	if err != nil {
		return nil, err
	}
	agencies, err := s.visibleAgencies(c, in)
	if err != nil {
		return nil, err
	}
	docs, err := s.cfg.Store.ListDocuments(c.R.Context(), in.ID)
	if err != nil {
		return nil, err
	}
	v := &documentsView{Inspection: in, Agencies: agencies, MaxMB: jtai.MaxDocumentBytes >> 20,
		CanUpload: authz.Can(c.Subject, authz.UploadDocument, authz.Resource{AreaID: in.AreaID, InspectionID: in.ID}) == nil}
	for _, td := range th.Documents {
		item := documentItem{Document: td}
		for _, a := range agencies {
			row := documentRow{Agency: a}
			for _, d := range docs { // newest version first
				if d.AgencyID == a.ID && d.Item == td.ID {
					if row.Current == nil {
						row.Current = d
					}
					row.Versions++
				}
			}
			item.Rows = append(item.Rows, row)
		}
		v.Items = append(v.Items, item)
	}
	return v, nil
}

func (s *Server) documentsPage(c *Context) error {
	in, err := s.inspection(c, authz.ViewDocument)
	if err != nil {
		return err
	}
	v, err := s.documentsView(c, in)
	if err != nil {
		return err
	}
	if id, _ := strconv.ParseInt(c.flash().Get("uploaded"), 10, 64); id > 0 {
		if d, err := s.document(c, in, id); err == nil {
			v.Uploaded = d
		}
	}
	return s.render(c, http.StatusOK, "documents", &View{Title: "Strategic documents", Nav: "inspections", Data: v})
}

// uploadDocument stores a new version of one agency's document, checked by
// content and size. It is a plain form post: no script needed.
func (s *Server) uploadDocument(c *Context) error {
	in, err := s.inspection(c, authz.UploadDocument)
	if err != nil {
		return err
	}
	v, err := s.documentsView(c, in)
	if err != nil {
		return err
	}
	form := c.R.PostForm
	if c.upload != nil {
		form = c.upload.Value
	}
	var errs []jtai.FieldError
	item := first(form["item"])
	if !v.hasItem(item) {
		errs = append(errs, jtai.FieldError{Field: "item", Message: "Select which document this is"})
	}
	up, err := v.readUpload(c, form)
	if err != nil {
		return err
	}
	agencyID, name, content, kind := up.agencyID, up.name, up.content, up.kind
	errs = append(errs, up.errs...)
	if len(errs) > 0 {
		s.logAccess(c, jtai.ActDocumentUpload, fmt.Sprintf("inspection/%d/documents", in.ID), "rejected")
		return s.render(c, http.StatusUnprocessableEntity, "documents", &View{Title: "Strategic documents", Nav: "inspections", Data: v, Errors: errs,
			Form: map[string][]string{"item": {item}, "agency": {strconv.FormatInt(agencyID, 10)}}})
	}
	d := &jtai.Document{InspectionID: in.ID, AgencyID: agencyID, Item: item, Name: name, Kind: kind, UploadedBy: c.User.Name}
	if err := s.cfg.Store.AddDocumentVersion(c.R.Context(), d, content, s.actor(c)); err != nil {
		return err
	}
	return s.flashRedirect(c, fmt.Sprintf("/inspections/%d/documents", in.ID), url.Values{"uploaded": {strconv.FormatInt(d.ID, 10)}})
}

func first(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[0]
}

// readUpload reads an uploaded file, never more than the limit and one byte.
func readUpload(fh *upload.File) ([]byte, error) {
	return io.ReadAll(io.LimitReader(fh.Open(), jtai.MaxDocumentBytes+1))
}

func (v *documentsView) hasItem(id string) bool {
	for _, it := range v.Items {
		if it.ID == id {
			return true
		}
	}
	return false
}

func (v *documentsView) hasAgency(id int64) bool {
	for _, a := range v.Agencies {
		if a.ID == id {
			return true
		}
	}
	return false
}

// document loads one version the viewer may see: another agency's
// document is "not found" to an agency auditor, and the attempt logged.
func (s *Server) document(c *Context, in *jtai.Inspection, id int64) (*jtai.Document, error) {
	d, err := s.cfg.Store.FindDocument(c.R.Context(), in.ID, id)
	if err == nil {
		err = authz.Can(c.Subject, authz.ViewDocument, authz.Resource{AreaID: in.AreaID, InspectionID: in.ID, Document: &authz.Document{AgencyID: d.AgencyID}})
	}
	if jtai.IsKind(err, jtai.ENOTFOUND) {
		s.logAccess(c, jtai.ActDenied, fmt.Sprintf("inspection/%d/documents/%d (%s)", in.ID, id, authz.ViewDocument), "denied")
	}
	return d, err
}

type documentHistoryView struct {
	Inspection *jtai.Inspection
	Item       string // the theme's title of the document
	Agency     *jtai.Agency
	Versions   []*jtai.Document
}

// Size writes a byte count for people.
func (documentHistoryView) Size(n int64) string { return fileSize(n) }

// requestedDocument loads the inspection and the version the path names,
// asking the policy for both.
func (s *Server) requestedDocument(c *Context) (*jtai.Inspection, *jtai.Document, error) {
	in, err := s.inspection(c, authz.ViewDocument)
	if err != nil {
		return nil, nil, err
	}
	id, err := pathID(c, "doc")
	if err != nil {
		return nil, nil, err
	}
	d, err := s.document(c, in, id)
	return in, d, err
}

func (s *Server) documentHistory(c *Context) error {
	in, d, err := s.requestedDocument(c)
	if err != nil {
		return err
	}
	v := &documentHistoryView{Inspection: in, Item: d.Item}
	if th, err := s.inspectionTheme(in); err == nil {
		for _, td := range th.Documents {
			if td.ID == d.Item {
				v.Item = td.Title
			}
		}
	}
	agencies, err := s.cfg.Store.ListAgencies(c.R.Context(), in.AreaID)
	if err != nil {
		return err
	}
	for _, a := range agencies {
		if a.ID == d.AgencyID {
			v.Agency = a
		}
	}
	all, err := s.cfg.Store.ListDocuments(c.R.Context(), in.ID)
	if err != nil {
		return err
	}
	for _, x := range all {
		if x.AgencyID == d.AgencyID && x.Item == d.Item {
			v.Versions = append(v.Versions, x)
		}
	}
	return s.render(c, http.StatusOK, "document", &View{Title: v.Item, Nav: "inspections", Data: v})
}

// downloadDocument sends a version's content, opened, as an attachment;
// the store logs the read.
func (s *Server) downloadDocument(c *Context) error {
	in, d, err := s.requestedDocument(c)
	if err != nil {
		return err
	}
	content, err := s.cfg.Guard.Document(c.R.Context(), c.Subject, in, d)
	if err != nil {
		return err
	}
	h := c.W.Header()
	h.Set("Content-Type", d.Kind.ContentType())
	disposition := mime.FormatMediaType("attachment", map[string]string{"filename": d.Name})
	if disposition == "" {
		disposition = "attachment"
	}
	h.Set("Content-Disposition", disposition)
	h.Set("Content-Length", strconv.Itoa(len(content)))
	h.Set("Cache-Control", "no-store")
	_, err = c.W.Write(content)
	return err
}

// documentUpload is an uploaded document, checked for agency, size and
// content, as the page and the API both read it.
type documentUpload struct {
	agencyID int64
	name     string
	content  []byte
	kind     jtai.DocumentKind
	errs     []jtai.FieldError
}

// readUpload reads the agency and the file of an upload. An agency auditor's
// document always counts for its own agency, whatever the form says.
func (v *documentsView) readUpload(c *Context, form map[string][]string) (*documentUpload, error) {
	up := &documentUpload{}
	up.agencyID, _ = strconv.ParseInt(first(form["agency"]), 10, 64)
	if c.User.Role == jtai.RoleAgencyAuditor {
		up.agencyID = c.User.AgencyID
	}
	if !v.hasAgency(up.agencyID) {
		up.errs = append(up.errs, jtai.FieldError{Field: "agency", Message: "Select the agency the document comes from"})
	}
	if c.upload == nil || len(c.upload.File["file"]) == 0 {
		up.errs = append(up.errs, jtai.FieldError{Field: "file", Message: "Select a file to upload"})
		return up, nil
	}
	fh := c.upload.File["file"][0]
	up.name = filepath.Base(strings.ReplaceAll(fh.Filename, `\`, "/"))
	if fh.Size > jtai.MaxDocumentBytes {
		up.errs = append(up.errs, jtai.FieldError{Field: "file", Message: fmt.Sprintf("The selected file must be smaller than %d MB", jtai.MaxDocumentBytes>>20)})
		return up, nil
	}
	var err error
	if up.content, err = readUpload(fh); err != nil {
		return nil, err
	}
	if len(up.errs) == 0 {
		if up.kind, err = jtai.SniffDocument(up.name, up.content); err != nil {
			up.errs = append(up.errs, jtai.ErrorFields(err)...)
		}
	}
	return up, nil
}
