package ingest

import (
	"fmt"
	"time"

	"jtai"
)

// File is one file to import: its name, and a function that reads it,
// handing each record to emit and returning what it found (listfile.Read
// over the file's bytes, in practice).
type File struct {
	Name string
	Read func(emit func(Record) error) (*Summary, error)
}

// ImportOptions adjust an import.
type ImportOptions struct {
	// Actor is who imports, for the access log.
	Actor *jtai.AccessEntry
	// Progress, when set, is called now and then with the rows read so far.
	Progress func(rows int)
	// Replace lets a list land that takes more than a fifth of its
	// children off it (see Leaving); without it such an import is refused,
	// for the person to confirm.
	Replace bool
}

// Leaving is a list that an import would take many children off: Left of
// the Was children the earlier import of the list named are not in the new
// one.
type Leaving struct {
	List string `json:"list"`
	Left int    `json:"left"`
	Was  int    `json:"was"`
}

// Describe says it for people: "Annex A list 3 (referrals): 12 of its 40
// children would leave it".
func (l Leaving) Describe() string {
	return fmt.Sprintf("%s: %d of its %d children would leave it", ListTitle(l.List), l.Left, l.Was)
}

// ManyLeave is the share of a list's children above which an import that
// takes them off it asks for confirmation (Replace): a fifth.
func ManyLeave(left, was int) bool { return left > 0 && left*5 > was }

// Landed is one list as it stands in an inspection after an import.
type Landed struct {
	List         string   `json:"list"`  // a List* identifier
	Files        []string `json:"files"` // the files it came from
	Rows         int      `json:"rows"`
	Replaced     bool     `json:"replaced,omitempty"`      // it replaced an earlier import of the list
	ReplacedRows int      `json:"replaced_rows,omitempty"` // rows of the import it replaced
	Left         int      `json:"left,omitempty"`          // children the replaced import named that this one does not
	// ReferenceDate is the CIN census's reference date (its Header's), for
	// the census only.
	ReferenceDate jtai.Date `json:"reference_date,omitzero"`
	At            time.Time `json:"at,omitzero"`
	By            string    `json:"by,omitempty"`

	// Empty is set when the files held the list with no rows: it was not
	// imported, and the earlier import of it, of KeptRows rows, stands.
	Empty    bool `json:"empty,omitempty"`
	KeptRows int  `json:"kept_rows,omitempty"`
}

// Result is what an import did: whether it landed, the lists it brought,
// the children it named, and every problem found (linking warnings
// included). When it did not land, nothing of it is in the database.
type Result struct {
	Landed          bool     `json:"landed"`
	Lists           []Landed `json:"lists"`
	Rows            int      `json:"rows"`
	Children        int      `json:"children"`         // children whose facts the import changed
	NewChildren     int      `json:"new_children"`     // of which first seen in this import
	RemovedChildren int      `json:"removed_children"` // children no list names any more
	// SelectedChanged counts the selected children whose record the import
	// changed, or that it took off or put back on the lists: they stay
	// selected, for the lead inspector to look at again.
	SelectedChanged int `json:"selected_changed"`
	// Leaving lists, when the import was refused for it, the lists it
	// would have taken more than a fifth of their children off.
	Leaving []Leaving `json:"leaving,omitempty"`
	// Waited is how long the import waited for others to finish before it
	// started (a server runs a few at a time).
	Waited time.Duration `json:"waited_ns,omitempty"`
	// NoChanges is set when the import landed and changed nothing: every
	// list as it was, every child's record as it was.
	NoChanges bool     `json:"no_changes,omitempty"`
	Summary   *Summary `json:"summary"`
}

// ListTitle names a list for people: "Annex A list 3 (referrals)".
func ListTitle(list string) string {
	if t, ok := listTitles[list]; ok {
		return t
	}
	return list
}

// ListRank orders lists for people: Annex A 1 to 11, the census, then the
// notifications; an unknown list last.
func ListRank(list string) int {
	for i, l := range listOrder {
		if l == list {
			return i
		}
	}
	return len(listOrder)
}

var listOrder = []string{ListAnnexA1, ListAnnexA2, ListAnnexA3, ListAnnexA4, ListAnnexA5, ListAnnexA6, ListAnnexA7, ListAnnexA8, ListAnnexA9, ListAnnexA10, ListAnnexA11, ListCINCensus, ListDANotifications}

var listTitles = map[string]string{
	ListAnnexA1:         "Annex A list 1 (contacts)",
	ListAnnexA2:         "Annex A list 2 (early help)",
	ListAnnexA3:         "Annex A list 3 (referrals)",
	ListAnnexA4:         "Annex A list 4 (assessments)",
	ListAnnexA5:         "Annex A list 5 (section 47 enquiries and ICPCs)",
	ListAnnexA6:         "Annex A list 6 (children in need)",
	ListAnnexA7:         "Annex A list 7 (child protection)",
	ListAnnexA8:         "Annex A list 8 (children in care)",
	ListAnnexA9:         "Annex A list 9 (care leavers)",
	ListAnnexA10:        "Annex A list 10 (adoption)",
	ListAnnexA11:        "Annex A list 11 (adopters)",
	ListCINCensus:       "CIN census",
	ListDANotifications: "Domestic-abuse notifications",
}
