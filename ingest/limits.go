package ingest

// Limits bound what one import may cost. The defaults suit the largest
// authority's lists (DOMAIN.md, "Scale") with room to spare; a file past a
// limit is rejected with a message saying which.
type Limits struct {
	// MaxFileSize is the largest file accepted, in bytes. Default 200 MiB.
	MaxFileSize int64
	// MaxRows is the most rows read from one list (one sheet, one CSV, the
	// CIN episodes of one census file). Default 100,000: all the children's
	// rows of an inspection jtai is sized for, in one list (DOMAIN.md,
	// "Scale"; a large authority's contacts are 20,000 a year), which keeps
	// an import's memory under 512 MiB at worst.
	MaxRows int
	// MaxUnzipped is the most a workbook may unzip to, in bytes, summed over
	// its parts as the zip declares them; past it the workbook is refused
	// before any part is unzipped (a zip bomb). Default 1 GiB, several
	// times the largest authority's workbook.
	MaxUnzipped int64
	// MaxUnzippedPart is the largest part of a workbook held in memory;
	// larger worksheets are unzipped to a temporary file and streamed.
	// Default 16 MiB.
	MaxUnzippedPart int64
	// MaxParts is the most files a workbook's zip may hold. Default 10,000.
	MaxParts int
	// MaxXMLDepth is the deepest nesting of XML elements accepted. Default 64.
	MaxXMLDepth int
	// MaxCellBytes is the longest value kept from one cell or element;
	// longer values are cut. Default 32 KiB (Excel's own cell limit).
	MaxCellBytes int
	// MaxProblems is the most problems a summary keeps (all are counted).
	// Default 10,000.
	MaxProblems int
}

// DefaultLimits returns the limits used when a field of Limits is zero.
func DefaultLimits() Limits {
	return Limits{
		MaxFileSize:     200 << 20,
		MaxRows:         100_000,
		MaxUnzipped:     1 << 30,
		MaxUnzippedPart: 16 << 20,
		MaxParts:        10_000,
		MaxXMLDepth:     64,
		MaxCellBytes:    32 << 10,
		MaxProblems:     10_000,
	}
}

// OrDefault returns l with every zero (or negative) field set to its
// default.
func (l Limits) OrDefault() Limits {
	d := DefaultLimits()
	if l.MaxFileSize <= 0 {
		l.MaxFileSize = d.MaxFileSize
	}
	if l.MaxRows <= 0 {
		l.MaxRows = d.MaxRows
	}
	if l.MaxUnzipped <= 0 {
		l.MaxUnzipped = d.MaxUnzipped
	}
	if l.MaxUnzippedPart <= 0 {
		l.MaxUnzippedPart = d.MaxUnzippedPart
	}
	if l.MaxUnzippedPart > l.MaxUnzipped {
		l.MaxUnzippedPart = l.MaxUnzipped
	}
	if l.MaxParts <= 0 {
		l.MaxParts = d.MaxParts
	}
	if l.MaxXMLDepth <= 0 {
		l.MaxXMLDepth = d.MaxXMLDepth
	}
	if l.MaxCellBytes <= 0 {
		l.MaxCellBytes = d.MaxCellBytes
	}
	if l.MaxProblems <= 0 {
		l.MaxProblems = d.MaxProblems
	}
	return l
}
