package synth

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
)

// Fault rules: the problem each broken file must raise when read. They are
// the importer's rule identifiers.
const (
	FaultDateInvalid   = "date-invalid"
	FaultCodeUnknown   = "code-unknown"
	FaultColumnMissing = "column-missing"
	FaultDuplicateID   = "duplicate-id"
	FaultFileBroken    = "file-broken"
	FaultFileType      = "file-type"
	FaultFileTooLarge  = "file-too-large"
)

// writeFaults writes the broken variants under dir/faults, each named for
// its fault.
func (a *Area) writeFaults(dir string, m *Manifest) error {
	fdir := filepath.Join(dir, "faults")
	if err := os.MkdirAll(fdir, 0o755); err != nil {
		return err
	}
	add := func(name, kind, fault string, list int, data []byte) error {
		m.Files = append(m.Files, ManifestFile{Name: "faults/" + name, Kind: kind, List: list, Fault: fault, Rows: -1})
		return os.WriteFile(filepath.Join(fdir, name), data, 0o644)
	}
	// CSV faults start from list 3 (referrals) or list 7 (one row per child).
	list := func(n int, edit func(rows [][]string) [][]string) ([]byte, error) {
		var buf bytes.Buffer
		if _, err := a.WriteAnnexACSV(&buf, n, StyleOfficial); err != nil {
			return nil, err
		}
		rows, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			return nil, err
		}
		rows = edit(rows)
		buf.Reset()
		cw := csv.NewWriter(&buf)
		cw.WriteAll(rows)
		return buf.Bytes(), cw.Error()
	}
	col := func(rows [][]string, heading string) int {
		for i, h := range rows[0] {
			if h == heading {
				return i
			}
		}
		return 0
	}
	needRows := func(rows [][]string) [][]string {
		for len(rows) < 3 { // a tiny area may have no referral: make one
			rows = append(rows, append([]string{"SYN999999"}, make([]string, len(rows[0])-1)...))
			rows[len(rows)-1][col(rows, "Date of Referral")] = "01/04/2024"
			rows[len(rows)-1][col(rows, "Child Protection Plan Start Date")] = "01/04/2024"
		}
		return rows
	}
	faults := []struct {
		name  string
		list  int
		fault string
		edit  func([][]string) [][]string
	}{
		{"date-invalid-list-3.csv", 3, FaultDateInvalid, func(rows [][]string) [][]string {
			rows = needRows(rows)
			rows[1][col(rows, "Date of Birth")] = "31/02/2019"
			return rows
		}},
		{"code-unknown-list-3.csv", 3, FaultCodeUnknown, func(rows [][]string) [][]string {
			rows = needRows(rows)
			rows[1][col(rows, "Referral Source")] = "66"
			return rows
		}},
		{"column-missing-list-3.csv", 3, FaultColumnMissing, func(rows [][]string) [][]string {
			c := col(rows, "Date of Referral")
			for i := range rows {
				rows[i] = append(rows[i][:c:c], rows[i][c+1:]...)
			}
			return rows
		}},
		{"duplicate-id-list-7.csv", 7, FaultDuplicateID, func(rows [][]string) [][]string {
			rows = needRows(rows)
			return append(rows, rows[1])
		}},
	}
	for _, f := range faults {
		data, err := list(f.list, f.edit)
		if err != nil {
			return err
		}
		if err := add(f.name, FileAnnexACSV, f.fault, f.list, data); err != nil {
			return err
		}
	}
	var cin bytes.Buffer
	if _, err := a.WriteCIN(&cin); err != nil {
		return err
	}
	if err := add("file-broken-truncated.xml", FileCINXML, FaultFileBroken, 0, cin.Bytes()[:cin.Len()*2/3]); err != nil {
		return err
	}
	badDate := strings.Replace(cin.String(), "<ReferenceDate>"+iso(a.AsOf)+"<", "<ReferenceDate>2025-02-30<", 1)
	if err := add("date-invalid-census.xml", FileCINXML, FaultDateInvalid, 0, []byte(badDate)); err != nil {
		return err
	}
	pdf := []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n")
	if err := add("file-type-pdf-renamed.xlsx", FileAnnexAWorkbook, FaultFileType, 0, pdf); err != nil {
		return err
	}
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 4088)...)
	if err := add("file-type-xls-magic.xlsx", FileAnnexAWorkbook, FaultFileType, 0, ole); err != nil {
		return err
	}
	enc := append(append([]byte{}, ole...), utf16Name("EncryptedPackage")...)
	if err := add("file-type-encrypted.xlsx", FileAnnexAWorkbook, FaultFileType, 0, enc); err != nil {
		return err
	}
	bomb, err := zipBomb()
	if err != nil {
		return err
	}
	return add("file-too-large-zip-bomb.xlsx", FileAnnexAWorkbook, FaultFileTooLarge, 0, bomb)
}

func utf16Name(s string) []byte {
	var b []byte
	for _, c := range []byte(s) {
		b = append(b, c, 0)
	}
	return b
}

// zipBomb is a small workbook-shaped zip whose one sheet claims to unzip to
// 8 GiB: a reader that trusts it exhausts memory or disk.
func zipBomb() ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("xl/workbook.xml")
	if err != nil {
		return nil, err
	}
	w.Write([]byte(`<workbook/>`))
	var deflated bytes.Buffer
	fw, _ := flate.NewWriter(&deflated, flate.BestCompression)
	fw.Write(make([]byte, 1<<20))
	fw.Close()
	raw, err := zw.CreateRaw(&zip.FileHeader{
		Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate,
		CompressedSize64: uint64(deflated.Len()), UncompressedSize64: 8 << 30,
	})
	if err != nil {
		return nil, err
	}
	raw.Write(deflated.Bytes())
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
