package web

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"

	"jtai"
	"jtai/authz"
)

// apiUploadDocument stores a new version of one agency's strategic
// document, with the same checks as the documents page: the theme's item,
// an agency the caller may upload for, the content's kind and size.
func (s *Server) apiUploadDocument(c *Context) error {
	in, err := s.inspection(c, authz.UploadDocument)
	if err != nil {
		return err
	}
	v, err := s.documentsView(c, in)
	if err != nil {
		return err
	}
	if isMultipart(c.R) {
		c.R.Body = http.MaxBytesReader(c.W, c.R.Body, jtai.MaxDocumentBytes+1<<20)
		if err := c.R.ParseMultipartForm(multipartMemory); err != nil {
			return jtai.Errorf(jtai.EINVALID, "The upload could not be read; the file may be larger than %d MB", jtai.MaxDocumentBytes>>20)
		}
	}
	item := c.R.PathValue("document")
	if !v.hasItem(item) {
		return jtai.Errorf(jtai.ENOTFOUND, "The theme asks for no document %q", item)
	}
	var errs []jtai.FieldError
	var form map[string][]string
	if c.R.MultipartForm != nil {
		form = c.R.MultipartForm.Value
	}
	agencyID, _ := strconv.ParseInt(first(form["agency"]), 10, 64)
	if c.User.Role == jtai.RoleAgencyAuditor {
		agencyID = c.User.AgencyID
	}
	if !v.hasAgency(agencyID) {
		errs = append(errs, jtai.FieldError{Field: "agency", Message: "Give the id of the agency the document comes from"})
	}
	var content []byte
	var name string
	if c.R.MultipartForm == nil || len(c.R.MultipartForm.File["file"]) == 0 {
		errs = append(errs, jtai.FieldError{Field: "file", Message: "Send the document as a multipart/form-data part named file"})
	} else {
		fh := c.R.MultipartForm.File["file"][0]
		name = filepath.Base(strings.ReplaceAll(fh.Filename, `\`, "/"))
		if fh.Size > jtai.MaxDocumentBytes {
			errs = append(errs, jtai.FieldError{Field: "file", Message: fmt.Sprintf("The file must be smaller than %d MB", jtai.MaxDocumentBytes>>20)})
		} else if content, err = readUpload(fh); err != nil {
			return err
		}
	}
	var kind jtai.DocumentKind
	if len(errs) == 0 {
		if kind, err = jtai.SniffDocument(name, content); err != nil {
			errs = append(errs, jtai.ErrorFields(err)...)
		}
	}
	if len(errs) > 0 {
		if err := s.logAccess(c, jtai.ActDocumentUpload, fmt.Sprintf("inspection/%d/documents", in.ID), "rejected"); err != nil {
			return err
		}
		return &apiProblems{err: &jtai.Error{Kind: jtai.EINVALID, Message: errs[0].Message}, fields: errs}
	}
	d := &jtai.Document{InspectionID: in.ID, AgencyID: agencyID, Item: item, Name: name, Kind: kind, UploadedBy: c.User.Name}
	actor := &jtai.AccessEntry{ActorID: c.User.ID, Actor: c.User.Email, Address: clientAddress(c.R)}
	if err := s.cfg.Store.AddDocumentVersion(c.R.Context(), d, content, actor); err != nil {
		return err
	}
	return writeJSON(c.W, http.StatusCreated, d)
}
