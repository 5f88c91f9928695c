// Package ingest holds what the importers of children's lists share: the
// Record that every list row becomes, the Problem that every check reports,
// the Limits that keep a hostile or broken file from exhausting the server,
// and the checks that recognise a file by its content rather than its name.
//
// The parsers live in the packages below it: annexa (Ofsted's Annex A
// workbook and one CSV per list), cincensus (the DfE Children in Need census
// XML) and danotify (jtai's own domestic-abuse notifications layout). They
// stream: each row becomes a Record handed to a callback, so memory does not
// grow with the number of rows, and the caller writes the records to the
// database in one transaction of its own.
//
// Nothing here may log, print or put in an error message a personal value (a
// name, a date of birth, an identifier, free text about a family): problems
// carry such values masked (Mask), and an error names the file, the sheet, the
// row and the column, never the content of a personal cell.
package ingest
