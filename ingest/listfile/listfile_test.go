package listfile

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"

	"jtai/ingest"
	"jtai/ingest/annexa"
)

// readData reads data as the file name, counting the records it hands on.
func readData(t *testing.T, name string, data []byte) (*ingest.Summary, int, error) {
	t.Helper()
	n := 0
	sum, err := Read(bytes.NewReader(data), int64(len(data)), name, ingest.Limits{}, func(ingest.Record) error { n++; return nil })
	return sum, n, err
}

// docx is a minimal Word document: a zip holding word/document.xml.
func docx(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	w, err := z.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(`<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body/></w:document>`))
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestOtherFilesNamedForWhatTheyAre(t *testing.T) {
	ole := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 1024)...)
	// Column names of the SSDA903 return's files, as the DfE's SSDA903
	// guide gives them; the values are invented.
	header := "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\r\n100001,1,03/05/2019,WBRI,A123456789012,,\r\n"
	episodes := "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\r\n" +
		"100001,01/04/2024,S,C2,N1,U1,PR1,,X1,,ZZ1 1ZZ,ZZ2 2ZZ,SC999999\r\n"
	tests := []struct {
		name string
		data []byte
		says string
	}{
		{"header.csv", []byte(header), "this looks like the header file of an SSDA903 return (the children looked after return to the Department for Education), not a list of children that jtai reads: the children in care it names belong in Annex A list 8 (Children in care)."},
		{"episodes.csv", []byte(episodes), "the episodes file of an SSDA903 return"},
		// The content tells, not the name.
		{"List 8.csv", []byte(episodes), "the episodes file of an SSDA903 return"},
		{"episodes-lower.csv", []byte(strings.ToLower(episodes)), "the episodes file of an SSDA903 return"},
		{"reviews.csv", []byte("CHILD,DOB,REVIEW,REVIEW_CODE\n100001,03/05/2019,01/06/2024,PN1\n"), "the reviews file of an SSDA903 return"},
		{"ssda903.xml", []byte("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<EXPSSDA903><CHILD><HEADER><CHILDID>100001</CHILDID></HEADER></CHILD></EXPSSDA903>\n"),
			"this looks like an SSDA903 return (the children looked after return to the Department for Education) as XML (it starts with <EXPSSDA903>), not a list of children that jtai reads: the children in care"},
		{"domestic-abuse.yaml", []byte("id: domestic-abuse-local\ntitle: Our local theme\ninspectorates: [ofsted, cqc]\nscope:\n  age: {min: 0, max: 7}\n"),
			"this looks like a jtai theme file (YAML), not a list of children that jtai reads: a theme is loaded by the server from its themes directory, not imported."},
		{"settings.yml", []byte("server:\n  port: 8080\n"), "this looks like a YAML file, not a list of children that jtai reads."},
		{"lists.docx", docx(t), "this is a Word document, not an Excel workbook"},
		{"lists.doc", append(append([]byte{}, ole...), []byte("W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t\x00")...), "this is a Word 97-2003 document (.doc), not an Excel workbook"},
		{"lists.pdf", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), "this is a PDF file, not an Excel workbook"},
		{"school-census.xml", []byte("<?xml version=\"1.0\"?>\n<SchoolCensus><Header/></SchoolCensus>\n"), "this XML file is not a CIN census: it starts with <SchoolCensus>, not <Message>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, n, err := readData(t, tt.name, tt.data)
			var rej *ingest.RejectError
			if !errors.As(err, &rej) || rej.Problem.Rule != ingest.RuleFileType {
				t.Fatalf("err = %v, want a %s refusal", err, ingest.RuleFileType)
			}
			if rej.Problem.File != tt.name {
				t.Errorf("the refusal names file %q, want %q", rej.Problem.File, tt.name)
			}
			if msg := rej.Problem.Message; !strings.Contains(msg, tt.says) || !strings.HasSuffix(msg, ". "+Accepted) {
				t.Errorf("message %q\nwant it to say %q and end with the lists jtai reads", msg, tt.says)
			}
			if n != 0 {
				t.Errorf("%d records handed on from a refused file", n)
			}
		})
	}
}

// A CSV file whose list cannot be told says so, with the lists jtai reads;
// the lists themselves are still read, not taken for something else.
func TestListsStillRead(t *testing.T) {
	sum, _, err := readData(t, "export.csv", []byte("Reference,Worker,Team\nA1,B,C\n"))
	if err != nil || sum.Errors != 1 || sum.Problems[0].Rule != ingest.RuleNoLists || !strings.HasSuffix(sum.Problems[0].Message, ". "+Accepted) {
		t.Errorf("an unknown CSV: %v, %+v", err, sum)
	}
	list3 := strings.Join(annexa.Headings(3), ",") + "\n"
	sum, _, err = readData(t, "List 3.csv", []byte(list3))
	if err != nil || sum.Errors != 0 || len(sum.Lists) != 1 || sum.Lists[0].List != ingest.ListAnnexA3 {
		t.Errorf("Annex A list 3 with its headings: %v, %+v", err, sum)
	}
	census := "<?xml version=\"1.0\"?>\n<Message><Header><CollectionDetails><Collection>CIN</Collection></CollectionDetails></Header></Message>\n"
	if _, _, err := readData(t, "cin.xml", []byte(census)); errors.As(err, new(*ingest.RejectError)) && strings.Contains(err.Error(), "looks like") {
		t.Errorf("a CIN census taken for another file: %v", err)
	}
}
