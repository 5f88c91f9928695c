package theme

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// decoder fills a Theme from the YAML syntax tree by hand rather than with
// the YAML library's decoder, so that it can report every unknown field and
// every wrongly typed value (a decoder stops at the first), and remember the
// line of every field for the checks that follow.
type decoder struct {
	file     string
	lines    map[string]int  // field path -> line where it is written
	failed   map[string]bool // field paths whose value could not be read
	problems []Problem
}

// decodeTheme parses data and fills t. It returns the field lines for
// validation, and false when the file is too broken to validate further.
func (d *decoder) decodeTheme(data []byte, t *Theme) bool {
	d.lines, d.failed = map[string]int{}, map[string]bool{}
	f, err := parseYAML(data)
	if err != nil {
		var ye yaml.Error
		if errors.As(err, &ye) {
			d.problems = append(d.problems, Problem{File: d.file, Line: tokenLine(ye), Message: "YAML syntax: " + ye.GetMessage()})
		} else {
			d.problems = append(d.problems, Problem{File: d.file, Message: "YAML syntax: " + err.Error()})
		}
		return false
	}
	var docs []*ast.DocumentNode
	for _, doc := range f.Docs {
		if doc != nil && doc.Body != nil {
			docs = append(docs, doc)
		}
	}
	switch {
	case len(docs) == 0:
		d.problems = append(d.problems, Problem{File: d.file, Message: "the file is empty; a theme needs at least id, title, inspectorates and scope.age"})
		return false
	case len(docs) > 1:
		d.problems = append(d.problems, Problem{File: d.file, Line: nodeLine(docs[1].Body), Message: "one theme per file: this file holds more than one YAML document"})
		return false
	}
	body := docs[0].Body
	if _, ok := unwrap(body).(*ast.MappingNode); !ok {
		d.problems = append(d.problems, Problem{File: d.file, Line: nodeLine(body), Message: "a theme file must be a mapping of fields (id: ..., title: ...)"})
		return false
	}
	d.lines[""] = nodeLine(body)
	d.value(body, reflect.ValueOf(t).Elem(), "")
	return true
}

// parseYAML parses data, turning a panic inside the parser into an error:
// theme files come from outside the program and must never crash it.
func parseYAML(data []byte) (f *ast.File, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("the YAML parser could not read this file (%v)", r)
		}
	}()
	return parser.ParseBytes(data, 0)
}

func tokenLine(e yaml.Error) int {
	if tk := e.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line
	}
	return 0
}

func (d *decoder) add(n ast.Node, path, format string, args ...any) {
	d.failed[path] = true
	d.problems = append(d.problems, Problem{File: d.file, Line: nodeLine(n), Field: path, Message: fmt.Sprintf(format, args...)})
}

// value decodes node n into v, whose path is path.
func (d *decoder) value(n ast.Node, v reflect.Value, path string) {
	n = unwrap(n)
	if n == nil || n.Type() == ast.NullType {
		return // an empty value leaves the field at its zero value
	}
	if _, ok := n.(*ast.AliasNode); ok {
		d.add(n, path, "aliases (*name) are not supported in theme files; write the value out")
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		d.mapping(n, v, path)
	case reflect.Slice:
		d.sequence(n, v, path)
	case reflect.String:
		if s, ok := scalarText(n); ok {
			v.SetString(s)
		} else {
			d.add(n, path, "want text, found %s", describe(n))
		}
	case reflect.Int:
		i, ok := n.(*ast.IntegerNode)
		if !ok {
			d.add(n, path, "want a whole number, found %s", describe(n))
			return
		}
		switch x := i.Value.(type) {
		case int64:
			v.SetInt(x)
		case uint64:
			if x > 1<<31 {
				d.add(n, path, "number %d is too large", x)
				return
			}
			v.SetInt(int64(x))
		}
	case reflect.Bool:
		b, ok := n.(*ast.BoolNode)
		if !ok {
			d.add(n, path, "want true or false, found %s", describe(n))
			return
		}
		v.SetBool(b.Value)
	default:
		d.add(n, path, "cannot read a value of type %s", v.Type()) // a field type added to Theme without decoding for it
	}
}

func (d *decoder) mapping(n ast.Node, v reflect.Value, path string) {
	m, ok := n.(*ast.MappingNode)
	if !ok {
		d.add(n, path, "want a mapping of fields, found %s", describe(n))
		return
	}
	fields := yamlFields(v.Type())
	for _, mv := range m.Values {
		if mv.Key == nil {
			continue
		}
		name, ok := scalarText(unwrap(mv.Key))
		if !ok || mv.Key.IsMergeKey() {
			d.add(mv.Key, path, "field names must be plain words; merge keys (<<) are not supported")
			continue
		}
		fieldPath := join(path, name)
		i, known := fields[name]
		if !known {
			msg := fmt.Sprintf("unknown field %q", name)
			if s := suggest(name, fieldNames(fields)); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			d.add(mv.Key, fieldPath, "%s", msg)
			continue
		}
		d.lines[fieldPath] = nodeLine(mv.Key)
		d.value(mv.Value, v.Field(i), fieldPath)
	}
}

func (d *decoder) sequence(n ast.Node, v reflect.Value, path string) {
	s, ok := n.(*ast.SequenceNode)
	if !ok {
		d.add(n, path, "want a list, found %s", describe(n))
		return
	}
	out := reflect.MakeSlice(v.Type(), len(s.Values), len(s.Values))
	for i, e := range s.Values {
		p := fmt.Sprintf("%s[%d]", path, i)
		d.lines[p] = nodeLine(e)
		d.value(e, out.Index(i), p)
	}
	v.Set(out)
}

// yamlFields maps each field's YAML name to its index in struct type t.
func yamlFields(t reflect.Type) map[string]int {
	fields := map[string]int{}
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			fields[name] = i
		}
	}
	return fields
}

func fieldNames(fields map[string]int) []string {
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	return names
}

// unwrap looks through anchors and tags to the value they decorate.
func unwrap(n ast.Node) ast.Node {
	for range 100 {
		switch x := n.(type) {
		case *ast.AnchorNode:
			n = x.Value
		case *ast.TagNode:
			n = x.Value
		default:
			return n
		}
	}
	return n
}

// scalarText returns the text of a scalar as written, so that a code
// written 6 reads as "6" and a year as "2016". The final line break of a
// block scalar (| or >) is dropped: theme text is shown, not reproduced.
func scalarText(n ast.Node) (string, bool) {
	switch x := n.(type) {
	case *ast.StringNode:
		return x.Value, true
	case *ast.LiteralNode:
		if x.Value == nil {
			return "", true
		}
		return strings.TrimRight(x.Value.Value, "\n"), true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		if tk := n.GetToken(); tk != nil {
			return tk.Value, true
		}
	}
	return "", false
}

// describe names the kind of a node for messages.
func describe(n ast.Node) string {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return "a number (" + n.GetToken().Value + ")"
	case *ast.BoolNode:
		return "true/false (" + n.GetToken().Value + ")"
	}
	if s, ok := scalarText(n); ok {
		return fmt.Sprintf("text %q", s)
	}
	return "a " + strings.ToLower(n.Type().String())
}

// nodeLine is the line a node starts on, or 0 if it has no position.
func nodeLine(n ast.Node) int {
	if m, ok := n.(*ast.MappingNode); ok && len(m.Values) > 0 && m.Values[0].Key != nil {
		n = m.Values[0].Key
	}
	if n == nil {
		return 0
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line
	}
	return 0
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// suggest returns the candidate nearest to name by edit distance, if it is
// near enough to be the likely intent of a typo.
func suggest(name string, candidates []string) string {
	best, bestDist := "", -1
	for _, c := range candidates {
		dist := editDistance(name, c)
		if bestDist < 0 || dist < bestDist || (dist == bestDist && c < best) {
			best, bestDist = c, dist
		}
	}
	if bestDist < 0 || bestDist > max(2, len(name)/3) {
		return ""
	}
	return best
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
